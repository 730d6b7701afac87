"""A Cognito SRP client for the emulator's tests, written from /work/shared/SRP.md without reusing srp_server.py.

It pads integers the way the JavaScript libraries do (through hex strings), so a shared bug with the server
module's byte-based padding would show up as a failed sign-in. test_srp_vectors.py checks it against the
clients' recorded outputs in vectors.json.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from typing import Any

_N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
_G = 2


def padded_hex(n: int) -> str:
    """amazon-cognito-identity-js padHex: even-length hex, '00' in front of a high nibble; negatives inverted+1."""
    if n < 0:
        # Two's complement in the minimal number of bytes (what BigInteger.toByteArray gives).
        nbytes = 1
        while n < -(1 << (8 * nbytes - 1)):
            nbytes += 1
        return (n + (1 << (8 * nbytes))).to_bytes(nbytes, "big").hex()
    text = format(n, "x")
    if len(text) % 2:
        text = "0" + text
    if text[0] in "89abcdef":
        text = "00" + text
    return text


def hash_hex(hex_text: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


_K = int(hash_hex(padded_hex(_N) + padded_hex(_G)), 16)


def cognito_timestamp(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.timezone.utc)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{days[now.weekday()]} {months[now.month - 1]} {now.day} {now:%H:%M:%S} UTC {now.year}"


class SrpClient:
    def __init__(self, user_pool_id: str, a: int | None = None):
        self.pool_name = user_pool_id.split("_", 1)[1]
        self.a = a if a is not None else int.from_bytes(secrets.token_bytes(128), "big")
        self.A = pow(_G, self.a, _N)

    @property
    def srp_a_hex(self) -> str:
        return format(self.A, "x")

    def signature(
        self, params: dict[str, str], password: str, timestamp: str, *, pool_name: str | None = None,
        user_id: str | None = None,
    ) -> str:
        """PASSWORD_CLAIM_SIGNATURE for a PASSWORD_VERIFIER challenge; for DEVICE_PASSWORD_VERIFIER pass
        pool_name = DeviceGroupKey, user_id = DeviceKey and the device's random password."""
        pool_name = self.pool_name if pool_name is None else pool_name
        B = int(params["SRP_B"], 16)
        salt = int(params["SALT"], 16)
        user_id = params["USER_ID_FOR_SRP"] if user_id is None else user_id
        if B % _N == 0:
            raise ValueError("bad B")
        u = int(hash_hex(padded_hex(self.A) + padded_hex(B)), 16)
        if u == 0:
            raise ValueError("bad u")
        inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode("utf-8")).hexdigest()
        x = int(hash_hex(padded_hex(salt) + inner), 16)
        base = (B - _K * pow(_G, x, _N)) % _N
        S = pow(base, self.a + u * x, _N)
        prk = hmac.new(bytes.fromhex(padded_hex(u)), bytes.fromhex(padded_hex(S)), hashlib.sha256).digest()
        key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
        message = (
            pool_name.encode("utf-8")
            + user_id.encode("utf-8")
            + base64.b64decode(params["SECRET_BLOCK"])
            + timestamp.encode("utf-8")
        )
        return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def device_secret_verifier_config(
    group_key: str, device_key: str, *, random_password: str | None = None, salt_hex: str | None = None
) -> dict[str, str]:
    """What a client computes for ConfirmDevice (amazon-cognito-identity-js generateHashDevice): a random device
    password, a 16-byte salt, and the verifier g^x with x from (DeviceGroupKey, DeviceKey, password)."""
    if random_password is None:
        random_password = base64.b64encode(secrets.token_bytes(40)).decode("ascii")
    salt_padded = padded_hex(int(salt_hex if salt_hex is not None else secrets.token_hex(16), 16))
    hashed = hashlib.sha256(f"{group_key}{device_key}:{random_password}".encode("utf-8")).hexdigest()
    x = int(hash_hex(salt_padded + hashed), 16)
    verifier_hex = padded_hex(pow(_G, x, _N))
    return {
        "randomPassword": random_password,
        "saltHex": salt_padded,
        "verifierHex": verifier_hex,
        "Salt": base64.b64encode(bytes.fromhex(salt_padded)).decode("ascii"),
        "PasswordVerifier": base64.b64encode(bytes.fromhex(verifier_hex)).decode("ascii"),
    }


class CognitoError(Exception):
    def __init__(self, status: int, error_type: str, message: str, headers: dict[str, str]):
        super().__init__(f"{status} {error_type}: {message}")
        self.status = status
        self.error_type = error_type
        self.message = message
        self.headers = headers


def call(endpoint: str, operation: str, body: dict[str, Any], origin: str | None = "http://localhost:5173"):
    """POST one Cognito operation; return (parsed body, headers) or raise CognitoError."""
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        "Cache-Control": "no-store",
    }
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(endpoint + "/", data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}"), dict(response.headers)
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {}
        error_type = str(payload.get("__type", "")).split("#")[-1] or str(err.headers.get("x-amzn-ErrorType", "")).split(":")[0]
        raise CognitoError(err.code, error_type, payload.get("message", ""), dict(err.headers)) from None


def srp_sign_in(
    endpoint: str,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    *,
    timestamp: str | None = None,
    send_session: bool = True,
) -> dict[str, Any]:
    """USER_SRP_AUTH then PASSWORD_VERIFIER; returns the final RespondToAuthChallenge reply."""
    client = SrpClient(pool_id)
    first, _ = call(
        endpoint,
        "InitiateAuth",
        {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": username, "SRP_A": client.srp_a_hex}},
    )
    assert first["ChallengeName"] == "PASSWORD_VERIFIER", first
    params = first["ChallengeParameters"]
    stamp = timestamp or cognito_timestamp()
    body: dict[str, Any] = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ClientId": client_id,
        "ChallengeResponses": {
            "USERNAME": params["USER_ID_FOR_SRP"],
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "TIMESTAMP": stamp,
            "PASSWORD_CLAIM_SIGNATURE": client.signature(params, password, stamp),
        },
    }
    if send_session and first.get("Session"):
        body["Session"] = first["Session"]
    reply, _ = call(endpoint, "RespondToAuthChallenge", body)
    return reply
