"""Remembered-device SRP against vectors/device_srp.json (derived by amazon-cognito-identity-js's AuthenticationHelper,
see vectors/derive_device_srp_vectors.cjs): the test client (srp_client.py) reproduces the SDK's ConfirmDevice
verifier, SRP_A and signature, and the emulator's server math (srp_server.py) accepts the SDK's signature."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import srp_server
from srp_client import SrpClient, device_secret_verifier_config, padded_hex

VECTORS = json.loads((Path(__file__).parent / "vectors" / "device_srp.json").read_text())
CASES = VECTORS["cases"]


def test_the_vectors_cover_each_salt_shape():
    lengths = sorted(len(case["saltHex"]) for case in CASES)
    assert lengths == [30, 32, 34]  # leading zero byte, plain, high bit ("00" prefix)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_client_reproduces_the_sdk_confirm_device_config(case):
    config = device_secret_verifier_config(
        case["deviceGroupKey"], case["deviceKey"], random_password=case["randomPassword"], salt_hex=case["saltHex"]
    )
    assert config["saltHex"] == case["saltHex"]
    assert config["verifierHex"] == case["verifierHex"]
    assert config["Salt"] == case["confirmDevice"]["Salt"]
    assert config["PasswordVerifier"] == case["confirmDevice"]["PasswordVerifier"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_client_reproduces_the_sdk_signature(case):
    client = SrpClient("us-east-1_unused", a=int(case["a"], 16))
    assert client.srp_a_hex == case["SRP_A"]
    params = {"SRP_B": case["SRP_B"], "SALT": case["SALT"], "SECRET_BLOCK": case["secretBlock"]}
    signature = client.signature(
        params, case["randomPassword"], case["timestamp"], pool_name=case["deviceGroupKey"], user_id=case["deviceKey"]
    )
    assert signature == case["signature"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_server_math_accepts_the_sdk_signature(case):
    # What the emulator stores from ConfirmDevice: the integers behind the base64 Salt / PasswordVerifier.
    salt = int.from_bytes(base64.b64decode(case["confirmDevice"]["Salt"]), "big")
    verifier = int.from_bytes(base64.b64decode(case["confirmDevice"]["PasswordVerifier"]), "big")
    assert srp_server.java_hex(salt) == case["SALT"]
    b = int(case["b"], 16)
    B = srp_server.compute_B(verifier, b)
    assert srp_server.java_hex(B) == case["SRP_B"]
    A = int(case["SRP_A"], 16)
    assert srp_server.java_hex(srp_server.compute_u(A, B)) == case["u"]
    expected = srp_server.expected_signature(
        A=A, B=B, b=b, verifier=verifier, pool_name=case["deviceGroupKey"], user_id=case["deviceKey"],
        secret_block=base64.b64decode(case["secretBlock"]), timestamp=case["timestamp"],
    )
    assert srp_server.signature_matches(expected, case["signature"])
    u = srp_server.compute_u(A, B)
    assert srp_server.hkdf_key(srp_server.server_S(A, verifier, b, u), u).hex() == case["hkdf"]
    # Any other device password (or key) gives another signature.
    wrong = srp_server.compute_verifier(salt, case["deviceGroupKey"], case["deviceKey"], case["randomPassword"] + "x")
    assert not srp_server.signature_matches(
        srp_server.expected_signature(
            A=A, B=srp_server.compute_B(wrong, b), b=b, verifier=wrong, pool_name=case["deviceGroupKey"],
            user_id=case["deviceKey"], secret_block=base64.b64decode(case["secretBlock"]), timestamp=case["timestamp"],
        ),
        case["signature"],
    )
    assert padded_hex(verifier) == case["verifierHex"]
