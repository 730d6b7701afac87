#!/usr/bin/env python3
r"""Test Cognito user-pool emulator: moto 5.2.5 in-process behind a WSGI shim.

The shim adds what moto lacks or fakes (see README.md next to this file):
  * CORS on every response (also 500s and the shim's own replies), OPTIONS preflights;
  * a real server-side SRP-6a check for USER_SRP_AUTH / PASSWORD_VERIFIER;
  * ResendConfirmationCode, RevokeToken, DeleteUser, GetTokensFromRefreshToken, GetUserAttributeVerificationCode,
    VerifyUserAttribute, DeleteUserAttributes, ListDevices, ForgetDevice, and an AWS-like UpdateUserAttributes;
  * NEW_PASSWORD_REQUIRED challenge parameters (userAttributes / requiredAttributes) like AWS;
  * MFA_SETUP's MFAS_CAN_SETUP as a JSON-array string like AWS (moto: a list or its Python repr);
  * boolean `email_verified` / `phone_number_verified` claims and all attributes readable by default;
  * shim routes: GET /_emulator/health, POST /_emulator/pool, POST /_emulator/srp-salt,
    any method /_emulator/whoami (a resource server that accepts a live Bearer access token).

Usage:
  .venv/bin/python tests/emulator/cognito_emulator.py --host 127.0.0.1 --port 9329 --info /tmp/emu.json \
      --seed-user alice:Passw0rd!:alice@example.com --seed-admin root:Adm1nPass!
"""

from __future__ import annotations

import argparse
import ast
import base64
import io
import json
import os
import secrets
import signal
import sys
import threading
import time
import uuid
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srp_server  # noqa: E402

from moto.cognitoidp.models import CognitoIdpUserPool, UserStatus, cognitoidp_backends  # noqa: E402
from moto.cognitoidp.utils import check_secret_hash  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.core.exceptions import JsonRESTError  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

REGION = "us-east-1"  # moto routes every unsigned request to us-east-1
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON_CT = "application/x-amz-json-1.1"
EXPOSED_HEADERS = ", ".join(
    [
        "x-moto-forgot-password-confirmation-code",
        "x-emulator-confirmation-code",
        "x-amzn-ErrorType",
        "x-amzn-RequestId",
        "Content-Type",
        "Content-Length",
    ]
)
ALLOWED_METHODS = "GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS"
DEFAULT_ALLOWED_HEADERS = "Content-Type, X-Amz-Target, X-Amz-User-Agent, Cache-Control, Authorization, X-Amz-Date"
# How long a PASSWORD_VERIFIER challenge stays answerable (AWS: AuthSessionValidity, 3 minutes by default).
SRP_CHALLENGE_TTL_S = 300
SECRET_BLOCK_BYTES = 768  # AWS's blocks are opaque base64 of about 1 KB
# The operations whose replies may carry a challenge (fixed up by EmulatorShim.augment_challenge).
CHALLENGE_OPERATIONS = ("InitiateAuth", "RespondToAuthChallenge", "AdminInitiateAuth", "AdminRespondToAuthChallenge")


class CognitoError(Exception):
    """An AWS-shaped error reply: HTTP status, `__type`, message."""

    def __init__(self, error_type: str, message: str, status: int = 400):
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message
        self.status = status


def backend():
    return cognitoidp_backends[DEFAULT_ACCOUNT_ID][REGION]


# --------------------------------------------------------------------------------------------------------------
# Small fixes to moto's token contents (what a client decoding the ID token meets).
# --------------------------------------------------------------------------------------------------------------

_original_extra_data = CognitoIdpUserPool.get_user_extra_data_by_client_id


def _extra_data_like_aws(self: CognitoIdpUserPool, client_id: str, username: str) -> dict[str, Any]:
    """AWS puts every readable attribute in the ID token (all of them when the client lists no ReadAttributes)
    and types `*_verified` as JSON booleans; moto includes only listed ReadAttributes, as strings."""
    client = self.clients.get(client_id)
    if client is not None and not client.extended_config.get("ReadAttributes"):
        user = self._get_user(username)
        data = {a["Name"]: a["Value"] for a in user.attributes if a["Name"] != "sub"}
    else:
        data = _original_extra_data(self, client_id, username)
    for name in ("email_verified", "phone_number_verified"):
        if isinstance(data.get(name), str):
            data[name] = data[name].lower() == "true"
    return data


CognitoIdpUserPool.get_user_extra_data_by_client_id = _extra_data_like_aws  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------------------------
# Pools
# --------------------------------------------------------------------------------------------------------------


def parse_seed(spec: str) -> dict[str, Any]:
    parts = spec.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise argparse.ArgumentTypeError(f"expected NAME:PASSWORD[:EMAIL], got {spec!r}")
    email = parts[2] if len(parts) == 3 and parts[2] else f"{parts[0]}@example.com"
    return {"username": parts[0], "password": parts[1], "email": email}


