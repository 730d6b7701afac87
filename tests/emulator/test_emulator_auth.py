"""Sign-in through the running emulator with the independent SRP client (real SRP check), and the flows around it."""

from __future__ import annotations

import base64
import json
import time

import pytest

from conftest import SEED_ADMIN, SEED_USER, fresh_totp
from srp_client import CognitoError, SrpClient, call, cognito_timestamp, srp_sign_in


def claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def sign_up(endpoint, client_id, username, password, email=None):
    email = email or f"{username}@example.com"
    return call(
        endpoint,
        "SignUp",
        {"ClientId": client_id, "Username": username, "Password": password, "UserAttributes": [{"Name": "email", "Value": email}]},
    )


def test_info_json_and_health(emulator):
    assert emulator["endpoint"].startswith("http://127.0.0.1:")
    assert emulator["region"] == "us-east-1"
    assert emulator["userPoolId"].startswith("us-east-1_")
    assert emulator["clientId"]
    users = {u["username"]: u for u in emulator["seedUsers"]}
    assert users[SEED_USER[0]]["groups"] == [] and users[SEED_ADMIN[0]]["groups"] == ["admin"]
    with open(emulator["_info_path"]) as f:
        written = json.load(f)
    assert written == {k: v for k, v in emulator.items() if not k.startswith("_")}
    import urllib.request

    with urllib.request.urlopen(emulator["endpoint"] + "/_emulator/health") as resp:
        assert json.loads(resp.read())["ok"] is True


def test_srp_sign_in_with_right_password_gives_working_tokens(emulator):
    ep, pool, client = emulator["endpoint"], emulator["userPoolId"], emulator["clientId"]
    reply = srp_sign_in(ep, pool, client, SEED_USER[0], SEED_USER[1])
    result = reply["AuthenticationResult"]
    assert set(result) >= {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"}
    user, _ = call(ep, "GetUser", {"AccessToken": result["AccessToken"]})
    assert user["Username"] == SEED_USER[0]
    id_claims = claims(result["IdToken"])
    assert id_claims["email"] == SEED_USER[2]
    assert id_claims["email_verified"] is True  # a JSON boolean, like AWS
    assert id_claims["aud"] == client and id_claims["token_use"] == "id"
    assert "cognito:groups" not in id_claims
    access = claims(result["AccessToken"])
    assert access["origin_jti"] == id_claims["origin_jti"]


def test_admin_seed_user_is_in_admin_group(emulator):
    reply = srp_sign_in(emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], SEED_ADMIN[0], SEED_ADMIN[1])
    assert claims(reply["AuthenticationResult"]["IdToken"])["cognito:groups"] == ["admin"]
    assert claims(reply["AuthenticationResult"]["AccessToken"])["cognito:groups"] == ["admin"]


def test_srp_sign_in_without_sending_a_session_like_pycognito(emulator):
    reply = srp_sign_in(
        emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], SEED_USER[0], SEED_USER[1], send_session=False
    )
    assert "AccessToken" in reply["AuthenticationResult"]


def test_wrong_password_is_refused(emulator):
    with pytest.raises(CognitoError) as err:
        srp_sign_in(emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], SEED_USER[0], "Passw0rd2")
    assert err.value.error_type == "NotAuthorizedException"
    assert err.value.status == 400
    assert err.value.message == "Incorrect username or password."
    assert err.value.headers.get("x-amzn-ErrorType") == "NotAuthorizedException"


