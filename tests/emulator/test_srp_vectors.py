"""The emulator's server-side SRP math (srp_server.py) and the test client (srp_client.py) against the shared
SRP vectors, plus the TIMESTAMP rules. No server process needed."""

from __future__ import annotations

import base64
import calendar
import datetime
import json
from pathlib import Path

import pytest

import srp_client
import srp_server

VECTORS = Path(__file__).resolve().parents[2] / ".." / "shared" / "vectors" / "srp" / "vectors.json"


def load_vectors():
    if not VECTORS.exists():
        return []
    return json.loads(VECTORS.read_text())


CASES = load_vectors()
needs_vectors = pytest.mark.skipif(not CASES, reason=f"shared SRP vectors absent ({VECTORS}); skipping")


def case_ids():
    return [c["id"] for c in CASES] or ["none"]


def identity(case):
    """(poolName, userId, password) the way the server hashes them for this case."""
    inputs = case["inputs"]
    if case["flow"] == "DEVICE_SRP_AUTH":
        return inputs["deviceGroupKey"], inputs["deviceKey"], inputs["password"]
    return inputs["poolName"], inputs["username"], inputs["password"]


@needs_vectors
@pytest.mark.parametrize("case", CASES or [None], ids=case_ids())
def test_server_reproduces_vector(case):
    inputs, outputs, server = case["inputs"], case["outputs"], case["simulated_server"]
    pool_name, user_id, password = identity(case)
    salt = srp_server.parse_java_hex(inputs["salt_hex"])
    b = int(server["b_hex"], 16)
    verifier = int(server["verifier_hex"], 16)
    # The verifier the server derives from the password is the vector's.
    assert srp_server.compute_verifier(salt, pool_name, user_id, password) == verifier
    assert srp_server.compute_x(salt, pool_name, user_id, password) == int(outputs["x_hex"], 16)
    # B = k v + g^b is exactly what was sent on the wire.
    B = srp_server.compute_B(verifier, b)
    assert B == srp_server.parse_java_hex(inputs["B_hex"])
    A = int(outputs["A_hex"], 16)
    u = srp_server.compute_u(A, B)
    assert u == int(outputs["u_hex"], 16)
    assert srp_server.pad(u).hex() == outputs["u_padded_hex"]
    S = srp_server.server_S(A, verifier, b, u)
    assert S == int(server["server_S_hex"], 16) == int(outputs["S_hex"], 16)
    assert srp_server.pad(S).hex() == outputs["S_padded_hex"]
    assert srp_server.hkdf_key(S, u).hex() == outputs["hkdf_key_hex"]
    expected = srp_server.expected_signature(
        A=A,
        B=B,
        b=b,
        verifier=verifier,
        pool_name=pool_name,
        user_id=user_id,
        secret_block=base64.b64decode(inputs["secretBlock_b64"]),
        timestamp=inputs["timestamp"],
    )
    assert srp_server.signature_matches(expected, outputs["signature_b64"])
    # One flipped bit, another timestamp, or garbage is refused.
    tampered = bytearray(base64.b64decode(outputs["signature_b64"]))
    tampered[0] ^= 1
    assert not srp_server.signature_matches(expected, base64.b64encode(bytes(tampered)).decode())
    assert not srp_server.signature_matches(expected, "not base64!")
    other_time = srp_server.expected_signature(
        A=A, B=B, b=b, verifier=verifier, pool_name=pool_name, user_id=user_id,
        secret_block=base64.b64decode(inputs["secretBlock_b64"]), timestamp=inputs["timestamp"] + " ",
    )
    assert not srp_server.signature_matches(other_time, outputs["signature_b64"])


@needs_vectors
@pytest.mark.parametrize("case", CASES or [None], ids=case_ids())
def test_test_client_reproduces_vector(case):
    """The independent test client signs exactly like Amplify / cognito-identity-js did."""
    inputs, outputs = case["inputs"], case["outputs"]
    pool_name, user_id, password = identity(case)
    client = srp_client.SrpClient("x_" + pool_name, a=int(inputs["a_hex"], 16))
    assert client.srp_a_hex == outputs["A_hex"]
    params = {
        "SRP_B": inputs["B_hex"],
        "SALT": inputs["salt_hex"],
        "SECRET_BLOCK": inputs["secretBlock_b64"],
        "USER_ID_FOR_SRP": user_id,
    }
    assert client.signature(params, password, inputs["timestamp"], pool_name=pool_name) == outputs["signature_b64"]


@needs_vectors
@pytest.mark.parametrize("case", CASES or [None], ids=case_ids())
def test_vector_timestamp_is_accepted_at_its_instant(case):
    inputs = case["inputs"]
    epoch = inputs["timestamp_epoch_ms"] // 1000
    assert srp_server.check_timestamp(inputs["timestamp"], epoch) == epoch
    assert srp_server.format_timestamp(epoch) == inputs["timestamp"]
    instant = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    assert srp_client.cognito_timestamp(instant) == inputs["timestamp"]


def test_constants_and_pad():
    assert format(srp_server.K, "x") == "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    examples = {0: "00", 0x7F: "7f", 0x80: "0080", 0xFF: "00ff", 0x100: "0100", -1: "ff", -128: "80", -129: "ff7f"}
    for n, hex_text in examples.items():
        assert srp_server.pad(n).hex() == hex_text, n
        assert srp_client.padded_hex(n) == hex_text, n
    assert len(srp_server.pad(srp_server.N)) == 385
    assert srp_server.java_hex(-0x16E4) == "-16e4"
    assert srp_server.parse_java_hex("-16E4") == -0x16E4
    assert srp_server.parse_java_hex("000a") == 10
    for bad in ("", "0x10", "12g", " 12", "--1"):
        with pytest.raises(ValueError):
            srp_server.parse_java_hex(bad)


NOW = calendar.timegm((2024, 9, 3, 11, 42, 7, 0, 0, 0))


@pytest.mark.parametrize(
    "timestamp, kind",
    [
        ("Tue Sep 3 11:42:07 UTC 2024", None),
        ("Tue Sep 3 11:46:00 UTC 2024", None),  # within 5 minutes
        ("Tue Sep 03 11:42:07 UTC 2024", "NotAuthorizedException"),  # zero-padded day
        ("Wed Sep 3 11:42:07 UTC 2024", "NotAuthorizedException"),  # wrong weekday
        ("Tue Sep 3 11:52:07 UTC 2024", "NotAuthorizedException"),  # 10 minutes ahead
        ("Tue Sep 3 11:32:07 UTC 2024", "NotAuthorizedException"),  # 10 minutes behind
        ("Sat Feb 30 11:42:07 UTC 2024", "NotAuthorizedException"),  # no such date
        ("Di Sep 3 11:42:07 UTC 2024", "InvalidParameterException"),  # not English
        ("Tue Sep 3 11:42:07 GMT 2024", "InvalidParameterException"),  # zone not UTC
        ("Tue Sep 3 11:42:7 UTC 2024", "InvalidParameterException"),  # seconds not padded
        ("tue sep 3 11:42:07 UTC 2024", "InvalidParameterException"),  # case
        ("2024-09-03T11:42:07Z", "InvalidParameterException"),
        ("Tue Sep  3 11:42:07 UTC 2024", "InvalidParameterException"),  # C asctime space padding
        ("", "InvalidParameterException"),
    ],
)
def test_timestamp_rules(timestamp, kind):
    if kind is None:
        srp_server.check_timestamp(timestamp, NOW)
    else:
        with pytest.raises(srp_server.TimestampError) as err:
            srp_server.check_timestamp(timestamp, NOW)
        assert err.value.kind == kind
