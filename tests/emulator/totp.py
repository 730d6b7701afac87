"""TOTP (RFC 6238 over RFC 4226 HOTP) as Cognito uses it for SOFTWARE_TOKEN_MFA: HMAC-SHA1, 6 digits, 30 s steps.

Pure functions (the caller passes "now"). The emulator checks codes with it; the tests compute codes with it after
test_totp_vectors.py has checked it against RFC 6238 appendix B.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct

STEP_S = 30
DIGITS = 6
# Codes of the previous and the next step are accepted too (clock drift), as authenticator servers commonly do.
WINDOW_STEPS = 1


def new_secret() -> str:
    """A random 160-bit secret as unpadded upper-case base32 (32 characters, like Cognito's SecretCode)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """Base32 secret (any case, padding optional, spaces ignored) -> key bytes; ValueError when not base32."""
    text = secret.replace(" ", "").upper()
    text += "=" * (-len(text) % 8)
    return base64.b32decode(text.encode("ascii"))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def code_at(secret: str, epoch_s: float, digits: int = DIGITS) -> str:
    return hotp(decode_secret(secret), int(epoch_s // STEP_S), digits)


def verify(secret: str, code: str, epoch_s: float, window: int = WINDOW_STEPS) -> bool:
    """Whether `code` is the TOTP of `secret` at `epoch_s`, one step either side allowed; constant-time compare."""
    if not isinstance(code, str) or len(code) != DIGITS or not code.isdigit():
        return False
    try:
        key = decode_secret(secret)
    except (ValueError, UnicodeEncodeError):
        return False
    step = int(epoch_s // STEP_S)
    matched = False
    for delta in range(-window, window + 1):
        matched |= hmac.compare_digest(hotp(key, step + delta), code)
    return matched