def test_challenge_parameters_and_single_use_secret_block(emulator):
    ep, pool, client_id = emulator["endpoint"], emulator["userPoolId"], emulator["clientId"]
    client = SrpClient(pool)
    first, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                                          "AuthParameters": {"USERNAME": SEED_USER[0], "SRP_A": client.srp_a_hex}})
    params = first["ChallengeParameters"]
    assert set(params) == {"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"}
    assert params["USERNAME"] == params["USER_ID_FOR_SRP"] == SEED_USER[0]
    assert "Session" not in first  # like AWS: SECRET_BLOCK identifies the challenge
    stamp = cognito_timestamp()
    body = {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id, "ChallengeResponses": {
        "USERNAME": params["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "TIMESTAMP": stamp, "PASSWORD_CLAIM_SIGNATURE": client.signature(params, SEED_USER[1], stamp)}}
    reply, _ = call(ep, "RespondToAuthChallenge", body)
    assert "AuthenticationResult" in reply
    with pytest.raises(CognitoError) as err:  # replaying the same answer
        call(ep, "RespondToAuthChallenge", body)
    assert err.value.error_type == "NotAuthorizedException"


def test_salt_is_stable_per_user(emulator):
    ep, pool, client_id = emulator["endpoint"], emulator["userPoolId"], emulator["clientId"]
    salts, bs = set(), set()
    for _ in range(2):
        first, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                                              "AuthParameters": {"USERNAME": SEED_USER[0], "SRP_A": SrpClient(pool).srp_a_hex}})
        salts.add(first["ChallengeParameters"]["SALT"])
        bs.add(first["ChallengeParameters"]["SRP_B"])
    assert len(salts) == 1 and len(bs) == 2


@pytest.mark.parametrize("srp_a", ["0", "00", "N", "2N", "xyz"])
def test_bad_srp_a_is_refused(emulator, srp_a):
    from srp_server import N

    value = {"N": format(N, "x"), "2N": format(2 * N, "x")}.get(srp_a, srp_a)
    with pytest.raises(CognitoError) as err:
        call(emulator["endpoint"], "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": emulator["clientId"],
                                                     "AuthParameters": {"USERNAME": SEED_USER[0], "SRP_A": value}})
    assert err.value.error_type == "InvalidParameterException"


def test_unknown_user(emulator):
    with pytest.raises(CognitoError) as err:
        srp_sign_in(emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], "nobody", "Passw0rd1")
    assert err.value.error_type == "UserNotFoundException"


def test_unconfirmed_user_then_confirmed(emulator, new_pool):
    pool = new_pool()
    ep = emulator["endpoint"]
    reply, headers = sign_up(ep, pool["clientId"], "bob", "Bobpass12")
    assert reply["UserConfirmed"] is False
    assert headers.get("x-emulator-confirmation-code", "").isdigit()
    with pytest.raises(CognitoError) as err:
        srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "bob", "Bobpass12")
    assert err.value.error_type == "UserNotConfirmedException"
    with pytest.raises(CognitoError) as err:
        call(ep, "ConfirmSignUp", {"ClientId": pool["clientId"], "Username": "bob", "ConfirmationCode": "emulator-wrong"})
    assert err.value.error_type == "CodeMismatchException"
    call(ep, "ConfirmSignUp", {"ClientId": pool["clientId"], "Username": "bob", "ConfirmationCode": "123456"})
    reply = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "bob", "Bobpass12")
    assert "AccessToken" in reply["AuthenticationResult"]


def test_sign_up_password_policy(emulator, new_pool):
    pool = new_pool()
    with pytest.raises(CognitoError) as err:
        sign_up(emulator["endpoint"], pool["clientId"], "weak", "alllower1")
    assert err.value.error_type == "InvalidPasswordException"


def test_admin_created_user_gets_new_password_required(emulator, new_pool):
    pool = new_pool()
    ep = emulator["endpoint"]
    call(ep, "AdminCreateUser", {"UserPoolId": pool["userPoolId"], "Username": "carol", "TemporaryPassword": "TempPass1",
                                 "MessageAction": "SUPPRESS",
                                 "UserAttributes": [{"Name": "email", "Value": "carol@example.com"}]})
    reply = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "carol", "TempPass1")
    assert reply["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    params = reply["ChallengeParameters"]
    assert json.loads(params["userAttributes"])["email"] == "carol@example.com"
    assert json.loads(params["requiredAttributes"]) == []
    assert params["USER_ID_FOR_SRP"] == "carol"
    done, _ = call(ep, "RespondToAuthChallenge", {
        "ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": pool["clientId"], "Session": reply["Session"],
        "ChallengeResponses": {"USERNAME": "carol", "NEW_PASSWORD": "NewPass12"}})
    assert "AccessToken" in done["AuthenticationResult"]
    # The new password is the one SRP now checks.
    assert "AuthenticationResult" in srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "carol", "NewPass12")
    with pytest.raises(CognitoError):
        srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "carol", "TempPass1")


