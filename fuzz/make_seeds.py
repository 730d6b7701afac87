#!/usr/bin/env python3
"""Writes the seeds of the fuzz targets that take Cognito answers: fuzz/seeds/<target>/*.

The seeds are realistic inputs: Cognito's replies as the service shapes them, a real (expired) Cognito id token
and its pool's key set (fuzz/seeds/fuzz_jwt_decode, fuzz/seeds/fuzz_jwks_parse), and the SRP challenges of
../shared/vectors/srp/vectors.json. The seeds are committed; run this again only to change them:

    python3 fuzz/make_seeds.py

Formats (see fuzz/src/lib.rs): records are separated by a 0xFF byte; an answer is `STATUS`, header lines, an
empty line and the body, or `!message` for no answer. fuzz_client_machine's input starts with two bytes (the
setup and the clock, see its docs) and its bodies may name the test tokens as `{{id}}`, `{{access}}`...
"""

import json
import pathlib

FUZZ = pathlib.Path(__file__).resolve().parent
SEEDS = FUZZ / "seeds"
SEP = b"\xff"

REAL_ID_TOKEN = (SEEDS / "fuzz_jwt_decode" / "cognito-real-id-token.txt").read_text().strip()
REAL_JWKS = json.loads((SEEDS / "fuzz_jwks_parse" / "cognito-real-jwks.json").read_text())
SRP = {
    case["id"]: case["inputs"]
    for case in json.loads((FUZZ.parent.parent / "shared" / "vectors" / "srp" / "vectors.json").read_text())
}
JSON_CT = "content-type: application/x-amz-json-1.1"


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def answer(status, body="", headers=(JSON_CT, "x-amzn-requestid: 6a4f3c1e-3b1f-4c55-9d0a-3f5e7e2c9b10")):
    if not isinstance(body, str):
        body = compact(body)
    return (f"{status}\n" + "".join(h + "\n" for h in headers) + "\n" + body).encode()


def error(type_name, message, status=400):
    return answer(status, {"__type": type_name, "message": message})


def verifier(case, username=None):
    i = SRP[case]
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": i["salt_hex"],
            "SECRET_BLOCK": i["secretBlock_b64"],
            "SRP_B": i["B_hex"],
            "USERNAME": username or i["challengeUsername"],
            "USER_ID_FOR_SRP": i["username"],
        },
    }


def challenge(name, parameters, session="AYABeJ0ozx1sVZpYqyM9QCm0sTsAHQABAAdTZXJ2aWNlABBDb2duaXRvVXNlclBvb2xz"):
    reply = {"ChallengeName": name, "ChallengeParameters": parameters}
    if session:
        reply["Session"] = session
    return reply


def tokens(access, id_token, refresh="eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.r1", device=False):
    result = {"AccessToken": access, "ExpiresIn": 3600, "IdToken": id_token, "TokenType": "Bearer"}
    if refresh:
        result["RefreshToken"] = refresh
    if device:
        result["NewDeviceMetadata"] = {
            "DeviceGroupKey": "-wt8mKzYH",
            "DeviceKey": "us-east-1_0f8e7d6c-5b4a-4938-8271-605f4e3d2c1b",
        }
    return {"AuthenticationResult": result, "ChallengeParameters": {}}


def write(target, name, data):
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def records(*parts):
    return SEP.join(parts)


# ----- fuzz_cognito_response: one answer -----
T = "fuzz_cognito_response"
write(T, "password-verifier", answer(200, verifier("U01_basic_salt_high_bit")))
write(T, "authentication-result", answer(200, tokens(REAL_ID_TOKEN, REAL_ID_TOKEN, device=True)))
write(T, "sms-mfa", answer(200, challenge("SMS_MFA", {
    "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234", "USER_ID_FOR_SRP": "alice"})))
write(T, "sign-up", answer(200, {
    "CodeDeliveryDetails": {"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": "a***@e***.com"},
    "UserConfirmed": False, "UserSub": "24e26910-e7b9-4aad-a994-387942f164e7"}))
write(T, "get-user", answer(200, {
    "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
    "UserAttributes": [{"Name": "sub", "Value": "24e26910-e7b9-4aad-a994-387942f164e7"},
                       {"Name": "email_verified", "Value": "true"}, {"Name": "email", "Value": "max@southlane.com"}],
    "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"], "Username": "24e26910-e7b9-4aad-a994-387942f164e7"}))
write(T, "update-user-attributes", answer(200, {"CodeDeliveryDetailsList": [
    {"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": "n***@e***.com"}]}))
write(T, "global-sign-out", answer(200, ""))
write(T, "not-authorized", error("NotAuthorizedException", "Incorrect username or password."))
write(T, "header-error-type", answer(400, "", (JSON_CT,
      "x-amzn-ErrorType: UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito/")))
