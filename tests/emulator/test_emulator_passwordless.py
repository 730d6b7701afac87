"""Issue 14 in the emulator: choice-based sign-in (USER_AUTH with PREFERRED_CHALLENGE / SELECT_CHALLENGE, EMAIL_OTP
and SMS_OTP first factors, PASSWORD_SRP), passwordless SignUp, and CUSTOM_AUTH with and without SRP, scripted by the
pool option customAuth. Every flow runs against the emulator subprocess over HTTP; SRP proofs come from srp_client.py.
"""

from __future__ import annotations

import base64
import json
import re

import pytest

from srp_client import CognitoError, SrpClient, call, cognito_timestamp

PASSWORD = "Passw0rd1"
PHONE = "+15555550123"
CODE_HEADER = "x-emulator-confirmation-code"
QUESTIONS = [
    {"publicParameters": {"question": "2 + 2?"}, "answer": "4"},
    {"publicParameters": {"question": "Capital of France?", "hint": "Paris or Lyon"}, "answer": "Paris"},
]


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def header(headers, name):
    return {k.lower(): v for k, v in headers.items()}.get(name.lower())


def make_pool(new_pool, first_factors=("PASSWORD", "EMAIL_OTP", "SMS_OTP"), users=None, **options):
    users = users if users is not None else [{"username": "alice", "password": PASSWORD, "phoneNumber": PHONE}]
    return new_pool(seedUsers=users, firstFactors=list(first_factors), **options)


def user_auth(ep, pool, username="alice", **params):
    return call(ep, "InitiateAuth", {"AuthFlow": "USER_AUTH", "ClientId": pool["clientId"],
                                     "AuthParameters": {"USERNAME": username, **params}})


def respond(ep, pool, name, session, client_metadata=None, **responses):
    body = {"ChallengeName": name, "ClientId": pool["clientId"], "Session": session, "ChallengeResponses": responses}
    if client_metadata is not None:
        body["ClientMetadata"] = client_metadata
    return call(ep, "RespondToAuthChallenge", body)


def answer_password_verifier(ep, pool, challenge, client, password=PASSWORD):
    """The PASSWORD_VERIFIER answer the SDKs send (Session passed back when there is one)."""
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER", challenge
    params = challenge["ChallengeParameters"]
    stamp = cognito_timestamp()
    body = {
        "ChallengeName": "PASSWORD_VERIFIER", "ClientId": pool["clientId"],
        "ChallengeResponses": {
            "USERNAME": params["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "TIMESTAMP": stamp, "PASSWORD_CLAIM_SIGNATURE": client.signature(params, password, stamp),
        },
    }
    if challenge.get("Session"):
        body["Session"] = challenge["Session"]
    return call(ep, "RespondToAuthChallenge", body)[0]


def sign_in_tokens(ep, pool, username="alice"):
    reply, _ = user_auth(ep, pool, username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    return reply["AuthenticationResult"]


def enable_email_mfa(ep, pool, username="alice"):
    access = sign_in_tokens(ep, pool, username)["AccessToken"]
    call(ep, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True}})


def pool_error(new_pool, **options):
    """The error type POST /_emulator/pool answers `options` with."""
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as err:
        new_pool(**options)
    assert err.value.code == 400
    return json.loads(err.value.read())["__type"]


def get_json(url):
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


# ---- USER_AUTH with PREFERRED_CHALLENGE -------------------------------------------------------------------------


