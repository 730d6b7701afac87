"""The operations the shim adds to moto, CORS on every reply, and the process lifecycle."""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.request

import pytest

from conftest import start_emulator, stop_emulator
from srp_client import CognitoError, call, srp_sign_in

ORIGIN = "http://localhost:5173"


def signed_in(emulator, pool, username, password):
    return srp_sign_in(emulator["endpoint"], pool["userPoolId"], pool["clientId"], username, password)["AuthenticationResult"]


@pytest.fixture
def pool_with_user(new_pool):
    return new_pool(seedUsers=[{"username": "hank", "password": "Hankpass1", "email": "hank@example.com"}])


# ---- ResendConfirmationCode ------------------------------------------------------------------------------------


def test_resend_confirmation_code(emulator, new_pool):
    pool = new_pool()
    ep = emulator["endpoint"]
    call(ep, "SignUp", {"ClientId": pool["clientId"], "Username": "ivy", "Password": "Ivypass12",
                        "UserAttributes": [{"Name": "email", "Value": "ivy@example.com"}]})
    reply, headers = call(ep, "ResendConfirmationCode", {"ClientId": pool["clientId"], "Username": "ivy"})
    assert reply == {"CodeDeliveryDetails": {"Destination": "i***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}
    assert headers["x-emulator-confirmation-code"].isdigit()
    assert headers["Access-Control-Allow-Origin"] == ORIGIN


def test_resend_confirmation_code_errors(emulator, pool_with_user):
    ep = emulator["endpoint"]
    with pytest.raises(CognitoError) as err:
        call(ep, "ResendConfirmationCode", {"ClientId": pool_with_user["clientId"], "Username": "nobody"})
    assert err.value.error_type == "UserNotFoundException"
    assert err.value.headers["Access-Control-Allow-Origin"] == ORIGIN
    with pytest.raises(CognitoError) as err:
        call(ep, "ResendConfirmationCode", {"ClientId": pool_with_user["clientId"], "Username": "hank"})
    assert err.value.error_type == "InvalidParameterException"  # already confirmed
    with pytest.raises(CognitoError) as err:
        call(ep, "ResendConfirmationCode", {"ClientId": "no-such-client", "Username": "hank"})
    assert err.value.error_type == "ResourceNotFoundException"
    with pytest.raises(CognitoError) as err:
        call(ep, "ResendConfirmationCode", {"ClientId": pool_with_user["clientId"]})
    assert err.value.error_type == "InvalidParameterException"


# ---- RevokeToken -----------------------------------------------------------------------------------------------


def test_revoke_token_kills_refresh_and_its_access_tokens_only(emulator, pool_with_user):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    first = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    second = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    # An access token refreshed from the first session belongs to the same family.
    refreshed, _ = call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid,
                                              "AuthParameters": {"REFRESH_TOKEN": first["RefreshToken"]}})
    reply, headers = call(ep, "RevokeToken", {"Token": first["RefreshToken"], "ClientId": cid})
    assert reply == {}
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    for token in (first["AccessToken"], refreshed["AuthenticationResult"]["AccessToken"]):
        with pytest.raises(CognitoError) as err:
            call(ep, "GetUser", {"AccessToken": token})
        assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid,
                                  "AuthParameters": {"REFRESH_TOKEN": first["RefreshToken"]}})
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "GetTokensFromRefreshToken", {"RefreshToken": first["RefreshToken"], "ClientId": cid})
    assert err.value.error_type == "NotAuthorizedException"
    # The other sign-in is untouched.
    user, _ = call(ep, "GetUser", {"AccessToken": second["AccessToken"]})
    assert user["Username"] == "hank"
    # Revoking again, or an unknown token, is a quiet 200 like AWS.
    assert call(ep, "RevokeToken", {"Token": first["RefreshToken"], "ClientId": cid})[0] == {}
    assert call(ep, "RevokeToken", {"Token": "not-a-token", "ClientId": cid})[0] == {}


def test_revoke_token_errors(emulator, pool_with_user, new_pool):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    tokens = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    for kind in ("AccessToken", "IdToken"):
        with pytest.raises(CognitoError) as err:
            call(ep, "RevokeToken", {"Token": tokens[kind], "ClientId": cid})
        assert err.value.error_type == "UnsupportedTokenTypeException"
    other = new_pool()
    with pytest.raises(CognitoError) as err:
        call(ep, "RevokeToken", {"Token": tokens["RefreshToken"], "ClientId": "no-such-client"})
    assert err.value.error_type == "UnauthorizedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "RevokeToken", {"ClientId": cid})
    assert err.value.error_type == "InvalidParameterException"
    # A token of another pool's client is unknown to this one: 200, and it still works.
    assert call(ep, "RevokeToken", {"Token": tokens["RefreshToken"], "ClientId": other["clientId"]})[0] == {}
    assert call(ep, "GetUser", {"AccessToken": tokens["AccessToken"]})[0]["Username"] == "hank"