write(T, "proxy-502", answer(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ("content-type: text/html",)))
write(T, "jwks", answer(200, REAL_JWKS, ("content-type: application/json",)))

# ----- fuzz_stored_session: one document -----
T = "fuzz_stored_session"
base = {"v": 1, "userPoolId": "us-east-1_TestPool1", "clientId": "testclient123",
        "idToken": REAL_ID_TOKEN, "accessToken": REAL_ID_TOKEN}
write(T, "full.json", compact({**base, "refreshToken": "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.r1",
                               "deviceKey": "us-east-1_0f8e7d6c-5b4a-4938-8271-605f4e3d2c1b",
                               "deviceGroupKey": "-wt8mKzYH", "clockOffset": -95}).encode())
write(T, "minimal.json", compact(base).encode())
write(T, "other-client.json", compact({**base, "clientId": "5ra91i9p4trq42m2vnjs0pv06q"}).encode())
write(T, "later-release.json", compact({**base, "v": 2, "lastUser": "alice", "flags": {"a": [1, 2]}}).encode())

# ----- fuzz_sign_in_steps: the answers of one sign-in -----
T = "fuzz_sign_in_steps"
done = answer(200, tokens(REAL_ID_TOKEN, REAL_ID_TOKEN))
write(T, "srp-totp", records(
    answer(200, verifier("U01_basic_salt_high_bit")),
    answer(200, challenge("SOFTWARE_TOKEN_MFA", {"USER_ID_FOR_SRP": "alice"})),
    done))
write(T, "srp-alias-new-password", records(
    answer(200, verifier("U15_alias_login_uuid_user_id_for_srp_client_secret")),
    answer(200, challenge("NEW_PASSWORD_REQUIRED", {
        "USER_ID_FOR_SRP": "6b1f3d2e-9c4a-4e1b-8f7d-2a3b4c5d6e7f",
        "requiredAttributes": '["userAttributes.name","userAttributes.phone_number"]',
        "userAttributes": '{"email_verified":"true","email":"a@example.com"}'})),
    done))
write(T, "select-mfa-sms", records(
    answer(200, challenge("SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": '["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]',
                                              "USER_ID_FOR_SRP": "alice"})),
    answer(200, challenge("SMS_MFA", {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                                      "CODE_DELIVERY_DESTINATION": "+*******1234"})),
    done))
