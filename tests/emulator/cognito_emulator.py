#!/usr/bin/env python3
r"""Test Cognito user-pool emulator: moto 5.2.5 in-process behind a WSGI shim.

The shim adds what moto lacks or fakes (see README.md next to this file):
  * CORS on every response (also 500s and the shim's own replies), OPTIONS preflights;
  * a real server-side SRP-6a check for USER_SRP_AUTH / PASSWORD_VERIFIER;
  * its own sign-in state machine (InitiateAuth / RespondToAuthChallenge and the Admin forms): NEW_PASSWORD_REQUIRED,
    MFA (SOFTWARE_TOKEN_MFA with real TOTP, EMAIL_OTP, SMS_MFA, SELECT_MFA_TYPE, MFA_SETUP incl. email setup),
    remembered devices (NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with a real
    device SRP check, device-bound refresh tokens), USER_AUTH auto sign-in with a ConfirmSignUp Session;
  * choice-based sign-in (USER_AUTH: PREFERRED_CHALLENGE, SELECT_CHALLENGE, EMAIL_OTP / SMS_OTP / PASSWORD /
    PASSWORD_SRP first factors; pool option firstFactors), passwordless SignUp, CUSTOM_AUTH with and without SRP
    scripted by the pool option customAuth;
  * passkeys: WebAuthnConfiguration (pool option webAuthnConfiguration, SetUserPoolMfaConfig), Start/Complete-
    WebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential, GetUserAuthFactors and the WEB_AUTHN
    first factor, attestations and assertions verified with py_webauthn;
  * ResendConfirmationCode, RevokeToken, DeleteUser, GetTokensFromRefreshToken, GetUserAttributeVerificationCode,
    VerifyUserAttribute, DeleteUserAttributes, the device operations, AssociateSoftwareToken /
    VerifySoftwareToken / SetUserMFAPreference / SetUserPoolMfaConfig with email MFA, an AWS-like UpdateUserAttributes;
  * boolean `email_verified` / `phone_number_verified` claims and all attributes readable by default;
  * ClientMetadata / ValidationData recorded per operation and pool (GET /_emulator/last-request);
  * managed login (pool option oauth): a pool's domain at /_domain/{domain} with /oauth2/authorize, a sign-in page
    (/login), /oauth2/idpresponse, /oauth2/token (authorization_code with PKCE S256, refresh_token), /oauth2/revoke,
    /oauth2/userInfo and /logout; a stand-in federated provider at /_emulator/idp/{provider}/authorize; hosted-UI
    token claims (scope, nonce, at_hash, identities, the {poolId}_{provider} group) signed with the pool's JWKS key;
  * shim routes: GET /_emulator/health, POST /_emulator/pool, POST /_emulator/srp-salt, GET /_emulator/last-request,
    any method /_emulator/whoami (a resource server that accepts a live Bearer access token), GET
    /_emulator/oauth-log, POST /_emulator/expire-oauth-code.

Usage:
  .venv/bin/python tests/emulator/cognito_emulator.py --host 127.0.0.1 --port 9329 --info /tmp/emu.json \
      --seed-user alice:Passw0rd!:alice@example.com --seed-admin root:Adm1nPass!
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import hmac
import html
import http.cookies
import io
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srp_server  # noqa: E402
import totp  # noqa: E402
import webauthn  # noqa: E402

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, UserStatus, cognitoidp_backends  # noqa: E402
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
# How long a sign-in Session (challenge after challenge) stays usable: AWS's default AuthSessionValidity, 3 minutes.
AUTH_SESSION_TTL_S = 180
# Wrong MFA codes tolerated on one Session before it is dropped (AWS lets a user retry a few times).
MAX_CODE_ATTEMPTS = 5
MFA_FACTORS = ("SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP")  # the order of MFAS_CAN_SETUP
DEFAULT_MFA_FACTORS = ("SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
LIST_DEVICES_MAX = 60
# Choice-based sign-in: the pool's SignInPolicy.AllowedFirstAuthFactors values (AWS's default is PASSWORD only) and
# the challenges USER_AUTH can offer, in the order AvailableChallenges lists them.
FIRST_FACTORS = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
DEFAULT_FIRST_FACTORS = ("PASSWORD",)
USER_AUTH_CHALLENGES = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
# Wrong CUSTOM_CHALLENGE answers the scripted define step tolerates per sign-in (AWS's sample trigger: 3).
DEFAULT_CUSTOM_AUTH_ATTEMPTS = 3
# The scope of every access token from the JSON API, and what user operations require of an access token.
ADMIN_SCOPE = "aws.cognito.signin.user.admin"
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
    if isinstance(data.get("identities"), str):
        data["identities"] = identities_claim(data["identities"])
    return data


def identities_claim(attribute: str) -> Any:
    """The ID token's `identities`: the user attribute (a JSON string, `"primary": true, "dateCreated":
    1642699117273`) as an array whose values are strings (AWS's ID-token sample: `"primary": "true",
    "dateCreated": "1642699117273"`, `"issuer": null`)."""
    try:
        entries = json.loads(attribute)
    except ValueError:
        return attribute
    if not isinstance(entries, list):
        return attribute
    claim = []
    for entry in entries:
        if isinstance(entry, dict):
            claim.append({
                k: (None if v is None else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in entry.items()
            })
    return claim


CognitoIdpUserPool.get_user_extra_data_by_client_id = _extra_data_like_aws  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------------------------
# State the shim keeps next to moto's pool and user objects (so moto's reset and user deletion take it along).
# --------------------------------------------------------------------------------------------------------------


class Device:
    """A device Cognito tracks for a user: issued as NewDeviceMetadata, confirmed by ConfirmDevice."""

    def __init__(self, key: str, group_key: str, username: str):
        now = time.time()
        self.key = key
        self.group_key = group_key
        self.username = username
        self.confirmed = False
        self.salt = 0
        self.verifier = 0
        self.remembered = False
        self.name: str | None = None
        self.last_ip: str | None = None
        self.created = self.modified = self.last_authenticated = now

    def to_json(self, pool_id: str) -> dict[str, Any]:
        """DeviceType with the attribute names of AWS's own ListDevices example (aws cognito-idp list-devices)."""
        attributes = [{"Name": "device_status", "Value": "valid"}]
        if self.name:
            attributes.append({"Name": "device_name", "Value": self.name})
        attributes.append({"Name": "dev:device_owner", "Value": f"{self.username}.{pool_id}"})
        if self.last_ip:
            attributes.append({"Name": "last_ip_used", "Value": self.last_ip})
        attributes.append(
            {"Name": "dev:device_remembered_status", "Value": "remembered" if self.remembered else "not_remembered"}
        )
        return {
            "DeviceKey": self.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": round(self.created, 3),
            "DeviceLastModifiedDate": round(self.modified, 3),
            "DeviceLastAuthenticatedDate": round(self.last_authenticated, 3),
        }


class PoolState:
    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}  # by DeviceKey, in creation order
        self.group_keys: dict[str, str] = {}  # username -> DeviceGroupKey (one per user, like AWS)
        self.refresh_devices: dict[str, str] = {}  # refresh token -> the device key it is bound to
        self.email_mfa_config: dict[str, Any] | None = None  # EmailMfaConfiguration (moto ignores it)
        self.custom_auth: dict[str, Any] | None = None  # the scripted CUSTOM_AUTH triggers (pool option customAuth)
        self.sign_ins: dict[str, SignIn] = {}  # origin_jti -> what that sign-in granted (kept by its refreshes)


class SignIn:
    """One sign-in (one origin_jti): when the user authenticated and, for managed login, the OAuth scopes granted
    (None: a sign-in through the JSON API, whose access tokens carry aws.cognito.signin.user.admin only)."""

    def __init__(self, auth_time: int, scopes: list[str] | None = None):
        self.auth_time = auth_time
        self.scopes = scopes


class UserState:
    def __init__(self) -> None:
        self.totp_secret: str | None = None  # verified authenticator secret
        self.pending_totp_secret: str | None = None  # from AssociateSoftwareToken(AccessToken), until verified
        self.email_mfa = False
        self.pending_attributes: dict[str, str] = {}  # AttributesRequireVerificationBeforeUpdate: name -> new value
        self.external_provider = False  # made by a federated sign-in: UserStatus EXTERNAL_PROVIDER, no password


def pool_state(pool: CognitoIdpUserPool) -> PoolState:
    state = pool.__dict__.get("_emulator_state")
    if state is None:
        state = pool.__dict__["_emulator_state"] = PoolState()
    return state


def user_state(user: CognitoIdpUser) -> UserState:
    state = user.__dict__.get("_emulator_state")
    if state is None:
        state = user.__dict__["_emulator_state"] = UserState()
    return state


_original_user_to_json = CognitoIdpUser.to_json


def _user_json_like_aws(self: CognitoIdpUser, extended: bool = False, attributes_key: str = "Attributes",
                        attributes_to_get: list[str] | None = None) -> dict[str, Any]:
    """GetUser / AdminGetUser: EMAIL_OTP in UserMFASettingList (moto knows only SMS and TOTP); MFA fields left out
    when unset, as AWS does (moto: `[]` and `""`)."""
    data = _original_user_to_json(self, extended, attributes_key, attributes_to_get)
    if user_state(self).external_provider:
        # Kept CONFIRMED inside (moto's GetUser refuses other statuses); shown as AWS shows federated users.
        data["UserStatus"] = "EXTERNAL_PROVIDER"
    if extended:
        factors = list(data.get("UserMFASettingList") or [])
        if user_state(self).email_mfa:
            factors.append("EMAIL_OTP")
        if factors:
            data["UserMFASettingList"] = factors
        else:
            data.pop("UserMFASettingList", None)
        if not data.get("PreferredMfaSetting"):
            data.pop("PreferredMfaSetting", None)
    return data


CognitoIdpUser.to_json = _user_json_like_aws  # type: ignore[method-assign]


def device_configuration(pool: CognitoIdpUserPool) -> dict[str, Any] | None:
    """The pool's DeviceConfiguration (CreateUserPool / UpdateUserPool / pool option), None when devices are off."""
    config = pool.extended_config.get("DeviceConfiguration")
    return config if isinstance(config, dict) else None


def attributes_requiring_verification(pool: CognitoIdpUserPool) -> list[str]:
    settings = pool.extended_config.get("UserAttributeUpdateSettings")
    names = settings.get("AttributesRequireVerificationBeforeUpdate") if isinstance(settings, dict) else None
    return [n for n in names or [] if isinstance(n, str)]


def pool_mfa_factors(pool: CognitoIdpUserPool) -> list[str]:
    """The factors the pool's MFA configuration offers, in MFAS_CAN_SETUP order."""
    factors = []
    if isinstance(pool.token_mfa_config, dict) and pool.token_mfa_config.get("Enabled"):
        factors.append("SOFTWARE_TOKEN_MFA")
    if pool.sms_mfa_config:
        factors.append("SMS_MFA")
    if pool_state(pool).email_mfa_config is not None:
        factors.append("EMAIL_OTP")
    return factors


def apply_mfa_config(pool: CognitoIdpUserPool, mode: Any, factors: Any) -> None:
    """Pool MFA as SetUserPoolMfaConfig would set it: mode OFF / ON / OPTIONAL and the factors offered."""
    if mode not in ("OFF", "ON", "OPTIONAL"):
        raise CognitoError("InvalidParameterException", "[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'.")
    if not isinstance(factors, (list, tuple)) or any(f not in MFA_FACTORS for f in factors):
        raise CognitoError("InvalidParameterException", f"mfaFactors must be a list of {', '.join(MFA_FACTORS)}")
    if mode != "OFF" and not factors:
        raise CognitoError("InvalidParameterException", "MFA ON or OPTIONAL needs at least one factor.")
    pool.mfa_config = mode
    pool.token_mfa_config = {"Enabled": True} if "SOFTWARE_TOKEN_MFA" in factors else None
    pool.sms_mfa_config = (
        {"SmsAuthenticationMessage": "Your code is {####}",
         "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/emulator-sns"}}
        if "SMS_MFA" in factors else None
    )
    pool_state(pool).email_mfa_config = (
        {"Message": "Your sign-in code is {####}", "Subject": "Your sign-in code"} if "EMAIL_OTP" in factors else None
    )


def pool_first_factors(pool: CognitoIdpUserPool) -> list[str]:
    """The pool's Policies.SignInPolicy.AllowedFirstAuthFactors (CreateUserPool / UpdateUserPool / pool option
    firstFactors); AWS's default, PASSWORD only, when the pool sets none."""
    policies = pool.extended_config.get("Policies")
    sign_in = policies.get("SignInPolicy") if isinstance(policies, dict) else None
    factors = sign_in.get("AllowedFirstAuthFactors") if isinstance(sign_in, dict) else None
    if not isinstance(factors, list):
        return list(DEFAULT_FIRST_FACTORS)
    return [f for f in factors if f in FIRST_FACTORS]


def check_first_factors(factors: Any) -> list[str]:
    if not isinstance(factors, list) or not factors or any(f not in FIRST_FACTORS for f in factors):
        raise CognitoError("InvalidParameterException", f"firstFactors must be a non-empty list of {', '.join(FIRST_FACTORS)}")
    return list(dict.fromkeys(factors))


def passwordless_sign_up_allowed(pool: CognitoIdpUserPool) -> bool:
    """SignUp without a Password works when the pool offers an OTP first factor (API reference, SignUp.Password)."""
    return any(f in ("EMAIL_OTP", "SMS_OTP") for f in pool_first_factors(pool))


def user_has_password(user: CognitoIdpUser) -> bool:
    """False for a passwordless user (SignUp without a Password) until a password is set."""
    return isinstance(user.password, str) and bool(user.password)


def password_matches(user: CognitoIdpUser, password: str) -> bool:
    """The password check of every password sign-in (USER_PASSWORD_AUTH, USER_AUTH PASSWORD, managed login)."""
    return user_has_password(user) and hmac.compare_digest(user.password.encode(), password.encode())


def check_custom_auth(config: Any) -> dict[str, Any]:
    """The pool option customAuth: the scripted stand-in for the define / create / verify auth-challenge triggers."""
    if not isinstance(config, dict):
        raise CognitoError("InvalidParameterException", "customAuth must be an object")
    challenges = config.get("challenges", [])
    if not isinstance(challenges, list):
        raise CognitoError("InvalidParameterException", "customAuth.challenges must be a list")
    checked = []
    for challenge in challenges:
        public = challenge.get("publicParameters", {}) if isinstance(challenge, dict) else None
        answer = challenge.get("answer") if isinstance(challenge, dict) else None
        if not isinstance(public, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in public.items()):
            raise CognitoError("InvalidParameterException", "customAuth.challenges[].publicParameters must be a map of strings")
        if not isinstance(answer, str) or not answer:
            raise CognitoError("InvalidParameterException", "customAuth.challenges[].answer must be a non-empty string")
        checked.append({"publicParameters": dict(public), "answer": answer})
    attempts = config.get("maxAttempts", DEFAULT_CUSTOM_AUTH_ATTEMPTS)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise CognitoError("InvalidParameterException", "customAuth.maxAttempts must be a positive integer")
    return {"challenges": checked, "srp": bool(config.get("srp")), "maxAttempts": attempts}


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
    mfa: str = "OPTIONAL",
    mfa_factors: Any = DEFAULT_MFA_FACTORS,
    device_config: dict[str, Any] | None = None,
    attributes_require_verification: list[str] | None = None,
    first_factors: Any = DEFAULT_FIRST_FACTORS,
    custom_auth: Any = None,
    oauth: Any = None,
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
            },
            "SignInPolicy": {"AllowedFirstAuthFactors": check_first_factors(list(first_factors))},
        },
        "AutoVerifiedAttributes": ["email"],
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "UsernameConfiguration": {"CaseSensitive": False},
    }
    if username_attributes:
        pool_config["UsernameAttributes"] = list(username_attributes)
    if device_config is not None:
        if not isinstance(device_config, dict):
            raise CognitoError("InvalidParameterException", "deviceConfiguration must be an object")
        pool_config["DeviceConfiguration"] = {
            "ChallengeRequiredOnNewDevice": bool(device_config.get("ChallengeRequiredOnNewDevice")),
            "DeviceOnlyRememberedOnUserPrompt": bool(device_config.get("DeviceOnlyRememberedOnUserPrompt")),
        }
    if attributes_require_verification:
        if not isinstance(attributes_require_verification, list) or any(
            a not in ("email", "phone_number") for a in attributes_require_verification
        ):
            raise CognitoError("InvalidParameterException", "attributesRequireVerificationBeforeUpdate: email / phone_number")
        pool_config["UserAttributeUpdateSettings"] = {
            "AttributesRequireVerificationBeforeUpdate": list(attributes_require_verification)
        }
    custom = check_custom_auth(custom_auth) if custom_auth is not None else None
    managed_login = check_managed_login(oauth) if oauth is not None else None
    pool = be.create_user_pool(name, pool_config)
    apply_mfa_config(pool, mfa, list(mfa_factors))
    pool_state(pool).custom_auth = custom
    flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"]
    if custom is not None:
        flows.append("ALLOW_CUSTOM_AUTH")
    client_config: dict[str, Any] = {
        "ClientName": f"{name}-client",
        "ExplicitAuthFlows": flows,
        "EnableTokenRevocation": True,
        "PreventUserExistenceErrors": "LEGACY",
    }
    if refresh_token_rotation:
        client_config["RefreshTokenRotation"] = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    client = be.create_user_pool_client(pool.id, client_secret, client_config)
    oauth_info = apply_managed_login(pool, client, managed_login, endpoint) if managed_login is not None else None
    if admin_group:
        be.create_group(pool.id, admin_group, "Administrators (emulator)", None, None)
    seeded = []
    for seed in seed_users or []:
        username = seed["username"]
        email = seed.get("email") or f"{username}@example.com"
        attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        phone = seed.get("phoneNumber")
        if phone:
            attributes += [{"Name": "phone_number", "Value": str(phone)}, {"Name": "phone_number_verified", "Value": "true"}]
        user = be.admin_create_user(pool.id, username, "SUPPRESS", None, attributes)
        if seed.get("password"):
            be.admin_set_user_password(pool.id, user.username, seed["password"], True)
        else:  # a passwordless user (as SignUp without a Password makes one), confirmed
            user.password = None
            user.status = UserStatus.CONFIRMED
        groups = list(seed.get("groups") or [])
        for group in groups:
            if group not in pool.groups:
                be.create_group(pool.id, group, None, None, None)
            be.admin_add_user_to_group(pool.id, group, user.username)
        entry = {"username": user.username, "password": seed.get("password"), "email": email, "sub": user.id, "groups": groups}
        if phone:
            entry["phoneNumber"] = str(phone)
        seeded.append(entry)
    info: dict[str, Any] = {
        "endpoint": endpoint,
        "region": REGION,
        "userPoolId": pool.id,
        "clientId": client.id,
        "seedUsers": seeded,
    }
    if client_secret:
        info["clientSecret"] = client.secret
    if oauth_info is not None:
        info["oauth"] = oauth_info
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


def at_hash(access_token: str) -> str:
    """OIDC's at_hash for an RS256 ID token: base64url of the left half of SHA-256 of the access token."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


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


class AuthSession:
    """One sign-in between its first factor and its tokens. Its id changes with every challenge (as AWS's Session
    does); the old id stops working."""

    def __init__(self, pool_id: str, client_id: str, username: str, admin: bool, device_key: Any = None):
        self.id = ""
        self.pool_id = pool_id
        self.client_id = client_id
        self.username = username
        self.admin = admin  # started by AdminInitiateAuth: answered by AdminRespondToAuthChallenge
        self.device_key = device_key if isinstance(device_key, str) and device_key else None
        self.stage = ""  # the challenge this Session answers
        self.issued = time.time()
        self.mfa_done = False
        self.device_proven = False
        self.totp_secret: str | None = None  # MFA_SETUP: from AssociateSoftwareToken(Session)
        self.totp_verified = False
        self.setup_email: str | None = None  # MFA_SETUP answered with EMAIL
        self.code: str | None = None  # the EMAIL_OTP / SMS_MFA code "sent"
        self.code_factor: str | None = None
        self.failed_codes = 0
        self.device_srp: SrpChallenge | None = None
        # Choice-based sign-in (USER_AUTH) and CUSTOM_AUTH:
        self.flow = ""  # "USER_AUTH" / "CUSTOM_AUTH": what a PASSWORD_VERIFIER proof of this Session leads to
        self.available: list[str] = []  # SELECT_CHALLENGE: the AvailableChallenges offered
        self.first_factor: str | None = None  # EMAIL_OTP / SMS_OTP sent as the first factor (no MFA follows)
        self.custom: dict[str, Any] | None = None  # the pool's customAuth script when this sign-in started
        self.custom_index = 0  # the CUSTOM_CHALLENGE being asked
        self.custom_failures = 0  # wrong answers so far (the verify step said false)


class SignUpSession:
    def __init__(self, pool_id: str, client_id: str, username: str, kind: str):
        self.pool_id = pool_id
        self.client_id = client_id
        self.username = username
        self.kind = kind  # "sign-up" (SignUp's) or "confirmed" (ConfirmSignUp's, good for USER_AUTH)
        self.issued = time.time()


def new_session_id() -> str:
    """An opaque Session like AWS's (a long base64 string)."""
    return base64.b64encode(secrets.token_bytes(192)).decode("ascii")


def new_code(digits: int = 6) -> str:
    return str(secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1))


def check_string_map(body: dict[str, Any], key: str) -> None:
    value = body.get(key)
    if value is not None and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
        raise CognitoError("SerializationException", f"{key} must be a map of strings.")


def check_attribute_list(body: dict[str, Any], key: str) -> None:
    value = body.get(key)
    if value is not None and not (
        isinstance(value, list) and all(isinstance(a, dict) and isinstance(a.get("Name"), str) for a in value)
    ):
        raise CognitoError("SerializationException", f"{key} must be a list of {{Name, Value}}.")


# --------------------------------------------------------------------------------------------------------------
# Passkeys (WebAuthn): registration, the credential list, and the WEB_AUTHN first factor of USER_AUTH, verified with
# py_webauthn (attestation, assertion signature, challenge, origin, RP ID hash, sign count).
# --------------------------------------------------------------------------------------------------------------

# How long a StartWebAuthnRegistration challenge can be completed ([U] AWS's lifetime is not documented).
WEBAUTHN_REGISTRATION_TTL_S = 300
WEBAUTHN_TIMEOUT_MS = 180_000  # the `timeout` of the options the emulator sends
LIST_WEBAUTHN_MAX = 20  # ListWebAuthnCredentials MaxResults: 0..20 (MODEL WebAuthnCredentialsQueryLimitType)
WEBAUTHN_USER_VERIFICATION = ("required", "preferred")
WEBAUTHN_FACTOR_CONFIGURATIONS = ("SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION")


class Passkey:
    """One registered credential, as the pool keeps it."""

    def __init__(self, credential_id: bytes, public_key: bytes, sign_count: int, rp_id: str,
                 transports: list[str], attachment: str | None, name: str):
        self.credential_id = credential_id
        self.public_key = public_key
        self.sign_count = sign_count
        self.rp_id = rp_id
        self.transports = transports
        self.attachment = attachment
        self.name = name
        self.created = time.time()

    @property
    def id(self) -> str:
        return webauthn_b64url(self.credential_id)

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "CredentialId": self.id,
            "FriendlyCredentialName": self.name,
            "RelyingPartyId": self.rp_id,
            "AuthenticatorTransports": list(self.transports),
            "CreatedAt": round(self.created, 3),
        }
        if self.attachment:
            entry["AuthenticatorAttachment"] = self.attachment
        return entry


def webauthn_b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def webauthn_configuration(pool: CognitoIdpUserPool) -> dict[str, Any] | None:
    """The pool's WebAuthnConfiguration (pool option webAuthn, or SetUserPoolMfaConfig), None when unset."""
    return pool.__dict__.get("_emulator_webauthn")


def set_webauthn_configuration(pool: CognitoIdpUserPool, config: Any) -> dict[str, Any]:
    """Checks and stores WebAuthnConfiguration {RelyingPartyId, UserVerification, FactorConfiguration}."""
    if not isinstance(config, dict):
        raise CognitoError("InvalidParameterException", "WebAuthnConfiguration must be an object")
    rp_id = config.get("RelyingPartyId")
    if not isinstance(rp_id, str) or not rp_id or "/" in rp_id or ":" in rp_id:
        raise CognitoError("InvalidParameterException", "WebAuthnConfiguration.RelyingPartyId must be a host name")
    verification = config.get("UserVerification", "preferred")
    if verification not in WEBAUTHN_USER_VERIFICATION:
        raise CognitoError("InvalidParameterException", "UserVerification must be 'required' or 'preferred'")
    factor = config.get("FactorConfiguration", "SINGLE_FACTOR")
    if factor not in WEBAUTHN_FACTOR_CONFIGURATIONS:
        raise CognitoError("InvalidParameterException", f"FactorConfiguration must be one of {', '.join(WEBAUTHN_FACTOR_CONFIGURATIONS)}")
    checked = {"RelyingPartyId": rp_id.lower(), "UserVerification": verification, "FactorConfiguration": factor}
    pool.__dict__["_emulator_webauthn"] = checked
    return checked


def user_passkeys(user: CognitoIdpUser) -> list[Passkey]:
    keys = user.__dict__.get("_emulator_passkeys")
    if keys is None:
        keys = user.__dict__["_emulator_passkeys"] = []
    return keys


def origin_allowed(origin: Any, rp_id: str) -> bool:
    """WebAuthn's rule, as Cognito applies it: the origin's host is the RP ID or a subdomain of it, over https (or
    plain http on localhost, as browsers allow)."""
    if not isinstance(origin, str):
        return False
    parsed = urllib.parse.urlsplit(origin)
    host = (parsed.hostname or "").lower()
    if parsed.scheme == "http":
        secure = host == "localhost" or host.endswith(".localhost")
    else:
        secure = parsed.scheme == "https"
    return secure and (host == rp_id or host.endswith("." + rp_id))


def client_data_of(credential: dict[str, Any]) -> dict[str, Any]:
    """The decoded clientDataJSON of a RegistrationResponseJSON / AuthenticationResponseJSON."""
    response = credential.get("response")
    raw = response.get("clientDataJSON") if isinstance(response, dict) else None
    try:
        data = json.loads(webauthn.base64url_to_bytes(raw)) if isinstance(raw, str) else None
    except (ValueError, TypeError):
        data = None
    if not isinstance(data, dict):
        raise CognitoError("InvalidParameterException", "response.clientDataJSON is not base64url of a JSON object")
    return data


def webauthn_failure(err: Exception, what: str) -> CognitoError:
    """py_webauthn's verification errors as Cognito's exceptions."""
    text = str(err)
    if "RP ID" in text or "rp_id" in text.lower():
        return CognitoError("WebAuthnRelyingPartyMismatchException", f"{what}: {text}")
    if "origin" in text.lower():
        return CognitoError("WebAuthnOriginNotAllowedException", f"{what}: {text}")
    if "algorithm" in text.lower() or "format" in text.lower():
        return CognitoError("WebAuthnCredentialNotSupportedException", f"{what}: {text}")
    return CognitoError("NotAuthorizedException", f"{what}: {text}")


class WebAuthnRegistration:
    def __init__(self, pool_id: str, client_id: str, username: str, challenge: bytes):
        self.pool_id = pool_id
        self.client_id = client_id
        self.username = username
        self.challenge = challenge
        self.issued = time.time()


class WebAuthnOps:
    """The passkey operations of EmulatorShim and its USER_AUTH hooks (user_has_passkeys, start_web_authn, the
    WEB_AUTHN answer). Uses the shim's user_for_access_token, challenge, count_failure, first_factor_done."""

    webauthn_registrations: dict[str, WebAuthnRegistration]  # by challenge (base64url)

    def webauthn_operations(self) -> dict[str, Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, str]]]]:
        self.webauthn_registrations = {}
        return {
            "StartWebAuthnRegistration": self.op_start_web_authn_registration,
            "CompleteWebAuthnRegistration": self.op_complete_web_authn_registration,
            "ListWebAuthnCredentials": self.op_list_web_authn_credentials,
            "DeleteWebAuthnCredential": self.op_delete_web_authn_credential,
            "GetUserAuthFactors": self.op_get_user_auth_factors,
        }

    @staticmethod
    def webauthn_enabled(pool) -> dict[str, Any]:
        """The configuration of a pool whose users may use passkeys; Cognito's errors otherwise."""
        if "WEB_AUTHN" not in pool_first_factors(pool):
            raise CognitoError("WebAuthnNotEnabledException", "Passkeys (WEB_AUTHN) are not an allowed first factor of the user pool.")
        config = webauthn_configuration(pool)
        if config is None:
            raise CognitoError("WebAuthnConfigurationMissingException", "The user pool has no relying party id and no domain.")
        return config

    def op_start_web_authn_registration(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        config = self.webauthn_enabled(pool)
        client_id = pool.access_tokens[body["AccessToken"]][0]
        challenge = secrets.token_bytes(32)
        now = time.time()
        for key, entry in list(self.webauthn_registrations.items()):
            if now - entry.issued > WEBAUTHN_REGISTRATION_TTL_S:
                del self.webauthn_registrations[key]
        self.webauthn_registrations[webauthn_b64url(challenge)] = WebAuthnRegistration(pool.id, client_id, user.username, challenge)
        verification = config["UserVerification"]
        options = {
            "challenge": webauthn_b64url(challenge),
            "rp": {"id": config["RelyingPartyId"], "name": config["RelyingPartyId"]},
            # The user handle: the user's sub, as bytes (AWS's is opaque).
            "user": {
                "id": webauthn_b64url(user.id.encode("utf-8")),
                "name": user.username,
                "displayName": user.attribute_lookup.get("email") or user.username,
            },
            "pubKeyCredParams": [{"alg": -7, "type": "public-key"}, {"alg": -257, "type": "public-key"}],
            "timeout": WEBAUTHN_TIMEOUT_MS,
            "excludeCredentials": [
                {"id": key.id, "type": "public-key", "transports": list(key.transports)} for key in user_passkeys(user)
            ],
            "authenticatorSelection": {"requireResidentKey": True, "residentKey": "required", "userVerification": verification},
            "attestation": "none",
        }
        return {"CredentialCreationOptions": options}, {}

    def op_complete_web_authn_registration(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        config = self.webauthn_enabled(pool)
        credential = body.get("Credential")
        if not isinstance(credential, dict):
            raise CognitoError("InvalidParameterException", "Credential must be a JSON object (RegistrationResponseJSON)")
        client_data = client_data_of(credential)
        pending = self.webauthn_registrations.get(str(client_data.get("challenge")))
        if (pending is None or pending.pool_id != pool.id or pending.username != user.username
                or time.time() - pending.issued > WEBAUTHN_REGISTRATION_TTL_S):
            raise CognitoError("WebAuthnChallengeNotFoundException", "The registration challenge was not issued, or has expired.")
        if pending.client_id != pool.access_tokens[body["AccessToken"]][0]:
            raise CognitoError("WebAuthnClientMismatchException", "The access token is for another app client than the registration's.")
        rp_id = config["RelyingPartyId"]
        origin = client_data.get("origin")
        if not origin_allowed(origin, rp_id):
            raise CognitoError("WebAuthnOriginNotAllowedException", f"The origin {origin!r} does not belong to the relying party {rp_id}.")
        try:
            verified = webauthn.verify_registration_response(
                credential=credential,
                expected_challenge=pending.challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                require_user_verification=config["UserVerification"] == "required",
            )
        except Exception as err:  # py_webauthn's InvalidRegistrationResponse, or a malformed credential
            raise webauthn_failure(err, "The passkey registration was not accepted") from None
        del self.webauthn_registrations[webauthn_b64url(pending.challenge)]
        keys = user_passkeys(user)
        if any(k.credential_id == verified.credential_id for k in keys):
            raise CognitoError("InvalidParameterException", "The passkey is already registered.")
        response = credential.get("response") if isinstance(credential.get("response"), dict) else {}
        transports = [t for t in response.get("transports") or [] if isinstance(t, str)]
        attachment = credential.get("authenticatorAttachment")
        keys.append(Passkey(
            verified.credential_id, verified.credential_public_key, verified.sign_count, rp_id, transports,
            attachment if attachment in ("platform", "cross-platform") else None,
            f"Passkey {len(keys) + 1}" if attachment != "platform" else "This device",
        ))
        return {}, {}

    def op_list_web_authn_credentials(self, body: dict[str, Any]):
        _pool, user = self.user_for_access_token(body)
        limit = body.get("MaxResults", LIST_WEBAUTHN_MAX)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= LIST_WEBAUTHN_MAX:
            raise CognitoError("InvalidParameterException", f"MaxResults must be an integer from 0 to {LIST_WEBAUTHN_MAX}.")
        keys = user_passkeys(user)
        start = 0
        token = body.get("NextToken")
        if token is not None:
            start = next((i for i, k in enumerate(keys) if isinstance(token, str) and k.id == token), -1)
            if start < 0:
                raise CognitoError("InvalidParameterException", "Invalid NextToken.")
        page = keys[start:start + limit]
        reply: dict[str, Any] = {"Credentials": [k.to_json() for k in page]}
        if start + limit < len(keys):
            reply["NextToken"] = keys[start + limit].id
        return reply, {}

    def op_delete_web_authn_credential(self, body: dict[str, Any]):
        _pool, user = self.user_for_access_token(body)
        credential_id = require_str(body, "CredentialId")
        keys = user_passkeys(user)
        for key in keys:
            if key.id == credential_id:
                keys.remove(key)
                return {}, {}
        raise CognitoError("ResourceNotFoundException", "The passkey does not exist.")

    def op_get_user_auth_factors(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        factors = []
        if user_has_password(user):
            factors.append("PASSWORD")
        allowed = pool_first_factors(pool)
        if "EMAIL_OTP" in allowed and user.attribute_lookup.get("email"):
            factors.append("EMAIL_OTP")
        if "SMS_OTP" in allowed and user.attribute_lookup.get("phone_number"):
            factors.append("SMS_OTP")
        if self.user_has_passkeys(pool, user):
            factors.append("WEB_AUTHN")
        reply: dict[str, Any] = {"Username": user.username, "ConfiguredUserAuthFactors": factors}
        mfa = self.user_mfa_factors(pool, user)
        if mfa:
            reply["UserMFASettingList"] = mfa
        if user.preferred_mfa_setting:
            reply["PreferredMfaSetting"] = user.preferred_mfa_setting
        return reply, {}

    # -- USER_AUTH: the WEB_AUTHN first factor

    def user_has_passkeys(self, pool, user) -> bool:
        config = webauthn_configuration(pool)
        return config is not None and any(k.rp_id == config["RelyingPartyId"] for k in user_passkeys(user))

    def start_web_authn(self, session, pool, client, user, params: dict[str, Any]) -> dict[str, Any]:
        """The WEB_AUTHN challenge: CREDENTIAL_REQUEST_OPTIONS, a JSON string of PublicKeyCredentialRequestOptionsJSON
        for the user's passkeys. A CREDENTIAL sent along with the choice is checked at once."""
        config = self.webauthn_enabled(pool)
        if not self.user_has_passkeys(pool, user):
            raise CognitoError("NotAuthorizedException", "The user has no passkey.")
        challenge = secrets.token_bytes(32)
        session.webauthn_challenge = challenge
        options = {
            "challenge": webauthn_b64url(challenge),
            "timeout": WEBAUTHN_TIMEOUT_MS,
            "rpId": config["RelyingPartyId"],
            "allowCredentials": [
                {"id": k.id, "type": "public-key", "transports": list(k.transports)}
                for k in user_passkeys(user) if k.rp_id == config["RelyingPartyId"]
            ],
            "userVerification": config["UserVerification"],
        }
        reply = self.challenge(session, "WEB_AUTHN", {"CREDENTIAL_REQUEST_OPTIONS": json.dumps(options)})
        if isinstance(params.get("CREDENTIAL"), str):
            return self.respond_web_authn(session, pool, client, user, params, "WEB_AUTHN")
        return reply

    def respond_web_authn(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        config = self.webauthn_enabled(pool)
        challenge = getattr(session, "webauthn_challenge", None)
        if challenge is None:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
        try:
            credential = json.loads(require_str(responses, "CREDENTIAL"))
        except ValueError:
            credential = None
        if not isinstance(credential, dict):
            raise CognitoError("InvalidParameterException", "CREDENTIAL must be the JSON text of an AuthenticationResponseJSON")
        raw_id = credential.get("rawId") or credential.get("id")
        key = next((k for k in user_passkeys(user) if k.id == raw_id), None)
        if key is None:
            self.count_failure(session)
            raise CognitoError("NotAuthorizedException", "The passkey is not registered for the user.")
        client_data = client_data_of(credential)
        origin = client_data.get("origin")
        if not origin_allowed(origin, config["RelyingPartyId"]):
            self.count_failure(session)
            raise CognitoError("NotAuthorizedException", f"The origin {origin!r} does not belong to the relying party.")
        try:
            verified = webauthn.verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=config["RelyingPartyId"],
                expected_origin=origin,
                credential_public_key=key.public_key,
                credential_current_sign_count=key.sign_count,
                require_user_verification=config["UserVerification"] == "required",
            )
        except Exception as err:  # py_webauthn's InvalidAuthenticationResponse, or a malformed credential
            self.count_failure(session)
            raise CognitoError("NotAuthorizedException", f"Incorrect passkey assertion: {err}") from None
        key.sign_count = verified.new_sign_count
        session.webauthn_challenge = None  # one assertion per challenge
        session.mfa_done = True  # [U] as the other passwordless first factors: no MFA follows
        return self.first_factor_done(session, pool, client, user)


# --------------------------------------------------------------------------------------------------------------
# Managed login (hosted UI): the OAuth 2.0 / OIDC endpoints of a pool's domain (COGNITO-FLOWS.md 6), served under
# {endpoint}/_domain/{domain}/..., and a stand-in for federated identity providers under
# {endpoint}/_emulator/idp/{provider}/authorize. The pool's OAuth settings live where moto keeps them (the app
# client's CallbackURLs / LogoutURLs / AllowedOAuth* / SupportedIdentityProviders, the pool's identity providers,
# its user pool domain), so pools configured through the API work the same as the pool option `oauth`.
# --------------------------------------------------------------------------------------------------------------

OAUTH_CODE_TTL_S = 300  # authorization-endpoint: "a one time use code that is valid for five minutes"
HOSTED_SESSION_TTL_S = 3600  # ID-token page: managed login "sets session cookies that are valid for 1 hour"
FEDERATION_TTL_S = 900  # [U] how long a sign-in may stay at the identity provider
SYSTEM_SCOPES = ("openid", "email", "phone", "profile", ADMIN_SCOPE)
SOCIAL_PROVIDERS = ("Google", "Facebook", "LoginWithAmazon", "SignInWithApple")
CUSTOM_PROVIDER_TYPES = ("OIDC", "SAML")
PROMPTS = ("none", "login", "consent", "select_account")
DOMAIN_PATH = "/_domain/"
IDP_PATH = "/_emulator/idp/"
SESSION_COOKIE = "cognito"
# A prefix domain: lowercase letters, digits and hyphens, not starting or ending with a hyphen (AWS: up to 63).
DOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# RFC 7636: code_challenge = 43*128unreserved.
PKCE_PATTERN = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
# userInfo with `openid profile` (userinfo-endpoint, "Example scopes in an access token"); custom attributes too.
PROFILE_CLAIMS = ("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile",
                  "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at")
OAUTH_LOG_MAX = 500
OAUTH_OPTION_KEYS = ("domain", "callbackUrls", "logoutUrls", "scopes", "identityProviders")
FORM_CT = "application/x-www-form-urlencoded"
OAUTH_JSON_CT = "application/json;charset=UTF-8"
USERINFO_INVALID_TOKEN = "Access token is expired, disabled, or deleted, or the user has globally signed out."


def check_oauth_url(url: Any, what: str) -> str:
    """A callback / sign-out URL as CreateUserPoolClient takes it: absolute, no fragment, https or a custom app
    scheme; plain http only for a loopback host (AWS: `http://localhost` only; the emulator also takes 127.0.0.1
    and [::1], where test pages run)."""
    if not isinstance(url, str) or not url:
        raise CognitoError("InvalidParameterException", f"{what} must be non-empty strings")
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme or "#" in url or (parts.scheme in ("http", "https") and not parts.netloc):
        raise CognitoError("InvalidParameterException", f"{what}: {url!r} must be an absolute URL without a fragment")
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
        raise CognitoError("InvalidParameterException", f"{what}: {url!r} must use https (http only for localhost)")
    return url


def check_managed_login(config: Any, pool_id_hint: str = "") -> dict[str, Any]:
    """The pool option `oauth`, checked and with its defaults (before the pool exists, so a bad option creates
    nothing)."""
    if not isinstance(config, dict):
        raise CognitoError("InvalidParameterException", "oauth must be an object")
    unknown = sorted(set(config) - set(OAUTH_OPTION_KEYS))
    if unknown:
        raise CognitoError("InvalidParameterException", f"oauth: unknown member(s) {', '.join(unknown)}; known: {', '.join(OAUTH_OPTION_KEYS)}")
    callbacks = config.get("callbackUrls")
    if not isinstance(callbacks, list) or not callbacks:
        raise CognitoError("InvalidParameterException", "oauth.callbackUrls must be a non-empty list of URLs")
    logouts = config.get("logoutUrls", [])
    if not isinstance(logouts, list):
        raise CognitoError("InvalidParameterException", "oauth.logoutUrls must be a list of URLs")
    scopes = config.get("scopes", list(SYSTEM_SCOPES))
    if not isinstance(scopes, list) or not scopes or any(s not in SYSTEM_SCOPES for s in scopes):
        raise CognitoError("InvalidParameterException", f"oauth.scopes must be a non-empty list of {', '.join(SYSTEM_SCOPES)}")
    if "openid" not in scopes and any(s in ("email", "phone", "profile") for s in scopes):
        raise CognitoError("InvalidParameterException", "oauth.scopes: email, phone and profile need openid")
    entries = config.get("identityProviders", ["COGNITO"])
    if not isinstance(entries, list):
        entries = [None]  # reported below with the accepted shapes
    providers: list[dict[str, Any]] = []
    for entry in entries:
        if entry == "COGNITO" or entry in SOCIAL_PROVIDERS:
            providers.append({"name": entry, "type": entry, "identifiers": [], "issuer": None})
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise CognitoError(
                "InvalidParameterException",
                f"oauth.identityProviders: each is COGNITO, one of {', '.join(SOCIAL_PROVIDERS)}, or "
                '{"name", "type": "OIDC"|"SAML", "identifiers"?, "issuer"?}',
            )
        kind = entry.get("type")
        if kind not in CUSTOM_PROVIDER_TYPES and not (kind == entry["name"] and kind in SOCIAL_PROVIDERS):
            raise CognitoError("InvalidParameterException", f"oauth.identityProviders: {entry['name']}: type must be OIDC or SAML")
        identifiers = entry.get("identifiers", [])
        if not isinstance(identifiers, list) or not all(isinstance(i, str) and i for i in identifiers):
            raise CognitoError("InvalidParameterException", f"oauth.identityProviders: {entry['name']}: identifiers must be strings")
        issuer = entry.get("issuer")
        if issuer is not None and not isinstance(issuer, str):
            raise CognitoError("InvalidParameterException", f"oauth.identityProviders: {entry['name']}: issuer must be a string")
        providers.append({"name": entry["name"], "type": kind, "identifiers": list(identifiers), "issuer": issuer})
    names = [p["name"] for p in providers]
    if not names or len(set(names)) != len(names):
        raise CognitoError("InvalidParameterException", "oauth.identityProviders must be a non-empty list of distinct providers")
    domain = config.get("domain")
    if domain is not None and (not isinstance(domain, str) or not DOMAIN_PATTERN.match(domain)):
        raise CognitoError("InvalidParameterException", "oauth.domain: lowercase letters, digits and hyphens (a prefix domain)")
    if domain is not None and domain in backend().user_pool_domains:
        raise CognitoError("InvalidParameterException", f"Domain {domain} is already associated with a user pool.")
    return {
        "domain": domain,
        "callbackUrls": [check_oauth_url(u, "oauth.callbackUrls") for u in callbacks],
        "logoutUrls": [check_oauth_url(u, "oauth.logoutUrls") for u in logouts],
        "scopes": list(dict.fromkeys(scopes)),
        "providers": providers,
    }


def apply_managed_login(pool: CognitoIdpUserPool, client, config: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """Give the pool a domain and its identity providers, and the client its OAuth settings, in moto's own
    objects; return the `oauth` member of the pool's info JSON."""
    be = backend()
    domain = config["domain"] or "emu-" + pool.id.split("_", 1)[-1][:12].lower()
    be.create_user_pool_domain(pool.id, domain)
    for provider in config["providers"]:
        if provider["name"] == "COGNITO":
            continue
        issuer = provider["issuer"] or f"{endpoint}{IDP_PATH}{provider['name']}"
        if provider["type"] == "SAML":
            details = {"MetadataURL": issuer + "/metadata"}
        else:
            details = {"client_id": "emulated", "client_secret": "emulated", "authorize_scopes": "openid email profile"}
            if provider["type"] == "OIDC":
                details.update({"oidc_issuer": issuer, "attributes_request_method": "GET"})
        be.create_identity_provider(pool.id, provider["name"], {
            "ProviderType": provider["type"],
            "ProviderDetails": details,
            # What the stand-in provider's form gives, mapped to the pool attributes of the same names.
            "AttributeMapping": {"username": "sub", "email": "email", "email_verified": "email_verified", "name": "name"},
            "IdpIdentifiers": provider["identifiers"],
        })
    client.extended_config.update({
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": list(config["scopes"]),
        "CallbackURLs": list(config["callbackUrls"]),
        "LogoutURLs": list(config["logoutUrls"]),
        "SupportedIdentityProviders": [p["name"] for p in config["providers"]],
    })
    return {
        "domain": domain,
        "url": f"{endpoint}{DOMAIN_PATH}{domain}",
        "callbackUrls": list(config["callbackUrls"]),
        "logoutUrls": list(config["logoutUrls"]),
        "scopes": list(config["scopes"]),
        "identityProviders": [p["name"] for p in config["providers"]],
    }