def test_admin_created_user_wrong_temporary_password(emulator, new_pool):
    pool = new_pool()
    ep = emulator["endpoint"]
    call(ep, "AdminCreateUser", {"UserPoolId": pool["userPoolId"], "Username": "dave", "TemporaryPassword": "TempPass1",
                                 "MessageAction": "SUPPRESS"})
    with pytest.raises(CognitoError) as err:
        srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "dave", "TempPass2")
    assert err.value.error_type == "NotAuthorizedException"


def _stale_timestamp(now: float) -> str:
    import datetime

    return cognito_timestamp(datetime.datetime.fromtimestamp(now - 600, datetime.timezone.utc))


@pytest.mark.parametrize(
    "make_timestamp, error_type",
    [
        (lambda now: "Di " + cognito_timestamp().split(" ", 1)[1], "InvalidParameterException"),
        (lambda now: cognito_timestamp().replace(" UTC ", " GMT "), "InvalidParameterException"),
        (lambda now: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)), "InvalidParameterException"),
        (_stale_timestamp, "NotAuthorizedException"),
    ],
    ids=["german-weekday", "gmt-zone", "iso-8601", "ten-minutes-old"],
)
def test_bad_timestamp_is_refused(emulator, make_timestamp, error_type):
    stamp = make_timestamp(time.time())
    with pytest.raises(CognitoError) as err:
        srp_sign_in(emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], SEED_USER[0], SEED_USER[1],
                    timestamp=stamp)
    assert err.value.error_type == error_type, stamp


def test_zero_padded_day_is_refused(emulator):
    """A correctly signed timestamp whose day is written `03`: always tested by faking a single-digit day."""
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc)
    good = cognito_timestamp(now)
    parts = good.split(" ")
    padded = " ".join(parts[:2] + [f"{int(parts[2]):02d}"] + parts[3:])
    if padded == good:  # day 10..31: zero padding changes nothing, so pad with a leading zero anyway
        padded = " ".join(parts[:2] + ["0" + parts[2]] + parts[3:])
    with pytest.raises(CognitoError) as err:
        srp_sign_in(emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], SEED_USER[0], SEED_USER[1],
                    timestamp=padded)
    assert err.value.error_type in ("NotAuthorizedException", "InvalidParameterException")
    if int(parts[2]) < 10:
        assert err.value.error_type == "NotAuthorizedException"


def test_negative_salt_pinned_by_test_route(emulator, new_pool):
    from conftest import post_json

    pool = new_pool(seedUsers=[{"username": "erin", "password": "Erinpass1"}])
    pinned = post_json(emulator["endpoint"] + "/_emulator/srp-salt",
                       {"userPoolId": pool["userPoolId"], "username": "erin", "salt": "-16e462a84f2df159eee0c14642974ee7"})
    assert pinned["salt"] == "-16e462a84f2df159eee0c14642974ee7"
    first, _ = call(emulator["endpoint"], "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": pool["clientId"],
                    "AuthParameters": {"USERNAME": "erin", "SRP_A": SrpClient(pool["userPoolId"]).srp_a_hex}})
    assert first["ChallengeParameters"]["SALT"] == "-16e462a84f2df159eee0c14642974ee7"
    reply = srp_sign_in(emulator["endpoint"], pool["userPoolId"], pool["clientId"], "erin", "Erinpass1")
    assert "AuthenticationResult" in reply


def test_email_as_username_pool_uses_uuid_user_id_for_srp(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = new_pool(usernameAttributes=["email"])
    sign_up(ep, pool["clientId"], "frank@example.com", "Frankpass1", email="frank@example.com")
    call(ep, "AdminConfirmSignUp", {"UserPoolId": pool["userPoolId"], "Username": "frank@example.com"})
    first, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": pool["clientId"],
                    "AuthParameters": {"USERNAME": "frank@example.com", "SRP_A": SrpClient(pool["userPoolId"]).srp_a_hex}})
    user_id = first["ChallengeParameters"]["USER_ID_FOR_SRP"]
    assert user_id != "frank@example.com" and len(user_id) == 36
    reply = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "frank@example.com", "Frankpass1")
    assert claims(reply["AuthenticationResult"]["IdToken"])["email"] == "frank@example.com"


