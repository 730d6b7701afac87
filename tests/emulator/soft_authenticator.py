"""A software WebAuthn authenticator for the emulator's tests: an EC P-256 key per credential, attestation "none",
and assertions signed over authenticatorData || SHA-256(clientDataJSON), as the W3C WebAuthn spec lays them out."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

FLAG_UP = 0x01  # user present
FLAG_UV = 0x04  # user verified
FLAG_AT = 0x40  # attested credential data included


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    def __init__(self, origin: str, *, user_verified: bool = True):
        self.origin = origin
        self.user_verified = user_verified
        self.credentials: dict[bytes, dict] = {}  # credential id -> {key, rp_id, count, user_handle}

    def flags(self) -> int:
        return FLAG_UP | (FLAG_UV if self.user_verified else 0)

    def create(self, options: dict, *, origin: str | None = None, rp_id: str | None = None) -> dict:
        """navigator.credentials.create over CredentialCreationOptions JSON: a RegistrationResponseJSON."""
        rp_id = rp_id or options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        credential_id = secrets.token_bytes(16)
        self.credentials[credential_id] = {"key": key, "rp_id": rp_id, "count": 0, "user_handle": unb64url(options["user"]["id"])}
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self.flags() | FLAG_AT])
            + (0).to_bytes(4, "big")
            + bytes(16)  # AAGUID
            + len(credential_id).to_bytes(2, "big")
            + credential_id
            + cose
        )
        client_data = json.dumps({
            "type": "webauthn.create", "challenge": options["challenge"], "origin": origin or self.origin, "crossOrigin": False,
        }).encode()
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(credential_id),
            "rawId": b64url(credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
        }

    def get(self, options: dict, *, origin: str | None = None, rp_id: str | None = None, challenge: str | None = None,
            count: int | None = None) -> dict:
        """navigator.credentials.get over PublicKeyCredentialRequestOptions JSON: an AuthenticationResponseJSON."""
        allowed = [unb64url(c["id"]) for c in options.get("allowCredentials") or []]
        credential_id = next(c for c in self.credentials if not allowed or c in allowed)
        entry = self.credentials[credential_id]
        entry["count"] = entry["count"] + 1 if count is None else count
        auth_data = (
            hashlib.sha256((rp_id or options["rpId"]).encode()).digest()
            + bytes([self.flags()])
            + entry["count"].to_bytes(4, "big")
        )
        client_data = json.dumps({
            "type": "webauthn.get", "challenge": challenge or options["challenge"], "origin": origin or self.origin,
            "crossOrigin": False,
        }).encode()
        signature = entry["key"].sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(credential_id),
            "rawId": b64url(credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(entry["user_handle"]),
            },
        }