write(T, "mfa-setup", records(
    answer(200, challenge("MFA_SETUP", {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]', "USER_ID_FOR_SRP": "alice"})),
    answer(200, {"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Session": "AYABeC1"}),
    answer(200, {"Session": "AYABeC2", "Status": "SUCCESS"}),
    done))
write(T, "email-otp-then-custom", records(
    answer(200, challenge("EMAIL_OTP", {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                                        "CODE_DELIVERY_DESTINATION": "a***@e***.com"})),
    answer(200, challenge("CUSTOM_CHALLENGE", {"USERNAME": "alice", "captchaUrl": "https://example.com/c.png"})),
    done))
write(T, "user-not-confirmed", error("UserNotConfirmedException", "User is not confirmed."))
write(T, "password-reset-required", answer(400, "", (JSON_CT, "x-amzn-ErrorType: PasswordResetRequiredException:")))
write(T, "throttled-then-offline", records(error("TooManyRequestsException", "Rate exceeded"), b"!offline"))

# ----- fuzz_srp_challenge: SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, time -----
T = "fuzz_srp_challenge"
for case in ["U01_basic_salt_high_bit", "U03_salt_odd_hex_len", "U05_B_leading_zero_byte",
             "U11_unicode_user_password", "U15_alias_login_uuid_user_id_for_srp_client_secret"]:
    i = SRP[case]
    write(T, case, records(*(v.encode() for v in (i["salt_hex"], i["B_hex"], i["secretBlock_b64"], i["username"],
                                                   str(i["timestamp_epoch_ms"] // 1000)))))
i = SRP["U01_basic_salt_high_bit"]
write(T, "negative-salt", records(b"-16e462a84f2df159eee0c14642974ee7", i["B_hex"].encode(),
                                  i["secretBlock_b64"].encode(), b"alice"))

# ----- fuzz_client_machine: setup byte, clock byte, then the answers in the order of the requests -----
T = "fuzz_client_machine"
SRP_ = 0x01
GET_TOKENS = 0x02
LOCK = 0x04
LOCK_REFUSED = 0x08
GLOBAL = 0x10
STORED_SESSION = 0x20
STORED_KEYS = 0x40
SECRET = 0x80
OLD_SESSION = 0x80  # in the clock byte


def machine(setup, minutes, *answers):
    return bytes([setup, minutes]) + records(*answers)


signed_in = answer(200, tokens("{{access}}", "{{id}}"))
refreshed = answer(200, tokens("{{access2}}", "{{id2}}", refresh=None))
rotated = answer(200, tokens("{{access2}}", "{{id2}}", refresh="rotated-refresh-token"))
keys = answer(200, "{{jwks}}", ("content-type: application/json",))
empty = answer(200, "")
write(T, "password-refresh-revoke", machine(0, 10, signed_in, keys, refreshed, empty))
write(T, "srp-global-sign-out", machine(SRP_ | GLOBAL, 5,
      answer(200, verifier("U01_basic_salt_high_bit")), keys, signed_in, refreshed, empty, empty))
write(T, "totp-confirm", machine(0, 30,
      answer(200, challenge("SOFTWARE_TOKEN_MFA", {"USER_ID_FOR_SRP": "alice"})), keys, signed_in, refreshed, empty))
write(T, "mfa-setup", machine(STORED_KEYS, 1,
      answer(200, challenge("MFA_SETUP", {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'})),
      answer(200, {"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "AYABeC1"}),
      answer(200, {"Session": "AYABeC2", "Status": "SUCCESS"}),
      signed_in, refreshed, empty))
write(T, "lock-rotation-secret", machine(LOCK | GET_TOKENS | STORED_KEYS | SECRET, 20, signed_in, rotated, empty))
write(T, "lock-refused", machine(LOCK | LOCK_REFUSED, 30, signed_in, keys, refreshed, empty))
write(T, "stored-session-expired-refresh-refused", machine(STORED_SESSION | STORED_KEYS, OLD_SESSION | 10,
      error("NotAuthorizedException", "Refresh Token has been revoked"), signed_in, refreshed, empty))
write(T, "stored-session-already-signed-in", machine(STORED_SESSION, 15, keys, refreshed, empty))
write(T, "refresh-another-user", machine(0, 10, signed_in, keys,
      answer(200, tokens("{{accessx}}", "{{idx}}", refresh=None)), empty))
write(T, "hostile-keys-then-errors", machine(GLOBAL, 90,
      signed_in, answer(200, "{{jwksx}}"), b"!offline",
      error("InternalErrorException", "An internal error occurred", 500)))
write(T, "old-tokens-not-confirmed", machine(0, 0,
      answer(200, tokens("{{accessold}}", "{{idold}}")), keys, error("UserNotConfirmedException", "no")))

# ----- fuzz_oauth: config, signInWithRedirect input, pending record, landing URL, token answer -----
T = "fuzz_oauth"
oauth_config = {"domain": "mydomain.auth.us-east-1.amazoncognito.com",
                "scopes": ["openid", "email", "aws.cognito.signin.user.admin"],
                "redirectSignIn": ["https://app.example.com/callback", "http://localhost:5173/"],
                "redirectSignOut": ["https://app.example.com/"], "responseType": "code",
                "providers": ["Google", {"custom": "Corp"}]}
emulator_config = {**oauth_config, "domain": "http://127.0.0.1:9329/_domain/demo"}
STATE = "Abcdefghijklmnopqrstuvwxyz012345"
pending = {"v": 1, "state": STATE + "-2f6f72646572733f69643d37u20ac", "codeVerifier": "0123456789" * 12 + "abcdefgh",
           "nonce": "n0nce", "redirectUri": "https://app.example.com/callback", "customState": "/orders?id=7\u20ac",
           "createdAt": 1000}
token_answer = answer(200, {"access_token": REAL_ID_TOKEN, "id_token": REAL_ID_TOKEN, "refresh_token": "eyJjdHkiOiJKV1QifQ.r1",
                            "expires_in": 3600, "token_type": "Bearer"}, ("content-type: application/json",))
write(T, "code", records(
    compact(oauth_config).encode(),
    compact({"provider": "Google", "customState": "/orders?id=7\u20ac",
             "options": {"loginHint": "alice@example.com", "lang": "fr", "prompt": "LOGIN"}}).encode(),
    compact(pending).encode(),
    f"https://app.example.com/callback?code=9f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b&state={pending['state']}".encode(),
    token_answer))
write(T, "error-redirect", records(
    compact(emulator_config).encode(),
    b"null",
    compact({k: v for k, v in pending.items() if k != "customState"} | {"state": STATE}).encode(),
    f"https://app.example.com/callback?error=invalid_request&error_description=Google+Error+-+access_denied&state={STATE}"
    .encode(),
    answer(400, {"error": "invalid_grant", "error_description": "Code expired"}, ("content-type: application/json",))))
write(T, "new-sign-in", records(
    compact(oauth_config).encode(),
    compact({"provider": {"idpIdentifier": "corp.example"}, "options": {"prompt": "NONE", "nonce": "n"}}).encode(),
    b"",
    b"http://localhost:5173/page?x=1",
    answer(502, "<html>Bad gateway</html>", ("content-type: text/html",))))