def test_user_password_auth_still_works(emulator):
    reply, _ = call(emulator["endpoint"], "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator["clientId"],
                    "AuthParameters": {"USERNAME": SEED_USER[0], "PASSWORD": SEED_USER[1]}})
    assert "AccessToken" in reply["AuthenticationResult"]
    with pytest.raises(CognitoError) as err:
        call(emulator["endpoint"], "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator["clientId"],
             "AuthParameters": {"USERNAME": SEED_USER[0], "PASSWORD": "wrong"}})
    assert err.value.error_type == "NotAuthorizedException"


def test_client_secret_pool_requires_secret_hash(emulator, new_pool):
    import hashlib
    import hmac

    pool = new_pool(clientSecret=True, seedUsers=[{"username": "gina", "password": "Ginapass1"}])
    ep, cid, secret = emulator["endpoint"], pool["clientId"], pool["clientSecret"]

    def secret_hash(user):
        return base64.b64encode(hmac.new(secret.encode(), (user + cid).encode(), hashlib.sha256).digest()).decode()

    with pytest.raises(CognitoError) as err:
        srp_sign_in(ep, pool["userPoolId"], cid, "gina", "Ginapass1")
    assert err.value.error_type == "NotAuthorizedException"
    client = SrpClient(pool["userPoolId"])
    first, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": cid, "AuthParameters": {
        "USERNAME": "gina", "SRP_A": client.srp_a_hex, "SECRET_HASH": secret_hash("gina")}})
    params = first["ChallengeParameters"]
    stamp = cognito_timestamp()
    reply, _ = call(ep, "RespondToAuthChallenge", {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": cid, "ChallengeResponses": {
        "USERNAME": params["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"], "TIMESTAMP": stamp,
        "PASSWORD_CLAIM_SIGNATURE": client.signature(params, "Ginapass1", stamp), "SECRET_HASH": secret_hash("gina")}})
    assert "AccessToken" in reply["AuthenticationResult"]


def test_srp_session_option(emulator, new_pool):
    """Pools made with srpSession (or the --srp-session flag) answer with a Session that must come back intact."""
    ep = emulator["endpoint"]
    pool = new_pool(srpSession=True, seedUsers=[{"username": "lena", "password": "Lenapass1"}])
    client = SrpClient(pool["userPoolId"])
    first, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": pool["clientId"],
                    "AuthParameters": {"USERNAME": "lena", "SRP_A": client.srp_a_hex}})
    assert first["Session"]
    params = first["ChallengeParameters"]
    stamp = cognito_timestamp()
    body = {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": pool["clientId"], "Session": "not-the-session",
            "ChallengeResponses": {"USERNAME": "lena", "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                                   "TIMESTAMP": stamp, "PASSWORD_CLAIM_SIGNATURE": client.signature(params, "Lenapass1", stamp)}}
    with pytest.raises(CognitoError) as err:
        call(ep, "RespondToAuthChallenge", body)
    assert err.value.error_type == "NotAuthorizedException"
    assert "AuthenticationResult" in srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "lena", "Lenapass1")
    assert "AuthenticationResult" in srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "lena", "Lenapass1",
                                                 send_session=False)


def test_unknown_secret_block_is_refused(emulator):
    client = SrpClient(emulator["userPoolId"])
    params = {"SRP_B": "2", "SALT": "1", "SECRET_BLOCK": "AAAA", "USER_ID_FOR_SRP": SEED_USER[0]}
    stamp = cognito_timestamp()
    with pytest.raises(CognitoError) as err:
        call(emulator["endpoint"], "RespondToAuthChallenge", {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": emulator["clientId"],
             "ChallengeResponses": {"USERNAME": SEED_USER[0], "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA", "TIMESTAMP": stamp,
                                    "PASSWORD_CLAIM_SIGNATURE": client.signature(params, SEED_USER[1], stamp)}})
    assert err.value.error_type == "NotAuthorizedException"
    assert err.value.message == "Incorrect username or password."