def create_pool(
    *,
    name: str = "cognito-wasm-test",
    seed_users: list[dict[str, Any]] | None = None,
    admin_group: str = "admin",
    refresh_token_rotation: bool = False,
    client_secret: bool = False,
    username_attributes: list[str] | None = None,
    endpoint: str = "",
) -> dict[str, Any]:
    """Create a pool + public app client (+ group and confirmed seed users); return the info JSON object."""
    be = backend()
    pool_config: dict[str, Any] = {
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
                "TemporaryPasswordValidityDays": 7,
            }
        },
        "AutoVerifiedAttributes": ["email"],
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "UsernameConfiguration": {"CaseSensitive": False},
    }
    if username_attributes:
        pool_config["UsernameAttributes"] = list(username_attributes)
    pool = be.create_user_pool(name, pool_config)
    client_config: dict[str, Any] = {
        "ClientName": f"{name}-client",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "EnableTokenRevocation": True,
        "PreventUserExistenceErrors": "LEGACY",
    }
    if refresh_token_rotation:
        client_config["RefreshTokenRotation"] = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    client = be.create_user_pool_client(pool.id, client_secret, client_config)
    if admin_group:
        be.create_group(pool.id, admin_group, "Administrators (emulator)", None, None)
    seeded = []
    for seed in seed_users or []:
        username = seed["username"]
        email = seed.get("email") or f"{username}@example.com"
        attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        user = be.admin_create_user(pool.id, username, "SUPPRESS", None, attributes)
        be.admin_set_user_password(pool.id, user.username, seed["password"], True)
        groups = list(seed.get("groups") or [])
        for group in groups:
            if group not in pool.groups:
                be.create_group(pool.id, group, None, None, None)
            be.admin_add_user_to_group(pool.id, group, user.username)
        seeded.append(
            {"username": user.username, "password": seed["password"], "email": email, "sub": user.id, "groups": groups}
        )
    info: dict[str, Any] = {
        "endpoint": endpoint,
        "region": REGION,
        "userPoolId": pool.id,
        "clientId": client.id,
        "seedUsers": seeded,
    }
    if client_secret:
        info["clientSecret"] = client.secret
    return info


# --------------------------------------------------------------------------------------------------------------
# The shim
# --------------------------------------------------------------------------------------------------------------


def find_client(client_id: Any):
    """(pool, client) for an app-client id, or ResourceNotFoundException like moto."""
    if isinstance(client_id, str) and client_id:
        for pool in backend().user_pools.values():
            client = pool.clients.get(client_id)
            if client is not None:
                return pool, client
    raise CognitoError("ResourceNotFoundException", "User pool client %s does not exist." % client_id)


def find_pool_by_access_token(token: Any):
    if isinstance(token, str) and token:
        for pool in backend().user_pools.values():
            if token in pool.access_tokens:
                return pool
    return None


def jwt_claims(token: str) -> dict[str, Any] | None:
    """Unverified payload of a JWT (moto's own tokens), or None when it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def require_str(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise CognitoError("InvalidParameterException", f"Missing required parameter {key}")
    return value


def json_string_list(value: Any) -> Any:
    """A list-valued challenge parameter as AWS sends it: a JSON-array string, `["SOFTWARE_TOKEN_MFA"]`.

    moto 5.2.5 gives a Python list when the shim calls its backend (the SRP path) and the list's Python repr,
    `['SOFTWARE_TOKEN_MFA']` (not JSON), when its own serialiser answers (after NEW_PASSWORD_REQUIRED). Anything
    that is neither is left as it is."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return json.dumps(list(value), separators=(",", ":"))
    return value


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def user_attributes_json(user) -> str:
    attrs = {a["Name"]: a["Value"] for a in user.attributes if a["Name"] != "sub"}
    return json.dumps(attrs, separators=(",", ":"))


class SrpChallenge:
    """What the server remembers between InitiateAuth(USER_SRP_AUTH) and RespondToAuthChallenge."""

    def __init__(self, **kw: Any):
        self.__dict__.update(kw)