def pkce_s256(verifier: str) -> str:
    """RFC 7636 S256: base64url(SHA-256(ASCII(code_verifier))) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def with_query(uri: str, params: dict[str, str]) -> str:
    """`uri` with `params` added to its query (a registered callback URL may have a query of its own)."""
    return uri + ("&" if "?" in uri else "?") + urllib.parse.urlencode(params)


def parse_form(text: str) -> tuple[dict[str, str], set[str]]:
    """A query or form body: the values, and the names sent more than once (RFC 6749 3.1: "MUST NOT be included
    more than once")."""
    values: dict[str, str] = {}
    repeated: set[str] = set()
    for name, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        if name in values:
            repeated.add(name)
        values.setdefault(name, value)
    return values, repeated


def case_sensitive_usernames(pool: CognitoIdpUserPool) -> bool:
    config = pool.extended_config.get("UsernameConfiguration")
    return not (isinstance(config, dict) and config.get("CaseSensitive") is False)


class OAuthPageError(Exception):
    """An authorize / logout request whose client or redirect URI cannot be trusted: AWS keeps the browser on its
    own error page instead of redirecting (authorization-endpoint, negative responses)."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(f"{error}: {description}")
        self.error, self.description, self.status = error, description, status


class OAuthRedirectError(Exception):
    """An authorize error sent back to the app's (valid) redirect_uri as `error` / `error_description`."""

    def __init__(self, redirect_uri: str, error: str, description: str, state: str | None):
        super().__init__(f"{error}: {description}")
        self.redirect_uri, self.error, self.description, self.state = redirect_uri, error, description, state

    def location(self) -> str:
        params = {"error_description": self.description, "error": self.error}
        if self.state is not None:
            params["state"] = self.state  # [U] RFC 6749 4.1.2.1 sends state back with errors too
        return with_query(self.redirect_uri, params)


class OAuthEndpointError(Exception):
    """A token / revocation endpoint error: `{"error": ...}` with its HTTP status."""

    def __init__(self, error: str, status: int = 400, description: str | None = None):
        super().__init__(error)
        self.error, self.status, self.description = error, status, description


class AuthorizeRequest:
    """A checked /oauth2/authorize (or /login) request."""

    def __init__(self, **kw: Any):
        self.pool_id: str = kw["pool_id"]
        self.client_id: str = kw["client_id"]
        self.redirect_uri: str = kw["redirect_uri"]
        self.state: str | None = kw["state"]
        self.scopes: list[str] = kw["scopes"]
        self.code_challenge: str | None = kw["code_challenge"]
        self.nonce: str | None = kw["nonce"]
        self.provider: str | None = kw["provider"]  # identity_provider / idp_identifier resolved; None: not given
        self.prompt: set[str] = kw["prompt"]
        self.login_hint: str = kw["login_hint"]
        self.lang: str | None = kw["lang"]
        self.params: dict[str, str] = kw["params"]  # as sent, for the links of the sign-in page

    def fail(self, error: str, description: str) -> OAuthRedirectError:
        return OAuthRedirectError(self.redirect_uri, error, description, self.state)


class OAuthCode:
    """An authorization code: single use, OAUTH_CODE_TTL_S, bound to the client, redirect_uri and PKCE challenge."""

    def __init__(self, request: AuthorizeRequest, username: str, auth_time: int, provider: str):
        self.pool_id = request.pool_id
        self.client_id = request.client_id
        self.redirect_uri = request.redirect_uri
        self.scopes = list(request.scopes)
        self.code_challenge = request.code_challenge
        self.nonce = request.nonce
        self.username = username
        self.auth_time = auth_time
        self.provider = provider
        self.expires = time.time() + OAUTH_CODE_TTL_S


class HostedSession:
    """The managed-login session behind the `cognito` cookie of one domain: a later authorize request signs in
    without the form until it ends (1 hour) or /logout clears it."""

    def __init__(self, pool_id: str, username: str, provider: str, auth_time: int):
        self.pool_id = pool_id
        self.username = username
        self.provider = provider  # COGNITO or the identity provider's name
        self.auth_time = auth_time
        self.expires = time.time() + HOSTED_SESSION_TTL_S


class PendingFederation:
    """An authorize request waiting at an identity provider (its `state` there is this record's id)."""

    def __init__(self, request: AuthorizeRequest, provider: str):
        self.request = request
        self.provider = provider
        self.expires = time.time() + FEDERATION_TTL_S


def html_reply(status: str, title: str, body: str, extra: list[tuple[str, str]] | None = None):
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}"
        "label,input,button,a.button{display:block;width:100%;box-sizing:border-box;margin:.4rem 0}"
        "input,button,a.button{padding:.5rem;font-size:1rem}a.button{text-align:center;border:1px solid #888;"
        "text-decoration:none;color:inherit}.error{color:#b00020}small{color:#666}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}<p><small>Cognito emulator (tests/emulator), not AWS.</small></p>"
        "</body></html>\n"
    )
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")] + list(extra or [])
    return status, headers, page.encode("utf-8")