def test_preferred_password_gives_tokens_and_checks_the_password(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    reply, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert reply["ChallengeParameters"] == {}
    assert claims(reply["AuthenticationResult"]["AccessToken"])["username"] == "alice"
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wrong0pass")
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD")
    assert err.value.error_type == "InvalidParameterException"
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, "nobody", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert err.value.error_type == "UserNotFoundException"


def test_the_default_pool_allows_password_first_factors_only(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = new_pool(seedUsers=[{"username": "alice", "password": PASSWORD}])  # no firstFactors: AWS's PASSWORD
    described, _ = call(ep, "DescribeUserPool", {"UserPoolId": pool["userPoolId"]})
    assert described["UserPool"]["Policies"]["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}
    reply, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert reply["ChallengeName"] == "SELECT_CHALLENGE"
    assert reply["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    assert pool_error(new_pool, firstFactors=["PASSWORD", "SOFTWARE_TOKEN_MFA"]) == "InvalidParameterException"
    assert pool_error(new_pool, firstFactors=[]) == "InvalidParameterException"


def test_preferred_password_is_followed_by_mfa(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    enable_email_mfa(ep, pool)
    reply, headers = user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert reply["ChallengeName"] == "EMAIL_OTP"
    code = header(headers, CODE_HEADER)
    reply, _ = respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=code)
    assert "AccessToken" in reply["AuthenticationResult"]


def test_preferred_password_srp_is_checked_for_real(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    client = SrpClient(pool["userPoolId"])
    challenge, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=client.srp_a_hex)
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    assert set(challenge["ChallengeParameters"]) == {"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"}
    assert challenge["Session"]
    reply = answer_password_verifier(ep, pool, challenge, client)
    assert claims(reply["AuthenticationResult"]["AccessToken"])["username"] == "alice"
    with pytest.raises(CognitoError) as err:  # the same answer again: the challenge was single use
        answer_password_verifier(ep, pool, challenge, client)
    assert err.value.error_type == "NotAuthorizedException"

    client = SrpClient(pool["userPoolId"])
    challenge, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=client.srp_a_hex)
    with pytest.raises(CognitoError) as err:
        answer_password_verifier(ep, pool, challenge, client, password="Wrong0pass")
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD_SRP")
    assert err.value.error_type == "InvalidParameterException"


def test_password_srp_is_followed_by_mfa(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    enable_email_mfa(ep, pool)
    client = SrpClient(pool["userPoolId"])
    challenge, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=client.srp_a_hex)
    reply = answer_password_verifier(ep, pool, challenge, client)
    assert reply["ChallengeName"] == "EMAIL_OTP"


def test_preferred_email_otp_sends_a_code_and_needs_no_mfa(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    enable_email_mfa(ep, pool)  # MFA is on for the user, but an OTP first factor is not followed by MFA
    reply, headers = user_auth(ep, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert reply["ChallengeName"] == "EMAIL_OTP"
    assert reply["ChallengeParameters"] == {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                                           "CODE_DELIVERY_DESTINATION": "a***@e***"}
    code = header(headers, CODE_HEADER)
    assert re.fullmatch(r"\d{8}", code)
    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    with pytest.raises(CognitoError) as err:
        respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=wrong)
    assert err.value.error_type == "CodeMismatchException"
    # The same Session still works after a wrong code.
    done, _ = respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=code)
    assert claims(done["AuthenticationResult"]["AccessToken"])["username"] == "alice"
    with pytest.raises(CognitoError) as err:  # the Session is spent
        respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=code)
    assert err.value.error_type == "NotAuthorizedException"


def test_preferred_sms_otp(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    reply, headers = user_auth(ep, pool, PREFERRED_CHALLENGE="SMS_OTP")
    assert reply["ChallengeName"] == "SMS_OTP"
    assert reply["ChallengeParameters"] == {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                                           "CODE_DELIVERY_DESTINATION": "+*******0123"}
    code = header(headers, CODE_HEADER)
    with pytest.raises(CognitoError) as err:  # the email key does not answer an SMS code
        respond(ep, pool, "SMS_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=code)
    assert err.value.error_type == "InvalidParameterException"
    with pytest.raises(CognitoError) as err:
        respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=code)
    assert err.value.error_type == "InvalidParameterException"
    done, _ = respond(ep, pool, "SMS_OTP", reply["Session"], USERNAME="alice", SMS_OTP_CODE=code)
    assert "IdToken" in done["AuthenticationResult"]


def test_five_wrong_codes_end_the_session(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    reply, headers = user_auth(ep, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = header(headers, CODE_HEADER)
    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    for _ in range(5):
        with pytest.raises(CognitoError) as err:
            respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=wrong)
        assert err.value.error_type == "CodeMismatchException"
    with pytest.raises(CognitoError) as err:
        respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="alice", EMAIL_OTP_CODE=code)
    assert err.value.error_type == "NotAuthorizedException"


def test_unusable_or_unknown_preferences(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, users=[{"username": "alice", "password": PASSWORD}])  # no phone number
    reply, headers = user_auth(ep, pool, PREFERRED_CHALLENGE="SMS_OTP")
    assert reply["ChallengeName"] == "SELECT_CHALLENGE"
    assert reply["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    assert header(headers, CODE_HEADER) is None  # nothing was sent
    reply, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="WEB_AUTHN")  # no passkeys
    assert reply["ChallengeName"] == "SELECT_CHALLENGE"
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, PREFERRED_CHALLENGE="SOFTWARE_TOKEN_MFA")
    assert err.value.error_type == "InvalidParameterException"


def test_unconfirmed_and_disabled_users(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool, users=[])
    call(ep, "SignUp", {"ClientId": pool["clientId"], "Username": "bob", "Password": PASSWORD,
                        "UserAttributes": [{"Name": "email", "Value": "bob@example.com"}]})
    for params in ({"PREFERRED_CHALLENGE": "EMAIL_OTP"}, {}, {"PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD}):
        with pytest.raises(CognitoError) as err:
            user_auth(ep, pool, "bob", **params)
        assert err.value.error_type == "UserNotConfirmedException", params
    with pytest.raises(CognitoError) as err:  # a wrong password is told before the status, as in USER_PASSWORD_AUTH
        user_auth(ep, pool, "bob", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wrong0pass")
    assert err.value.error_type == "NotAuthorizedException"
    call(ep, "AdminConfirmSignUp", {"UserPoolId": pool["userPoolId"], "Username": "bob"})
    call(ep, "AdminDisableUser", {"UserPoolId": pool["userPoolId"], "Username": "bob"})
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, "bob", PREFERRED_CHALLENGE="EMAIL_OTP")
    assert err.value.error_type == "NotAuthorizedException"


def test_user_auth_needs_allow_user_auth(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    call(ep, "UpdateUserPoolClient", {"UserPoolId": pool["userPoolId"], "ClientId": pool["clientId"],
                                      "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})
    with pytest.raises(CognitoError) as err:
        user_auth(ep, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert err.value.error_type == "InvalidParameterException"


def test_update_user_pool_sign_in_policy_is_honoured(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = new_pool(seedUsers=[{"username": "alice", "password": PASSWORD}])
    reply, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert reply["ChallengeName"] == "SELECT_CHALLENGE"
    call(ep, "UpdateUserPool", {"UserPoolId": pool["userPoolId"], "AutoVerifiedAttributes": ["email"],
                                "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}})
    reply, _ = user_auth(ep, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert reply["ChallengeName"] == "EMAIL_OTP"


# ---- SELECT_CHALLENGE ---------------------------------------------------------------------------------------------


def test_select_challenge_lists_what_each_user_can_use(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, first_factors=["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"], users=[
        {"username": "alice", "password": PASSWORD, "phoneNumber": PHONE},
        {"username": "carol", "password": PASSWORD},
        {"username": "dave", "phoneNumber": PHONE},  # passwordless
    ])
    expected = {
        "alice": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"],
        "carol": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"],
        "dave": ["EMAIL_OTP", "SMS_OTP"],
    }
    for username, available in expected.items():
        reply, _ = user_auth(ep, pool, username)
        assert reply["ChallengeName"] == "SELECT_CHALLENGE"
        assert reply["ChallengeParameters"] == {}
        assert reply["Session"]
        assert reply["AvailableChallenges"] == available, username  # WEB_AUTHN: nobody has a passkey

    email_only = make_pool(new_pool, first_factors=["EMAIL_OTP", "PASSWORD"])
    reply, _ = user_auth(ep, email_only)
    assert reply["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]


def test_select_challenge_password(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    select, _ = user_auth(ep, pool)
    with pytest.raises(CognitoError) as err:
        respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="alice", ANSWER="PASSWORD", PASSWORD="Wrong0pass")
    assert err.value.error_type == "NotAuthorizedException"
    reply, _ = respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="alice", ANSWER="PASSWORD",
                       PASSWORD=PASSWORD)
    assert claims(reply["AuthenticationResult"]["AccessToken"])["username"] == "alice"


def test_select_challenge_password_srp(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    select, _ = user_auth(ep, pool)
    client = SrpClient(pool["userPoolId"])
    challenge, _ = respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="alice", ANSWER="PASSWORD_SRP",
                           SRP_A=client.srp_a_hex)
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    reply = answer_password_verifier(ep, pool, challenge, client)
    assert "AccessToken" in reply["AuthenticationResult"]

    select, _ = user_auth(ep, pool)
    client = SrpClient(pool["userPoolId"])
    challenge, _ = respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="alice", ANSWER="PASSWORD_SRP",
                           SRP_A=client.srp_a_hex)
    with pytest.raises(CognitoError) as err:
        answer_password_verifier(ep, pool, challenge, client, password="Wrong0pass")
    assert err.value.error_type == "NotAuthorizedException"


@pytest.mark.parametrize("factor, medium", [("EMAIL_OTP", "EMAIL"), ("SMS_OTP", "SMS")])
def test_select_challenge_codes(emulator, new_pool, factor, medium):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    select, _ = user_auth(ep, pool)
    reply, headers = respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="alice", ANSWER=factor)
    assert reply["ChallengeName"] == factor
    assert reply["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == medium
    assert reply["Session"] != select["Session"]
    code = header(headers, CODE_HEADER)
    done, _ = respond(ep, pool, factor, reply["Session"], USERNAME="alice", **{f"{factor}_CODE": code})
    assert "RefreshToken" in done["AuthenticationResult"]


def test_select_challenge_refuses_what_was_not_offered(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, users=[{"username": "carol", "password": PASSWORD}])
    select, _ = user_auth(ep, pool, "carol")
    for answer in ("SMS_OTP", "WEB_AUTHN", "SOFTWARE_TOKEN_MFA"):
        with pytest.raises(CognitoError) as err:
            respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="carol", ANSWER=answer)
        assert err.value.error_type == "InvalidParameterException", answer
    with pytest.raises(CognitoError) as err:  # the Session answers SELECT_CHALLENGE, not EMAIL_OTP
        respond(ep, pool, "EMAIL_OTP", select["Session"], USERNAME="carol", EMAIL_OTP_CODE="12345678")
    assert err.value.error_type == "InvalidParameterException"
    reply, _ = respond(ep, pool, "SELECT_CHALLENGE", select["Session"], USERNAME="carol", ANSWER="EMAIL_OTP")
    assert reply["ChallengeName"] == "EMAIL_OTP"


def test_select_challenge_records_client_metadata(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool)
    select, _ = user_auth(ep, pool)
    respond(ep, pool, "SELECT_CHALLENGE", select["Session"], {"app": "pytest"}, USERNAME="alice", ANSWER="EMAIL_OTP")
    record = get_json(f"{ep}/_emulator/last-request?operation=RespondToAuthChallenge&userPoolId={pool['userPoolId']}")
    assert record["clientMetadata"] == {"app": "pytest"}


# ---- Passwordless SignUp --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", [None, ""])
def test_passwordless_sign_up_then_email_otp(emulator, new_pool, password):
    ep, pool = emulator["endpoint"], make_pool(new_pool, first_factors=["PASSWORD", "EMAIL_OTP"], users=[])
    body = {"ClientId": pool["clientId"], "Username": "erin",
            "UserAttributes": [{"Name": "email", "Value": "erin@example.com"}]}
    if password is not None:
        body["Password"] = password
    signed_up, headers = call(ep, "SignUp", body)
    assert signed_up["UserConfirmed"] is False
    code = header(headers, CODE_HEADER)
    confirmed, _ = call(ep, "ConfirmSignUp", {"ClientId": pool["clientId"], "Username": "erin", "ConfirmationCode": code,
                                              "Session": signed_up["Session"]})
    auto, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_AUTH", "ClientId": pool["clientId"],
                                        "AuthParameters": {"USERNAME": "erin"}, "Session": confirmed["Session"]})
    assert claims(auto["AuthenticationResult"]["AccessToken"])["username"] == "erin"

    select, _ = user_auth(ep, pool, "erin")
    assert select["AvailableChallenges"] == ["EMAIL_OTP"]  # no password to offer
    reply, _ = user_auth(ep, pool, "erin", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert reply["ChallengeName"] == "SELECT_CHALLENGE"
    reply, headers = user_auth(ep, pool, "erin", PREFERRED_CHALLENGE="EMAIL_OTP")
    done, _ = respond(ep, pool, "EMAIL_OTP", reply["Session"], USERNAME="erin", EMAIL_OTP_CODE=header(headers, CODE_HEADER))
    assert "AccessToken" in done["AuthenticationResult"]
    for guess in ("", PASSWORD):  # no password works in the password flows either
        with pytest.raises(CognitoError) as err:
            call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"],
                                      "AuthParameters": {"USERNAME": "erin", "PASSWORD": guess}})
        assert err.value.error_type in ("NotAuthorizedException", "InvalidParameterException")


def test_sign_up_needs_a_password_without_otp_first_factors(emulator, new_pool):
    ep, pool = emulator["endpoint"], make_pool(new_pool, first_factors=["PASSWORD"], users=[])
    with pytest.raises(CognitoError) as err:
        call(ep, "SignUp", {"ClientId": pool["clientId"], "Username": "erin",
                            "UserAttributes": [{"Name": "email", "Value": "erin@example.com"}]})
    assert err.value.error_type == "InvalidParameterException"
    with pytest.raises(CognitoError) as err:  # a password still meets the policy in passwordless pools
        call(ep, "SignUp", {"ClientId": make_pool(new_pool, users=[])["clientId"], "Username": "erin", "Password": "short"})
    assert err.value.error_type == "InvalidPasswordException"


# ---- CUSTOM_AUTH ----------------------------------------------------------------------------------------------------


def custom_auth(ep, pool, username="alice", client_metadata=None, **params):
    body = {"AuthFlow": "CUSTOM_AUTH", "ClientId": pool["clientId"], "AuthParameters": {"USERNAME": username, **params}}
    if client_metadata is not None:
        body["ClientMetadata"] = client_metadata
    return call(ep, "InitiateAuth", body)[0]


def test_custom_without_srp(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS})
    first = custom_auth(ep, pool, client_metadata={"step": "initiate"})
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert first["ChallengeParameters"] == {"question": "2 + 2?", "USERNAME": "alice"}
    record = get_json(f"{ep}/_emulator/last-request?operation=InitiateAuth&userPoolId={pool['userPoolId']}")
    assert record["clientMetadata"] == {"step": "initiate"}
    second, _ = respond(ep, pool, "CUSTOM_CHALLENGE", first["Session"], {"step": "one"}, USERNAME="alice", ANSWER="4")
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert second["ChallengeParameters"] == {"question": "Capital of France?", "hint": "Paris or Lyon", "USERNAME": "alice"}
    record = get_json(f"{ep}/_emulator/last-request?operation=RespondToAuthChallenge&userPoolId={pool['userPoolId']}")
    assert record["clientMetadata"] == {"step": "one"}
    done, _ = respond(ep, pool, "CUSTOM_CHALLENGE", second["Session"], USERNAME="alice", ANSWER="Paris")
    assert claims(done["AuthenticationResult"]["AccessToken"])["username"] == "alice"


def test_custom_wrong_answers_repeat_the_challenge_then_fail(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS})  # maxAttempts 3 by default
    first = custom_auth(ep, pool)
    again, _ = respond(ep, pool, "CUSTOM_CHALLENGE", first["Session"], USERNAME="alice", ANSWER="5")
    assert again["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert again["ChallengeParameters"] == first["ChallengeParameters"]
    assert again["Session"] != first["Session"]
    with pytest.raises(CognitoError) as err:  # the old Session is gone
        respond(ep, pool, "CUSTOM_CHALLENGE", first["Session"], USERNAME="alice", ANSWER="4")
    assert err.value.error_type == "NotAuthorizedException"
    second, _ = respond(ep, pool, "CUSTOM_CHALLENGE", again["Session"], USERNAME="alice", ANSWER="4")
    assert second["ChallengeParameters"]["question"] == "Capital of France?"
    third, _ = respond(ep, pool, "CUSTOM_CHALLENGE", second["Session"], USERNAME="alice", ANSWER="Lyon")
    with pytest.raises(CognitoError) as err:  # the third wrong answer of this sign-in
        respond(ep, pool, "CUSTOM_CHALLENGE", third["Session"], USERNAME="alice", ANSWER="paris")
    assert err.value.error_type == "NotAuthorizedException"

    strict = make_pool(new_pool, customAuth={"challenges": QUESTIONS[:1], "maxAttempts": 1})
    first = custom_auth(ep, strict)
    with pytest.raises(CognitoError) as err:
        respond(ep, strict, "CUSTOM_CHALLENGE", first["Session"], USERNAME="alice", ANSWER="5")
    assert err.value.error_type == "NotAuthorizedException"


def test_custom_auth_is_not_followed_by_mfa(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS[:1]})
    enable_email_mfa(ep, pool)
    first = custom_auth(ep, pool)
    done, _ = respond(ep, pool, "CUSTOM_CHALLENGE", first["Session"], USERNAME="alice", ANSWER="4")
    assert "AccessToken" in done["AuthenticationResult"]


def test_custom_with_srp(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS[:1], "srp": True})
    client = SrpClient(pool["userPoolId"])
    challenge = custom_auth(ep, pool, CHALLENGE_NAME="SRP_A", SRP_A=client.srp_a_hex)
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    assert challenge["Session"]
    custom = answer_password_verifier(ep, pool, challenge, client)
    assert custom["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert custom["ChallengeParameters"] == {"question": "2 + 2?", "USERNAME": "alice"}
    done, _ = respond(ep, pool, "CUSTOM_CHALLENGE", custom["Session"], USERNAME="alice", ANSWER="4")
    assert "AccessToken" in done["AuthenticationResult"]

    client = SrpClient(pool["userPoolId"])
    challenge = custom_auth(ep, pool, CHALLENGE_NAME="SRP_A", SRP_A=client.srp_a_hex)
    with pytest.raises(CognitoError) as err:
        answer_password_verifier(ep, pool, challenge, client, password="Wrong0pass")
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:  # the script wants the password first
        custom_auth(ep, pool)
    assert err.value.error_type == "NotAuthorizedException"
    with pytest.raises(CognitoError) as err:
        custom_auth(ep, pool, CHALLENGE_NAME="SRP_A")
    assert err.value.error_type == "InvalidParameterException"


def test_custom_without_srp_script_ignores_srp_a(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS[:1]})
    client = SrpClient(pool["userPoolId"])
    first = custom_auth(ep, pool, CHALLENGE_NAME="SRP_A", SRP_A=client.srp_a_hex)
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"


def test_custom_auth_errors(emulator, new_pool):
    ep = emulator["endpoint"]
    plain = make_pool(new_pool)  # no customAuth: the client does not allow the flow
    with pytest.raises(CognitoError) as err:
        custom_auth(ep, plain)
    assert err.value.error_type == "InvalidParameterException"
    call(ep, "UpdateUserPoolClient", {"UserPoolId": plain["userPoolId"], "ClientId": plain["clientId"],
                                      "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})
    with pytest.raises(CognitoError) as err:  # the flow is allowed, but there is no trigger
        custom_auth(ep, plain)
    assert err.value.error_type == "InvalidParameterException"
    assert "not configured" in err.value.message
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS})
    with pytest.raises(CognitoError) as err:
        custom_auth(ep, pool, "nobody")
    assert err.value.error_type == "UserNotFoundException"
    for bad in ({"challenges": [{"publicParameters": {"n": 1}, "answer": "4"}]}, {"challenges": [{"answer": ""}]},
                {"maxAttempts": 0}, []):
        assert pool_error(new_pool, customAuth=bad) == "InvalidParameterException", bad


def test_admin_custom_auth(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool, customAuth={"challenges": QUESTIONS[:1]})
    first, _ = call(ep, "AdminInitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "UserPoolId": pool["userPoolId"],
                                              "ClientId": pool["clientId"], "AuthParameters": {"USERNAME": "alice"}})
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"
    with pytest.raises(CognitoError) as err:  # an Admin sign-in is answered by the Admin operation
        respond(ep, pool, "CUSTOM_CHALLENGE", first["Session"], USERNAME="alice", ANSWER="4")
    assert err.value.error_type == "NotAuthorizedException"
    done, _ = call(ep, "AdminRespondToAuthChallenge", {
        "ChallengeName": "CUSTOM_CHALLENGE", "UserPoolId": pool["userPoolId"], "ClientId": pool["clientId"],
        "Session": first["Session"], "ChallengeResponses": {"USERNAME": "alice", "ANSWER": "4"}})
    assert "AccessToken" in done["AuthenticationResult"]