def test_missing_challenge_responses_are_invalid_parameters(emulator):
    for missing in ("USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE"):
        responses = {"USERNAME": SEED_USER[0], "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA", "TIMESTAMP": cognito_timestamp(),
                     "PASSWORD_CLAIM_SIGNATURE": "AAAA"}
        del responses[missing]
        with pytest.raises(CognitoError) as err:
            call(emulator["endpoint"], "RespondToAuthChallenge", {"ChallengeName": "PASSWORD_VERIFIER",
                 "ClientId": emulator["clientId"], "ChallengeResponses": responses})
        assert err.value.error_type == "InvalidParameterException", missing


def test_disabled_user_is_refused(emulator, new_pool):
    pool = new_pool(seedUsers=[{"username": "mia", "password": "Miapass12"}])
    call(emulator["endpoint"], "AdminDisableUser", {"UserPoolId": pool["userPoolId"], "Username": "mia"})
    with pytest.raises(CognitoError) as err:
        srp_sign_in(emulator["endpoint"], pool["userPoolId"], pool["clientId"], "mia", "Miapass12")
    assert err.value.error_type == "NotAuthorizedException"


def test_parallel_sign_ins(emulator):
    """The threaded server serialises moto access: concurrent sign-ins all succeed, wrong ones all fail."""
    from concurrent.futures import ThreadPoolExecutor

    def attempt(i):
        password = SEED_USER[1] if i % 2 == 0 else "Wrongpass1"
        try:
            srp_sign_in(emulator["endpoint"], emulator["userPoolId"], emulator["clientId"], SEED_USER[0], password)
            return i % 2 == 0
        except CognitoError as err:
            return i % 2 == 1 and err.error_type == "NotAuthorizedException"

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(attempt, range(16)))


def test_totp_challenge_follows_a_correct_srp_proof(emulator, new_pool):
    """After the SRP check the MFA step follows: here SOFTWARE_TOKEN_MFA, with the code checked for real."""
    ep = emulator["endpoint"]
    pool = new_pool(seedUsers=[{"username": "noor", "password": "Noorpass1"}])
    access = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "noor", "Noorpass1")["AuthenticationResult"]["AccessToken"]
    secret = call(ep, "AssociateSoftwareToken", {"AccessToken": access})[0]["SecretCode"]
    call(ep, "VerifySoftwareToken", {"AccessToken": access, "UserCode": fresh_totp(secret)})
    call(ep, "SetUserMFAPreference", {"AccessToken": access,
                                      "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    with pytest.raises(CognitoError):  # the wrong password is still refused before any MFA step
        srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "noor", "Noorpass2")
    challenge = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "noor", "Noorpass1")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA" and challenge["Session"]
    done, _ = call(ep, "RespondToAuthChallenge", {"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": pool["clientId"],
                   "Session": challenge["Session"],
                   "ChallengeResponses": {"USERNAME": "noor", "SOFTWARE_TOKEN_MFA_CODE": fresh_totp(secret)}})
    assert "AccessToken" in done["AuthenticationResult"]


def _require_mfa(endpoint, pool_id, *, sms=False):
    config = {"UserPoolId": pool_id, "MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": True}}
    if sms:
        config["SmsMfaConfiguration"] = {"SmsAuthenticationMessage": "Your code is {####}",
                                         "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns"}}
    call(endpoint, "SetUserPoolMfaConfig", config)


def _assert_mfas_can_setup(reply, expected):
    """MFA_SETUP as AWS sends it: MFAS_CAN_SETUP is a string holding a JSON array (Amplify JSON.parses it)."""
    assert reply["ChallengeName"] == "MFA_SETUP" and reply["Session"], reply
    text = reply["ChallengeParameters"]["MFAS_CAN_SETUP"]
    assert isinstance(text, str), f"MFAS_CAN_SETUP is a {type(text).__name__}: {text!r}"
    assert json.loads(text) == expected
    assert text == json.dumps(expected, separators=(",", ":"))  # compact, like AWS's: ["SOFTWARE_TOKEN_MFA"]