# ---- DeleteUser ------------------------------------------------------------------------------------------------


def test_delete_user(emulator, pool_with_user):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    tokens = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    reply, headers = call(ep, "DeleteUser", {"AccessToken": tokens["AccessToken"]})
    assert reply == {} and headers["Access-Control-Allow-Origin"] == ORIGIN
    with pytest.raises(CognitoError) as err:
        call(ep, "GetUser", {"AccessToken": tokens["AccessToken"]})
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "GetTokensFromRefreshToken", {"RefreshToken": tokens["RefreshToken"], "ClientId": cid})
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    assert err.value.error_type == "UserNotFoundException"
    with pytest.raises(CognitoError) as err:
        call(ep, "DeleteUser", {"AccessToken": tokens["AccessToken"]})
    assert err.value.error_type == "NotAuthorizedException"
    # The name is free again.
    call(ep, "SignUp", {"ClientId": cid, "Username": "hank", "Password": "Hankpass2"})


# ---- GetTokensFromRefreshToken ---------------------------------------------------------------------------------


def test_get_tokens_from_refresh_token_without_rotation(emulator, pool_with_user):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    tokens = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    reply, headers = call(ep, "GetTokensFromRefreshToken", {"RefreshToken": tokens["RefreshToken"], "ClientId": cid})
    result = reply["AuthenticationResult"]
    assert set(result) == {"AccessToken", "IdToken", "ExpiresIn", "TokenType"}
    assert result["AccessToken"] != tokens["AccessToken"]
    assert call(ep, "GetUser", {"AccessToken": result["AccessToken"]})[0]["Username"] == "hank"
    # Without rotation the refresh token stays valid.
    again, _ = call(ep, "GetTokensFromRefreshToken", {"RefreshToken": tokens["RefreshToken"], "ClientId": cid})
    assert "AccessToken" in again["AuthenticationResult"]
    assert headers["Access-Control-Allow-Origin"] == ORIGIN


def test_get_tokens_from_refresh_token_with_rotation(emulator, new_pool):
    pool = new_pool(refreshTokenRotation=True, seedUsers=[{"username": "jo", "password": "Jopass123"}])
    ep, cid = emulator["endpoint"], pool["clientId"]
    tokens = signed_in(emulator, pool, "jo", "Jopass123")
    reply, _ = call(ep, "GetTokensFromRefreshToken", {"RefreshToken": tokens["RefreshToken"], "ClientId": cid})
    new_refresh = reply["AuthenticationResult"]["RefreshToken"]
    assert new_refresh != tokens["RefreshToken"]
    with pytest.raises(CognitoError) as err:
        call(ep, "GetTokensFromRefreshToken", {"RefreshToken": tokens["RefreshToken"], "ClientId": cid})
    assert err.value.error_type == "NotAuthorizedException"
    third, _ = call(ep, "GetTokensFromRefreshToken", {"RefreshToken": new_refresh, "ClientId": cid})
    # Revoking the newest refresh token ends the whole sign-in, including the first access token.
    call(ep, "RevokeToken", {"Token": third["AuthenticationResult"]["RefreshToken"], "ClientId": cid})
    with pytest.raises(CognitoError):
        call(ep, "GetUser", {"AccessToken": tokens["AccessToken"]})


def test_get_tokens_from_refresh_token_errors(emulator, pool_with_user, new_pool):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    tokens = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    with pytest.raises(CognitoError) as err:
        call(ep, "GetTokensFromRefreshToken", {"RefreshToken": "bogus", "ClientId": cid})
    assert err.value.error_type == "NotAuthorizedException"
    other = new_pool()
    with pytest.raises(CognitoError) as err:
        call(ep, "GetTokensFromRefreshToken", {"RefreshToken": tokens["RefreshToken"], "ClientId": other["clientId"]})
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "GetTokensFromRefreshToken", {"ClientId": cid})
    assert err.value.error_type == "InvalidParameterException"


# ---- CORS ------------------------------------------------------------------------------------------------------


