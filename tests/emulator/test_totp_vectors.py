"""totp.py against RFC 6238 appendix B (SHA-1 seed "12345678901234567890", 8 digits there; 6 here = last 6)."""

from __future__ import annotations

import base64

import pytest

import totp

SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    "epoch, eight_digits",
    [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
     (2000000000, "69279037"), (20000000000, "65353130")],
)
def test_rfc_6238_sha1(epoch, eight_digits):
    assert totp.code_at(SECRET, epoch, digits=8) == eight_digits
    assert totp.code_at(SECRET, epoch) == eight_digits[-6:]


def test_verify_accepts_one_step_either_side_only():
    now = 1_700_000_015
    for delta in (-30, 0, 30):
        assert totp.verify(SECRET, totp.code_at(SECRET, now + delta), now)
    assert not totp.verify(SECRET, totp.code_at(SECRET, now + 60), now)
    assert not totp.verify(SECRET, totp.code_at(SECRET, now - 60), now)


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 456"])
def test_verify_refuses_malformed_codes(bad):
    assert not totp.verify(SECRET, bad, 59)


def test_new_secrets_are_random_base32():
    a, b = totp.new_secret(), totp.new_secret()
    assert a != b and len(a) == 32 and len(totp.decode_secret(a)) == 20