def test_mfa_setup_after_srp_sends_mfas_can_setup_as_a_json_string_and_totp_setup_completes(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = new_pool(seedUsers=[{"username": "otto", "password": "Ottopass1"}])
    _require_mfa(ep, pool["userPoolId"])
    reply = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "otto", "Ottopass1")
    _assert_mfas_can_setup(reply, ["SOFTWARE_TOKEN_MFA"])
    # The rest of the sign-in TOTP setup, as a client does it: associate, verify, answer MFA_SETUP.
    associated, _ = call(ep, "AssociateSoftwareToken", {"Session": reply["Session"]})
    assert associated["SecretCode"]
    verified, _ = call(ep, "VerifySoftwareToken", {"Session": associated["Session"],
                                                   "UserCode": fresh_totp(associated["SecretCode"])})
    assert verified["Status"] == "SUCCESS"
    done, _ = call(ep, "RespondToAuthChallenge", {"ChallengeName": "MFA_SETUP", "ClientId": pool["clientId"],
                   "Session": verified["Session"], "ChallengeResponses": {"USERNAME": "otto"}})
    user, _ = call(ep, "GetUser", {"AccessToken": done["AuthenticationResult"]["AccessToken"]})
    assert user["Username"] == "otto"
    # Enrolled: the next sign-in asks for a code instead.
    assert srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "otto", "Ottopass1")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_mfa_setup_lists_every_factor_the_pool_offers(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = new_pool(seedUsers=[{"username": "pearl", "password": "Pearlpass1"}])
    _require_mfa(ep, pool["userPoolId"], sms=True)
    reply = srp_sign_in(ep, pool["userPoolId"], pool["clientId"], "pearl", "Pearlpass1")
    _assert_mfas_can_setup(reply, ["SOFTWARE_TOKEN_MFA", "SMS_MFA"])


@pytest.mark.parametrize("flow", ["srp", "user-password", "admin"])
def test_mfa_setup_after_new_password_required_sends_mfas_can_setup_as_a_json_string(emulator, new_pool, flow):
    """moto's own serialiser answers here, with the list's Python repr ("['SOFTWARE_TOKEN_MFA']") unless fixed."""
    ep = emulator["endpoint"]
    pool = new_pool()
    pool_id, client_id = pool["userPoolId"], pool["clientId"]
    _require_mfa(ep, pool_id)
    call(ep, "AdminCreateUser", {"UserPoolId": pool_id, "Username": "quinn", "TemporaryPassword": "TempPass1",
                                 "MessageAction": "SUPPRESS"})
    answer = {"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": client_id,
              "ChallengeResponses": {"USERNAME": "quinn", "NEW_PASSWORD": "NewPass12"}}
    if flow == "srp":
        first = srp_sign_in(ep, pool_id, client_id, "quinn", "TempPass1")
        operation = "RespondToAuthChallenge"
    elif flow == "user-password":
        first, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                                             "AuthParameters": {"USERNAME": "quinn", "PASSWORD": "TempPass1"}})
        operation = "RespondToAuthChallenge"
    else:
        first, _ = call(ep, "AdminInitiateAuth", {"AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "UserPoolId": pool_id,
                                                  "ClientId": client_id,
                                                  "AuthParameters": {"USERNAME": "quinn", "PASSWORD": "TempPass1"}})
        operation = "AdminRespondToAuthChallenge"
        answer["UserPoolId"] = pool_id
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    reply, _ = call(ep, operation, {**answer, "Session": first["Session"]})
    _assert_mfas_can_setup(reply, ["SOFTWARE_TOKEN_MFA"])


@pytest.mark.parametrize(
    "moto_value, sent",
    [
        (["SOFTWARE_TOKEN_MFA"], '["SOFTWARE_TOKEN_MFA"]'),
        ("['SOFTWARE_TOKEN_MFA', 'SMS_MFA']", '["SOFTWARE_TOKEN_MFA","SMS_MFA"]'),
        ('["SOFTWARE_TOKEN_MFA"]', '["SOFTWARE_TOKEN_MFA"]'),
        ([], "[]"),
        ("not a list", "not a list"),
    ],
    ids=["list", "python-repr", "already-json", "empty", "other-text"],
)
def test_json_string_list(moto_value, sent):
    from cognito_emulator import json_string_list

    assert json_string_list(moto_value) == sent