def raw_request(url, method="POST", data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def assert_cors(headers, origin=ORIGIN):
    assert headers["Access-Control-Allow-Origin"] == origin
    exposed = {h.strip().lower() for h in headers["Access-Control-Expose-Headers"].split(",")}
    assert {"x-moto-forgot-password-confirmation-code", "x-amzn-errortype"} <= exposed


def test_cors_on_500_for_operation_moto_lacks(emulator):
    status, headers, body = raw_request(
        emulator["endpoint"] + "/", data=b"{}",
        headers={"Origin": ORIGIN, "Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService.GetLogDeliveryConfiguration"})
    assert status == 500
    assert_cors(headers)
    assert json.loads(body)["__type"] == "InternalErrorException"
    assert headers["x-amzn-ErrorType"] == "InternalErrorException"


def test_cors_on_moto_replies_and_shim_routes(emulator):
    status, headers, _ = raw_request(
        emulator["endpoint"] + "/", data=json.dumps({"UserPoolId": emulator["userPoolId"]}).encode(),
        headers={"Origin": ORIGIN, "Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool"})
    assert status == 200
    assert_cors(headers)
    status, headers, _ = raw_request(emulator["endpoint"] + "/_emulator/health", method="GET", headers={"Origin": ORIGIN})
    assert status == 200
    assert_cors(headers)
    status, headers, body = raw_request(emulator["endpoint"] + "/_emulator/nope", data=b"{}", headers={"Origin": ORIGIN})
    assert status == 400 and json.loads(body)["__type"] == "ResourceNotFoundException"
    assert_cors(headers)
    status, headers, _ = raw_request(
        f"{emulator['endpoint']}/{emulator['userPoolId']}/.well-known/jwks.json", method="GET", headers={"Origin": ORIGIN})
    assert status == 200
    assert_cors(headers)


def test_cors_on_moto_errors_and_forgot_password_header(emulator, pool_with_user):
    status, headers, body = raw_request(
        emulator["endpoint"] + "/", data=json.dumps({"ClientId": pool_with_user["clientId"], "Username": "hank"}).encode(),
        headers={"Origin": ORIGIN, "Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService.ForgotPassword"})
    assert status == 200
    assert_cors(headers)
    assert headers["x-moto-forgot-password-confirmation-code"].startswith("moto-confirmation-code:")
    status, headers, body = raw_request(
        emulator["endpoint"] + "/", data=b'{"AccessToken": "nope"}',
        headers={"Origin": ORIGIN, "Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser"})
    assert status == 400 and json.loads(body)["__type"] == "NotAuthorizedException"
    assert_cors(headers)


def test_cors_preflight(emulator):
    status, headers, body = raw_request(
        emulator["endpoint"] + "/", method="OPTIONS",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent,cache-control"})
    assert status in (200, 204) and body == b""
    assert_cors(headers)
    assert headers["Access-Control-Allow-Headers"] == "content-type,x-amz-target,x-amz-user-agent,cache-control"
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_invalid_json_body_is_a_json_error_with_cors(emulator):
    status, headers, body = raw_request(
        emulator["endpoint"] + "/", data=b"{not json",
        headers={"Origin": ORIGIN, "Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"
    assert_cors(headers)


# ---- Process lifecycle -----------------------------------------------------------------------------------------


def test_starts_fast_and_stops_cleanly_on_sigterm(tmp_path):
    proc, info, info_path, seconds = start_emulator(tmp_path)
    try:
        assert seconds < 4.0, f"startup took {seconds:.2f}s"
        assert info_path.exists()
        assert json.loads(info_path.read_text())["endpoint"] == info["endpoint"]
        status, _, _ = raw_request(info["endpoint"] + "/_emulator/health", method="GET")
        assert status == 200
    finally:
        code = stop_emulator(proc, timeout=5)
    assert code == 0
    assert not info_path.exists()


def test_stops_cleanly_on_sigint(tmp_path):
    proc, _info, _path, _ = start_emulator(tmp_path)
    os.kill(proc.pid, signal.SIGINT)
    assert proc.wait(5) == 0


# ---- Gaps in moto the shim fills -------------------------------------------------------------------------------


def test_confirm_forgot_password_checks_policy_and_wrong_code(emulator, pool_with_user):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    call(ep, "ForgotPassword", {"ClientId": cid, "Username": "hank"})
    with pytest.raises(CognitoError) as err:
        call(ep, "ConfirmForgotPassword", {"ClientId": cid, "Username": "hank", "ConfirmationCode": "123456", "Password": "weak"})
    assert err.value.error_type == "InvalidPasswordException"
    with pytest.raises(CognitoError) as err:
        call(ep, "ConfirmForgotPassword", {"ClientId": cid, "Username": "hank", "ConfirmationCode": "emulator-wrong",
                                           "Password": "Hankpass2"})
    assert err.value.error_type == "CodeMismatchException"
    call(ep, "ConfirmForgotPassword", {"ClientId": cid, "Username": "hank", "ConfirmationCode": "123456", "Password": "Hankpass2"})
    assert "AccessToken" in signed_in(emulator, pool_with_user, "hank", "Hankpass2")


def test_refresh_token_auth_checks_client_and_user(emulator, pool_with_user, new_pool):
    ep, cid = emulator["endpoint"], pool_with_user["clientId"]
    tokens = signed_in(emulator, pool_with_user, "hank", "Hankpass1")
    other = new_pool()
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": other["clientId"],
                                  "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}})
    assert err.value.error_type == "NotAuthorizedException"
    call(ep, "AdminDeleteUser", {"UserPoolId": pool_with_user["userPoolId"], "Username": "hank"})
    with pytest.raises(CognitoError) as err:  # moto alone answers 500 here
        call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid,
                                  "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}})
    assert err.value.status == 400 and err.value.error_type == "NotAuthorizedException"


def test_update_email_unverifies_and_verify_attribute(emulator, pool_with_user):
    ep = emulator["endpoint"]
    access = signed_in(emulator, pool_with_user, "hank", "Hankpass1")["AccessToken"]
    reply, headers = call(ep, "UpdateUserAttributes", {"AccessToken": access, "UserAttributes": [
        {"Name": "email", "Value": "hank2@example.org"}, {"Name": "name", "Value": "Hank"}]})
    assert reply == {"CodeDeliveryDetailsList": [
        {"Destination": "h***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}]}
    assert headers["x-emulator-confirmation-code"].isdigit()
    attrs = {a["Name"]: a["Value"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert attrs["email"] == "hank2@example.org" and attrs["email_verified"] == "false" and attrs["name"] == "Hank"
    reply, headers = call(ep, "GetUserAttributeVerificationCode", {"AccessToken": access, "AttributeName": "email"})
    assert reply["CodeDeliveryDetails"]["AttributeName"] == "email"
    with pytest.raises(CognitoError) as err:
        call(ep, "VerifyUserAttribute", {"AccessToken": access, "AttributeName": "email", "Code": "emulator-wrong"})
    assert err.value.error_type == "CodeMismatchException"
    assert call(ep, "VerifyUserAttribute", {"AccessToken": access, "AttributeName": "email",
                                            "Code": headers["x-emulator-confirmation-code"]})[0] == {}
    attrs = {a["Name"]: a["Value"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert attrs["email_verified"] == "true"
    assert call(ep, "DeleteUserAttributes", {"AccessToken": access, "UserAttributeNames": ["name"]})[0] == {}
    attrs = {a["Name"]: a["Value"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert "name" not in attrs
    with pytest.raises(CognitoError) as err:
        call(ep, "UpdateUserAttributes", {"AccessToken": "bogus", "UserAttributes": []})
    assert err.value.error_type == "NotAuthorizedException"


def test_devices_are_never_remembered(emulator, pool_with_user):
    ep = emulator["endpoint"]
    access = signed_in(emulator, pool_with_user, "hank", "Hankpass1")["AccessToken"]
    assert call(ep, "ListDevices", {"AccessToken": access})[0] == {"Devices": []}
    with pytest.raises(CognitoError) as err:
        call(ep, "ForgetDevice", {"AccessToken": access, "DeviceKey": "us-east-1_x"})
    assert err.value.error_type == "ResourceNotFoundException"


def test_strict_codes_mode(tmp_path):
    proc, info, _path, _ = start_emulator(tmp_path, "--strict-codes")
    try:
        ep, cid = info["endpoint"], info["clientId"]
        _, headers = call(ep, "SignUp", {"ClientId": cid, "Username": "kim", "Password": "Kimpass12",
                                         "UserAttributes": [{"Name": "email", "Value": "kim@example.com"}]})
        code = headers["x-emulator-confirmation-code"]
        wrong = "000000" if code != "000000" else "111111"
        with pytest.raises(CognitoError) as err:
            call(ep, "ConfirmSignUp", {"ClientId": cid, "Username": "kim", "ConfirmationCode": wrong})
        assert err.value.error_type == "CodeMismatchException"
        _, headers = call(ep, "ResendConfirmationCode", {"ClientId": cid, "Username": "kim"})
        if code != headers["x-emulator-confirmation-code"]:  # the resend replaced the first code
            with pytest.raises(CognitoError):
                call(ep, "ConfirmSignUp", {"ClientId": cid, "Username": "kim", "ConfirmationCode": code})
        call(ep, "ConfirmSignUp", {"ClientId": cid, "Username": "kim", "ConfirmationCode": headers["x-emulator-confirmation-code"]})
        assert "AuthenticationResult" in srp_sign_in(ep, info["userPoolId"], cid, "kim", "Kimpass12")
    finally:
        assert stop_emulator(proc) == 0