def redirect_reply(location: str, extra: list[tuple[str, str]] | None = None):
    return "302 Found", [("Location", location), ("Cache-Control", "no-store")] + list(extra or []), b""


def oauth_json_reply(status: str, payload: Any, extra: list[tuple[str, str]] | None = None):
    headers = [("Content-Type", OAUTH_JSON_CT), ("Cache-Control", "no-store"), ("Pragma", "no-cache")]
    return status, headers + list(extra or []), json.dumps(payload).encode("utf-8")


HTTP_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}


def status_line(code: int) -> str:
    return f"{code} {HTTP_REASONS.get(code, 'Error')}"


class ManagedLoginOps:
    """The managed-login endpoints of EmulatorShim (mixin; the state lives on the shim)."""

    endpoint: str
    oauth_codes: dict[str, OAuthCode]
    hosted_sessions: dict[str, HostedSession]
    pending_federations: dict[str, PendingFederation]
    idp_codes: dict[str, dict[str, Any]]
    oauth_log: list[dict[str, Any]]

    # ---- routing --------------------------------------------------------------------------------------------

    def domain_route(self, method: str, path: str, raw: bytes, environ: dict[str, Any]):
        """`/_domain/{domain}/{endpoint}`: the endpoints of the pool that owns {domain}."""
        domain, _, rest = path[len(DOMAIN_PATH) :].partition("/")
        entry = backend().user_pool_domains.get(domain)
        pool = backend().user_pools.get(entry.user_pool_id) if entry is not None else None
        if pool is None:
            return html_reply("404 Not Found", "Unknown domain", f"<p>No user pool has the domain {html.escape(domain)!s}.</p>")
        base = f"{self.request_origin(environ)}{DOMAIN_PATH}{domain}"
        query = environ.get("QUERY_STRING", "")
        routes: dict[tuple[str, str], Callable[[], tuple[str, list[tuple[str, str]], bytes]]] = {
            ("GET", "oauth2/authorize"): lambda: self.oauth_authorize(pool, domain, base, query, environ),
            ("GET", "login"): lambda: self.oauth_login_page(pool, base, query),
            ("POST", "login"): lambda: self.oauth_login_submit(pool, domain, base, query, raw, environ),
            ("GET", "oauth2/idpresponse"): lambda: self.oauth_idp_response(pool, domain, query),
            ("POST", "oauth2/token"): lambda: self.oauth_token(pool, raw, environ),
            ("POST", "oauth2/revoke"): lambda: self.oauth_revoke(pool, raw, environ),
            ("GET", "oauth2/userInfo"): lambda: self.oauth_userinfo(pool, environ),
            ("POST", "oauth2/userInfo"): lambda: self.oauth_userinfo(pool, environ),
            ("GET", "logout"): lambda: self.oauth_logout(pool, domain, base, query, environ),
        }
        handler = routes.get((method, rest))
        if handler is None:
            if any(r == rest for _m, r in routes):
                allowed = ", ".join(m for m, r in routes if r == rest)
                return status_line(405), [("Allow", allowed), ("Content-Type", "text/plain")], b"method not allowed\n"
            return html_reply("404 Not Found", "Not found", f"<p>No managed-login page at /{html.escape(rest)}.</p>")
        try:
            return handler()
        except OAuthPageError as err:
            self.log_oauth(pool.id, "error_page", error=err.error, description=err.description)
            return html_reply(
                status_line(err.status), "Something went wrong",
                f'<p class="error" role="alert" data-error="{html.escape(err.error)}">error={html.escape(err.error)}: '
                f"{html.escape(err.description)}</p>",
            )
        except OAuthRedirectError as err:
            self.log_oauth(pool.id, "error_redirect", error=err.error, description=err.description)
            return redirect_reply(err.location())
        except OAuthEndpointError as err:
            payload = {"error": err.error}
            if err.description:
                payload["error_description"] = err.description
            extra = [("WWW-Authenticate", 'Basic realm="cognito"')] if err.status == 401 else []
            return oauth_json_reply(status_line(err.status), payload, extra)

    def request_origin(self, environ: dict[str, Any]) -> str:
        """The origin the browser used (its Host), so redirects and cookies stay on it (localhost vs 127.0.0.1)."""
        host = environ.get("HTTP_HOST")
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host}" if host else self.endpoint

    def log_oauth(self, pool_id: str | None, event: str, **fields: Any) -> None:
        self.oauth_log.append({"at": time.time(), "userPoolId": pool_id, "event": event, **fields})
        del self.oauth_log[:-OAUTH_LOG_MAX]

    def expire_oauth_state(self) -> None:
        now = time.time()
        for table in (self.oauth_codes, self.hosted_sessions, self.pending_federations):
            for key in [k for k, v in table.items() if v.expires < now]:
                del table[key]

    # ---- /oauth2/authorize and the sign-in page ------------------------------------------------------------

    def authorize_request(self, pool, query: str) -> AuthorizeRequest:
        """Check an authorize request as AWS does: an unknown client or a redirect_uri that is not one of the
        client's callback URLs stays on an error page; anything else wrong goes back to the redirect_uri."""
        params, repeated = parse_form(query)
        client = pool.clients.get(params.get("client_id", ""))
        if client is None or "client_id" in repeated:
            raise OAuthPageError("invalid_request", "client_id is missing or not an app client of this domain's user pool")
        redirect_uri = params.get("redirect_uri")
        if not redirect_uri or "redirect_uri" in repeated or redirect_uri not in (client.extended_config.get("CallbackURLs") or []):
            raise OAuthPageError("redirect_mismatch", "redirect_uri is missing or not one of the app client's callback URLs")
        state = params.get("state")

        def fail(error: str, description: str) -> OAuthRedirectError:
            return OAuthRedirectError(redirect_uri, error, description, state)

        if repeated:
            raise fail("invalid_request", f"parameter sent more than once: {', '.join(sorted(repeated))}")
        response_type = params.get("response_type")
        if response_type not in ("code", "token"):
            raise fail("invalid_request", "response_type must be code or token")
        flows = client.extended_config.get("AllowedOAuthFlows") or []
        wanted = "code" if response_type == "code" else "implicit"
        if not client.extended_config.get("AllowedOAuthFlowsUserPoolClient") or wanted not in flows:
            raise fail("unauthorized_client", f"the app client is not allowed the {wanted} grant")
        if response_type == "token":
            raise fail("invalid_request", "emulator: the implicit grant (response_type=token) is not emulated")
        method, challenge = params.get("code_challenge_method"), params.get("code_challenge")
        if method is not None or challenge is not None:
            if method != "S256":
                raise fail("invalid_request", "code_challenge_method must be S256")
            if not challenge or not PKCE_PATTERN.match(challenge):
                raise fail("invalid_request", "code_challenge is missing or malformed")
        scopes = self.granted_scopes(pool, client, params.get("scope"), fail)
        provider = self.requested_provider(pool, client, params, fail)
        prompt = {p for p in params.get("prompt", "").lower().split(" ") if p}
        if prompt - set(PROMPTS):
            raise fail("invalid_request", f"prompt must be among {', '.join(PROMPTS)}")
        return AuthorizeRequest(
            pool_id=pool.id, client_id=client.id, redirect_uri=redirect_uri, state=state, scopes=scopes,
            code_challenge=challenge, nonce=params.get("nonce") or None, provider=provider, prompt=prompt,
            login_hint=params.get("login_hint", ""), lang=params.get("lang"), params=params,
        )

    @staticmethod
    def granted_scopes(pool, client, scope: str | None, fail: Callable[[str, str], OAuthRedirectError]) -> list[str]:
        """The scopes a request gets: all the client's when it names none; unknown ones are invalid_scope; known
        ones the client may not have are dropped (authorization-endpoint: "must be preassociated with the client or
        it will be ignored at runtime")."""
        allowed = client.extended_config.get("AllowedOAuthScopes") or []
        requested = list(dict.fromkeys(s for s in (scope or "").split(" ") if s)) or list(allowed)
        known = set(SYSTEM_SCOPES) | {
            f"{rs.identifier}/{s.get('ScopeName')}" for rs in pool.resource_servers.values() for s in rs.scopes or []
        }
        unknown = [s for s in requested if s not in known]
        if unknown:
            raise fail("invalid_scope", f"unknown scope {unknown[0]}")
        if "openid" not in requested and any(s in ("email", "phone", "profile") for s in requested):
            raise fail("invalid_scope", "email, phone and profile can only be requested with openid")  # [U] the error
        granted = [s for s in requested if s in allowed]
        if not granted:
            raise fail("invalid_scope", "none of the requested scopes is allowed for the app client")  # [U]
        return granted

    @staticmethod
    def requested_provider(pool, client, params: dict[str, str], fail: Callable[[str, str], OAuthRedirectError]):
        """identity_provider (COGNITO or a provider of the pool) or idp_identifier, enabled for the client."""
        supported = client.extended_config.get("SupportedIdentityProviders") or []
        name = params.get("identity_provider")
        if name is None and params.get("idp_identifier"):
            identifier = params["idp_identifier"]
            name = next(
                (p.name for p in pool.identity_providers.values() if identifier in (p.extended_config.get("IdpIdentifiers") or [])),
                None,
            )
            if name is None:
                raise fail("invalid_request", f"no identity provider has the identifier {identifier}")  # [U]
        if name is None:
            return None
        if name not in supported or (name != "COGNITO" and name not in pool.identity_providers):
            raise fail("invalid_request", f"identity provider {name} is not enabled for the app client")  # [U]
        return name

    def oauth_authorize(self, pool, domain: str, base: str, query: str, environ: dict[str, Any]):
        self.expire_oauth_state()
        request = self.authorize_request(pool, query)
        self.log_oauth(pool.id, "authorize", clientId=request.client_id, redirectUri=request.redirect_uri,
                       scopes=request.scopes, provider=request.provider, prompt=sorted(request.prompt),
                       pkce=request.code_challenge is not None, nonce=request.nonce, state=request.state)
        session = self.hosted_session(pool, environ)
        if session is not None and "login" not in request.prompt and request.provider in (None, session.provider):
            # [U] the managed-login cookie signs the user in again without a form (for an hour)
            return self.issue_code(request, session.username, session.auth_time, session.provider, silent=True)
        if "none" in request.prompt:
            raise request.fail("login_required", "no managed-login session")  # [U] OIDC's error for prompt=none
        if request.provider not in (None, "COGNITO"):
            return self.start_federation(pool, request, base, environ)
        params = {k: v for k, v in request.params.items() if k not in ("identity_provider", "idp_identifier")}
        return redirect_reply(f"{base}/login?{urllib.parse.urlencode(params)}")

    def oauth_login_page(self, pool, base: str, query: str, error: str | None = None, username: str | None = None,
                         status: str = "200 OK"):
        request = self.authorize_request(pool, query)
        client = pool.clients[request.client_id]
        supported = client.extended_config.get("SupportedIdentityProviders") or []
        params = {k: v for k, v in request.params.items() if k not in ("identity_provider", "idp_identifier")}
        parts = []
        if error:
            parts.append(f'<p class="error" role="alert" id="loginErrorMessage">{html.escape(error)}</p>')
        if "COGNITO" in supported:
            # The field names and ids of AWS's classic hosted UI, so browser tests can be written once.
            action = f"{base}/login?{urllib.parse.urlencode(params)}"
            parts.append(
                f'<form method="post" action="{html.escape(action)}" name="cognitoSignInForm">'
                '<label for="signInFormUsername">Username</label>'
                f'<input id="signInFormUsername" name="username" type="text" autocomplete="username" required '
                f'value="{html.escape(username if username is not None else request.login_hint)}">'
                '<label for="signInFormPassword">Password</label>'
                '<input id="signInFormPassword" name="password" type="password" autocomplete="current-password" required>'
                '<button type="submit" name="signInSubmitButton">Sign in</button></form>'
            )
        for name in supported:
            if name == "COGNITO" or name not in pool.identity_providers:
                continue
            link = f"{base}/oauth2/authorize?{urllib.parse.urlencode({**params, 'identity_provider': name})}"
            parts.append(
                f'<a class="button" data-provider="{html.escape(name)}" href="{html.escape(link)}">'
                f"Continue with {html.escape(name)} (emulated)</a>"
            )
        return html_reply(status, "Sign in", "".join(parts))

    def oauth_login_submit(self, pool, domain: str, base: str, query: str, raw: bytes, environ: dict[str, Any]):
        self.expire_oauth_state()
        request = self.authorize_request(pool, query)
        client = pool.clients[request.client_id]
        if "COGNITO" not in (client.extended_config.get("SupportedIdentityProviders") or []):
            raise request.fail("invalid_request", "COGNITO is not an identity provider of the app client")
        form, _ = parse_form(raw.decode("utf-8", "replace"))
        username, password = form.get("username", "").strip(), form.get("password", "")
        try:
            if not username or not password:
                raise CognitoError("InvalidParameterException", "Username and password are required.")
            user = self.password_user(pool, username, password)
            refusal = self.hosted_ui_refusal(pool, user)
            if refusal:
                raise CognitoError("NotAuthorizedException", refusal)
        except CognitoError as err:
            self.log_oauth(pool.id, "login_failed", clientId=client.id, username=username, error=err.error_type,
                           message=err.message)
            return self.oauth_login_page(pool, base, query, error=err.message, username=username)
        auth_time = int(time.time())
        cookie = self.start_hosted_session(pool, domain, user.username, "COGNITO", auth_time)
        self.log_oauth(pool.id, "login", clientId=client.id, username=user.username)
        return self.issue_code(request, user.username, auth_time, "COGNITO", extra=[cookie])

    def hosted_ui_refusal(self, pool, user) -> str | None:
        """Why the emulator's sign-in page cannot finish this user's sign-in (its steps after the password are not
        emulated; AWS's page would go on to them), or None."""
        if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
            return "emulator: this user must change the temporary password; the managed-login page does not emulate that step"
        if user.status == UserStatus.RESET_REQUIRED:
            return "Password reset required for the user"
        mfa_asked = pool.mfa_config in ("ON", "OPTIONAL") and (
            self.user_mfa_factors(pool, user) or (pool.mfa_config == "ON" and pool_mfa_factors(pool))
        )
        if mfa_asked:
            return "emulator: this user would be asked for MFA; the managed-login page does not emulate MFA"
        return None

    def issue_code(self, request: AuthorizeRequest, username: str, auth_time: int, provider: str, *,
                   silent: bool = False, extra: list[tuple[str, str]] | None = None):
        code = str(uuid.uuid4())
        self.oauth_codes[code] = OAuthCode(request, username, auth_time, provider)
        self.log_oauth(request.pool_id, "code", clientId=request.client_id, username=username, code=code,
                       provider=provider, silent=silent)
        params = {"code": code}
        if request.state is not None:
            params["state"] = request.state
        return redirect_reply(with_query(request.redirect_uri, params), extra)

    # ---- the managed-login session cookie ---------------------------------------------------------------

    def hosted_session(self, pool, environ: dict[str, Any]) -> HostedSession | None:
        sid = self.session_cookie(environ)
        session = self.hosted_sessions.get(sid or "")
        if session is None or session.pool_id != pool.id or session.expires < time.time():
            return None
        user = pool.users.get(session.username)
        if user is None or not user.enabled:
            return None
        return session

    @staticmethod
    def session_cookie(environ: dict[str, Any]) -> str | None:
        try:
            jar = http.cookies.SimpleCookie(environ.get("HTTP_COOKIE", ""))
        except http.cookies.CookieError:
            return None
        morsel = jar.get(SESSION_COOKIE)
        return morsel.value if morsel is not None else None

    def start_hosted_session(self, pool, domain: str, username: str, provider: str, auth_time: int) -> tuple[str, str]:
        sid = secrets.token_urlsafe(32)
        self.hosted_sessions[sid] = HostedSession(pool.id, username, provider, auth_time)
        return ("Set-Cookie", f"{SESSION_COOKIE}={sid}; Path={DOMAIN_PATH}{domain}; Max-Age={HOSTED_SESSION_TTL_S}; "
                              "HttpOnly; SameSite=Lax")

    # ---- federation through the stand-in identity provider ------------------------------------------------

    def start_federation(self, pool, request: AuthorizeRequest, base: str, environ: dict[str, Any]):
        provider = pool.identity_providers[request.provider]
        pending_id = secrets.token_urlsafe(24)
        self.pending_federations[pending_id] = PendingFederation(request, provider.name)
        details = provider.extended_config.get("ProviderDetails") or {}
        params = {
            "response_type": "code",
            "client_id": str(details.get("client_id", "emulated")),
            "redirect_uri": f"{base}/oauth2/idpresponse",
            "state": pending_id,
            "scope": str(details.get("authorize_scopes", "openid email profile")),
        }
        if request.login_hint:
            params["login_hint"] = request.login_hint
        target = f"{self.request_origin(environ)}{IDP_PATH}{urllib.parse.quote(provider.name)}/authorize"
        return redirect_reply(f"{target}?{urllib.parse.urlencode(params)}")

    def idp_route(self, method: str, path: str, raw: bytes, environ: dict[str, Any]):
        """The stand-in identity provider: a form that asserts who the user is there (email, name, optionally a
        fixed subject), then sends the browser back to Cognito's /oauth2/idpresponse with a code of its own."""
        name, _, rest = path[len(IDP_PATH) :].partition("/")
        name = urllib.parse.unquote(name)
        if rest != "authorize" or method not in ("GET", "POST"):
            return html_reply("404 Not Found", "Not found", "<p>The stand-in provider serves /authorize only.</p>")
        params, _ = parse_form(environ.get("QUERY_STRING", ""))
        redirect_uri, state = params.get("redirect_uri", ""), params.get("state", "")
        if not redirect_uri.startswith(("http://", "https://")) or not state:
            return html_reply("400 Bad Request", f"{name} (emulated)", '<p class="error">redirect_uri and state are required.</p>')
        if method == "GET":
            action = f"{self.request_origin(environ)}{path}?{environ.get('QUERY_STRING', '')}"
            hint = params.get("login_hint", "")
            body = (
                f"<p>A stand-in for {html.escape(name)}: say who the user is there.</p>"
                f'<form method="post" action="{html.escape(action)}" name="idpForm">'
                f'<label for="idpEmail">Email</label><input id="idpEmail" name="email" type="email" required value="{html.escape(hint)}">'
                '<label for="idpName">Name</label><input id="idpName" name="name" type="text">'
                '<label for="idpSub">Subject (optional: derived from the email)</label><input id="idpSub" name="sub" type="text">'
                '<label><input id="idpEmailVerified" name="email_verified" type="checkbox" value="true" checked> email verified</label>'
                '<button type="submit" name="action" value="sign_in">Sign in</button>'
                '<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></form>'
            )
            return html_reply("200 OK", f"Sign in with {name} (emulated)", body)
        form, _ = parse_form(raw.decode("utf-8", "replace"))
        if form.get("action") == "cancel":
            return redirect_reply(with_query(redirect_uri, {"error": "access_denied", "state": state}))
        email = form.get("email", "").strip()
        if not email:
            return html_reply("400 Bad Request", f"{name} (emulated)", '<p class="error">An email is required.</p>')
        # A stable subject per email, shaped like Google's (21 digits), so signing in twice is the same account.
        sub = form.get("sub", "").strip() or str(int(hashlib.sha256(email.lower().encode()).hexdigest(), 16))[:21]
        code = secrets.token_urlsafe(24)
        self.idp_codes[code] = {
            "provider": name,
            "claims": {"sub": sub, "email": email, "name": form.get("name", "").strip(),
                       "email_verified": "true" if form.get("email_verified") == "true" else "false"},
        }
        return redirect_reply(with_query(redirect_uri, {"code": code, "state": state}))

    def oauth_idp_response(self, pool, domain: str, query: str):
        """Cognito's /oauth2/idpresponse: the provider's answer becomes a pool user and the app gets a code."""
        self.expire_oauth_state()
        params, _ = parse_form(query)
        pending = self.pending_federations.pop(params.get("state", ""), None)
        if pending is None or pending.request.pool_id != pool.id:
            raise OAuthPageError("invalid_request", "unknown or expired sign-in at the identity provider")
        request = pending.request
        if params.get("error"):
            # authorization-endpoint: IdP errors come back as invalid_request with a description
            raise request.fail("invalid_request", f"{pending.provider} Error - {params['error']}")
        answer = self.idp_codes.pop(params.get("code", ""), None)
        if answer is None or answer["provider"] != pending.provider:
            raise request.fail("invalid_request", f"{pending.provider} Error - invalid code")
        user, created = self.federated_user(pool, pool.identity_providers[pending.provider], answer["claims"])
        self.log_oauth(pool.id, "federated_user_created" if created else "federated_user_linked",
                       provider=pending.provider, username=user.username, sub=user.id)
        auth_time = int(time.time())
        cookie = self.start_hosted_session(pool, domain, user.username, pending.provider, auth_time)
        return self.issue_code(request, user.username, auth_time, pending.provider, extra=[cookie])

    @staticmethod
    def federated_user(pool, provider, claims: dict[str, str]):
        """The pool user of a provider's subject: created the first time (`{Provider}_{sub}`, lowercased in pools
        with case-insensitive usernames, as AWS's `google_1041…` usernames are; status EXTERNAL_PROVIDER; the
        `identities` attribute; a member of the group `{poolId}_{Provider}` that Cognito makes), found again
        afterwards with its mapped attributes updated (Cognito updates them at each federated sign-in)."""
        be = backend()
        kind = provider.extended_config.get("ProviderType") or provider.name
        username = f"{provider.name}_{claims['sub']}"
        if not case_sensitive_usernames(pool):
            username = username.lower()
        mapping = provider.extended_config.get("AttributeMapping") or {}
        mapped = [
            {"Name": attr, "Value": claims[source]}
            for attr, source in mapping.items()
            if attr != "username" and claims.get(source)
        ]
        user = pool.users.get(username)
        created = user is None
        if user is None:
            details = provider.extended_config.get("ProviderDetails") or {}
            issuer = None if kind in SOCIAL_PROVIDERS else details.get("oidc_issuer") or details.get("MetadataURL")
            identities = [{"userId": claims["sub"], "providerName": provider.name, "providerType": kind,
                           "issuer": issuer, "primary": True, "dateCreated": int(time.time() * 1000)}]
            attributes = mapped + [{"Name": "identities", "Value": json.dumps(identities, separators=(",", ":"))}]
            user = CognitoIdpUser(pool.id, username, None, UserStatus.CONFIRMED, attributes)
            user_state(user).external_provider = True
            pool.users[username] = user
        else:
            user.update_attributes(mapped)
        group = f"{pool.id}_{provider.name}"
        if group not in pool.groups:
            be.create_group(pool.id, group, f"Autogenerated group for users who sign in using {provider.name}", None, None)
        if all(g.group_name != group for g in user.groups):
            be.admin_add_user_to_group(pool.id, group, username)
        return user, created

    # ---- /oauth2/token ------------------------------------------------------------------------------------

    @staticmethod
    def oauth_form(raw: bytes, environ: dict[str, Any]) -> dict[str, str]:
        content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if content_type != FORM_CT:
            raise OAuthEndpointError("invalid_request", description=f"Content-Type must be {FORM_CT}")
        form, repeated = parse_form(raw.decode("utf-8", "replace"))
        if repeated:
            raise OAuthEndpointError("invalid_request", description=f"repeated parameter {sorted(repeated)[0]}")
        return form

    @staticmethod
    def oauth_client(pool, form: dict[str, str], environ: dict[str, Any]):
        """The app client of a token / revocation request: `Authorization: Basic` (client_id:client_secret) or
        client_id (+ client_secret) in the body; a client with a secret must prove it. [U] the status of
        invalid_client at the token endpoint: 401, as the revocation endpoint documents."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                basic_id, sep, basic_secret = decoded.partition(":")
            except (ValueError, UnicodeDecodeError):
                raise OAuthEndpointError("invalid_client", 401) from None
            if not sep or (form.get("client_id") and form["client_id"] != urllib.parse.unquote(basic_id)):
                raise OAuthEndpointError("invalid_client", 401)
            client_id, secret = urllib.parse.unquote(basic_id), urllib.parse.unquote(basic_secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret")
        client = pool.clients.get(client_id)
        if client is None:
            raise OAuthEndpointError("invalid_client", 401)
        if client.generate_secret and (secret is None or not hmac.compare_digest(secret.encode(), client.secret.encode())):
            raise OAuthEndpointError("invalid_client", 401)
        return client

    def oauth_token(self, pool, raw: bytes, environ: dict[str, Any]):
        self.expire_oauth_state()
        form = self.oauth_form(raw, environ)
        grant_type = form.get("grant_type", "")
        try:
            client = self.oauth_client(pool, form, environ)
            if not grant_type:
                raise OAuthEndpointError("invalid_request", description="grant_type is required")
            if grant_type not in ("authorization_code", "refresh_token", "client_credentials"):
                raise OAuthEndpointError("unsupported_grant_type")
            if not client.extended_config.get("AllowedOAuthFlowsUserPoolClient"):
                raise OAuthEndpointError("unauthorized_client")
            if grant_type == "authorization_code":
                result, username = self.code_grant(pool, client, form)
            elif grant_type == "refresh_token":
                result, username = self.refresh_grant(pool, client, form)
            else:  # machine-to-machine: needs a client secret and resource-server scopes, not emulated
                raise OAuthEndpointError("unauthorized_client", description="emulator: client_credentials is not emulated")
        except OAuthEndpointError as err:
            self.log_oauth(pool.id, "token_error", grantType=grant_type, error=err.error)
            raise
        self.log_oauth(pool.id, "token", grantType=grant_type, clientId=client.id, username=username)
        payload = {"access_token": result["AccessToken"]}
        if "RefreshToken" in result:
            payload["refresh_token"] = result["RefreshToken"]
        if "IdToken" in result:
            payload["id_token"] = result["IdToken"]
        payload.update({"token_type": "Bearer", "expires_in": result["ExpiresIn"]})
        return oauth_json_reply("200 OK", payload)

    def code_grant(self, pool, client, form: dict[str, str]) -> tuple[dict[str, Any], str]:
        """authorization_code: the code is spent by any attempt ([U] whether AWS spends it on a failed one)."""
        if "code" not in (client.extended_config.get("AllowedOAuthFlows") or []):
            raise OAuthEndpointError("unauthorized_client")
        code, redirect_uri = form.get("code", ""), form.get("redirect_uri", "")
        if not code or not redirect_uri:
            raise OAuthEndpointError("invalid_request", description="code and redirect_uri are required")
        entry = self.oauth_codes.pop(code, None)
        if entry is None or entry.expires < time.time() or entry.pool_id != pool.id or entry.client_id != client.id:
            raise OAuthEndpointError("invalid_grant")
        if entry.redirect_uri != redirect_uri:
            raise OAuthEndpointError("invalid_grant", description="redirect_uri does not match the authorize request")
        if entry.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if not verifier:
                raise OAuthEndpointError("invalid_request", description="code_verifier is required")  # [U] which error
            if not hmac.compare_digest(pkce_s256(verifier), entry.code_challenge):
                raise OAuthEndpointError("invalid_grant", description="code_verifier does not match the code_challenge")
        user = pool.users.get(entry.username)
        if user is None or not user.enabled:
            raise OAuthEndpointError("invalid_grant")
        result = self.issue_tokens(pool, client.id, user.username, None,
                                   grant=SignIn(entry.auth_time, entry.scopes), nonce=entry.nonce)
        return result, user.username

    def refresh_grant(self, pool, client, form: dict[str, str]) -> tuple[dict[str, Any], str]:
        """refresh_token: the same refresh tokens as InitiateAuth REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken
        (and the same rotation, [U] at this endpoint)."""
        flows = client.extended_config.get("ExplicitAuthFlows")
        if flows and "ALLOW_REFRESH_TOKEN_AUTH" not in flows:
            raise OAuthEndpointError("unauthorized_client")
        token = form.get("refresh_token", "")
        if not token:
            raise OAuthEndpointError("invalid_request", description="refresh_token is required")
        entry = pool.refresh_tokens.get(token)
        try:
            result = self.refresh_with(pool, client, token, None)
        except CognitoError as err:
            raise OAuthEndpointError("invalid_grant", description=err.message) from None
        return result, entry[1] if entry else ""

    # ---- /oauth2/revoke, /oauth2/userInfo, /logout ---------------------------------------------------------

    def oauth_revoke(self, pool, raw: bytes, environ: dict[str, Any]):
        """The RevokeToken operation behind the revocation endpoint's error shapes (revocation-endpoint)."""
        form = self.oauth_form(raw, environ)
        client = self.oauth_client(pool, form, environ)
        token = form.get("token", "")
        if not token:
            raise OAuthEndpointError("invalid_request", description="token is required")
        body = {"Token": token, "ClientId": client.id}
        if client.generate_secret:
            body["ClientSecret"] = client.secret
        try:
            self.op_revoke_token(body)
        except CognitoError as err:
            error = {"UnsupportedTokenTypeException": "unsupported_token_type"}.get(err.error_type, "invalid_request")
            self.log_oauth(pool.id, "revoke_error", clientId=client.id, error=error)
            raise OAuthEndpointError(error, description=err.message) from None
        self.log_oauth(pool.id, "revoke", clientId=client.id)
        return "200 OK", [("Cache-Control", "no-store")], b""

    def oauth_userinfo(self, pool, environ: dict[str, Any]):
        """The user's attributes for an access token from this domain's token endpoint carrying `openid`, limited
        by its other scopes (userinfo-endpoint); attribute values are strings (`"email_verified": "true"`,
        `identities` a JSON string), as AWS answers."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() != "bearer " or not header[7:].strip():
            return (status_line(400), [
                ("WWW-Authenticate", 'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'),
                ("Content-Type", OAUTH_JSON_CT)],
                json.dumps({"error": "invalid_request"}).encode())
        token = header[7:].strip()
        claims = jwt_claims(token) or {}
        entry = pool.access_tokens.get(token)
        scopes = str(claims.get("scope", "")).split(" ")
        exp = claims.get("exp")
        user = pool.users.get(entry[1]) if entry else None
        if user is None or not user.enabled or "openid" not in scopes or not isinstance(exp, int) or exp < time.time():
            self.log_oauth(pool.id, "userinfo_error")
            return (status_line(401), [
                ("WWW-Authenticate", f'error="invalid_token", error_description="{USERINFO_INVALID_TOKEN}"'),
                ("Content-Type", OAUTH_JSON_CT)],
                json.dumps({"error": "invalid_token"}).encode())
        client = pool.clients.get(entry[0])
        readable = (client.extended_config.get("ReadAttributes") if client is not None else None) or []
        attributes = {a["Name"]: a["Value"] for a in user.attributes if not readable or a["Name"] in readable or a["Name"] == "sub"}
        wanted: set[str] | None = None  # None: openid alone gives every readable attribute
        if {"profile", "email", "phone"} & set(scopes):
            wanted = {"sub", "identities"}
            if "profile" in scopes:
                wanted |= set(PROFILE_CLAIMS) | {n for n in attributes if n.startswith("custom:")}
            if "email" in scopes:
                wanted |= {"email", "email_verified"}
            if "phone" in scopes:
                wanted |= {"phone_number", "phone_number_verified"}
        answer = {"sub": user.id}
        answer.update({k: str(v) for k, v in attributes.items() if k != "sub" and (wanted is None or k in wanted)})
        answer["username"] = user.username
        self.log_oauth(pool.id, "userinfo", username=user.username)
        return oauth_json_reply("200 OK", answer)

    def oauth_logout(self, pool, domain: str, base: str, query: str, environ: dict[str, Any]):
        """Clear the managed-login session, then go to logout_uri (a sign-out URL of the client) or, with
        redirect_uri + response_type instead, to the sign-in page (logout-endpoint)."""
        params, repeated = parse_form(query)
        client = pool.clients.get(params.get("client_id", ""))
        if client is None or "client_id" in repeated:
            raise OAuthPageError("invalid_request", "client_id is missing or not an app client of this domain's user pool")
        logout_uri = params.get("logout_uri")
        if logout_uri is not None:
            if logout_uri not in (client.extended_config.get("LogoutURLs") or []) or "logout_uri" in repeated:
                raise OAuthPageError("redirect_mismatch", "logout_uri is not one of the app client's sign-out URLs")
            target = logout_uri
        elif params.get("redirect_uri") is not None:
            self.authorize_request(pool, query)  # the same checks as /oauth2/authorize (error page or redirect)
            target = f"{base}/login?{urllib.parse.urlencode(params)}"
        else:
            raise OAuthPageError("invalid_request", "logout needs logout_uri, or redirect_uri and response_type")
        sid = self.session_cookie(environ)
        ended = self.hosted_sessions.pop(sid, None) if sid else None
        self.log_oauth(pool.id, "logout", clientId=client.id, username=ended.username if ended else None,
                       target=target)
        cleared = ("Set-Cookie", f"{SESSION_COOKIE}=; Path={DOMAIN_PATH}{domain}; Max-Age=0; HttpOnly; SameSite=Lax")
        return redirect_reply(target, [cleared])

    # ---- discovery ----------------------------------------------------------------------------------------

    def openid_configuration(self, environ: dict[str, Any], status: str, headers: list, body: bytes):
        """moto's /{poolId}/.well-known/openid-configuration plus the domain's endpoints, as AWS lists them for a
        pool with a domain."""
        if not status.startswith("200"):
            return status, headers, body
        pool_id = environ.get("PATH_INFO", "").strip("/").split("/")[0]
        domain = next((d for d, e in backend().user_pool_domains.items() if e.user_pool_id == pool_id), None)
        if domain is None:
            return status, headers, body
        try:
            document = json.loads(body)
        except ValueError:
            return status, headers, body
        base = f"{self.request_origin(environ)}{DOMAIN_PATH}{domain}"
        document.update({
            "authorization_endpoint": f"{base}/oauth2/authorize",
            "token_endpoint": f"{base}/oauth2/token",
            "userinfo_endpoint": f"{base}/oauth2/userInfo",
            "revocation_endpoint": f"{base}/oauth2/revoke",
            "end_session_endpoint": f"{base}/logout",
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        })
        return status, headers, json.dumps(document).encode("utf-8")

    def oauth_log_route(self, query: str):
        args = urllib.parse.parse_qs(query)
        pool_id = (args.get("userPoolId") or [None])[0]
        events = [e for e in self.oauth_log if pool_id is None or e["userPoolId"] == pool_id]
        return self.json_reply({"events": events})  # type: ignore[attr-defined]


class EmulatorShim(WebAuthnOps, ManagedLoginOps):
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
            "InitiateAuth": self.op_initiate_auth,
            "AdminInitiateAuth": lambda body: self.op_initiate_auth(body, admin=True),
            "RespondToAuthChallenge": self.op_respond_to_auth_challenge,
            "AdminRespondToAuthChallenge": lambda body: self.op_respond_to_auth_challenge(body, admin=True),
            "AssociateSoftwareToken": self.op_associate_software_token,
            "VerifySoftwareToken": self.op_verify_software_token,
            "SetUserMFAPreference": self.op_set_user_mfa_preference,
            "AdminSetUserMFAPreference": lambda body: self.op_set_user_mfa_preference(body, admin=True),
            "SetUserPoolMfaConfig": self.op_set_user_pool_mfa_config,
            "GetUserPoolMfaConfig": self.op_get_user_pool_mfa_config,
            "ConfirmDevice": self.op_confirm_device,
            "UpdateDeviceStatus": self.op_update_device_status,
            "AdminUpdateDeviceStatus": lambda body: self.op_update_device_status(body, admin=True),
            "GetDevice": self.op_get_device,
            "AdminGetDevice": lambda body: self.op_get_device(body, admin=True),
            "ListDevices": self.op_list_devices,
            "AdminListDevices": lambda body: self.op_list_devices(body, admin=True),
            "ForgetDevice": self.op_forget_device,
            "AdminForgetDevice": lambda body: self.op_forget_device(body, admin=True),
            **self.webauthn_operations(),
        }
        self.auth_sessions: dict[str, AuthSession] = {}  # sign-in Sessions by id
        self.sign_up_sessions: dict[str, SignUpSession] = {}  # SignUp / ConfirmSignUp Sessions by id
        self.last_requests: dict[tuple[str, str | None], dict[str, Any]] = {}  # (operation, pool id) -> record
        self.reply_headers: dict[str, str] = {}  # extra headers of the reply being built (e.g. a code "sent")
        # Managed login (ManagedLoginOps):
        self.oauth_codes: dict[str, OAuthCode] = {}  # authorization codes by value
        self.hosted_sessions: dict[str, HostedSession] = {}  # managed-login sessions by cookie value
        self.pending_federations: dict[str, PendingFederation] = {}  # by the state sent to the identity provider
        self.idp_codes: dict[str, dict[str, Any]] = {}  # the stand-in provider's codes -> what it asserted
        self.oauth_log: list[dict[str, Any]] = []  # GET /_emulator/oauth-log
        self.remote_addr = ""

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
        if path.startswith(DOMAIN_PATH):
            with self.lock:
                return self.domain_route(method, path, raw, environ)
        if path.startswith(IDP_PATH):
            with self.lock:
                return self.idp_route(method, path, raw, environ)
        if path.endswith("/.well-known/openid-configuration") and method == "GET":
            with self.lock:
                return self.openid_configuration(environ, *self.forward(environ, raw))
        if path == "/_emulator/whoami":
            with self.lock:
                return self.whoami(environ)
        if path.startswith("/_emulator/"):
            with self.lock:
                return self.emulator_route(method, path, raw, environ.get("QUERY_STRING", ""))
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
        self.reply_headers = {}
        self.remote_addr = str(environ.get("REMOTE_ADDR") or "")
        try:
            for key in ("ClientMetadata",):
                check_string_map(body, key)
            for key in ("ValidationData",):
                check_attribute_list(body, key)
            self.record_request(operation, body)
            self.check_access_token_scope(body)
            handler = self.operations.get(operation)
            result = handler(body) if handler is not None else None
            if result is not None:
                payload, extra = result
                return self.json_reply(payload, extra={**self.reply_headers, **extra})
            if operation == "ConfirmSignUp":
                self.check_confirmation_code(body)
            if operation == "ConfirmForgotPassword":
                self.check_confirm_forgot_password(body)
            passwordless = False
            if operation == "SignUp":
                raw, passwordless = self.prepare_sign_up(body, raw)
                environ["CONTENT_LENGTH"] = str(len(raw))
            status, headers, reply = self.forward(environ, raw)
            if passwordless and status.startswith("200"):
                self.finish_passwordless_sign_up(body)
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
        if operation in ("SignUp", "ConfirmSignUp") and status.startswith("200"):
            reply = self.add_sign_up_session(operation, body, reply)
            if operation == "SignUp":
                headers.append(("x-emulator-confirmation-code", self.issue_confirmation_code(body)))
        return status, headers, reply

    @staticmethod
    def check_access_token_scope(body: dict[str, Any]) -> None:
        """Operations authorised by an AccessToken need its scope aws.cognito.signin.user.admin (API reference);
        only tokens from the token endpoint can lack it (a sign-in that did not ask for that scope)."""
        token = body.get("AccessToken")
        claims = jwt_claims(token) if isinstance(token, str) else None
        if claims and claims.get("token_use") == "access" and ADMIN_SCOPE not in str(claims.get("scope", "")).split(" "):
            raise CognitoError("NotAuthorizedException", "Access Token does not have required scopes")

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
        # A value waiting for verification (AttributesRequireVerificationBeforeUpdate) is the one a code goes to.
        value = user_state(user).pending_attributes.get(attribute) or user.attribute_lookup.get(attribute)
        if not value:
            raise CognitoError("InvalidParameterException", f"User has no attribute {attribute}.")
        code = new_code()
        self.confirmation_codes[(pool.id, user.username, attribute)] = code
        return {"CodeDeliveryDetails": self.delivery_details(attribute, value)}, {"x-emulator-confirmation-code": code}

    def op_verify_user_attribute(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        attribute = require_str(body, "AttributeName")
        code = require_str(body, "Code")
        pending = user_state(user).pending_attributes
        if attribute not in ("email", "phone_number") or not (pending.get(attribute) or user.attribute_lookup.get(attribute)):
            raise CognitoError("InvalidParameterException", f"Attribute {attribute} cannot be verified.")
        if code.startswith("emulator-wrong") or (
            self.strict_codes and self.confirmation_codes.get((pool.id, user.username, attribute)) != code
        ):
            raise CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.")
        self.confirmation_codes.pop((pool.id, user.username, attribute), None)
        updates = [{"Name": f"{attribute}_verified", "Value": "true"}]
        if attribute in pending:
            updates.insert(0, {"Name": attribute, "Value": pending.pop(attribute)})
        user.update_attributes(updates)
        return {}, {}

    def op_update_user_attributes(self, body: dict[str, Any]):
        """Like AWS: a changed email/phone becomes unverified and a code is "sent" (moto does neither); with the
        pool's AttributesRequireVerificationBeforeUpdate the old value stays until the new one is verified; a blank
        value deletes the attribute."""
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
        backend()._verify_email_is_not_used(pool.id, email or None)
        state = user_state(user)
        hold_back = attributes_requiring_verification(pool)
        updates, deletions, changed = [], [], []
        for attribute in attributes:
            name, value = attribute["Name"], attribute.get("Value", "")
            if name in ("email", "phone_number") and value and value != user.attribute_lookup.get(name):
                changed.append((name, value))
                if name in hold_back and user.attribute_lookup.get(name):
                    state.pending_attributes[name] = value
                    continue
                updates.append({"Name": f"{name}_verified", "Value": "false"})
            if name in ("email", "phone_number") and value == user.attribute_lookup.get(name):
                state.pending_attributes.pop(name, None)  # back to the current value: nothing waits any more
            if value:
                updates.append({"Name": name, "Value": value})
            elif name in user.attribute_lookup:
                deletions.append(name)
        if updates:
            user.update_attributes(updates)
        if deletions:
            user.delete_attributes(deletions)
        details = []
        headers: dict[str, str] = {}
        for name, value in changed:
            code = new_code()
            self.confirmation_codes[(pool.id, user.username, name)] = code
            headers["x-emulator-confirmation-code"] = code
            details.append(self.delivery_details(name, value))
        return ({"CodeDeliveryDetailsList": details} if details else {}), headers

    def op_delete_user_attributes(self, body: dict[str, Any]):
        _pool, user = self.user_for_access_token(body)
        names = body.get("UserAttributeNames")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise CognitoError("InvalidParameterException", "UserAttributeNames must be a list of strings.")
        for name in names:
            if name == "sub" or name.startswith("dev:"):
                raise CognitoError("NotAuthorizedException", f"A client attempted to write unauthorized attribute {name}")
            user_state(user).pending_attributes.pop(name, None)
        user.delete_attributes(names)
        return {}, {}

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
        pool_state(pool).sign_ins.pop(origin_jti, None)
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
        state = pool_state(pool)
        for key in [k for k, d in state.devices.items() if d.username == user.username]:
            del state.devices[key]
        return {}, {}

    def op_get_tokens_from_refresh_token(self, body: dict[str, Any]):
        token = require_str(body, "RefreshToken")
        client_id = require_str(body, "ClientId")
        pool, client = find_client(client_id)
        if client.generate_secret and body.get("ClientSecret") != client.secret:
            raise CognitoError("NotAuthorizedException", f"Client {client.id} is configured with secret but ClientSecret was not received or is wrong")
        return {"AuthenticationResult": self.refresh_with(pool, client, token, body.get("DeviceKey"))}, {}

    def check_refresh_token(self, pool, client_id: str, token: str, device_key: Any) -> tuple[str, str, str | None]:
        """(username, origin_jti, bound device key) of a usable refresh token, or the error AWS gives.

        moto answers 500 for a refresh token of a deleted user and ignores which client it was issued to. With
        device tracking a refresh token belongs to its device (AWS blog "Tracking and remembering devices"): once
        that device is confirmed, refreshing needs its DEVICE_KEY, and after ForgetDevice it fails."""
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
        state = pool_state(pool)
        if isinstance(device_key, str) and device_key:
            given = state.devices.get(device_key)
            if given is None or given.username != user.username or not given.confirmed:
                raise CognitoError("ResourceNotFoundException", "Device does not exist.")
        bound_key = state.refresh_devices.get(token)
        if bound_key is None:
            return username, origin_jti, None
        bound = state.devices.get(bound_key)
        if bound is None:  # forgotten
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        if bound.confirmed and device_key != bound_key:
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        return username, origin_jti, bound_key

    def issue_tokens(
        self,
        pool,
        client_id: str,
        username: str,
        device_key: str | None,
        refresh_token: str | None = None,
        *,
        grant: SignIn | None = None,
        nonce: str | None = None,
    ) -> dict[str, Any]:
        """An AuthenticationResult: a new sign-in (new refresh token) or a refresh (`refresh_token` given, none
        returned). The access token carries `device_key` like AWS's when the sign-in is bound to a device.

        Every sign-in keeps a SignIn record under its origin_jti, so its refreshes keep what it granted: the
        original `auth_time` (AWS: "On refreshes, it represents the time when the original authentication
        occurred") and, for a managed-login sign-in (`grant` with scopes), the OAuth scopes: then the access token
        carries them (and `version: 2`), the ID token `at_hash` and, from the code exchange, the `nonce`; without
        `openid` there is no ID token at all (authorization-endpoint: "An ID token is only returned if openid scope
        is requested")."""
        state = pool_state(pool)
        if refresh_token is None:
            new_refresh, origin_jti = pool.create_refresh_token(client_id, username)
            if device_key is not None:
                state.refresh_devices[new_refresh] = device_key
            sign_in = grant or SignIn(int(time.time()))
            state.sign_ins[origin_jti] = sign_in
        else:
            new_refresh = None
            origin_jti = pool.refresh_tokens[refresh_token][2]
            sign_in = state.sign_ins.get(origin_jti) or SignIn(int(time.time()))
        user = pool._get_user(username)
        oauth = sign_in.scopes is not None
        extra: dict[str, Any] = {
            "origin_jti": origin_jti,
            "scope": " ".join(sign_in.scopes) if sign_in.scopes is not None else ADMIN_SCOPE,
            "auth_time": sign_in.auth_time,
        }
        if oauth:
            extra["version"] = 2  # [U] seen in tokens from the token endpoint, not in the API reference
        if user.groups:
            extra["cognito:groups"] = [group.group_name for group in user.groups]
        if device_key is not None:
            extra["device_key"] = device_key
        access_token, expires_in = pool.create_jwt(client_id, username, "access", extra_data=extra)
        pool.access_tokens[access_token] = (client_id, username)
        result: dict[str, Any] = {"AccessToken": access_token, "ExpiresIn": expires_in, "TokenType": "Bearer"}
        if sign_in.scopes is None or "openid" in sign_in.scopes:
            id_extra: dict[str, Any] = {"origin_jti": origin_jti, "auth_time": sign_in.auth_time}
            if oauth:
                id_extra["at_hash"] = at_hash(access_token)
            if nonce:
                id_extra["nonce"] = nonce
            result["IdToken"] = self.make_id_token(pool, client_id, username, id_extra)
        if new_refresh is not None:
            result["RefreshToken"] = new_refresh
        return result

    @staticmethod
    def make_id_token(pool, client_id: str, username: str, extra: dict[str, Any]) -> str:
        """moto's create_id_token (readable attributes, custom attributes, groups) plus `extra` claims."""
        data = pool.get_user_extra_data_by_client_id(client_id, username)
        user = pool._get_user(username)
        for attr in user.attributes:
            if attr["Name"].startswith("custom:"):
                data[attr["Name"]] = attr["Value"]
        if user.groups:
            data["cognito:groups"] = [group.group_name for group in user.groups]
        data.update(extra)
        id_token, _ = pool.create_jwt(client_id, username, "id", extra_data=data)
        pool.id_tokens[id_token] = (client_id, username)
        return id_token

    def refresh_with(self, pool, client, token: str, device_key: Any) -> dict[str, Any]:
        """New tokens for a refresh token (GetTokensFromRefreshToken and the token endpoint's refresh grant): with
        the client's RefreshTokenRotation a new refresh token comes back and the old one dies at once (grace 0)."""
        username, origin_jti, bound_key = self.check_refresh_token(pool, client.id, token, device_key)
        result = self.issue_tokens(pool, client.id, username, bound_key, refresh_token=token)
        rotation = client.extended_config.get("RefreshTokenRotation") or {}
        if rotation.get("Feature") == "ENABLED":
            new_token = str(uuid.uuid4())
            pool.refresh_tokens[new_token] = (client.id, username, origin_jti)
            pool.refresh_tokens[token] = None
            bound = pool_state(pool).refresh_devices.pop(token, None)
            if bound is not None:
                pool_state(pool).refresh_devices[new_token] = bound
            result["RefreshToken"] = new_token
        return result

    # ---- Sign-in state machine ----------------------------------------------------------------------------
    #
    # First factor (password, SRP proof, or a ConfirmSignUp Session) -> NEW_PASSWORD_REQUIRED -> MFA (skipped on a
    # remembered device when the pool's DeviceConfiguration.ChallengeRequiredOnNewDevice says so) -> DEVICE_SRP_AUTH
    # / DEVICE_PASSWORD_VERIFIER (a remembered device was named) -> tokens (+ NewDeviceMetadata when the pool tracks
    # devices and no known device was named).

    def op_initiate_auth(self, body: dict[str, Any], admin: bool = False):
        flow = body.get("AuthFlow")
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            return self.refresh_initiate(body, admin), {}
        if flow == "CUSTOM_AUTH":
            return self.custom_auth_initiate(body, admin), {}
        if admin:
            if flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
                return self.password_initiate(body, admin=True), {}
            return None  # moto: its own validation error for other flows
        if flow == "USER_SRP_AUTH":
            return self.srp_initiate(body), {}
        if flow == "USER_PASSWORD_AUTH":
            return self.password_initiate(body, admin=False), {}
        if flow == "USER_AUTH":
            return self.user_auth_initiate(body), {}
        return None  # anything else: moto's

    def client_for(self, body: dict[str, Any], admin: bool):
        client_id = require_str(body, "ClientId")
        pool, client = find_client(client_id)
        if admin and body.get("UserPoolId") != pool.id:
            raise CognitoError("ResourceNotFoundException", f"User pool client {client_id} does not exist.")
        return pool, client

    @staticmethod
    def require_flow(client, flow: str) -> None:
        flows = client.extended_config.get("ExplicitAuthFlows")
        if flows and f"ALLOW_{flow}" not in flows and flow not in flows:
            raise CognitoError("InvalidParameterException", f"{flow} flow not enabled for this client")

    @staticmethod
    def auth_parameters(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """InitiateAuth's AuthParameters and their USERNAME, both required."""
        params = body.get("AuthParameters")
        if not isinstance(params, dict):
            raise CognitoError("InvalidParameterException", "Missing required parameter AuthParameters")
        return params, require_str(params, "USERNAME")

    @staticmethod
    def check_secret_hash(client, username: str, params: dict[str, Any]) -> None:
        if client.generate_secret and not check_secret_hash(client.secret, client.id, username, params.get("SECRET_HASH")):
            raise CognitoError("NotAuthorizedException", f"Unable to verify secret hash for client {client.id}")

    def password_initiate(self, body: dict[str, Any], admin: bool) -> dict[str, Any]:
        pool, client = self.client_for(body, admin)
        if not admin:
            self.require_flow(client, "USER_PASSWORD_AUTH")
        params, username = self.auth_parameters(body)
        password = require_str(params, "PASSWORD")
        self.check_secret_hash(client, username, params)
        user = self.password_user(pool, username, password)
        return self.after_first_factor(pool, client, user, admin=admin, device_key=params.get("DEVICE_KEY"))

    @staticmethod
    def password_user(pool, username: str, password: str):
        """The user a username + password sign-in proves, or the error AWS gives (USER_PASSWORD_AUTH and the
        managed-login form): unknown user, disabled, wrong password, then (only after the password) unconfirmed."""
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        if not password_matches(user, password):
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        if user.status == UserStatus.UNCONFIRMED:
            raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
        return user

    def user_auth_initiate(self, body: dict[str, Any]) -> dict[str, Any]:
        """USER_AUTH: with the Session of ConfirmSignUp it is auto sign-in (that Session stands for the first
        factor); without one, choice-based sign-in (choice_initiate)."""
        pool, client = self.client_for(body, False)
        self.require_flow(client, "USER_AUTH")
        params, username = self.auth_parameters(body)
        self.check_secret_hash(client, username, params)
        session_id = body.get("Session")
        if not isinstance(session_id, str) or not session_id:
            return self.choice_initiate(pool, client, params, username)
        self.expire_sessions()
        entry = self.sign_up_sessions.pop(session_id, None)
        user = pool._get_user(username)
        if entry is None or entry.kind != "confirmed" or entry.pool_id != pool.id or entry.client_id != client.id:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.")
        if user is None or user.username != entry.username:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        return self.after_first_factor(pool, client, user, admin=False, device_key=params.get("DEVICE_KEY"))

    def refresh_initiate(self, body: dict[str, Any], admin: bool) -> dict[str, Any]:
        pool, client = self.client_for(body, admin)
        params = body.get("AuthParameters") if isinstance(body.get("AuthParameters"), dict) else {}
        token = params.get("REFRESH_TOKEN")
        if not isinstance(token, str) or not token:
            raise CognitoError("InvalidParameterException", "Missing required parameter REFRESH_TOKEN")
        username, _origin, device_key = self.check_refresh_token(pool, client.id, token, params.get("DEVICE_KEY"))
        if client.generate_secret:
            # AWS hashes the username the client knows; the token's internal username and the alias both work here.
            user = pool._get_user(username)
            names = {username} | {v for k, v in user.attribute_lookup.items() if k in ("email", "phone_number")}
            if not any(check_secret_hash(client.secret, client.id, n, params.get("SECRET_HASH")) for n in names):
                raise CognitoError("NotAuthorizedException", f"Unable to verify secret hash for client {client.id}")
        result = self.issue_tokens(pool, client.id, username, device_key, refresh_token=token)
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    def after_first_factor(self, pool, client, user, *, admin: bool, device_key: Any) -> dict[str, Any]:
        session = AuthSession(pool.id, client.id, user.username, admin, device_key)
        return self.first_factor_done(session, pool, client, user)

    def first_factor_done(self, session: AuthSession, pool, client, user) -> dict[str, Any]:
        """The user proved the first factor in `session`: NEW_PASSWORD_REQUIRED, then MFA (unless the first factor
        already was a code or a custom challenge: `session.mfa_done`), device, tokens."""
        if user.status == UserStatus.RESET_REQUIRED:
            raise CognitoError("PasswordResetRequiredException", "Password reset required for the user")
        if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
            return self.challenge(session, "NEW_PASSWORD_REQUIRED", {
                "USERNAME": user.username,
                "USER_ID_FOR_SRP": user.username,
                "userAttributes": user_attributes_json(user),
                "requiredAttributes": "[]",
            })
        return self.continue_sign_in(session, pool, client, user)

    def continue_sign_in(self, session: AuthSession, pool, client, user) -> dict[str, Any]:
        device = self.sign_in_device(pool, user, session.device_key)
        remembered = device is not None and device.remembered
        if not session.mfa_done:
            bypass = remembered and bool((device_configuration(pool) or {}).get("ChallengeRequiredOnNewDevice"))
            if not bypass:
                step = self.mfa_step(session, pool, user)
                if step is not None:
                    return step
            session.mfa_done = True
        if remembered and not session.device_proven:
            return self.challenge(session, "DEVICE_SRP_AUTH", {})
        return self.finish_sign_in(session, pool, client, user, device)

    def sign_in_device(self, pool, user, device_key: str | None) -> Device | None:
        """The confirmed device a sign-in names, None when it names none; an unknown or forgotten one is the
        error both SDKs recover from by dropping their stored device and signing in again."""
        if device_key is None:
            return None
        device = pool_state(pool).devices.get(device_key)
        if device is None or device.username != user.username or not device.confirmed:
            raise CognitoError("ResourceNotFoundException", "Device does not exist.")
        return device

    def finish_sign_in(self, session: AuthSession, pool, client, user, device: Device | None) -> dict[str, Any]:
        self.auth_sessions.pop(session.id, None)
        new_device = None
        if device is None and device_configuration(pool) is not None:
            new_device = self.new_device(pool, user)
            device = new_device
        elif device is not None:
            device.last_authenticated = time.time()
            if self.remote_addr:
                device.last_ip = self.remote_addr
        result = self.issue_tokens(pool, client.id, user.username, device.key if device else None)
        if new_device is not None:
            result["NewDeviceMetadata"] = {"DeviceKey": new_device.key, "DeviceGroupKey": new_device.group_key}
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    def new_device(self, pool, user) -> Device:
        state = pool_state(pool)
        group_key = state.group_keys.get(user.username)
        if group_key is None:
            # AWS's group keys are short opaque strings (e.g. "-Ab3dEf9Gh"); one per user.
            group_key = state.group_keys[user.username] = "-" + secrets.token_urlsafe(7)[:9]
        device = Device(f"{REGION}_{uuid.uuid4()}", group_key, user.username)
        if self.remote_addr:
            device.last_ip = self.remote_addr
        state.devices[device.key] = device
        return device

    # -- Sessions

    def challenge(self, session: AuthSession, name: str, params: dict[str, str]) -> dict[str, Any]:
        session.stage = name
        self.auth_sessions.pop(session.id, None)
        session.id = new_session_id()
        session.issued = time.time()
        self.auth_sessions[session.id] = session
        return {"ChallengeName": name, "Session": session.id, "ChallengeParameters": params}

    def renew_session(self, session: AuthSession) -> str:
        """A new id for the same step (AssociateSoftwareToken / VerifySoftwareToken in MFA_SETUP)."""
        return self.challenge(session, session.stage, {})["Session"]

    def expire_sessions(self) -> None:
        now = time.time()
        for key, session in list(self.auth_sessions.items()):
            if now - session.issued > AUTH_SESSION_TTL_S:
                del self.auth_sessions[key]
        for key, entry in list(self.sign_up_sessions.items()):
            if now - entry.issued > AUTH_SESSION_TTL_S:
                del self.sign_up_sessions[key]

    def find_session(self, session_id: Any) -> AuthSession:
        self.expire_sessions()
        session = self.auth_sessions.get(session_id) if isinstance(session_id, str) else None
        if session is None:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.")
        return session

    # -- RespondToAuthChallenge

    def op_respond_to_auth_challenge(self, body: dict[str, Any], admin: bool = False):
        name = body.get("ChallengeName")
        if name == "PASSWORD_VERIFIER" and not admin:
            return self.srp_respond(body), {}
        handlers = {
            "NEW_PASSWORD_REQUIRED": self.respond_new_password,
            "SOFTWARE_TOKEN_MFA": self.respond_mfa_code,
            "SMS_MFA": self.respond_mfa_code,
            "SELECT_MFA_TYPE": self.respond_select_mfa_type,
            "MFA_SETUP": self.respond_mfa_setup,
            "DEVICE_SRP_AUTH": self.respond_device_srp_auth,
            "DEVICE_PASSWORD_VERIFIER": self.respond_device_password_verifier,
            "EMAIL_OTP": self.respond_otp_code,
            "SMS_OTP": self.respond_otp_code,
            "SELECT_CHALLENGE": self.respond_select_challenge,
            "CUSTOM_CHALLENGE": self.respond_custom_challenge,
            "WEB_AUTHN": self.respond_web_authn,
        }
        handler = handlers.get(name)
        if handler is None:
            return None  # anything else: moto's
        pool, client = self.client_for(body, admin)
        responses = body.get("ChallengeResponses")
        if not isinstance(responses, dict):
            raise CognitoError("InvalidParameterException", "Missing required parameter ChallengeResponses")
        session = self.find_session(body.get("Session"))
        if session.pool_id != pool.id or session.client_id != client.id or session.admin != admin:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
        if session.stage != name:
            raise CognitoError("InvalidParameterException", f"Invalid challenge name {name}: the session expects {session.stage}.")
        username = require_str(responses, "USERNAME")
        user = pool._get_user(username)
        if user is None or user.username != session.username:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
        self.check_secret_hash(client, username, responses)
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        device_key = responses.get("DEVICE_KEY")
        if isinstance(device_key, str) and device_key and name not in ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"):
            session.device_key = device_key
        return handler(session, pool, client, user, responses, name), {}

    def respond_new_password(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        password = responses.get("NEW_PASSWORD")
        if not isinstance(password, str) or not password:
            raise CognitoError("InvalidPasswordException", "Password does not conform to policy: Password not long enough")
        backend()._validate_password(pool.id, password)
        updates = [
            {"Name": k[len("userAttributes."):], "Value": v}
            for k, v in responses.items()
            if k.startswith("userAttributes.") and isinstance(v, str)
        ]
        if updates:
            user.update_attributes(updates)
        user.password = password
        user.status = UserStatus.CONFIRMED
        return self.continue_sign_in(session, pool, client, user)

    # -- MFA

    @staticmethod
    def user_mfa_factors(pool, user) -> list[str]:
        """The user's enabled factors that the pool offers, in MFAS_CAN_CHOOSE order."""
        offered = pool_mfa_factors(pool)
        enabled = {
            "SMS_MFA": user.sms_mfa_enabled,
            "SOFTWARE_TOKEN_MFA": user.software_token_mfa_enabled,
            "EMAIL_OTP": user_state(user).email_mfa,
        }
        return [f for f in ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP") if enabled[f] and f in offered]

    def mfa_step(self, session: AuthSession, pool, user) -> dict[str, Any] | None:
        if pool.mfa_config not in ("ON", "OPTIONAL"):
            return None
        factors = self.user_mfa_factors(pool, user)
        if not factors:
            can_setup = pool_mfa_factors(pool)
            if pool.mfa_config == "ON" and can_setup:
                return self.challenge(session, "MFA_SETUP", {"MFAS_CAN_SETUP": json.dumps(can_setup, separators=(",", ":"))})
            return None
        preferred = user.preferred_mfa_setting if user.preferred_mfa_setting in factors else None
        if preferred is None and len(factors) > 1:
            return self.challenge(session, "SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": json.dumps(factors, separators=(",", ":"))})
        return self.start_mfa(session, pool, user, preferred or factors[0])

    def start_mfa(self, session: AuthSession, pool, user, factor: str) -> dict[str, Any]:
        if factor == "SOFTWARE_TOKEN_MFA":
            return self.challenge(session, factor, {})
        if factor == "EMAIL_OTP":
            address = session.setup_email or user.attribute_lookup.get("email") or ""
            details = self.delivery_details("email", address)
            code = new_code(8)  # [U] AWS's email codes; 8 digits like its EMAIL_OTP first factor
        else:
            details = self.delivery_details("phone_number", user.attribute_lookup.get("phone_number") or "")
            code = new_code(6)
        session.code, session.code_factor, session.failed_codes = code, factor, 0
        self.reply_headers["x-emulator-confirmation-code"] = code
        return self.challenge(session, factor, {
            "CODE_DELIVERY_DELIVERY_MEDIUM": details["DeliveryMedium"],
            "CODE_DELIVERY_DESTINATION": details["Destination"],
        })

    def respond_mfa_code(self, session, pool, client, user, responses, name) -> dict[str, Any]:
        code = require_str(responses, f"{name}_CODE")
        if name == "SOFTWARE_TOKEN_MFA":
            secret = user_state(user).totp_secret
            ok = secret is not None and self.totp_matches(secret, code)
        else:
            ok = session.code is not None and session.code_factor == name and hmac.compare_digest(session.code, code)
        if not ok:
            self.count_failure(session)
            raise CognitoError("CodeMismatchException", "Invalid code or auth state for the user.")
        session.code = None
        if session.setup_email is not None:  # MFA_SETUP by email: the address is now proven
            user.update_attributes([{"Name": "email", "Value": session.setup_email}, {"Name": "email_verified", "Value": "true"}])
            user_state(user).email_mfa = True
            if not user.preferred_mfa_setting:
                user.preferred_mfa_setting = "EMAIL_OTP"
            session.setup_email = None
        session.mfa_done = True
        return self.continue_sign_in(session, pool, client, user)

    def count_failure(self, session: AuthSession) -> None:
        """A wrong code (or SELECT_CHALLENGE password): the Session may try again, MAX_CODE_ATTEMPTS in all."""
        session.failed_codes += 1
        if session.failed_codes >= MAX_CODE_ATTEMPTS:
            self.auth_sessions.pop(session.id, None)

    def respond_select_mfa_type(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        answer = require_str(responses, "ANSWER")
        answer = "EMAIL_OTP" if answer == "EMAIL_MFA" else answer  # the API reference's spelling, Amplify's
        if answer not in self.user_mfa_factors(pool, user):
            raise CognitoError("InvalidParameterException", f"Invalid ANSWER {answer}: not one of MFAS_CAN_CHOOSE.")
        return self.start_mfa(session, pool, user, answer)

    def respond_mfa_setup(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        if session.totp_verified and session.totp_secret:
            state = user_state(user)
            state.totp_secret = session.totp_secret
            user.token_verified = True
            user.software_token_mfa_enabled = True
            if not user.preferred_mfa_setting:
                user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"
            session.mfa_done = True
            return self.continue_sign_in(session, pool, client, user)
        email = responses.get("EMAIL")
        if isinstance(email, str) and email:
            if "EMAIL_OTP" not in pool_mfa_factors(pool):
                raise CognitoError("InvalidParameterException", "Email MFA is not enabled for this user pool.")
            local, at, domain = email.partition("@")
            if not (local and at and "." in domain):
                raise CognitoError("InvalidParameterException", "Invalid email address format.")
            session.setup_email = email
            return self.start_mfa(session, pool, user, "EMAIL_OTP")
        raise CognitoError(
            "InvalidParameterException",
            "MFA_SETUP needs a software token verified with this Session (VerifySoftwareToken) or an EMAIL.",
        )

    lenient_totp = False  # --lenient-totp: any 6 digits pass (the old moto behaviour some demo tests type)

    def totp_matches(self, secret: str, code: str) -> bool:
        if self.lenient_totp:
            return len(code) == 6 and code.isdigit()
        return totp.verify(secret, code, time.time())

    def op_associate_software_token(self, body: dict[str, Any]):
        session_id, token = body.get("Session"), body.get("AccessToken")
        if session_id and token:
            raise CognitoError("InvalidParameterException", "Send either AccessToken or Session, not both.")
        if session_id:
            session = self.find_session(session_id)
            if session.stage != "MFA_SETUP":
                raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
            session.totp_secret, session.totp_verified = totp.new_secret(), False
            return {"SecretCode": session.totp_secret, "Session": self.renew_session(session)}, {}
        if not token:
            raise CognitoError("InvalidParameterException", "Missing required parameter AccessToken or Session")
        _pool, user = self.user_for_access_token(body)
        secret = user_state(user).pending_totp_secret = totp.new_secret()
        return {"SecretCode": secret}, {}

    def op_verify_software_token(self, body: dict[str, Any]):
        code = require_str(body, "UserCode")
        if not (len(code) == 6 and code.isdigit()):
            raise CognitoError("InvalidParameterException", "UserCode must be 6 digits.")
        session_id = body.get("Session")
        if session_id:
            session = self.find_session(session_id)
            if session.stage != "MFA_SETUP" or not session.totp_secret:
                raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
            if not self.totp_matches(session.totp_secret, code):
                raise CognitoError("EnableSoftwareTokenMFAException", "Code mismatch")
            session.totp_verified = True
            return {"Status": "SUCCESS", "Session": self.renew_session(session)}, {}
        _pool, user = self.user_for_access_token(body)
        state = user_state(user)
        if state.pending_totp_secret is None:
            raise CognitoError("InvalidParameterException", "Call AssociateSoftwareToken first.")
        if not self.totp_matches(state.pending_totp_secret, code):
            raise CognitoError("EnableSoftwareTokenMFAException", "Code mismatch")
        state.totp_secret, state.pending_totp_secret = state.pending_totp_secret, None
        user.token_verified = True
        return {"Status": "SUCCESS"}, {}

    def op_set_user_mfa_preference(self, body: dict[str, Any], admin: bool = False):
        if admin:
            pool = backend().user_pools.get(body.get("UserPoolId"))
            if pool is None:
                raise CognitoError("ResourceNotFoundException", "User pool does not exist.")
            user = pool._get_user(require_str(body, "Username"))
            if user is None:
                raise CognitoError("UserNotFoundException", "User does not exist.")
        else:
            pool, user = self.user_for_access_token(body)
        settings: dict[str, dict[str, Any]] = {}
        for factor, key in (("SMS_MFA", "SMSMfaSettings"), ("SOFTWARE_TOKEN_MFA", "SoftwareTokenMfaSettings"),
                            ("EMAIL_OTP", "EmailMfaSettings"), ("WEB_AUTHN", "WebAuthnMfaSettings")):
            value = body.get(key)
            if value is None:
                continue
            if not isinstance(value, dict):
                raise CognitoError("SerializationException", f"{key} must be an object.")
            settings[factor] = value
        settings.pop("WEB_AUTHN", None)  # accepted; passkeys are not emulated
        state = user_state(user)
        enabled_now = {"SMS_MFA": user.sms_mfa_enabled, "SOFTWARE_TOKEN_MFA": user.software_token_mfa_enabled,
                       "EMAIL_OTP": state.email_mfa}
        enabled = dict(enabled_now)
        for factor, value in settings.items():
            if "Enabled" in value:
                enabled[factor] = bool(value["Enabled"])
        preferred = [f for f, v in settings.items() if v.get("PreferredMfa")]
        if len(preferred) > 1:
            raise CognitoError("InvalidParameterException", "Only one MFA method can be preferred.")
        if preferred and not enabled[preferred[0]]:
            raise CognitoError("InvalidParameterException", f"{preferred[0]} must be enabled to be preferred.")
        if enabled["SOFTWARE_TOKEN_MFA"] and not enabled_now["SOFTWARE_TOKEN_MFA"] and not user.token_verified:
            raise CognitoError("InvalidParameterException", "User has not verified software token mfa")
        if enabled["SMS_MFA"] and not enabled_now["SMS_MFA"] and not user.attribute_lookup.get("phone_number"):
            raise CognitoError("InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA")
        if enabled["EMAIL_OTP"] and not enabled_now["EMAIL_OTP"] and not user.attribute_lookup.get("email"):
            raise CognitoError("InvalidParameterException", "User does not have delivery config set to turn on EMAIL_OTP")
        user.sms_mfa_enabled = enabled["SMS_MFA"]
        user.software_token_mfa_enabled = enabled["SOFTWARE_TOKEN_MFA"]
        state.email_mfa = enabled["EMAIL_OTP"]
        current = user.preferred_mfa_setting or None
        if preferred:
            current = preferred[0]
        elif current in settings and settings[current].get("PreferredMfa") is False:
            current = None
        if current is not None and not enabled.get(current):
            current = None
        user.preferred_mfa_setting = current
        return {}, {}

    def op_set_user_pool_mfa_config(self, body: dict[str, Any]):
        pool = backend().user_pools.get(body.get("UserPoolId"))
        if pool is None:
            raise CognitoError("ResourceNotFoundException", "User pool does not exist.")
        mode = body.get("MfaConfiguration", pool.mfa_config)
        sms = body.get("SmsMfaConfiguration")
        token = body.get("SoftwareTokenMfaConfiguration")
        email = body.get("EmailMfaConfiguration")
        if sms is not None and (not isinstance(sms, dict) or "SmsConfiguration" not in sms):
            raise CognitoError("InvalidParameterException", "[SmsConfiguration] is a required member of [SmsMfaConfiguration].")
        factors = []
        if isinstance(token, dict) and token.get("Enabled"):
            factors.append("SOFTWARE_TOKEN_MFA")
        if sms:
            factors.append("SMS_MFA")
        if isinstance(email, dict):
            factors.append("EMAIL_OTP")
        if any(key in body for key in ("MfaConfiguration", "SmsMfaConfiguration", "SoftwareTokenMfaConfiguration",
                                       "EmailMfaConfiguration")):
            apply_mfa_config(pool, mode, factors)  # a call with only WebAuthnConfiguration leaves MFA as it is
        if sms:
            pool.sms_mfa_config = sms
        if isinstance(email, dict):
            pool_state(pool).email_mfa_config = email
        if body.get("WebAuthnConfiguration") is not None:
            set_webauthn_configuration(pool, body["WebAuthnConfiguration"])
        return self.mfa_config_json(pool), {}

    def op_get_user_pool_mfa_config(self, body: dict[str, Any]):
        pool = backend().user_pools.get(body.get("UserPoolId"))
        if pool is None:
            raise CognitoError("ResourceNotFoundException", "User pool does not exist.")
        return self.mfa_config_json(pool), {}

    @staticmethod
    def mfa_config_json(pool) -> dict[str, Any]:
        reply: dict[str, Any] = {"MfaConfiguration": pool.mfa_config}
        if pool.sms_mfa_config:
            reply["SmsMfaConfiguration"] = pool.sms_mfa_config
        reply["SoftwareTokenMfaConfiguration"] = {"Enabled": "SOFTWARE_TOKEN_MFA" in pool_mfa_factors(pool)}
        if pool_state(pool).email_mfa_config is not None:
            reply["EmailMfaConfiguration"] = pool_state(pool).email_mfa_config
        if webauthn_configuration(pool) is not None:
            reply["WebAuthnConfiguration"] = webauthn_configuration(pool)
        return reply

    # -- Devices

    def respond_device_srp_auth(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        device_key = require_str(responses, "DEVICE_KEY")
        srp_a = require_str(responses, "SRP_A")
        device = self.sign_in_device(pool, user, device_key)
        if device_key != session.device_key:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
        A = self.parse_srp_a(srp_a)
        while True:
            b = int.from_bytes(secrets.token_bytes(128), "big") % srp_server.N
            B = srp_server.compute_B(device.verifier, b)
            if B != 0 and b != 0:
                break
        secret_block = base64.b64encode(secrets.token_bytes(SECRET_BLOCK_BYTES)).decode("ascii")
        session.device_srp = SrpChallenge(A=A, b=b, B=B, secret_block=secret_block)
        return self.challenge(session, "DEVICE_PASSWORD_VERIFIER", {
            "SRP_B": srp_server.java_hex(B),
            "SALT": srp_server.java_hex(device.salt),
            "SECRET_BLOCK": secret_block,
            "USERNAME": user.username,
        })

    def respond_device_password_verifier(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        for key in ("PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP", "DEVICE_KEY"):
            require_str(responses, key)
        device = self.sign_in_device(pool, user, responses["DEVICE_KEY"])
        challenge = session.device_srp
        self.auth_sessions.pop(session.id, None)  # one answer per challenge, right or wrong
        if challenge is None or device.key != session.device_key or not hmac.compare_digest(
            challenge.secret_block.encode(), responses["PASSWORD_CLAIM_SECRET_BLOCK"].encode()
        ):
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        timestamp = responses["TIMESTAMP"]
        try:
            srp_server.check_timestamp(timestamp, time.time())
        except srp_server.TimestampError as err:
            raise CognitoError(err.kind, err.message) from None
        expected = srp_server.expected_signature(
            A=challenge.A, B=challenge.B, b=challenge.b, verifier=device.verifier,
            pool_name=device.group_key, user_id=device.key,
            secret_block=base64.b64decode(challenge.secret_block), timestamp=timestamp,
        )
        if not srp_server.signature_matches(expected, responses["PASSWORD_CLAIM_SIGNATURE"]):
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        session.device_proven = True
        self.auth_sessions[session.id] = session
        return self.continue_sign_in(session, pool, client, user)

    def device_owner(self, body: dict[str, Any], admin: bool):
        """(pool, user) of a device operation: the access token's user, or UserPoolId + Username (Admin*)."""
        if not admin:
            return self.user_for_access_token(body)
        pool = backend().user_pools.get(body.get("UserPoolId"))
        if pool is None:
            raise CognitoError("ResourceNotFoundException", "User pool does not exist.")
        user = pool._get_user(require_str(body, "Username"))
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        return pool, user

    @staticmethod
    def owned_device(pool, user, device_key: str, *, remembered_only: bool = False) -> Device:
        device = pool_state(pool).devices.get(device_key)
        if device is None or device.username != user.username or not device.confirmed or (
            remembered_only and not device.remembered
        ):
            raise CognitoError("ResourceNotFoundException", "Device does not exist.")
        return device

    def op_confirm_device(self, body: dict[str, Any]):
        pool, user = self.user_for_access_token(body)
        device_key = require_str(body, "DeviceKey")
        config = body.get("DeviceSecretVerifierConfig")
        if not isinstance(config, dict):
            raise CognitoError("InvalidParameterException", "Missing required parameter DeviceSecretVerifierConfig")
        try:
            verifier = int.from_bytes(base64.b64decode(require_str(config, "PasswordVerifier"), validate=True), "big")
            salt = int.from_bytes(base64.b64decode(require_str(config, "Salt"), validate=True), "big")
        except ValueError:
            raise CognitoError("InvalidParameterException", "PasswordVerifier and Salt must be base64.") from None
        if verifier % srp_server.N == 0:
            raise CognitoError("InvalidParameterException", "PasswordVerifier is not a valid verifier.")
        device = pool_state(pool).devices.get(device_key)
        if device is None or device.username != user.username:
            raise CognitoError("ResourceNotFoundException", "Device does not exist.")
        if device.confirmed:
            raise CognitoError("DeviceKeyExistsException", "Device already confirmed.")
        name = body.get("DeviceName")
        device.confirmed, device.salt, device.verifier = True, salt, verifier
        device.name = name if isinstance(name, str) and name else None
        device.modified = time.time()
        prompt = bool((device_configuration(pool) or {}).get("DeviceOnlyRememberedOnUserPrompt"))
        device.remembered = not prompt
        return {"UserConfirmationNecessary": prompt}, {}

    def op_update_device_status(self, body: dict[str, Any], admin: bool = False):
        pool, user = self.device_owner(body, admin)
        device = self.owned_device(pool, user, require_str(body, "DeviceKey"))
        status = body.get("DeviceRememberedStatus")
        if status not in ("remembered", "not_remembered"):
            raise CognitoError("InvalidParameterException", "DeviceRememberedStatus must be remembered or not_remembered.")
        device.remembered = status == "remembered"
        device.modified = time.time()
        return {}, {}

    def op_get_device(self, body: dict[str, Any], admin: bool = False):
        # The user's own GetDevice / ListDevices see remembered devices only; the Admin forms see every confirmed
        # one (aws-amplify/aws-sdk-android AWSMobileClient integration tests testRememberDevice / testForgetDevice).
        pool, user = self.device_owner(body, admin)
        device = self.owned_device(pool, user, require_str(body, "DeviceKey"), remembered_only=not admin)
        return {"Device": device.to_json(pool.id)}, {}

    def op_list_devices(self, body: dict[str, Any], admin: bool = False):
        pool, user = self.device_owner(body, admin)
        limit = body.get("Limit", LIST_DEVICES_MAX)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= LIST_DEVICES_MAX:
            raise CognitoError("InvalidParameterException", f"Limit must be an integer from 0 to {LIST_DEVICES_MAX}.")
        limit = limit or LIST_DEVICES_MAX
        devices = [
            d for d in pool_state(pool).devices.values()
            if d.username == user.username and d.confirmed and (admin or d.remembered)
        ]
        start = 0
        token = body.get("PaginationToken")
        if token is not None:
            keys = [d.key for d in devices]
            try:
                start = keys.index(base64.urlsafe_b64decode(str(token).encode()).decode()) if token else 0
            except (ValueError, UnicodeDecodeError):
                raise CognitoError("InvalidParameterException", "Invalid PaginationToken.") from None
        page = devices[start:start + limit]
        reply: dict[str, Any] = {"Devices": [d.to_json(pool.id) for d in page]}
        if start + limit < len(devices):
            reply["PaginationToken"] = base64.urlsafe_b64encode(devices[start + limit].key.encode()).decode()
        return reply, {}

    def op_forget_device(self, body: dict[str, Any], admin: bool = False):
        device_key = require_str(body, "DeviceKey")
        if admin or body.get("AccessToken") is not None:
            pool, user = self.device_owner(body, admin)
            device = self.owned_device(pool, user, device_key)
        else:  # no AccessToken: AWS authorises with developer credentials, which the emulator does not check
            for pool in backend().user_pools.values():
                device = pool_state(pool).devices.get(device_key)
                if device is not None and device.confirmed:
                    break
            else:
                raise CognitoError("ResourceNotFoundException", "Device does not exist.")
        del pool_state(pool).devices[device.key]
        return {}, {}

    # ---- Choice-based sign-in (USER_AUTH without a ConfirmSignUp Session) --------------------------------------
    #
    # InitiateAuth USER_AUTH {USERNAME, PREFERRED_CHALLENGE?, PASSWORD? / SRP_A?}: the preferred first factor when
    # the user can use it, else SELECT_CHALLENGE with AvailableChallenges; RespondToAuthChallenge SELECT_CHALLENGE
    # {ANSWER, PASSWORD? / SRP_A?} starts the chosen one (COGNITO-FLOWS.md 2.2-2.4). MFA follows a PASSWORD /
    # PASSWORD_SRP first factor as in the other flows, never an EMAIL_OTP / SMS_OTP one.

    def available_challenges(self, pool, user) -> list[str]:
        """What this user can sign in with first, in USER_AUTH_CHALLENGES order: the pool's AllowedFirstAuthFactors
        that the user has the means for (a password, an email, a phone number, a passkey)."""
        allowed = pool_first_factors(pool)
        has = {
            "PASSWORD": "PASSWORD" in allowed and user_has_password(user),
            "EMAIL_OTP": "EMAIL_OTP" in allowed and bool(user.attribute_lookup.get("email")),
            "SMS_OTP": "SMS_OTP" in allowed and bool(user.attribute_lookup.get("phone_number")),
            "WEB_AUTHN": "WEB_AUTHN" in allowed and self.user_has_passkeys(pool, user),
        }
        has["PASSWORD_SRP"] = has["PASSWORD"]
        return [c for c in USER_AUTH_CHALLENGES if has[c]]

    def choice_initiate(self, pool, client, params: dict[str, Any], username: str) -> dict[str, Any]:
        preferred = params.get("PREFERRED_CHALLENGE")
        if preferred is not None and preferred not in USER_AUTH_CHALLENGES:
            raise CognitoError(
                "InvalidParameterException", f"PREFERRED_CHALLENGE must be one of {', '.join(USER_AUTH_CHALLENGES)}."
            )
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        available = self.available_challenges(pool, user)
        session = AuthSession(pool.id, client.id, user.username, False, params.get("DEVICE_KEY"))
        session.flow = "USER_AUTH"
        if preferred == "PASSWORD" and preferred in available:
            return self.start_first_factor(session, pool, client, user, preferred, params)  # password, then status
        if user.status == UserStatus.UNCONFIRMED:
            raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
        if preferred in available:
            return self.start_first_factor(session, pool, client, user, preferred, params)
        # No preference, or one this user cannot use (AWS's answer is not documented): let the user choose.
        if not available:
            raise CognitoError("NotAuthorizedException", "emulator: the user has no first factor this pool allows.")
        session.available = available
        reply = self.challenge(session, "SELECT_CHALLENGE", {})
        reply["AvailableChallenges"] = list(available)
        return reply

    def start_first_factor(self, session: AuthSession, pool, client, user, factor: str, params: dict[str, Any]):
        """Start (or, for PASSWORD, check) one first factor; `params` are the AuthParameters or ChallengeResponses
        that came with the choice."""
        if factor == "PASSWORD":
            password = require_str(params, "PASSWORD")
            if not password_matches(user, password):
                if session.id:  # a SELECT_CHALLENGE answer: that Session may try again, like a wrong code
                    self.count_failure(session)
                raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
            if user.status == UserStatus.UNCONFIRMED:
                raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
            return self.first_factor_done(session, pool, client, user)
        if factor == "PASSWORD_SRP":
            A = self.parse_srp_a(require_str(params, "SRP_A"))
            return self.password_verifier_challenge(pool, client, user, A, session.device_key, session)
        if factor in ("EMAIL_OTP", "SMS_OTP"):
            if factor == "EMAIL_OTP":
                details = self.delivery_details("email", user.attribute_lookup.get("email") or "")
                code = new_code(8)  # [U] the digits of AWS's sign-in codes; the same as the emulator's email MFA
            else:
                details = self.delivery_details("phone_number", user.attribute_lookup.get("phone_number") or "")
                code = new_code(6)
            session.code, session.code_factor, session.first_factor = code, factor, factor
            self.reply_headers["x-emulator-confirmation-code"] = code
            return self.challenge(session, factor, {
                "CODE_DELIVERY_DELIVERY_MEDIUM": details["DeliveryMedium"],
                "CODE_DELIVERY_DESTINATION": details["Destination"],
            })
        if factor == "WEB_AUTHN":
            return self.start_web_authn(session, pool, client, user, params)
        raise CognitoError("InvalidParameterException", f"Unknown challenge {factor}.")

    def respond_select_challenge(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        answer = require_str(responses, "ANSWER")
        if answer not in session.available:
            raise CognitoError("InvalidParameterException", f"Invalid ANSWER {answer}: not one of AvailableChallenges.")
        return self.start_first_factor(session, pool, client, user, answer, responses)

    def respond_otp_code(self, session, pool, client, user, responses, name) -> dict[str, Any]:
        """EMAIL_OTP / SMS_OTP: a first-factor code (then no MFA), or the email-MFA code of the other flows."""
        if session.first_factor != name:
            return self.respond_mfa_code(session, pool, client, user, responses, name)
        code = require_str(responses, f"{name}_CODE")
        if session.code is None or session.code_factor != name or not hmac.compare_digest(session.code, code):
            self.count_failure(session)
            raise CognitoError("CodeMismatchException", "Invalid code or auth state for the user.")
        session.code = session.first_factor = None
        session.mfa_done = True
        return self.first_factor_done(session, pool, client, user)

    # ---- CUSTOM_AUTH (the pool option customAuth scripts the define / create / verify auth-challenge triggers) --
    #
    # CUSTOM_WITHOUT_SRP: InitiateAuth CUSTOM_AUTH {USERNAME} -> CUSTOM_CHALLENGE (publicParameters + USERNAME) ->
    # ANSWER -> the next challenge or tokens. CUSTOM_WITH_SRP ({CHALLENGE_NAME: SRP_A, SRP_A}, pools with srp: true)
    # puts a real PASSWORD_VERIFIER first. A wrong answer is a verify step answering false: the define step asks
    # the same challenge again (a 200 with a new Session) until maxAttempts wrong answers, then fails the sign-in
    # (NotAuthorizedException), as AWS's sample define trigger does. No MFA follows (the define trigger owns the
    # steps); a remembered device still gets DEVICE_SRP_AUTH.

    def custom_auth_initiate(self, body: dict[str, Any], admin: bool) -> dict[str, Any]:
        pool, client = self.client_for(body, admin)
        self.require_flow(client, "CUSTOM_AUTH")
        params, username = self.auth_parameters(body)
        self.check_secret_hash(client, username, params)
        script = pool_state(pool).custom_auth
        if script is None:
            raise CognitoError("InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
        with_srp = params.get("CHALLENGE_NAME") == "SRP_A"
        A = self.parse_srp_a(require_str(params, "SRP_A")) if with_srp else None
        user = self.unproven_sign_in_user(pool, username)
        session = AuthSession(pool.id, client.id, user.username, admin, params.get("DEVICE_KEY"))
        session.flow = "CUSTOM_AUTH"
        session.custom = script
        if script["srp"]:
            # The scripted define step wants the password first (CUSTOM_WITH_SRP); a sign-in without SRP_A fails.
            if A is None:
                raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
            if admin:
                raise CognitoError("InvalidParameterException", "emulator: CUSTOM_WITH_SRP is emulated for InitiateAuth only")
            return self.password_verifier_challenge(pool, client, user, A, session.device_key, session)
        return self.custom_auth_next(session, pool, client, user)

    def custom_auth_next(self, session: AuthSession, pool, client, user) -> dict[str, Any]:
        """The define step: the next scripted challenge, or (all answered) the rest of the sign-in."""
        challenges = (session.custom or {}).get("challenges") or []
        if session.custom_index >= len(challenges):
            session.mfa_done = True
            return self.first_factor_done(session, pool, client, user)
        current = challenges[session.custom_index]
        return self.challenge(session, "CUSTOM_CHALLENGE", {**current["publicParameters"], "USERNAME": user.username})

    def respond_custom_challenge(self, session, pool, client, user, responses, _name) -> dict[str, Any]:
        answer = require_str(responses, "ANSWER")
        script = session.custom or {}
        challenges = script.get("challenges") or []
        expected = challenges[session.custom_index]["answer"] if session.custom_index < len(challenges) else None
        if expected is not None and hmac.compare_digest(answer.encode(), expected.encode()):
            session.custom_index += 1
        else:
            session.custom_failures += 1
            if session.custom_failures >= script.get("maxAttempts", DEFAULT_CUSTOM_AUTH_ATTEMPTS):
                self.auth_sessions.pop(session.id, None)
                raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        return self.custom_auth_next(session, pool, client, user)

    # ---- Passwordless SignUp ----------------------------------------------------------------------------------

    def prepare_sign_up(self, body: dict[str, Any], raw: bytes) -> tuple[bytes, bool]:
        """SignUp without a Password (or a blank one), which moto cannot do: allowed when the pool offers an OTP
        first factor. moto gets a throwaway password that the user never has (finish_passwordless_sign_up)."""
        password = body.get("Password")
        if isinstance(password, str) and password:
            return raw, False
        try:
            pool, _client = find_client(body.get("ClientId"))
        except CognitoError:
            return raw, False  # moto's own error for the unknown client
        if not passwordless_sign_up_allowed(pool):
            raise CognitoError(
                "InvalidParameterException",
                "A password is required: the user pool allows no passwordless (EMAIL_OTP / SMS_OTP) sign-in.",
            )
        placeholder = "Aa1!" + secrets.token_hex(30)  # meets any password policy
        return json.dumps({**body, "Password": placeholder}).encode("utf-8"), True

    @staticmethod
    def finish_passwordless_sign_up(body: dict[str, Any]) -> None:
        pool, _client = find_client(body.get("ClientId"))
        user = pool._get_user(str(body.get("Username") or ""))
        if user is not None:
            user.password = None

    # -- SignUp / ConfirmSignUp Sessions (auto sign-in)

    def add_sign_up_session(self, operation: str, body: dict[str, Any], reply: bytes) -> bytes:
        try:
            payload = json.loads(reply) if reply.strip() else {}
            pool, client = find_client(body.get("ClientId"))
        except (ValueError, CognitoError):
            return reply
        user = pool._get_user(str(body.get("Username") or ""))
        if not isinstance(payload, dict) or user is None:
            return reply
        if operation == "ConfirmSignUp":
            sent = body.get("Session")
            if isinstance(sent, str):
                self.sign_up_sessions.pop(sent, None)
        session_id = new_session_id()
        kind = "confirmed" if operation == "ConfirmSignUp" else "sign-up"
        self.sign_up_sessions[session_id] = SignUpSession(pool.id, client.id, user.username, kind)
        payload["Session"] = session_id
        return json.dumps(payload).encode("utf-8")

    # -- ClientMetadata / ValidationData records

    def pool_id_of(self, body: dict[str, Any]) -> str | None:
        """The pool a request is about, from whichever of its members names one (best effort)."""
        pool_id = body.get("UserPoolId")
        if isinstance(pool_id, str) and pool_id:
            return pool_id
        try:
            return find_client(body.get("ClientId"))[0].id
        except CognitoError:
            pass
        pool = find_pool_by_access_token(body.get("AccessToken"))
        if pool is not None:
            return pool.id
        session = body.get("Session")
        if isinstance(session, str):
            entry = self.auth_sessions.get(session) or self.sign_up_sessions.get(session)
            if entry is not None:
                return entry.pool_id
        return None

    def record_request(self, operation: str, body: dict[str, Any]) -> None:
        pool_id = self.pool_id_of(body)
        record = {
            "operation": operation,
            "userPoolId": pool_id,
            "clientId": body.get("ClientId") if isinstance(body.get("ClientId"), str) else None,
            "clientMetadata": body.get("ClientMetadata"),
            "validationData": body.get("ValidationData"),
            "at": time.time(),
        }
        self.last_requests[(operation, pool_id)] = record
        self.last_requests[(operation, None)] = record

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
        params, username = self.auth_parameters(body)
        srp_a = require_str(params, "SRP_A")
        self.check_secret_hash(client, username, params)
        A = self.parse_srp_a(srp_a)
        user = self.unproven_sign_in_user(pool, username)
        return self.password_verifier_challenge(pool, client, user, A, params.get("DEVICE_KEY"))

    @staticmethod
    def unproven_sign_in_user(pool, username):
        """The user a sign-in that has proved nothing yet (SRP, custom auth) starts for: one that exists, is enabled
        and is confirmed, else the error Cognito gives."""
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        if user.status == UserStatus.UNCONFIRMED:
            raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
        return user

    @staticmethod
    def parse_srp_a(srp_a: str) -> int:
        try:
            A = srp_server.parse_java_hex(srp_a)
        except ValueError:
            raise CognitoError("InvalidParameterException", "SRP_A is not a hex integer.") from None
        if A % srp_server.N == 0:
            raise CognitoError("InvalidParameterException", "SRP_A must not be 0 mod N.")
        return A

    def password_verifier_challenge(
        self, pool, client, user, A: int, device_key: Any, auth_session: AuthSession | None = None
    ) -> dict[str, Any]:
        """PASSWORD_VERIFIER for the user's password. Without `auth_session` (USER_SRP_AUTH) the proof leads to
        after_first_factor; with one (USER_AUTH PASSWORD_SRP, CUSTOM_WITH_SRP) that sign-in goes on, and the
        challenge carries its Session."""
        client_id = client.id
        salt = self.salt_for(pool.id, user.username)
        pool_name = srp_server.pool_name_of(pool.id)
        user_id = user.username  # AWS: USER_ID_FOR_SRP is the internal username (a UUID for email-as-username)
        # A passwordless user gets a verifier nobody can match.
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
        params = {
            "SALT": srp_server.java_hex(salt),
            "SRP_B": srp_server.java_hex(B),
            "SECRET_BLOCK": secret_block,
            "USERNAME": user.username,
            "USER_ID_FOR_SRP": user_id,
        }
        reply: dict[str, Any] = {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": params}
        if auth_session is not None:
            reply = self.challenge(auth_session, "PASSWORD_VERIFIER", params)
            session = auth_session.id
        elif session is not None:
            reply["Session"] = session
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
            device_key=device_key,  # identity-js sends it in InitiateAuth, Amplify with PASSWORD_VERIFIER
            auth_session=auth_session,
            created=time.time(),
        )
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
        auth_session = challenge.auth_session
        if auth_session is not None and self.auth_sessions.pop(auth_session.id, None) is not auth_session:
            raise CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.")
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
        # Proven: the rest of the sign-in (NEW_PASSWORD_REQUIRED, MFA, device, tokens; or the custom challenges).
        device_key = responses.get("DEVICE_KEY") or challenge.device_key
        if auth_session is None:
            return self.after_first_factor(pool, client, user, admin=False, device_key=device_key)
        if isinstance(device_key, str) and device_key:
            auth_session.device_key = device_key
        if auth_session.flow == "CUSTOM_AUTH":
            return self.custom_auth_next(auth_session, pool, client, user)
        return self.first_factor_done(auth_session, pool, client, user)

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

    def last_request_route(self, query: str) -> tuple[str, list[tuple[str, str]], bytes]:
        """What the last call of an operation (in a pool, or anywhere) sent as ClientMetadata / ValidationData:
        there are no Lambda triggers to receive them."""
        args = urllib.parse.parse_qs(query)
        operation = (args.get("operation") or [""])[0]
        if not operation:
            raise CognitoError("InvalidParameterException", "operation is required")
        pool_id = (args.get("userPoolId") or [None])[0] or None
        record = self.last_requests.get((operation, pool_id))
        if record is None:
            raise CognitoError("ResourceNotFoundException", f"no {operation} call recorded" + (f" for {pool_id}" if pool_id else ""))
        return self.json_reply(record)

    def emulator_route(
        self, method: str, path: str, raw: bytes, query: str = ""
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        if path == "/_emulator/health" and method == "GET":
            return self.json_reply({"ok": True, "pools": len(backend().user_pools), "endpoint": self.endpoint})
        if path == "/_emulator/last-request" and method == "GET":
            return self.last_request_route(query)
        if path == "/_emulator/oauth-log" and method == "GET":
            return self.oauth_log_route(query)
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
                    mfa=body.get("mfa", "OPTIONAL"),
                    mfa_factors=body.get("mfaFactors", list(DEFAULT_MFA_FACTORS)),
                    device_config=body.get("deviceConfiguration"),
                    attributes_require_verification=body.get("attributesRequireVerificationBeforeUpdate"),
                    first_factors=body.get("firstFactors", list(DEFAULT_FIRST_FACTORS)),
                    custom_auth=body.get("customAuth"),
                    oauth=body.get("oauth"),
                )
            except JsonRESTError as err:
                raise CognitoError(err.error_type, err.message, err.code) from None
            if body.get("webAuthnConfiguration") is not None:
                set_webauthn_configuration(backend().user_pools[info["userPoolId"]], body["webAuthnConfiguration"])
                info["webAuthnConfiguration"] = webauthn_configuration(backend().user_pools[info["userPoolId"]])
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
        if path == "/_emulator/expire-oauth-code":
            # Age an authorization code past its 5 minutes, to test that the token endpoint refuses it.
            entry = self.oauth_codes.get(require_str(body, "code"))
            if entry is None:
                raise CognitoError("ResourceNotFoundException", "no such authorization code (unknown or used)")
            entry.expires = time.time() - 1
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
    parser.add_argument("--lenient-totp", action="store_true",
                        help="accept any 6-digit TOTP code (VerifySoftwareToken, SOFTWARE_TOKEN_MFA) instead of checking it")
    parser.add_argument("--first-factors", default=",".join(DEFAULT_FIRST_FACTORS), metavar="LIST",
                        help="the pool's AllowedFirstAuthFactors, comma-separated (e.g. PASSWORD,EMAIL_OTP,WEB_AUTHN)")
    parser.add_argument("--webauthn-rp", metavar="HOST",
                        help="the pool's passkey relying party id (WebAuthnConfiguration, UserVerification preferred)")
    parser.add_argument("--oauth", type=json.loads, metavar="JSON",
                        help='managed login for the startup pool: the pool option oauth, e.g. \'{"callbackUrls": ["http://localhost:5173/"]}\'')
    parser.add_argument("--https-port", type=int, metavar="PORT",
                        help="also serve over HTTPS on PORT (0 picks one) with a throwaway self-signed certificate, "
                        "for clients that put https:// before a domain (aws-amplify's managed login); info: httpsEndpoint")
    parser.add_argument("--verbose", action="store_true", help="log requests and tracebacks to stderr")
    args = parser.parse_args(argv)

    shim = EmulatorShim(DomainDispatcherApplication(create_backend_app), verbose=args.verbose)
    shim.strict_codes = args.strict_codes
    shim.srp_session = args.srp_session
    shim.lenient_totp = args.lenient_totp
    shim.admin_group = args.admin_group
    QuietHandler.verbose = args.verbose
    server = make_server(args.host, args.port, shim, threaded=True, request_handler=QuietHandler)
    port = server.server_address[1]
    shim.endpoint = f"http://{args.host}:{port}"
    servers = [server]
    if args.https_port is not None:
        # werkzeug's "adhoc" context: a new key and self-signed certificate (cryptography, a moto dependency).
        servers.append(make_server(args.host, args.https_port, shim, threaded=True, request_handler=QuietHandler,
                                   ssl_context="adhoc"))

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
            first_factors=[f for f in args.first_factors.split(",") if f],
            oauth=args.oauth,
        )
        if args.webauthn_rp:
            pool = backend().user_pools[info["userPoolId"]]
            info["webAuthnConfiguration"] = set_webauthn_configuration(pool, {"RelyingPartyId": args.webauthn_rp})

    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for each in servers:
        threading.Thread(target=each.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    # Warm moto's Flask app so the first real request is fast.
    from werkzeug.test import Client

    Client(shim).post(
        "/",
        data=json.dumps({"UserPoolId": info["userPoolId"]}),
        headers={"Content-Type": JSON_CT, "X-Amz-Target": TARGET_PREFIX + "DescribeUserPool"},
    )
    if len(servers) > 1:
        info["httpsEndpoint"] = f"https://{args.host}:{servers[1].server_address[1]}"
    if args.info:
        write_info(args.info, info)
    print(json.dumps(info), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for each in servers:
            each.shutdown()
            each.server_close()
        if args.info:
            try:
                os.remove(args.info)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