class EmulatorShim:
    """WSGI middleware in front of moto's server app."""

    def __init__(self, moto_app: Callable, *, verbose: bool = False):
        self.moto_app = moto_app
        self.lock = threading.RLock()  # moto's dicts are not thread-safe: one request at a time
        self.srp_challenges: dict[str, SrpChallenge] = {}  # by SECRET_BLOCK
        self.srp_salts: dict[tuple[str, str], int] = {}  # (pool id, username) -> salt, fixed per user like AWS
        self.confirmation_codes: dict[tuple[str, ...], str] = {}  # (pool, user[, attribute]) -> last code
        self.endpoint = ""
        self.srp_session = False  # --srp-session: PASSWORD_VERIFIER carries a Session (AWS sends none)
        self.srp_session_pools: set[str] = set()
        self.admin_group = "admin"
        self.verbose = verbose
        self.operations: dict[str, Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, str]]]] = {
            "ResendConfirmationCode": self.op_resend_confirmation_code,
            "RevokeToken": self.op_revoke_token,
            "DeleteUser": self.op_delete_user,
            "GetTokensFromRefreshToken": self.op_get_tokens_from_refresh_token,
            "GetUserAttributeVerificationCode": self.op_get_user_attribute_verification_code,
            "VerifyUserAttribute": self.op_verify_user_attribute,
            "UpdateUserAttributes": self.op_update_user_attributes,
            "DeleteUserAttributes": self.op_delete_user_attributes,
            "ListDevices": self.op_list_devices,
            "ForgetDevice": self.op_forget_device,
        }

    # ---- WSGI plumbing ------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        try:
            status, headers, body = self.dispatch(environ)
        except CognitoError as err:
            status, headers, body = self.error_reply(err)
        except Exception as exc:  # anything unexpected: still a JSON 500 that a browser can read
            if self.verbose:
                import traceback

                traceback.print_exc()
            status, headers, body = self.error_reply(
                CognitoError("InternalErrorException", f"emulator: {type(exc).__name__}: {exc}", 500)
            )
        headers = [(k, v) for k, v in headers if not k.lower().startswith("access-control-") and k.lower() != "vary"]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        headers.extend(self.cors_headers(origin, environ))
        start_response(status, headers)
        return [body]

    def cors_headers(self, origin: str | None, environ: dict[str, Any]) -> list[tuple[str, str]]:
        headers = [
            ("Access-Control-Allow-Origin", origin or "*"),
            ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
            ("Vary", "Origin"),
        ]
        if origin:
            headers.append(("Access-Control-Allow-Credentials", "true"))
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
            headers += [
                ("Access-Control-Allow-Methods", ALLOWED_METHODS),
                ("Access-Control-Allow-Headers", requested or DEFAULT_ALLOWED_HEADERS),
                ("Access-Control-Max-Age", "600"),
            ]
        return headers

    def json_reply(
        self, payload: Any, status: str = "200 OK", extra: dict[str, str] | None = None
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        headers = [("Content-Type", JSON_CT), ("x-amzn-RequestId", str(uuid.uuid4()))]
        headers += list((extra or {}).items())
        return status, headers, json.dumps(payload).encode("utf-8")

    def error_reply(self, err: CognitoError) -> tuple[str, list[tuple[str, str]], bytes]:
        reason = {400: "Bad Request", 500: "Internal Server Error"}.get(err.status, "Error")
        return self.json_reply(
            {"__type": err.error_type, "message": err.message},
            f"{err.status} {reason}",
            {"x-amzn-ErrorType": err.error_type},
        )

    def dispatch(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if method == "OPTIONS":
            return "204 No Content", [], b""
        raw = self.read_body(environ)
        if path == "/_emulator/whoami":
            with self.lock:
                return self.whoami(environ)
        if path.startswith("/_emulator/"):
            with self.lock:
                return self.emulator_route(method, path, raw)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if method == "POST" and target.startswith(TARGET_PREFIX):
            operation = target[len(TARGET_PREFIX) :]
            with self.lock:
                return self.cognito_operation(operation, raw, environ)
        with self.lock:
            return self.forward(environ, raw)

    @staticmethod
    def read_body(environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        return raw

    def forward(self, environ: dict[str, Any], raw: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
        """Hand the request to moto; collect its whole reply (exceptions included) under the lock."""
        environ["wsgi.input"] = io.BytesIO(raw)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            captured["status"], captured["headers"] = status, list(headers)
            return lambda _data: None

        app_iter = self.moto_app(environ, capture)
        try:
            body = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close:
                close()
        return captured["status"], captured["headers"], body

    # ---- Cognito operations -------------------------------------------------------------------------------

    def cognito_operation(
        self, operation: str, raw: bytes, environ: dict[str, Any]
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (ValueError, UnicodeDecodeError):
            raise CognitoError("SerializationException", "Request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise CognitoError("SerializationException", "Request body must be a JSON object.")
        try:
            handler = self.operations.get(operation)
            if handler is not None:
                payload, extra = handler(body)
                return self.json_reply(payload, extra=extra)
            if operation == "InitiateAuth" and body.get("AuthFlow") == "USER_SRP_AUTH":
                return self.json_reply(self.srp_initiate(body))
            if operation == "RespondToAuthChallenge" and body.get("ChallengeName") == "PASSWORD_VERIFIER":
                return self.json_reply(self.augment_challenge(self.srp_respond(body)))
            if operation == "ConfirmSignUp":
                self.check_confirmation_code(body)
            if operation == "ConfirmForgotPassword":
                self.check_confirm_forgot_password(body)
            if operation == "InitiateAuth" and body.get("AuthFlow") in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
                self.check_refresh_token_auth(body)
            status, headers, reply = self.forward(environ, raw)
        except JsonRESTError as err:  # moto backend errors raised from the shim's own calls
            raise CognitoError(err.error_type, err.message, err.code) from None
        except NotImplementedError:
            raise CognitoError(
                "InternalErrorException", f"emulator: {operation} is not implemented by moto 5.2.5", 500
            ) from None
        if operation in CHALLENGE_OPERATIONS and status.startswith("200"):
            try:
                payload = json.loads(reply)
            except ValueError:
                return status, headers, reply
            fixed = self.augment_challenge(payload)
            reply = json.dumps(fixed).encode("utf-8")
        if operation in ("SignUp",) and status.startswith("200"):
            headers.append(("x-emulator-confirmation-code", self.issue_confirmation_code(body)))
        return status, headers, reply

    def augment_challenge(self, payload: dict[str, Any]) -> dict[str, Any]:
        """AWS's NEW_PASSWORD_REQUIRED carries userAttributes / requiredAttributes (JSON strings); moto's not.
        AWS's MFA_SETUP sends MFAS_CAN_SETUP as a JSON-array string; moto a list or its Python repr."""
        if payload.get("ChallengeName") == "MFA_SETUP":
            params = payload.get("ChallengeParameters")
            if isinstance(params, dict) and "MFAS_CAN_SETUP" in params:
                params["MFAS_CAN_SETUP"] = json_string_list(params["MFAS_CAN_SETUP"])
            return payload
        if payload.get("ChallengeName") != "NEW_PASSWORD_REQUIRED":
            return payload
        params = payload.setdefault("ChallengeParameters", {})
        session = payload.get("Session")
        entry = backend().sessions.get(session) if isinstance(session, str) else None
        if entry is not None:
            username, pool = entry
            user = pool._get_user(username)
            if user is not None:
                params.setdefault("USERNAME", user.username)
                params.setdefault("USER_ID_FOR_SRP", user.username)
                params.setdefault("userAttributes", user_attributes_json(user))
        params.setdefault("requiredAttributes", "[]")
        return payload

    # SignUp / ConfirmSignUp codes: moto accepts any code. The emulator hands out a code in the
    # `x-emulator-confirmation-code` header and rejects only codes that start with "emulator-wrong"
    # (so tests can provoke CodeMismatchException) and, in --strict-codes mode, any other wrong code.
    strict_codes = False

    def issue_confirmation_code(self, body: dict[str, Any]) -> str:
        code = f"{secrets.randbelow(900000) + 100000}"
        client_id = body.get("ClientId")
        username = body.get("Username")
        if isinstance(client_id, str) and isinstance(username, str):
            try:
                pool, _ = find_client(client_id)
                user = pool._get_user(username)
                if user is not None:
                    self.confirmation_codes[(pool.id, user.username)] = code
            except CognitoError:
                pass
        return code

    def check_confirmation_code(self, body: dict[str, Any]) -> None:
        code = body.get("ConfirmationCode")
        if not isinstance(code, str) or not code:
            raise CognitoError("InvalidParameterException", "Missing required parameter ConfirmationCode")
        if code.startswith("emulator-wrong"):
            raise CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.")
        if self.strict_codes:
            pool, _ = find_client(body.get("ClientId"))
            user = pool._get_user(require_str(body, "Username"))
            if user is None:
                raise CognitoError("UserNotFoundException", "Username/client id combination not found.")
            if self.confirmation_codes.get((pool.id, user.username)) != code:
                raise CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.")

    def check_confirm_forgot_password(self, body: dict[str, Any]) -> None:
        """moto enforces neither the password policy nor (without its prefix) the code here; AWS does both."""
        code = body.get("ConfirmationCode")
        if isinstance(code, str) and code.startswith("emulator-wrong"):
            raise CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.")
        password = body.get("Password")
        client_id = body.get("ClientId")
        if isinstance(password, str) and isinstance(client_id, str):
            pool, _ = find_client(client_id)
            backend()._validate_password(pool.id, password)

    def check_refresh_token_auth(self, body: dict[str, Any]) -> None:
        """moto answers 500 for a refresh token of a deleted user and ignores which client it was issued to."""
        pool, _client = find_client(body.get("ClientId"))
        params = body.get("AuthParameters") if isinstance(body.get("AuthParameters"), dict) else {}
        token = params.get("REFRESH_TOKEN")
        if not isinstance(token, str) or not token:
            raise CognitoError("InvalidParameterException", "Missing required parameter REFRESH_TOKEN")
        entry = pool.refresh_tokens.get(token)
        if entry is None:
            revoked = token in pool.refresh_tokens
            raise CognitoError("NotAuthorizedException", "Refresh Token has been revoked" if revoked else "Invalid Refresh Token")
        token_client, username, _origin = entry
        if token_client != body.get("ClientId"):
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("NotAuthorizedException", "User does not exist.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")

    def user_for_access_token(self, body: dict[str, Any]):
        token = require_str(body, "AccessToken")
        pool = find_pool_by_access_token(token)
        if pool is None:
            raise CognitoError("NotAuthorizedException", "Invalid Access Token")
        _client_id, username = pool.access_tokens[token]
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        return pool, user

    @staticmethod
    def delivery_details(attribute: str, value: str) -> dict[str, str]:
        if attribute == "phone_number":
            return {"Destination": "+*******" + value[-4:], "DeliveryMedium": "SMS", "AttributeName": attribute}
        return {"Destination": mask_email(value), "DeliveryMedium": "EMAIL", "AttributeName": attribute}

    def op_get_user_attribute_verification_code(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        attribute = require_str(body, "AttributeName")
        if attribute not in ("email", "phone_number"):
            raise CognitoError("InvalidParameterException", f"Attribute {attribute} cannot be verified.")
        value = user.attribute_lookup.get(attribute)
        if not value:
            raise CognitoError("InvalidParameterException", f"User has no attribute {attribute}.")
        code = f"{secrets.randbelow(900000) + 100000}"
        self.confirmation_codes[(pool.id, user.username, attribute)] = code
        return {"CodeDeliveryDetails": self.delivery_details(attribute, value)}, {"x-emulator-confirmation-code": code}

    def op_verify_user_attribute(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        attribute = require_str(body, "AttributeName")
        code = require_str(body, "Code")
        if attribute not in ("email", "phone_number") or not user.attribute_lookup.get(attribute):
            raise CognitoError("InvalidParameterException", f"Attribute {attribute} cannot be verified.")
        if code.startswith("emulator-wrong") or (
            self.strict_codes and self.confirmation_codes.get((pool.id, user.username, attribute)) != code
        ):
            raise CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.")
        self.confirmation_codes.pop((pool.id, user.username, attribute), None)
        user.update_attributes([{"Name": f"{attribute}_verified", "Value": "true"}])
        return {}, {}

    def op_update_user_attributes(self, body: dict[str, Any]):
        """Like AWS: a changed email/phone becomes unverified and a code is "sent" (moto does neither)."""
        pool, user = self.user_for_access_token(body)
        attributes = body.get("UserAttributes")
        if not isinstance(attributes, list) or not all(
            isinstance(a, dict) and isinstance(a.get("Name"), str) and isinstance(a.get("Value", ""), str) for a in attributes
        ):
            raise CognitoError("InvalidParameterException", "UserAttributes must be a list of {Name, Value}.")
        for attribute in attributes:
            if attribute["Name"] in ("sub",) or attribute["Name"].startswith("dev:"):
                raise CognitoError("NotAuthorizedException", f"A client attempted to write unauthorized attribute {attribute['Name']}")
        email = next((a.get("Value") for a in attributes if a["Name"] == "email"), None)
        backend()._verify_email_is_not_used(pool.id, email)
        changed = [
            a["Name"] for a in attributes
            if a["Name"] in ("email", "phone_number") and a.get("Value") != user.attribute_lookup.get(a["Name"])
        ]
        user.update_attributes([{"Name": a["Name"], "Value": a.get("Value", "")} for a in attributes])
        details = []
        headers: dict[str, str] = {}
        for name in changed:
            user.update_attributes([{"Name": f"{name}_verified", "Value": "false"}])
            code = f"{secrets.randbelow(900000) + 100000}"
            self.confirmation_codes[(pool.id, user.username, name)] = code
            headers["x-emulator-confirmation-code"] = code
            details.append(self.delivery_details(name, user.attribute_lookup[name]))
        return ({"CodeDeliveryDetailsList": details} if details else {}), headers

    def op_delete_user_attributes(self, body: dict[str, Any]):
        _pool, user = self.user_for_access_token(body)
        names = body.get("UserAttributeNames")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise CognitoError("InvalidParameterException", "UserAttributeNames must be a list of strings.")
        user.delete_attributes(names)
        return {}, {}

    def op_list_devices(self, body: dict[str, Any]):
        self.user_for_access_token(body)
        return {"Devices": []}, {}  # moto never issues NewDeviceMetadata, so no device is ever remembered

    def op_forget_device(self, body: dict[str, Any]):
        if body.get("AccessToken") is not None:
            self.user_for_access_token(body)
        require_str(body, "DeviceKey")
        raise CognitoError("ResourceNotFoundException", "Device does not exist.")

    def op_resend_confirmation_code(self, body: dict[str, Any]):
        client_id = require_str(body, "ClientId")
        username = require_str(body, "Username")
        pool, client = find_client(client_id)
        if client.generate_secret and not check_secret_hash(client.secret, client.id, username, body.get("SecretHash")):
            raise CognitoError("NotAuthorizedException", f"Unable to verify secret hash for client {client.id}")
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "Username/client id combination not found.")
        if user.status == UserStatus.CONFIRMED:
            raise CognitoError("InvalidParameterException", "User is already confirmed.")
        email = user.attribute_lookup.get("email")
        phone = user.attribute_lookup.get("phone_number")
        if email:
            details = {"Destination": mask_email(email), "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        elif phone:
            details = {"Destination": "+*******" + phone[-4:], "DeliveryMedium": "SMS", "AttributeName": "phone_number"}
        else:
            raise CognitoError("InvalidParameterException", "Auto verification not turned on.")
        code = f"{secrets.randbelow(900000) + 100000}"
        self.confirmation_codes[(pool.id, user.username)] = code
        return {"CodeDeliveryDetails": details}, {"x-emulator-confirmation-code": code}

    def op_revoke_token(self, body: dict[str, Any]):
        token = require_str(body, "Token")
        client_id = require_str(body, "ClientId")
        try:
            pool, client = find_client(client_id)
        except CognitoError:
            raise CognitoError("UnauthorizedException", "Invalid client id.") from None
        if client.generate_secret and body.get("ClientSecret") != client.secret:
            raise CognitoError("UnauthorizedException", "Invalid client secret.")
        if not client.extended_config.get("EnableTokenRevocation", True):
            raise CognitoError("UnsupportedOperationException", "Token revocation is not enabled for this client.")
        claims = jwt_claims(token)
        if claims is not None and claims.get("token_use") in ("access", "id"):
            raise CognitoError("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.")
        if token not in pool.refresh_tokens:
            return {}, {}  # AWS answers 200 for tokens it cannot use; nothing to do
        entry = pool.refresh_tokens[token]
        if entry is None:
            return {}, {}  # already revoked: 200 like AWS
        token_client, _username, origin_jti = entry
        if token_client != client_id:
            raise CognitoError("UnauthorizedException", "The refresh token was not issued to this client.")
        self.revoke_family(pool, origin_jti)
        return {}, {}

    @staticmethod
    def revoke_family(pool: CognitoIdpUserPool, origin_jti: str) -> None:
        """Invalidate every refresh token of this sign-in and the access/ID tokens issued from them."""
        for rt, entry in list(pool.refresh_tokens.items()):
            if entry is not None and entry[2] == origin_jti:
                pool.refresh_tokens[rt] = None
        for table in (pool.access_tokens, pool.id_tokens):
            for jwt_token in list(table):
                claims = jwt_claims(jwt_token) or {}
                if claims.get("origin_jti") == origin_jti:
                    table.pop(jwt_token, None)

    def op_delete_user(self, body: dict[str, Any]):
        token = require_str(body, "AccessToken")
        pool = find_pool_by_access_token(token)
        if pool is None:
            raise CognitoError("NotAuthorizedException", "Invalid Access Token")
        _client_id, username = pool.access_tokens[token]
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        pool.sign_out(user.username)
        for rt, entry in list(pool.refresh_tokens.items()):
            if entry is not None and entry[1] == user.username:
                pool.refresh_tokens[rt] = None
        for group in list(user.groups):
            group.users.remove(user)
        del pool.users[user.username]
        self.srp_salts.pop((pool.id, user.username), None)
        return {}, {}

    def op_get_tokens_from_refresh_token(self, body: dict[str, Any]):
        token = require_str(body, "RefreshToken")
        client_id = require_str(body, "ClientId")
        pool, client = find_client(client_id)
        if client.generate_secret and body.get("ClientSecret") != client.secret:
            raise CognitoError("NotAuthorizedException", f"Client {client.id} is configured with secret but ClientSecret was not received or is wrong")
        entry = pool.refresh_tokens.get(token)
        if entry is None:
            revoked = token in pool.refresh_tokens
            raise CognitoError("NotAuthorizedException", "Refresh Token has been revoked" if revoked else "Invalid Refresh Token")
        token_client, username, origin_jti = entry
        if token_client != client_id:
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("NotAuthorizedException", "User does not exist.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        access_token, id_token, expires_in = pool.create_tokens_from_refresh_token(token)
        result: dict[str, Any] = {
            "AccessToken": access_token,
            "IdToken": id_token,
            "ExpiresIn": expires_in,
            "TokenType": "Bearer",
        }
        rotation = client.extended_config.get("RefreshTokenRotation") or {}
        if rotation.get("Feature") == "ENABLED":
            new_token = str(uuid.uuid4())
            pool.refresh_tokens[new_token] = (client_id, username, origin_jti)
            pool.refresh_tokens[token] = None
            result["RefreshToken"] = new_token
        return {"AuthenticationResult": result}, {}

    # ---- SRP ----------------------------------------------------------------------------------------------

    def salt_for(self, pool_id: str, username: str) -> int:
        key = (pool_id, username)
        if key not in self.srp_salts:
            self.srp_salts[key] = int.from_bytes(secrets.token_bytes(16), "big")
        return self.srp_salts[key]

    def srp_initiate(self, body: dict[str, Any]) -> dict[str, Any]:
        client_id = require_str(body, "ClientId")
        pool, client = find_client(client_id)
        flows = client.extended_config.get("ExplicitAuthFlows")
        if flows and "ALLOW_USER_SRP_AUTH" not in flows and "USER_SRP_AUTH" not in flows:
            raise CognitoError("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")
        params = body.get("AuthParameters")
        if not isinstance(params, dict):
            raise CognitoError("InvalidParameterException", "Missing required parameter AuthParameters")
        username = require_str(params, "USERNAME")
        srp_a = require_str(params, "SRP_A")
        if client.generate_secret and not check_secret_hash(client.secret, client.id, username, params.get("SECRET_HASH")):
            raise CognitoError("NotAuthorizedException", f"Unable to verify secret hash for client {client.id}")
        try:
            A = srp_server.parse_java_hex(srp_a)
        except ValueError:
            raise CognitoError("InvalidParameterException", "SRP_A is not a hex integer.") from None
        if A % srp_server.N == 0:
            raise CognitoError("InvalidParameterException", "SRP_A must not be 0 mod N.")
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        if user.status == UserStatus.UNCONFIRMED:
            raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
        salt = self.salt_for(pool.id, user.username)
        pool_name = srp_server.pool_name_of(pool.id)
        user_id = user.username  # AWS: USER_ID_FOR_SRP is the internal username (a UUID for email-as-username)
        # A user without a password (never happens for confirmed users) gets a verifier nobody can match.
        password = user.password if isinstance(user.password, str) else secrets.token_hex(32)
        verifier = srp_server.compute_verifier(salt, pool_name, user_id, password)
        while True:
            b = int.from_bytes(secrets.token_bytes(128), "big") % srp_server.N
            B = srp_server.compute_B(verifier, b)
            if B != 0 and b != 0:
                break
        secret_block = base64.b64encode(secrets.token_bytes(SECRET_BLOCK_BYTES)).decode("ascii")
        # AWS (measured, see README) answers PASSWORD_VERIFIER without a Session: SECRET_BLOCK identifies the
        # challenge. --srp-session (or the pool option srpSession) adds one, and then it must come back intact.
        with_session = self.srp_session or pool.id in self.srp_session_pools
        session = base64.b64encode(secrets.token_bytes(96)).decode("ascii") if with_session else None
        self.expire_srp_challenges()
        self.srp_challenges[secret_block] = SrpChallenge(
            pool_id=pool.id,
            client_id=client_id,
            username=user.username,
            user_id=user_id,
            pool_name=pool_name,
            A=A,
            b=b,
            B=B,
            verifier=verifier,
            session=session,
            created=time.time(),
        )
        reply: dict[str, Any] = {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": srp_server.java_hex(salt),
                "SRP_B": srp_server.java_hex(B),
                "SECRET_BLOCK": secret_block,
                "USERNAME": user.username,
                "USER_ID_FOR_SRP": user_id,
            },
        }
        if session is not None:
            reply["Session"] = session
        return reply

    def expire_srp_challenges(self) -> None:
        now = time.time()
        for key, challenge in list(self.srp_challenges.items()):
            if now - challenge.created > SRP_CHALLENGE_TTL_S:
                del self.srp_challenges[key]

    def srp_respond(self, body: dict[str, Any]) -> dict[str, Any]:
        client_id = require_str(body, "ClientId")
        pool, client = find_client(client_id)
        responses = body.get("ChallengeResponses")
        if not isinstance(responses, dict):
            raise CognitoError("InvalidParameterException", "Missing required parameter ChallengeResponses")
        username = require_str(responses, "USERNAME")
        secret_block = require_str(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
        signature = require_str(responses, "PASSWORD_CLAIM_SIGNATURE")
        timestamp = require_str(responses, "TIMESTAMP")
        self.expire_srp_challenges()
        challenge = self.srp_challenges.pop(secret_block, None)  # single use, right or wrong
        if challenge is None or challenge.pool_id != pool.id or challenge.client_id != client_id:
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        if challenge.session is not None and body.get("Session") not in (None, challenge.session):
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
        user = pool._get_user(username)
        if user is None or user.username != challenge.username:
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        if client.generate_secret and not check_secret_hash(client.secret, client.id, username, responses.get("SECRET_HASH")):
            raise CognitoError("NotAuthorizedException", f"Unable to verify secret hash for client {client.id}")
        try:
            srp_server.check_timestamp(timestamp, time.time())
        except srp_server.TimestampError as err:
            raise CognitoError(err.kind, err.message) from None
        try:
            block_bytes = base64.b64decode(secret_block.encode("ascii"), validate=True)
        except ValueError:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.") from None
        expected = srp_server.expected_signature(
            A=challenge.A,
            B=challenge.B,
            b=challenge.b,
            verifier=challenge.verifier,
            pool_name=challenge.pool_name,
            user_id=challenge.user_id,
            secret_block=block_bytes,
            timestamp=timestamp,
        )
        if not srp_server.signature_matches(expected, signature):
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        # Proven: let moto continue as after its own PASSWORD_VERIFIER (NEW_PASSWORD_REQUIRED, MFA, tokens).
        be = backend()
        moto_session = str(uuid.uuid4())
        be.sessions[moto_session] = (user.username, pool)
        return be.respond_to_auth_challenge(
            moto_session,
            client_id,
            "PASSWORD_VERIFIER",
            {
                "USERNAME": user.username,
                "PASSWORD_CLAIM_SIGNATURE": signature,
                "PASSWORD_CLAIM_SECRET_BLOCK": moto_session,
                "TIMESTAMP": timestamp,
            },
        )

    # ---- Shim-own routes ----------------------------------------------------------------------------------

    def whoami(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        """A tiny resource server: 200 with the user for a live `Authorization: Bearer <access token>`, else
        401 with `WWW-Authenticate`, so browser tests can exercise an authenticated fetch end to end."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        token = header[len("Bearer ") :] if header.startswith("Bearer ") else ""
        pool = find_pool_by_access_token(token)
        if pool is None:
            return (
                "401 Unauthorized",
                [("Content-Type", JSON_CT), ("WWW-Authenticate", 'Bearer error="invalid_token"')],
                json.dumps({"message": "missing, unknown or revoked access token"}).encode("utf-8"),
            )
        _client_id, username = pool.access_tokens[token]
        return self.json_reply(
            {"username": username, "userPoolId": pool.id, "method": environ.get("REQUEST_METHOD", "GET")}
        )

    def emulator_route(self, method: str, path: str, raw: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
        if path == "/_emulator/health" and method == "GET":
            return self.json_reply({"ok": True, "pools": len(backend().user_pools), "endpoint": self.endpoint})
        if method != "POST":
            raise CognitoError("ResourceNotFoundException", f"no emulator route {method} {path}")
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (ValueError, UnicodeDecodeError):
            raise CognitoError("SerializationException", "Request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise CognitoError("SerializationException", "Request body must be a JSON object.")
        if path == "/_emulator/pool":
            seeds = body.get("seedUsers") or []
            if not isinstance(seeds, list) or not all(isinstance(s, dict) for s in seeds):
                raise CognitoError("InvalidParameterException", "seedUsers must be a list of objects")
            try:
                info = create_pool(
                    name=str(body.get("name") or "cognito-wasm-test"),
                    seed_users=seeds,
                    admin_group=str(body.get("adminGroup", self.admin_group) or ""),
                    refresh_token_rotation=bool(body.get("refreshTokenRotation")),
                    client_secret=bool(body.get("clientSecret")),
                    username_attributes=body.get("usernameAttributes"),
                    endpoint=self.endpoint,
                )
            except JsonRESTError as err:
                raise CognitoError(err.error_type, err.message, err.code) from None
            if body.get("srpSession"):
                self.srp_session_pools.add(info["userPoolId"])
            return self.json_reply(info)
        if path == "/_emulator/expire-access-token":
            # Make one access token unknown to the resource server (as if it had expired server-side), leaving
            # the refresh token alone: lets tests drive a client's "401 -> refresh -> retry" path.
            token = require_str(body, "accessToken")
            pool = find_pool_by_access_token(token)
            if pool is None:
                raise CognitoError("NotAuthorizedException", "Invalid Access Token")
            del pool.access_tokens[token]
            return self.json_reply({})
        if path == "/_emulator/srp-salt":
            # Pin a user's SRP salt (hex as Cognito sends it, may be negative) to test client edge cases.
            pool_id = require_str(body, "userPoolId")
            username = require_str(body, "username")
            try:
                salt = srp_server.parse_java_hex(require_str(body, "salt"))
            except ValueError:
                raise CognitoError("InvalidParameterException", "salt must be a hex integer") from None
            pool = backend().user_pools.get(pool_id)
            user = pool._get_user(username) if pool else None
            if user is None:
                raise CognitoError("UserNotFoundException", "User does not exist.")
            self.srp_salts[(pool_id, user.username)] = salt
            return self.json_reply({"userPoolId": pool_id, "username": user.username, "salt": srp_server.java_hex(salt)})
        raise CognitoError("ResourceNotFoundException", f"no emulator route {method} {path}")


class QuietHandler(MotoRequestHandler):
    verbose = False

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        if self.verbose:
            super().log_request(code, size)


def write_info(path: str, info: dict[str, Any]) -> None:
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(info, f)
        f.write("\n")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9329, help="0 picks a free port (see the printed JSON); 9329, not cognito-local's 9229, which Node's inspector also uses")
    parser.add_argument("--info", help="write the info JSON here (atomically) once the server accepts requests")
    parser.add_argument("--seed-user", action="append", type=parse_seed, default=[], metavar="NAME:PASSWORD[:EMAIL]")
    parser.add_argument(
        "--seed-admin", action="append", type=parse_seed, default=[], metavar="NAME:PASSWORD[:EMAIL]",
        help="a confirmed user who is also in the admin group",
    )
    parser.add_argument("--admin-group", default="admin", help="group created in every pool ('' for none)")
    parser.add_argument("--pool-name", default="cognito-wasm-test")
    parser.add_argument("--refresh-token-rotation", action="store_true",
                        help="GetTokensFromRefreshToken returns a new refresh token and invalidates the old one")
    parser.add_argument("--strict-codes", action="store_true",
                        help="ConfirmSignUp and VerifyUserAttribute accept only the code from x-emulator-confirmation-code")
    parser.add_argument("--srp-session", action="store_true",
                        help="answer PASSWORD_VERIFIER with a Session too (AWS sends none; SECRET_BLOCK plays that role)")
    parser.add_argument("--verbose", action="store_true", help="log requests and tracebacks to stderr")
    args = parser.parse_args(argv)

    shim = EmulatorShim(DomainDispatcherApplication(create_backend_app), verbose=args.verbose)
    shim.strict_codes = args.strict_codes
    shim.srp_session = args.srp_session
    shim.admin_group = args.admin_group
    QuietHandler.verbose = args.verbose
    server = make_server(args.host, args.port, shim, threaded=True, request_handler=QuietHandler)
    port = server.server_address[1]
    shim.endpoint = f"http://{args.host}:{port}"

    seeds = [dict(s) for s in args.seed_user]
    if args.admin_group:
        seeds += [dict(s, groups=[args.admin_group]) for s in args.seed_admin]
    with shim.lock:
        info = create_pool(
            name=args.pool_name,
            seed_users=seeds,
            admin_group=args.admin_group,
            refresh_token_rotation=args.refresh_token_rotation,
            endpoint=shim.endpoint,
        )

    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    # Warm moto's Flask app so the first real request is fast.
    from werkzeug.test import Client

    Client(shim).post(
        "/",
        data=json.dumps({"UserPoolId": info["userPoolId"]}),
        headers={"Content-Type": JSON_CT, "X-Amz-Target": TARGET_PREFIX + "DescribeUserPool"},
    )
    if args.info:
        write_info(args.info, info)
    print(json.dumps(info), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        if args.info:
            try:
                os.remove(args.info)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
