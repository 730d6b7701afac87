"""Issue 13 in the emulator: remembered devices, TOTP / email MFA, attribute verification, ClientMetadata records,
SignUp / ConfirmSignUp Sessions. Every flow runs against the emulator subprocess over HTTP."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from conftest import fresh_totp
from srp_client import CognitoError, SrpClient, call, cognito_timestamp, device_secret_verifier_config, srp_sign_in

ALWAYS = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
OPT_IN = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}
PASSWORD = "Passw0rd1"


def claims(token):
    import base64

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def make_pool(new_pool, *names, **options):
    return new_pool(seedUsers=[{"username": n, "password": PASSWORD} for n in names], **options)


def password_sign_in(ep, pool, username, device_key=None, password=PASSWORD):
    params = {"USERNAME": username, "PASSWORD": password}
    if device_key:
        params["DEVICE_KEY"] = device_key
    return call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"], "AuthParameters": params})


def respond(ep, pool, name, session, **responses):
    return call(ep, "RespondToAuthChallenge", {"ChallengeName": name, "ClientId": pool["clientId"], "Session": session,
                                               "ChallengeResponses": responses})


def remember_new_device(ep, result, name="pytest device"):
    """ConfirmDevice for the NewDeviceMetadata of `result`; returns (device key, group key, random password, reply)."""
    meta = result["NewDeviceMetadata"]
    config = device_secret_verifier_config(meta["DeviceGroupKey"], meta["DeviceKey"])
    reply, _ = call(ep, "ConfirmDevice", {
        "AccessToken": result["AccessToken"], "DeviceKey": meta["DeviceKey"], "DeviceName": name,
        "DeviceSecretVerifierConfig": {"PasswordVerifier": config["PasswordVerifier"], "Salt": config["Salt"]},
    })
    return meta["DeviceKey"], meta["DeviceGroupKey"], config["randomPassword"], reply


def device_srp(ep, pool, session, username, device_key, group_key, random_password, *, tamper=False):
    """Answers DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER as the SDKs do; returns the last reply."""
    client = SrpClient(pool["userPoolId"])
    challenge, _ = respond(ep, pool, "DEVICE_SRP_AUTH", session, USERNAME=username, DEVICE_KEY=device_key,
                           SRP_A=client.srp_a_hex)
    assert challenge["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER", challenge
    params = challenge["ChallengeParameters"]
    assert set(params) >= {"SRP_B", "SALT", "SECRET_BLOCK"}
    stamp = cognito_timestamp()
    signature = client.signature(params, random_password + ("x" if tamper else ""), stamp,
                                 pool_name=group_key, user_id=device_key)
    reply, _ = respond(ep, pool, "DEVICE_PASSWORD_VERIFIER", challenge["Session"], USERNAME=username,
                       PASSWORD_CLAIM_SECRET_BLOCK=params["SECRET_BLOCK"], TIMESTAMP=stamp,
                       PASSWORD_CLAIM_SIGNATURE=signature, DEVICE_KEY=device_key)
    return reply


def enrol_totp(ep, access):
    secret = call(ep, "AssociateSoftwareToken", {"AccessToken": access})[0]["SecretCode"]
    call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": fresh_totp(secret)})
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    return secret


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


# ----- remembered devices -----


def test_no_device_metadata_without_device_configuration(emulator, new_pool):
    pool = make_pool(new_pool, "dora")
    reply, _ = password_sign_in(emulator["endpoint"], pool, "dora")
    assert "NewDeviceMetadata" not in reply["AuthenticationResult"]
    assert "device_key" not in claims(reply["AuthenticationResult"]["AccessToken"])


def test_remembered_device_signs_in_with_device_srp(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "dev", deviceConfiguration=ALWAYS)
    first = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "dev", PASSWORD)["AuthenticationResult"]
    meta = first["NewDeviceMetadata"]
    assert re.fullmatch(r"us-east-1_[0-9a-f-]{36}", meta["DeviceKey"]) and meta["DeviceGroupKey"]
    assert claims(first["AccessToken"])["device_key"] == meta["DeviceKey"]
    device_key, group_key, random_password, confirmed = remember_new_device(ep, first)
    assert confirmed == {"UserConfirmationNecessary": False}

    listed, _ = call(ep, "ListDevices", {"AccessToken": first["AccessToken"], "Limit": 60})
    assert [d["DeviceKey"] for d in listed["Devices"]] == [device_key] and "PaginationToken" not in listed
    device = listed["Devices"][0]
    attributes = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert attributes["device_name"] == "pytest device" and attributes["device_status"] == "valid"
    assert attributes["dev:device_remembered_status"] == "remembered"
    for key in ("DeviceCreateDate", "DeviceLastModifiedDate", "DeviceLastAuthenticatedDate"):
        assert isinstance(device[key], (int, float)) and abs(device[key] - time.time()) < 60  # epoch seconds
    assert call(ep, "GetDevice", {"AccessToken": first["AccessToken"], "DeviceKey": device_key})[0]["Device"] == device

    # SRP sign-in naming the device (Amplify: DEVICE_KEY with PASSWORD_VERIFIER): device SRP, then tokens.
    client = SrpClient(pool["userPoolId"])
    init, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": pool["clientId"],
                                        "AuthParameters": {"USERNAME": "dev", "SRP_A": client.srp_a_hex}})
    params = init["ChallengeParameters"]
    stamp = cognito_timestamp()
    challenge, _ = call(ep, "RespondToAuthChallenge", {
        "ChallengeName": "PASSWORD_VERIFIER", "ClientId": pool["clientId"],
        "ChallengeResponses": {"USERNAME": "dev", "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"], "TIMESTAMP": stamp,
                               "PASSWORD_CLAIM_SIGNATURE": client.signature(params, PASSWORD, stamp), "DEVICE_KEY": device_key}})
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH" and challenge["Session"], challenge
    done = device_srp(ep, pool, challenge["Session"], "dev", device_key, group_key, random_password)
    result = done["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result and claims(result["AccessToken"])["device_key"] == device_key

    # The wrong device password is refused, and the Session is spent.
    challenge, _ = password_sign_in(ep, pool, "dev", device_key)
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH"
    with pytest.raises(CognitoError) as err:
        device_srp(ep, pool, challenge["Session"], "dev", device_key, group_key, random_password, tamper=True)
    assert err.value.error_type == "NotAuthorizedException"


def test_device_srp_session_is_single_use_and_device_must_match(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "dax", deviceConfiguration=ALWAYS)
    first, _ = password_sign_in(ep, pool, "dax")
    device_key, group_key, random_password, _ = remember_new_device(ep, first["AuthenticationResult"])
    challenge, _ = password_sign_in(ep, pool, "dax", device_key)
    client = SrpClient(pool["userPoolId"])
    verifier, _ = respond(ep, pool, "DEVICE_SRP_AUTH", challenge["Session"], USERNAME="dax", DEVICE_KEY=device_key,
                          SRP_A=client.srp_a_hex)
    with pytest.raises(CognitoError) as err:  # the DEVICE_SRP_AUTH Session was replaced by the verifier's
        respond(ep, pool, "DEVICE_SRP_AUTH", challenge["Session"], USERNAME="dax", DEVICE_KEY=device_key,
                SRP_A=client.srp_a_hex)
    assert err.value.error_type == "NotAuthorizedException"
    params = verifier["ChallengeParameters"]
    stamp = cognito_timestamp()
    with pytest.raises(CognitoError) as err:  # another SECRET_BLOCK than the one issued
        respond(ep, pool, "DEVICE_PASSWORD_VERIFIER", verifier["Session"], USERNAME="dax",
                PASSWORD_CLAIM_SECRET_BLOCK=params["SECRET_BLOCK"][:-4] + "AAA=", TIMESTAMP=stamp,
                PASSWORD_CLAIM_SIGNATURE=client.signature(params, random_password, stamp, pool_name=group_key,
                                                          user_id=device_key), DEVICE_KEY=device_key)
    assert err.value.error_type == "NotAuthorizedException"


def test_opt_in_device_needs_update_device_status(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "olga", deviceConfiguration=OPT_IN)
    first = password_sign_in(ep, pool, "olga")[0]["AuthenticationResult"]
    access = first["AccessToken"]
    device_key, group_key, random_password, confirmed = remember_new_device(ep, first)
    assert confirmed == {"UserConfirmationNecessary": True}
    # Tracked but not remembered: the user's own views do not show it, the admin's does.
    assert call(ep, "ListDevices", {"AccessToken": access})[0] == {"Devices": []}
    with pytest.raises(CognitoError) as err:
        call(ep, "GetDevice", {"AccessToken": access, "DeviceKey": device_key})
    assert err.value.error_type == "ResourceNotFoundException"
    admin, _ = call(ep, "AdminListDevices", {"UserPoolId": pool["userPoolId"], "Username": "olga"})
    attributes = {a["Name"]: a["Value"] for a in admin["Devices"][0]["DeviceAttributes"]}
    assert attributes["dev:device_remembered_status"] == "not_remembered"
    # Signing in with it: no device challenge, no new device either.
    reply, _ = password_sign_in(ep, pool, "olga", device_key)
    assert "NewDeviceMetadata" not in reply["AuthenticationResult"]
    with pytest.raises(CognitoError) as err:
        call(ep, "UpdateDeviceStatus", {"AccessToken": access, "DeviceKey": device_key, "DeviceRememberedStatus": "maybe"})
    assert err.value.error_type == "InvalidParameterException"
    assert call(ep, "UpdateDeviceStatus", {"AccessToken": access, "DeviceKey": device_key,
                                           "DeviceRememberedStatus": "remembered"})[0] == {}
    assert len(call(ep, "ListDevices", {"AccessToken": access})[0]["Devices"]) == 1
    challenge, _ = password_sign_in(ep, pool, "olga", device_key)
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert "AccessToken" in device_srp(ep, pool, challenge["Session"], "olga", device_key, group_key,
                                       random_password)["AuthenticationResult"]


@pytest.mark.parametrize("bypass", [True, False], ids=["mfa-skipped", "mfa-then-device"])
def test_remembered_device_and_mfa(emulator, new_pool, bypass):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "mira", deviceConfiguration={**ALWAYS, "ChallengeRequiredOnNewDevice": bypass})
    first = password_sign_in(ep, pool, "mira")[0]["AuthenticationResult"]
    secret = enrol_totp(ep, first["AccessToken"])
    device_key, group_key, random_password, _ = remember_new_device(ep, first)
    challenge, _ = password_sign_in(ep, pool, "mira", device_key)
    if not bypass:
        assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        challenge, _ = respond(ep, pool, "SOFTWARE_TOKEN_MFA", challenge["Session"], USERNAME="mira",
                               SOFTWARE_TOKEN_MFA_CODE=fresh_totp(secret), DEVICE_KEY=device_key)
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH", challenge
    done = device_srp(ep, pool, challenge["Session"], "mira", device_key, group_key, random_password)
    assert "AccessToken" in done["AuthenticationResult"]
    # A new device still needs the code.
    assert password_sign_in(ep, pool, "mira")[0]["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_forgotten_or_unknown_device_and_device_bound_refresh(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "finn", deviceConfiguration=ALWAYS)
    first = password_sign_in(ep, pool, "finn")[0]["AuthenticationResult"]
    refresh, device_key = first["RefreshToken"], first["NewDeviceMetadata"]["DeviceKey"]
    # Before ConfirmDevice the refresh token is not tied down.
    call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool["clientId"],
                              "AuthParameters": {"REFRESH_TOKEN": refresh}})
    remember_new_device(ep, first)
    for flow in ("REFRESH_TOKEN_AUTH", "GetTokensFromRefreshToken"):
        def refresh_call(key):
            if flow == "REFRESH_TOKEN_AUTH":
                params = {"REFRESH_TOKEN": refresh, **({"DEVICE_KEY": key} if key else {})}
                return call(ep, "InitiateAuth", {"AuthFlow": flow, "ClientId": pool["clientId"], "AuthParameters": params})[0]
            return call(ep, flow, {"RefreshToken": refresh, "ClientId": pool["clientId"], **({"DeviceKey": key} if key else {})})[0]

        with pytest.raises(CognitoError) as err:
            refresh_call(None)
        assert (err.value.error_type, err.value.message) == ("NotAuthorizedException", "Invalid Refresh Token")
        result = refresh_call(device_key)["AuthenticationResult"]
        assert claims(result["AccessToken"])["device_key"] == device_key and "RefreshToken" not in result

    assert call(ep, "ForgetDevice", {"AccessToken": first["AccessToken"], "DeviceKey": device_key})[0] == {}
    for key in (device_key, "us-east-1_00000000-0000-4000-8000-000000000000"):
        with pytest.raises(CognitoError) as err:
            password_sign_in(ep, pool, "finn", key)
        assert (err.value.error_type, err.value.message) == ("ResourceNotFoundException", "Device does not exist.")
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool["clientId"],
                                  "AuthParameters": {"REFRESH_TOKEN": refresh}})
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "UpdateDeviceStatus", {"AccessToken": first["AccessToken"], "DeviceKey": device_key,
                                        "DeviceRememberedStatus": "remembered"})
    assert err.value.error_type == "ResourceNotFoundException"
    # The SDKs' recovery: sign in again without DEVICE_KEY, which gives a new device.
    again = password_sign_in(ep, pool, "finn")[0]["AuthenticationResult"]
    assert again["NewDeviceMetadata"]["DeviceKey"] != device_key


def test_confirm_device_errors_and_list_devices_paging(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "pia", "quentin", deviceConfiguration=ALWAYS)
    results = [password_sign_in(ep, pool, "pia")[0]["AuthenticationResult"] for _ in range(3)]
    keys = [remember_new_device(ep, r, name=f"device {i}")[0] for i, r in enumerate(results)]
    access = results[0]["AccessToken"]
    with pytest.raises(CognitoError) as err:
        remember_new_device(ep, results[0])
    assert err.value.error_type == "DeviceKeyExistsException"
    other = password_sign_in(ep, pool, "quentin")[0]["AuthenticationResult"]
    given = other["NewDeviceMetadata"]["DeviceKey"]
    unknown = given[:-1] + ("0" if given[-1] != "0" else "1")  # a key quentin was never given (never his own)
    with pytest.raises(CognitoError) as err:
        call(ep, "ConfirmDevice", {"AccessToken": other["AccessToken"], "DeviceKey": unknown,
                                   "DeviceSecretVerifierConfig": {"PasswordVerifier": "AQ==", "Salt": "AQ=="}})
    assert err.value.error_type == "ResourceNotFoundException"
    with pytest.raises(CognitoError) as err:
        call(ep, "GetDevice", {"AccessToken": other["AccessToken"], "DeviceKey": keys[0]})
    assert err.value.error_type == "ResourceNotFoundException"

    page, _ = call(ep, "ListDevices", {"AccessToken": access, "Limit": 2})
    assert [d["DeviceKey"] for d in page["Devices"]] == keys[:2] and page["PaginationToken"]
    rest, _ = call(ep, "ListDevices", {"AccessToken": access, "Limit": 2, "PaginationToken": page["PaginationToken"]})
    assert [d["DeviceKey"] for d in rest["Devices"]] == keys[2:] and "PaginationToken" not in rest
    for bad in ({"Limit": 61}, {"Limit": "2"}, {"PaginationToken": "bm9wZQ=="}):
        with pytest.raises(CognitoError) as err:
            call(ep, "ListDevices", {"AccessToken": access, **bad})
        assert err.value.error_type == "InvalidParameterException", bad


# ----- TOTP -----


def test_totp_secret_is_random_and_codes_are_checked(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "tess")
    access = password_sign_in(ep, pool, "tess")[0]["AuthenticationResult"]["AccessToken"]
    with pytest.raises(CognitoError) as err:  # not verified yet
        call(ep, "SetUserMFAPreference", {"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": True}})
    assert err.value.error_type == "InvalidParameterException"
    first = call(ep, "AssociateSoftwareToken", {"AccessToken": access})[0]
    assert set(first) == {"SecretCode"} and re.fullmatch(r"[A-Z2-7]{32}", first["SecretCode"])
    secret = call(ep, "AssociateSoftwareToken", {"AccessToken": access})[0]["SecretCode"]
    assert secret != first["SecretCode"]
    wrong = f"{(int(fresh_totp(secret)) + 500000) % 1000000:06d}"
    with pytest.raises(CognitoError) as err:
        call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": wrong})
    assert err.value.error_type == "EnableSoftwareTokenMFAException"
    with pytest.raises(CognitoError) as err:  # the replaced secret no longer counts
        call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": fresh_totp(first["SecretCode"])})
    assert err.value.error_type == "EnableSoftwareTokenMFAException"
    assert call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": fresh_totp(secret),
                                            "FriendlyDeviceName": "phone"})[0] == {"Status": "SUCCESS"}
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    user, _ = call(ep, "GetUser", {"AccessToken": access})
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"] and user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    challenge, _ = password_sign_in(ep, pool, "tess")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA" and challenge["ChallengeParameters"] == {}
    with pytest.raises(CognitoError) as err:
        respond(ep, pool, "SOFTWARE_TOKEN_MFA", challenge["Session"], USERNAME="tess", SOFTWARE_TOKEN_MFA_CODE=wrong)
    assert err.value.error_type == "CodeMismatchException"
    done, _ = respond(ep, pool, "SOFTWARE_TOKEN_MFA", challenge["Session"], USERNAME="tess",
                      SOFTWARE_TOKEN_MFA_CODE=fresh_totp(secret))  # the same Session may retry
    assert "AccessToken" in done["AuthenticationResult"]


def test_totp_setup_in_sign_in_returns_a_session_only_in_the_session_form(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "uma", mfa="ON", mfaFactors=["SOFTWARE_TOKEN_MFA"])
    challenge, _ = password_sign_in(ep, pool, "uma")
    assert challenge["ChallengeParameters"] == {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'}
    associated, _ = call(ep, "AssociateSoftwareToken", {"Session": challenge["Session"]})
    assert set(associated) == {"SecretCode", "Session"} and associated["Session"] != challenge["Session"]
    with pytest.raises(CognitoError) as err:
        call(ep, "VerifySoftwareToken", {"Session": associated["Session"], "UserCode": "000000" if fresh_totp(associated["SecretCode"]) != "000000" else "111111"})
    assert err.value.error_type == "EnableSoftwareTokenMFAException"
    verified, _ = call(ep, "VerifySoftwareToken", {"Session": associated["Session"], "UserCode": fresh_totp(associated["SecretCode"])})
    assert verified["Status"] == "SUCCESS" and verified["Session"]
    done, _ = respond(ep, pool, "MFA_SETUP", verified["Session"], USERNAME="uma")
    user, _ = call(ep, "GetUser", {"AccessToken": done["AuthenticationResult"]["AccessToken"]})
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]


# ----- email MFA -----


def test_email_mfa_preference_and_challenge(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "erin")
    access = password_sign_in(ep, pool, "erin")[0]["AuthenticationResult"]["AccessToken"]
    user, _ = call(ep, "GetUser", {"AccessToken": access})
    assert "UserMFASettingList" not in user and "PreferredMfaSetting" not in user
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    user, _ = call(ep, "GetUser", {"AccessToken": access})
    assert user["UserMFASettingList"] == ["EMAIL_OTP"] and user["PreferredMfaSetting"] == "EMAIL_OTP"
    challenge, headers = password_sign_in(ep, pool, "erin")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "e***@e***"}
    code = headers["x-emulator-confirmation-code"]
    with pytest.raises(CognitoError) as err:
        respond(ep, pool, "EMAIL_OTP", challenge["Session"], USERNAME="erin", EMAIL_OTP_CODE=code[::-1] + "9")
    assert err.value.error_type == "CodeMismatchException"
    done, _ = respond(ep, pool, "EMAIL_OTP", challenge["Session"], USERNAME="erin", EMAIL_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]
    # Turning it off again.
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": False}})
    assert "PreferredMfaSetting" not in call(ep, "GetUser", {"AccessToken": access})[0]
    assert "AuthenticationResult" in password_sign_in(ep, pool, "erin")[0]


def test_select_mfa_type_when_several_and_none_preferred(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "sam")
    access = password_sign_in(ep, pool, "sam")[0]["AuthenticationResult"]["AccessToken"]
    secret = enrol_totp(ep, access)
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": True},
                                      "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": False}})
    with pytest.raises(CognitoError) as err:
        call(ep, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True},
                                          "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    assert err.value.error_type == "InvalidParameterException"
    challenge, _ = password_sign_in(ep, pool, "sam")
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
    with pytest.raises(CognitoError):
        respond(ep, pool, "SELECT_MFA_TYPE", challenge["Session"], USERNAME="sam", ANSWER="SMS_MFA")
    email, headers = respond(ep, pool, "SELECT_MFA_TYPE", challenge["Session"], USERNAME="sam", ANSWER="EMAIL_OTP")
    assert email["ChallengeName"] == "EMAIL_OTP"
    done, _ = respond(ep, pool, "EMAIL_OTP", email["Session"], USERNAME="sam",
                      EMAIL_OTP_CODE=headers["x-emulator-confirmation-code"])
    assert "AccessToken" in done["AuthenticationResult"]
    challenge, _ = password_sign_in(ep, pool, "sam")
    totp_step, _ = respond(ep, pool, "SELECT_MFA_TYPE", challenge["Session"], USERNAME="sam", ANSWER="SOFTWARE_TOKEN_MFA")
    assert totp_step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert "AccessToken" in respond(ep, pool, "SOFTWARE_TOKEN_MFA", totp_step["Session"], USERNAME="sam",
                                    SOFTWARE_TOKEN_MFA_CODE=fresh_totp(secret))[0]["AuthenticationResult"]


def test_mfa_setup_by_email(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "ezra", mfa="ON", mfaFactors=["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
    challenge, _ = password_sign_in(ep, pool, "ezra")
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert challenge["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]'
    with pytest.raises(CognitoError) as err:  # nothing set up yet
        respond(ep, pool, "MFA_SETUP", challenge["Session"], USERNAME="ezra")
    assert err.value.error_type == "InvalidParameterException"
    otp, headers = respond(ep, pool, "MFA_SETUP", challenge["Session"], USERNAME="ezra", EMAIL="ezra.new@example.org")
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert otp["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "e***@e***"
    done, _ = respond(ep, pool, "EMAIL_OTP", otp["Session"], USERNAME="ezra",
                      EMAIL_OTP_CODE=headers["x-emulator-confirmation-code"])
    user, _ = call(ep, "GetUser", {"AccessToken": done["AuthenticationResult"]["AccessToken"]})
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == "ezra.new@example.org" and attributes["email_verified"] == "true"
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert password_sign_in(ep, pool, "ezra")[0]["ChallengeName"] == "EMAIL_OTP"


def test_pool_mfa_configuration(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "otto", mfa="OFF", mfaFactors=[])
    access = password_sign_in(ep, pool, "otto")[0]["AuthenticationResult"]["AccessToken"]
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    assert "AuthenticationResult" in password_sign_in(ep, pool, "otto")[0]  # MFA off: no challenge
    config, _ = call(ep, "GetUserPoolMfaConfig", {"UserPoolId": pool["userPoolId"]})
    assert config["MfaConfiguration"] == "OFF" and "EmailMfaConfiguration" not in config
    set_reply, _ = call(ep, "SetUserPoolMfaConfig", {"UserPoolId": pool["userPoolId"], "MfaConfiguration": "OPTIONAL",
                                                     "EmailMfaConfiguration": {"Message": "{####}", "Subject": "Code"}})
    assert set_reply["EmailMfaConfiguration"] == {"Message": "{####}", "Subject": "Code"}
    assert call(ep, "DescribeUserPool", {"UserPoolId": pool["userPoolId"]})[0]["UserPool"]["MfaConfiguration"] == "OPTIONAL"
    assert password_sign_in(ep, pool, "otto")[0]["ChallengeName"] == "EMAIL_OTP"
    for bad in ({"mfa": "ON", "mfaFactors": []}, {"mfa": "SOMETIMES"}, {"mfaFactors": ["WEB_AUTHN"]}):
        with pytest.raises(urllib.error.HTTPError) as err:
            new_pool(**bad)
        assert json.loads(err.value.read())["__type"] == "InvalidParameterException", bad


# ----- attribute verification -----


def test_update_email_keeps_the_old_value_until_verified_when_the_pool_says_so(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "vera", attributesRequireVerificationBeforeUpdate=["email"])
    access = password_sign_in(ep, pool, "vera")[0]["AuthenticationResult"]["AccessToken"]
    reply, headers = call(ep, "UpdateUserAttributes", {"AccessToken": access, "ClientMetadata": {"k": "v"},
                                                       "UserAttributes": [{"Name": "email", "Value": "zed@example.net"},
                                                                          {"Name": "name", "Value": "Vera"}]})
    assert reply == {"CodeDeliveryDetailsList": [{"Destination": "z***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}]}
    attributes = {a["Name"]: a["Value"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert attributes["email"] == "vera@example.com" and attributes["email_verified"] == "true" and attributes["name"] == "Vera"
    resent, _ = call(ep, "GetUserAttributeVerificationCode", {"AccessToken": access, "AttributeName": "email"})
    assert resent["CodeDeliveryDetails"]["Destination"] == "z***@e***"
    call(ep, "VerifyUserAttribute", {"AccessToken": access, "AttributeName": "email", "Code": headers["x-emulator-confirmation-code"]})
    attributes = {a["Name"]: a["Value"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert attributes["email"] == "zed@example.net" and attributes["email_verified"] == "true"


def test_update_email_without_the_setting_unverifies_and_blank_deletes(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "walt")
    access = password_sign_in(ep, pool, "walt")[0]["AuthenticationResult"]["AccessToken"]
    call(ep, "UpdateUserAttributes", {"AccessToken": access, "UserAttributes": [{"Name": "name", "Value": "W"}]})
    reply, _ = call(ep, "UpdateUserAttributes", {"AccessToken": access, "UserAttributes": [
        {"Name": "email", "Value": "walt2@example.com"}, {"Name": "name", "Value": ""}]})
    assert [d["AttributeName"] for d in reply["CodeDeliveryDetailsList"]] == ["email"]
    attributes = {a["Name"]: a["Value"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert attributes["email"] == "walt2@example.com" and attributes["email_verified"] == "false" and "name" not in attributes
    call(ep, "UpdateUserAttributes", {"AccessToken": access, "UserAttributes": [{"Name": "nickname", "Value": "w"}]})
    assert call(ep, "DeleteUserAttributes", {"AccessToken": access, "UserAttributeNames": ["nickname"]})[0] == {}
    attributes = {a["Name"] for a in call(ep, "GetUser", {"AccessToken": access})[0]["UserAttributes"]}
    assert "nickname" not in attributes


# ----- ClientMetadata / ValidationData -----


def test_client_metadata_is_recorded_per_operation_and_pool(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "cleo")
    call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"], "ClientMetadata": {"app": "x"},
                              "AuthParameters": {"USERNAME": "cleo", "PASSWORD": PASSWORD}})
    call(ep, "SignUp", {"ClientId": pool["clientId"], "Username": "newbie", "Password": PASSWORD,
                        "UserAttributes": [{"Name": "email", "Value": "n@example.com"}],
                        "ValidationData": [{"Name": "invite", "Value": "42"}], "ClientMetadata": {"from": "test"}})
    status, record = get_json(f"{ep}/_emulator/last-request?operation=InitiateAuth&userPoolId={pool['userPoolId']}")
    assert status == 200 and record["clientMetadata"] == {"app": "x"} and record["clientId"] == pool["clientId"]
    status, record = get_json(f"{ep}/_emulator/last-request?operation=SignUp&userPoolId={pool['userPoolId']}")
    assert record["validationData"] == [{"Name": "invite", "Value": "42"}] and record["clientMetadata"] == {"from": "test"}
    status, record = get_json(f"{ep}/_emulator/last-request?operation=SignUp")
    assert status == 200 and record["userPoolId"] == pool["userPoolId"]
    status, body = get_json(f"{ep}/_emulator/last-request?operation=ConfirmDevice&userPoolId={pool['userPoolId']}")
    assert status == 400 and body["__type"] == "ResourceNotFoundException"
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"], "ClientMetadata": {"n": 1},
                                  "AuthParameters": {"USERNAME": "cleo", "PASSWORD": PASSWORD}})
    assert err.value.error_type == "SerializationException"


# ----- SignUp / ConfirmSignUp Sessions -----


def test_confirm_sign_up_session_signs_in_with_user_auth(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = new_pool()
    signed_up, headers = call(ep, "SignUp", {"ClientId": pool["clientId"], "Username": "auto", "Password": PASSWORD,
                                             "UserAttributes": [{"Name": "email", "Value": "auto@example.com"}]})
    assert signed_up["Session"] and signed_up["UserConfirmed"] is False
    confirmed, _ = call(ep, "ConfirmSignUp", {"ClientId": pool["clientId"], "Username": "auto", "Session": signed_up["Session"],
                                              "ConfirmationCode": headers["x-emulator-confirmation-code"]})
    assert confirmed["Session"] and confirmed["Session"] != signed_up["Session"]
    body = {"AuthFlow": "USER_AUTH", "ClientId": pool["clientId"], "AuthParameters": {"USERNAME": "auto"}}
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {**body, "Session": signed_up["Session"]})  # SignUp's Session is not a first factor
    assert err.value.error_type == "NotAuthorizedException"
    done, _ = call(ep, "InitiateAuth", {**body, "Session": confirmed["Session"]})
    assert claims(done["AuthenticationResult"]["AccessToken"])["username"] == "auto"
    with pytest.raises(CognitoError) as err:  # single use
        call(ep, "InitiateAuth", {**body, "Session": confirmed["Session"]})
    assert err.value.error_type == "NotAuthorizedException"
    choice, _ = call(ep, "InitiateAuth", body)  # without a Session: choice-based sign-in (test_emulator_passwordless.py)
    assert choice["ChallengeName"] == "SELECT_CHALLENGE"


def test_admin_flow_runs_the_same_mfa(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, "adam")
    access = password_sign_in(ep, pool, "adam")[0]["AuthenticationResult"]["AccessToken"]
    secret = enrol_totp(ep, access)
    base = {"UserPoolId": pool["userPoolId"], "ClientId": pool["clientId"]}
    challenge, _ = call(ep, "AdminInitiateAuth", {**base, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                                                  "AuthParameters": {"USERNAME": "adam", "PASSWORD": PASSWORD}})
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(CognitoError):  # an Admin sign-in is answered through the Admin operation
        respond(ep, pool, "SOFTWARE_TOKEN_MFA", challenge["Session"], USERNAME="adam", SOFTWARE_TOKEN_MFA_CODE=fresh_totp(secret))
    done, _ = call(ep, "AdminRespondToAuthChallenge", {**base, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": challenge["Session"],
                                                       "ChallengeResponses": {"USERNAME": "adam", "SOFTWARE_TOKEN_MFA_CODE": fresh_totp(secret)}})
    assert "AccessToken" in done["AuthenticationResult"]


def test_lenient_totp_flag_accepts_any_six_digits(tmp_path):
    from conftest import start_emulator, stop_emulator

    proc, info, _, _ = start_emulator(tmp_path, "--lenient-totp", "--seed-user", f"lena:{PASSWORD}")
    try:
        ep, pool = info["endpoint"], info
        access = password_sign_in(ep, pool, "lena")[0]["AuthenticationResult"]["AccessToken"]
        call(ep, "AssociateSoftwareToken", {"AccessToken": access})
        assert call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": "123456"})[0] == {"Status": "SUCCESS"}
        with pytest.raises(CognitoError):
            call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": "12345"})
    finally:
        stop_emulator(proc)
