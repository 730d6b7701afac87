"""Server side of Cognito's SRP-6a (USER_SRP_AUTH / PASSWORD_VERIFIER), as /work/shared/SRP.md describes it.

Pure functions over Python ints: no I/O, no clock, no randomness of its own (callers pass b, salt and "now").
The emulator uses it to check PASSWORD_CLAIM_SIGNATURE for real; test_srp_vectors.py checks it against the
simulated-server values of the shared SRP vectors.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import hashlib
import hmac
import re
import time

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO = b"Caldera Derived Key"
# How far TIMESTAMP may be from the server clock (seconds).
TIMESTAMP_TOLERANCE_S = 300

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # Python's weekday() order
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# `EEE MMM d HH:mm:ss UTC yyyy`: English names, day of month not padded, the rest padded.
_STRICT_TIMESTAMP = re.compile(
    r"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})$"
)
# The same shape but lenient about the day's padding: a match here that fails the strict form is a
# zero-padded day, which Cognito refuses with NotAuthorizedException rather than InvalidParameterException.
_PADDED_DAY_TIMESTAMP = re.compile(
    r"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"0[1-9] ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})$"
)


def pad(n: int) -> bytes:
    """Java BigInteger.toByteArray(): shortest big-endian two's complement (negative allowed)."""
    length = (n if n >= 0 else ~n).bit_length() // 8 + 1
    return n.to_bytes(length, "big", signed=True)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def int_of(data: bytes) -> int:
    return int.from_bytes(data, "big")


K = int_of(sha256(pad(N) + pad(G)))


def java_hex(n: int) -> str:
    """Java BigInteger.toString(16): minimal lowercase hex, '-' for negatives (how Cognito sends SALT/SRP_B)."""
    return format(n, "x")


def parse_java_hex(text: str) -> int:
    """Parse a hex integer the way BigInteger(str, 16) does (optional '-', any case, leading zeros)."""
    if not re.fullmatch(r"-?[0-9a-fA-F]+", text or ""):
        raise ValueError("not a hex integer")
    return int(text, 16)


def pool_name_of(user_pool_id: str) -> str:
    """The part of the pool id after the first '_' (`us-east-1_AbC` -> `AbC`)."""
    return user_pool_id.split("_", 1)[1] if "_" in user_pool_id else user_pool_id


def compute_x(salt: int, pool_name: str, user_id: str, password: str) -> int:
    inner = sha256(f"{pool_name}{user_id}:{password}".encode("utf-8"))
    return int_of(sha256(pad(salt) + inner))


def compute_verifier(salt: int, pool_name: str, user_id: str, password: str) -> int:
    return pow(G, compute_x(salt, pool_name, user_id, password), N)


def compute_B(verifier: int, b: int) -> int:
    return (K * verifier + pow(G, b, N)) % N


def compute_u(A: int, B: int) -> int:
    return int_of(sha256(pad(A) + pad(B)))


def server_S(A: int, verifier: int, b: int, u: int) -> int:
    """S = (A * v^u)^b mod N: the same value the client computes as (B - k g^x)^(a + u x)."""
    return pow(A * pow(verifier, u, N) % N, b, N)


def hkdf_key(S: int, u: int) -> bytes:
    prk = hmac.new(pad(u), pad(S), hashlib.sha256).digest()
    return hmac.new(prk, INFO + b"\x01", hashlib.sha256).digest()[:16]


def claim_signature(key: bytes, pool_name: str, user_id: str, secret_block: bytes, timestamp: str) -> bytes:
    msg = pool_name.encode("utf-8") + user_id.encode("utf-8") + secret_block + timestamp.encode("utf-8")
    return hmac.new(key, msg, hashlib.sha256).digest()


def expected_signature(
    *, A: int, B: int, b: int, verifier: int, pool_name: str, user_id: str, secret_block: bytes, timestamp: str
) -> bytes:
    """The PASSWORD_CLAIM_SIGNATURE (raw 32 bytes) a client holding the right password produces."""
    u = compute_u(A, B)
    S = server_S(A, verifier, b, u)
    return claim_signature(hkdf_key(S, u), pool_name, user_id, secret_block, timestamp)


def signature_matches(expected: bytes, claimed_b64: str) -> bool:
    """Constant-time compare of a base64 claim against the expected raw signature; bad base64 never matches."""
    try:
        claimed = base64.b64decode(claimed_b64.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(expected, claimed)


class TimestampError(Exception):
    """A bad TIMESTAMP. `kind` is the Cognito error type to answer with."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


FORMAT_MESSAGE = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."


def check_timestamp(timestamp: str, now_epoch_s: float, tolerance_s: int = TIMESTAMP_TOLERANCE_S) -> int:
    """Validate a PASSWORD_VERIFIER TIMESTAMP; return its epoch seconds or raise TimestampError.

    Not English / not "UTC" / malformed -> InvalidParameterException (Cognito's wording);
    zero-padded day, wrong weekday, impossible date or too far from now -> NotAuthorizedException.
    """
    m = _STRICT_TIMESTAMP.match(timestamp or "")
    if not m:
        if _PADDED_DAY_TIMESTAMP.match(timestamp or ""):
            raise TimestampError("NotAuthorizedException", "TIMESTAMP day of month must not be zero-padded.")
        raise TimestampError("InvalidParameterException", FORMAT_MESSAGE)
    weekday, month, day, hh, mm, ss, year = m.groups()
    month_index = MONTHS.index(month) + 1
    try:
        epoch = calendar.timegm((int(year), month_index, int(day), int(hh), int(mm), int(ss), 0, 0, 0))
        actual_weekday = datetime.date(int(year), month_index, int(day)).weekday()
    except ValueError:
        raise TimestampError("NotAuthorizedException", "TIMESTAMP is not a valid date.") from None
    if WEEKDAYS[actual_weekday] != weekday:
        raise TimestampError("NotAuthorizedException", "TIMESTAMP weekday does not match its date.")
    if abs(epoch - now_epoch_s) > tolerance_s:
        raise TimestampError("NotAuthorizedException", "TIMESTAMP is too far from the server clock.")
    return epoch


def format_timestamp(epoch_s: float) -> str:
    """Format an instant the way clients must (used by the emulator's own tests)."""
    t = time.gmtime(epoch_s)
    return f"{WEEKDAYS[t.tm_wday]} {MONTHS[t.tm_mon - 1]} {t.tm_mday} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC {t.tm_year}"
