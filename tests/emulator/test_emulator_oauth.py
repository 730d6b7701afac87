"""Managed login (hosted UI): the OAuth 2.0 / OIDC endpoints of a pool's domain and the stand-in identity provider
(COGNITO-FLOWS.md 6), driven like a browser (navigations without following redirects, a cookie jar) and like an app
(fetch-style POSTs with an Origin)."""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from conftest import post_json, start_emulator, stop_emulator
from srp_client import CognitoError, call

APP = "http://localhost:5173"
CALLBACK = APP + "/callback"
OTHER_CALLBACK = "http://127.0.0.1:5173/other?from=emulator"
SIGNED_OUT = APP + "/signed-out"
PASSWORD = "Olivepass1"


# ---- a browser and an app ---------------------------------------------------------------------------------------


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location") or ""

    def query(self) -> dict[str, str]:
        """The query of the Location this reply redirects to."""
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.location).query, keep_blank_values=True))

    def json(self):
        return json.loads(self.body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Top-level navigations and form posts, redirects not followed (each hop is checked), with a cookie jar for
    the managed-login session cookie."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))

    def go(self, url: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Reply:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=data, headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=30) as resp:
                return Reply(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, err.headers, err.read())

    def cookie(self, name: str = "cognito"):
        return next((c for c in self.jar if c.name == name), None)


def app_post(url: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             body: bytes | None = None, content_type: str = "application/x-www-form-urlencoded") -> Reply:
    """What the app's fetch sends from its own origin."""
    data = body if body is not None else urllib.parse.urlencode(form or {}).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": content_type, "Origin": APP, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.headers, err.read())


def app_get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    req = urllib.request.Request(url, method=method, headers={"Origin": APP, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.headers, err.read())


def pkce_pair() -> tuple[str, str]:
    """A verifier as Amplify makes one (128 characters of [A-Za-z0-9]) and its S256 challenge."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    verifier = "".join(secrets.choice(alphabet) for _ in range(128))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims(jwt: str) -> dict:
    return json.loads(b64url_decode(jwt.split(".")[1]))


def verify_rs256(token: str, jwks: dict) -> dict:
    """Check an RS256 JWT's signature against a JWKS with `cryptography` (not the emulator's own JOSE library)."""
    head_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(head_b64))
    assert header["alg"] == "RS256"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    public = rsa.RSAPublicNumbers(int.from_bytes(b64url_decode(key["e"]), "big"),
                                  int.from_bytes(b64url_decode(key["n"]), "big")).public_key()
    public.verify(b64url_decode(signature_b64), f"{head_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return json.loads(b64url_decode(payload_b64))


def at_hash_of(access_token: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(access_token.encode()).digest()[:16]).rstrip(b"=").decode()


# ---- pools and flows --------------------------------------------------------------------------------------------


OAUTH = {
    "callbackUrls": [CALLBACK, OTHER_CALLBACK],
    "logoutUrls": [SIGNED_OUT],
    "identityProviders": ["COGNITO", "Google", {"name": "Corp", "type": "OIDC", "identifiers": ["corp.example"],
                                                 "issuer": "https://idp.corp.example"}],
}


@pytest.fixture
def pool(new_pool):
    return new_pool(
        seedUsers=[{"username": "olive", "password": PASSWORD, "email": "olive@example.com", "groups": ["staff"]}],
        oauth=OAUTH,
    )


def authorize_url(pool: dict, **params: str) -> str:
    query = {"response_type": "code", "client_id": pool["clientId"], "redirect_uri": CALLBACK,
             "scope": "openid email profile aws.cognito.signin.user.admin", **params}
    return f"{pool['oauth']['url']}/oauth2/authorize?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})


def sign_in(browser: Browser, pool: dict, username: str = "olive", password: str = PASSWORD, **params: str) -> Reply:
    """authorize -> /login -> the form post; returns the form post's reply."""
    hop = browser.go(authorize_url(pool, **params))
    assert hop.status == 302 and "/login?" in hop.location, hop.text
    return submit_sign_in_form(browser, hop.location, username, password)


def submit_sign_in_form(browser: Browser, login_url: str, username: str, password: str) -> Reply:
    page = browser.go(login_url)
    assert page.status == 200 and 'id="signInFormUsername"' in page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    return browser.go(action, {"username": username, "password": password})


def code_for(pool: dict, browser: Browser | None = None, **params: str) -> tuple[str, str, Browser]:
    """A fresh code (PKCE S256) for olive, through the form or, when the browser has a session, without it;
    returns (code, verifier, browser)."""
    browser = browser or Browser()
    verifier, challenge = pkce_pair()
    params = {"state": "st-" + secrets.token_hex(4), "code_challenge": challenge, "code_challenge_method": "S256", **params}
    reply = browser.go(authorize_url(pool, **params))
    if "/login?" in reply.location:
        reply = submit_sign_in_form(browser, reply.location, "olive", PASSWORD)
    assert reply.status == 302 and reply.location.startswith(CALLBACK), reply.text
    return reply.query()["code"], verifier, browser


def token_request(pool: dict, **form: str) -> Reply:
    return app_post(f"{pool['oauth']['url']}/oauth2/token", {"client_id": pool["clientId"], **form})


def exchange(pool: dict, code: str, verifier: str | None, redirect_uri: str = CALLBACK) -> Reply:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        form["code_verifier"] = verifier
    return token_request(pool, **form)


def tokens_for(pool: dict, **params: str) -> dict:
    code, verifier, _ = code_for(pool, **params)
    reply = exchange(pool, code, verifier)
    assert reply.status == 200, reply.text
    return reply.json()


def jwks_of(emulator: dict, pool: dict) -> dict:
    with urllib.request.urlopen(f"{emulator['endpoint']}/{pool['userPoolId']}/.well-known/jwks.json") as resp:
        return json.loads(resp.read())


def oauth_events(emulator: dict, pool: dict) -> list[dict]:
    with urllib.request.urlopen(f"{emulator['endpoint']}/_emulator/oauth-log?userPoolId={pool['userPoolId']}") as resp:
        return json.loads(resp.read())["events"]


# ---- configuration ----------------------------------------------------------------------------------------------


def test_pool_option_oauth_sets_domain_client_and_providers(emulator, pool):
    ep = emulator["endpoint"]
    oauth = pool["oauth"]
    assert oauth["url"] == f"{ep}/_domain/{oauth['domain']}" and re.fullmatch(r"emu-[0-9a-f]{12}", oauth["domain"])
    assert oauth["callbackUrls"] == [CALLBACK, OTHER_CALLBACK] and oauth["logoutUrls"] == [SIGNED_OUT]
    assert oauth["scopes"] == ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]
    assert oauth["identityProviders"] == ["COGNITO", "Google", "Corp"]
    client, _ = call(ep, "DescribeUserPoolClient", {"UserPoolId": pool["userPoolId"], "ClientId": pool["clientId"]})
    client = client["UserPoolClient"]
    assert client["CallbackURLs"] == [CALLBACK, OTHER_CALLBACK] and client["LogoutURLs"] == [SIGNED_OUT]
    assert client["AllowedOAuthFlows"] == ["code"] and client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["SupportedIdentityProviders"] == ["COGNITO", "Google", "Corp"]
    domain, _ = call(ep, "DescribeUserPoolDomain", {"Domain": oauth["domain"]})
    assert domain["DomainDescription"]["UserPoolId"] == pool["userPoolId"]
    providers, _ = call(ep, "ListIdentityProviders", {"UserPoolId": pool["userPoolId"]})
    assert {p["ProviderName"]: p["ProviderType"] for p in providers["Providers"]} == {"Google": "Google", "Corp": "OIDC"}
    # Discovery lists the domain's endpoints.
    with urllib.request.urlopen(f"{ep}/{pool['userPoolId']}/.well-known/openid-configuration") as resp:
        document = json.loads(resp.read())
    assert document["authorization_endpoint"] == f"{oauth['url']}/oauth2/authorize"
    assert document["token_endpoint"] == f"{oauth['url']}/oauth2/token"
    assert document["userinfo_endpoint"] == f"{oauth['url']}/oauth2/userInfo"
    assert document["revocation_endpoint"] == f"{oauth['url']}/oauth2/revoke"
    assert document["end_session_endpoint"] == f"{oauth['url']}/logout"
    assert document["jwks_uri"] == f"{ep}/{pool['userPoolId']}/.well-known/jwks.json"


@pytest.mark.parametrize("oauth, message", [
    ({"callbackUrls": []}, "callbackUrls"),
    ({"callbackUrls": ["http://app.example/cb"]}, "https"),
    ({"callbackUrls": ["https://app.example/cb#x"]}, "fragment"),
    ({"callbackUrls": [CALLBACK], "scopes": ["email"]}, "openid"),
    ({"callbackUrls": [CALLBACK], "scopes": ["openid", "unknown"]}, "scopes"),
    ({"callbackUrls": [CALLBACK], "identityProviders": ["COGNITO", "Okta"]}, "identityProviders"),
    ({"callbackUrls": [CALLBACK], "identityProviders": [{"name": "Okta", "type": "LDAP"}]}, "OIDC or SAML"),
    ({"callbackUrls": [CALLBACK], "domain": "Not_A_Domain"}, "domain"),
    ({"callbackUrls": [CALLBACK], "redirectUris": []}, "unknown member"),
])
def test_pool_option_oauth_is_checked(emulator, oauth, message):
    with pytest.raises(urllib.error.HTTPError) as err:
        post_json(emulator["endpoint"] + "/_emulator/pool", {"oauth": oauth})
    assert err.value.code == 400
    reply = json.loads(err.value.read())
    assert reply["__type"] == "InvalidParameterException" and message in reply["message"]


def test_domain_names_are_unique_and_route_to_their_pool(emulator, new_pool):
    name = "shop-" + secrets.token_hex(3)
    first = new_pool(oauth={"callbackUrls": [CALLBACK], "domain": name})
    assert first["oauth"]["url"].endswith(f"/_domain/{name}")
    with pytest.raises(urllib.error.HTTPError) as err:
        post_json(emulator["endpoint"] + "/_emulator/pool", {"oauth": {"callbackUrls": [CALLBACK], "domain": name}})
    assert err.value.code == 400
    assert Browser().go(f"{emulator['endpoint']}/_domain/no-such-domain/oauth2/authorize").status == 404
    # A client of another pool is not a client of this domain: error page, no redirect.
    second = new_pool(oauth={"callbackUrls": [CALLBACK]})
    reply = Browser().go(authorize_url({**first, "clientId": second["clientId"]}))
    assert reply.status == 400 and not reply.location


# ---- /oauth2/authorize and the sign-in page ----------------------------------------------------------------------


def test_right_password_redirects_with_code_and_state(emulator, pool):
    browser = Browser()
    hop = browser.go(authorize_url(pool, state="xyz-123", login_hint="olive"))
    assert hop.status == 302
    login = urllib.parse.urlsplit(hop.location)
    assert login.path == f"/_domain/{pool['oauth']['domain']}/login"
    assert dict(urllib.parse.parse_qsl(login.query))["state"] == "xyz-123"
    page = browser.go(hop.location)
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert 'value="olive"' in page.text  # login_hint fills the username
    assert 'name="password"' in page.text and 'data-provider="Google"' in page.text and "Continue with Google (emulated)" in page.text
    reply = sign_in(browser, pool, state="xyz-123")
    assert reply.status == 302
    target = urllib.parse.urlsplit(reply.location)
    assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK
    assert set(reply.query()) == {"code", "state"} and reply.query()["state"] == "xyz-123"
    assert re.fullmatch(r"[0-9a-f-]{36}", reply.query()["code"])
    cookie = browser.cookie()
    assert cookie is not None and cookie.path == f"/_domain/{pool['oauth']['domain']}"
    assert "HttpOnly" in reply.headers["Set-Cookie"]
    kinds = [e["event"] for e in oauth_events(emulator, pool)]
    assert kinds[-3:] == ["authorize", "login", "code"]


def test_callback_url_with_its_own_query_keeps_it(pool):
    reply = sign_in(Browser(), pool, redirect_uri=OTHER_CALLBACK, state="s1")
    assert reply.location.startswith(OTHER_CALLBACK + "&code=")
    assert reply.query()["from"] == "emulator" and reply.query()["state"] == "s1"


def test_wrong_password_stays_on_the_form_with_an_error(emulator, new_pool):
    pool = new_pool(seedUsers=[{"username": "olive", "password": PASSWORD}], oauth=OAUTH)
    ep = emulator["endpoint"]
    browser = Browser()
    reply = sign_in(browser, pool, password="Wrongpass1", state="s")
    assert reply.status == 200 and not reply.location
    assert 'id="loginErrorMessage"' in reply.text and "Incorrect username or password." in reply.text
    assert 'value="olive"' in reply.text and browser.cookie() is None
    assert "User does not exist." in sign_in(browser, pool, username="nobody").text
    # Unconfirmed (signed up, never confirmed), temporary password, disabled: refused, as the API refuses them.
    call(ep, "SignUp", {"ClientId": pool["clientId"], "Username": "una", "Password": PASSWORD,
                        "UserAttributes": [{"Name": "email", "Value": "una@example.com"}]})
    assert "User is not confirmed." in sign_in(browser, pool, username="una").text
    call(ep, "AdminCreateUser", {"UserPoolId": pool["userPoolId"], "Username": "tess", "TemporaryPassword": "Temppass1",
                                 "MessageAction": "SUPPRESS"})
    refused = sign_in(browser, pool, username="tess", password="Temppass1")
    assert refused.status == 200 and "temporary password" in refused.text and not refused.location
    call(ep, "AdminDisableUser", {"UserPoolId": pool["userPoolId"], "Username": "olive"})
    assert "User is disabled." in sign_in(browser, pool).text
    failed = [e for e in oauth_events(emulator, pool) if e["event"] == "login_failed"]
    assert [e["error"] for e in failed] == ["NotAuthorizedException", "UserNotFoundException", "UserNotConfirmedException",
                                            "NotAuthorizedException", "NotAuthorizedException"]


def test_user_with_mfa_is_refused_with_a_message(emulator, new_pool):
    pool = new_pool(seedUsers=[{"username": "olive", "password": PASSWORD}], mfa="ON", oauth=OAUTH)
    reply = sign_in(Browser(), pool)
    assert reply.status == 200 and "MFA" in reply.text and not reply.location


@pytest.mark.parametrize("change", [
    {"redirect_uri": "http://localhost:5173/not-registered"},
    {"redirect_uri": CALLBACK + "/"},
    {"redirect_uri": None},
    {"client_id": "no-such-client"},
    {"client_id": None},
])
def test_bad_client_or_redirect_uri_is_an_error_page_not_a_redirect(pool, change):
    reply = Browser().go(authorize_url(pool, state="s", **change))
    assert reply.status == 400 and not reply.location
    assert reply.headers["Content-Type"].startswith("text/html")
    expected = "redirect_mismatch" if "redirect_uri" in change else "invalid_request"
    assert f'data-error="{expected}"' in reply.text


@pytest.mark.parametrize("change, error", [
    ({"response_type": None}, "invalid_request"),
    ({"response_type": "id_token"}, "invalid_request"),
    ({"response_type": "token"}, "unauthorized_client"),  # the client allows the code grant only
    ({"code_challenge": "x" * 43, "code_challenge_method": "plain"}, "invalid_request"),  # AWS supports S256 only
    ({"code_challenge": "x" * 43}, "invalid_request"),  # a challenge without its method
    ({"code_challenge_method": "S256"}, "invalid_request"),  # a method without a challenge
    ({"code_challenge": "short", "code_challenge_method": "S256"}, "invalid_request"),
    ({"scope": "openid launch/missiles"}, "invalid_scope"),
    ({"scope": "email"}, "invalid_scope"),  # email needs openid
    ({"identity_provider": "Facebook"}, "invalid_request"),  # not a provider of the pool
    ({"idp_identifier": "unknown.example"}, "invalid_request"),
    ({"prompt": "sometimes"}, "invalid_request"),
    ({"prompt": "none"}, "login_required"),  # no managed-login session yet
])
def test_other_authorize_errors_go_back_to_the_redirect_uri(pool, change, error):
    reply = Browser().go(authorize_url(pool, state="keep-me", **change))
    assert reply.status == 302 and reply.location.startswith(CALLBACK + "?")
    query = reply.query()
    assert query["error"] == error and query["error_description"] and query["state"] == "keep-me"
    assert "code" not in query


def test_session_cookie_signs_in_again_without_the_form_until_prompt_login(emulator, pool):
    _code, _verifier, browser = code_for(pool)
    again = browser.go(authorize_url(pool, state="second"))
    assert again.status == 302 and again.location.startswith(CALLBACK) and again.query()["state"] == "second"
    assert exchange(pool, again.query()["code"], None).status == 200
    assert browser.go(authorize_url(pool, prompt="none")).query().get("code")
    forced = browser.go(authorize_url(pool, prompt="login"))
    assert "/login?" in forced.location
    assert oauth_events(emulator, pool)[-1]["event"] == "authorize"
    # Another browser has no session.
    assert "/login?" in Browser().go(authorize_url(pool)).location


# ---- /oauth2/token ----------------------------------------------------------------------------------------------


def test_code_exchange_with_the_right_verifier(emulator, pool):
    code, verifier, _ = code_for(pool, nonce="n-0S6_WzA2Mj")
    reply = exchange(pool, code, verifier)
    assert reply.status == 200, reply.text
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["Access-Control-Allow-Origin"] == APP
    body = reply.json()
    assert set(body) == {"access_token", "refresh_token", "id_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert claims(body["id_token"])["nonce"] == "n-0S6_WzA2Mj"
    assert [e["event"] for e in oauth_events(emulator, pool)][-1] == "token"


def test_code_exchange_errors(emulator, pool):
    # A wrong verifier: invalid_grant, and the code is spent.
    code, verifier, browser = code_for(pool)
    wrong = exchange(pool, code, pkce_pair()[0])
    assert (wrong.status, wrong.json()["error"]) == (400, "invalid_grant")
    assert exchange(pool, code, verifier).json()["error"] == "invalid_grant"
    # A replayed code: invalid_grant.
    code, verifier, _ = code_for(pool, browser)
    assert exchange(pool, code, verifier).status == 200
    replay = exchange(pool, code, verifier)
    assert (replay.status, replay.json()["error"]) == (400, "invalid_grant")
    # Another redirect_uri than the authorize request's (even a registered one): invalid_grant.
    code, verifier, _ = code_for(pool, browser)
    assert exchange(pool, code, verifier, redirect_uri=OTHER_CALLBACK).json()["error"] == "invalid_grant"
    # No verifier for a PKCE code: invalid_request.
    code, _verifier, _ = code_for(pool, browser)
    assert exchange(pool, code, None).json()["error"] == "invalid_request"
    # An expired code (5 minutes): invalid_grant.
    code, verifier, _ = code_for(pool, browser)
    post_json(emulator["endpoint"] + "/_emulator/expire-oauth-code", {"code": code})
    assert exchange(pool, code, verifier).json()["error"] == "invalid_grant"
    # Unknown code, missing members, grant types, client, body type.
    assert exchange(pool, "00000000-0000-0000-0000-000000000000", "v" * 43).json()["error"] == "invalid_grant"
    assert token_request(pool, grant_type="authorization_code", code="x").json()["error"] == "invalid_request"
    assert token_request(pool).json()["error"] == "invalid_request"
    assert token_request(pool, grant_type="password").json()["error"] == "unsupported_grant_type"
    assert token_request(pool, grant_type="client_credentials").json()["error"] == "unauthorized_client"
    unknown_client = app_post(f"{pool['oauth']['url']}/oauth2/token", {"grant_type": "authorization_code",
                                                                       "client_id": "nope", "code": "x", "redirect_uri": CALLBACK})
    assert (unknown_client.status, unknown_client.json()["error"]) == (401, "invalid_client")
    as_json = app_post(f"{pool['oauth']['url']}/oauth2/token", body=b'{"grant_type": "authorization_code"}',
                       content_type="application/json")
    assert (as_json.status, as_json.json()["error"]) == (400, "invalid_request")
    twice = app_post(f"{pool['oauth']['url']}/oauth2/token",
                     body=f"grant_type=refresh_token&client_id={pool['clientId']}&client_id=x".encode())
    assert twice.json()["error"] == "invalid_request"
    assert Browser().go(f"{pool['oauth']['url']}/oauth2/token").status == 405
    errors = [e["error"] for e in oauth_events(emulator, pool) if e["event"] == "token_error"]
    assert errors[:3] == ["invalid_grant", "invalid_grant", "invalid_grant"]


def test_a_code_is_bound_to_its_client(emulator, new_pool, pool):
    code, verifier, _ = code_for(pool)
    other = new_pool(oauth={"callbackUrls": [CALLBACK]})
    # The other client at its own domain, and the other client at this domain: both refused.
    assert exchange(other, code, verifier).json()["error"] == "invalid_grant"
    assert exchange({**pool, "clientId": other["clientId"]}, code, verifier).status == 401


def test_tokens_verify_against_the_pool_jwks_with_managed_login_claims(emulator, pool):
    code, verifier, _ = code_for(pool, nonce="nonce-42")
    body = exchange(pool, code, verifier).json()
    jwks = jwks_of(emulator, pool)
    id_claims = verify_rs256(body["id_token"], jwks)
    access = verify_rs256(body["access_token"], jwks)
    forged = body["id_token"].rsplit(".", 1)[0] + "." + base64.urlsafe_b64encode(b"\0" * 256).rstrip(b"=").decode()
    with pytest.raises(InvalidSignature):
        verify_rs256(forged, jwks)
    user = next(u for u in pool["seedUsers"] if u["username"] == "olive")
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool['userPoolId']}"
    assert id_claims["iss"] == issuer and access["iss"] == issuer
    assert id_claims["token_use"] == "id" and id_claims["aud"] == pool["clientId"]
    assert id_claims["sub"] == user["sub"] and id_claims["cognito:username"] == "olive"
    assert id_claims["nonce"] == "nonce-42" and id_claims["at_hash"] == at_hash_of(body["access_token"])
    assert id_claims["email"] == "olive@example.com" and id_claims["email_verified"] is True
    assert id_claims["cognito:groups"] == ["staff"] and "identities" not in id_claims
    assert isinstance(id_claims["auth_time"], int) and id_claims["auth_time"] <= id_claims["iat"]
    assert access["token_use"] == "access" and access["client_id"] == pool["clientId"] and "aud" not in access
    assert access["username"] == "olive" and access["sub"] == user["sub"]
    assert access["scope"] == "openid email profile aws.cognito.signin.user.admin"
    assert access["cognito:groups"] == ["staff"] and access["auth_time"] == id_claims["auth_time"]
    assert access["origin_jti"] == id_claims["origin_jti"] and access["jti"] != id_claims["jti"]
    assert access["version"] == 2 and "nonce" not in access
    # The access token works with the user operations (it has aws.cognito.signin.user.admin).
    got, _ = call(emulator["endpoint"], "GetUser", {"AccessToken": body["access_token"]})
    assert got["Username"] == "olive"


def test_scopes_decide_the_id_token_and_the_admin_operations(emulator, new_pool):
    pool = new_pool(seedUsers=[{"username": "olive", "password": PASSWORD}],
                    oauth={"callbackUrls": [CALLBACK], "scopes": ["openid", "email", "aws.cognito.signin.user.admin"]})
    # Scopes the client is not allowed (phone, profile) are dropped; without the admin scope GetUser refuses.
    body = tokens_for(pool, scope="openid email phone profile")
    assert claims(body["access_token"])["scope"] == "openid email"
    with pytest.raises(CognitoError) as err:
        call(emulator["endpoint"], "GetUser", {"AccessToken": body["access_token"]})
    assert err.value.error_type == "NotAuthorizedException"
    # Without openid: no ID token.
    body = tokens_for(pool, scope="aws.cognito.signin.user.admin")
    assert "id_token" not in body and claims(body["access_token"])["scope"] == "aws.cognito.signin.user.admin"
    # No scope parameter: all the client's scopes.
    body = tokens_for(pool, scope=None)
    assert claims(body["access_token"])["scope"] == "openid email aws.cognito.signin.user.admin"


def test_client_with_a_secret_authenticates_at_the_token_endpoint(new_pool):
    pool = new_pool(seedUsers=[{"username": "olive", "password": PASSWORD}], clientSecret=True,
                    oauth={"callbackUrls": [CALLBACK]})
    url = f"{pool['oauth']['url']}/oauth2/token"
    code, verifier, browser = code_for(pool)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    no_secret = app_post(url, {**form, "client_id": pool["clientId"]})
    assert (no_secret.status, no_secret.json()["error"]) == (401, "invalid_client")
    basic = base64.b64encode(f"{pool['clientId']}:{pool['clientSecret']}".encode()).decode()
    wrong = base64.b64encode(f"{pool['clientId']}:nope".encode()).decode()
    code, verifier, _ = code_for(pool, browser)
    form.update(code=code, code_verifier=verifier)
    assert app_post(url, form, headers={"Authorization": "Basic " + wrong}).status == 401
    assert app_post(url, form, headers={"Authorization": "Basic " + basic}).status == 200
    code, verifier, _ = code_for(pool, browser)
    form.update(code=code, code_verifier=verifier, client_id=pool["clientId"], client_secret=pool["clientSecret"])
    assert app_post(url, form).status == 200


# ---- refresh, revoke ----------------------------------------------------------------------------------------------


def test_refresh_through_the_token_endpoint_and_the_api_keeps_the_grant(emulator, pool):
    ep = emulator["endpoint"]
    first = tokens_for(pool, nonce="once", scope="openid email aws.cognito.signin.user.admin")
    original = claims(first["id_token"])
    refreshed = token_request(pool, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status == 200, refreshed.text
    body = refreshed.json()
    assert set(body) == {"access_token", "id_token", "token_type", "expires_in"}  # no new refresh token
    jwks = jwks_of(emulator, pool)
    id_claims, access = verify_rs256(body["id_token"], jwks), verify_rs256(body["access_token"], jwks)
    assert access["scope"] == "openid email aws.cognito.signin.user.admin"
    assert id_claims["auth_time"] == original["auth_time"] and access["auth_time"] == original["auth_time"]
    assert id_claims["origin_jti"] == original["origin_jti"] and id_claims["at_hash"] == at_hash_of(body["access_token"])
    assert "nonce" not in id_claims  # [U] the nonce belongs to the authorize request
    # The same refresh token through InitiateAuth REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken.
    api, _ = call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool["clientId"],
                                       "AuthParameters": {"REFRESH_TOKEN": first["refresh_token"]}})
    result = api["AuthenticationResult"]
    assert "RefreshToken" not in result
    assert claims(result["AccessToken"])["scope"] == "openid email aws.cognito.signin.user.admin"
    assert claims(result["IdToken"])["origin_jti"] == original["origin_jti"]
    got, _ = call(ep, "GetTokensFromRefreshToken", {"RefreshToken": first["refresh_token"], "ClientId": pool["clientId"]})
    assert claims(got["AuthenticationResult"]["AccessToken"])["auth_time"] == original["auth_time"]
    # Errors: missing, unknown, another client's.
    assert token_request(pool, grant_type="refresh_token").json()["error"] == "invalid_request"
    assert token_request(pool, grant_type="refresh_token", refresh_token="nope").json()["error"] == "invalid_grant"


def test_refresh_token_of_an_api_sign_in_works_at_the_token_endpoint(emulator, pool):
    signed, _ = call(emulator["endpoint"], "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"],
                                                            "AuthParameters": {"USERNAME": "olive", "PASSWORD": PASSWORD}})
    body = token_request(pool, grant_type="refresh_token",
                         refresh_token=signed["AuthenticationResult"]["RefreshToken"]).json()
    assert claims(body["access_token"])["scope"] == "aws.cognito.signin.user.admin" and "id_token" in body


def test_refresh_token_rotation_at_the_token_endpoint(new_pool):
    pool = new_pool(seedUsers=[{"username": "olive", "password": PASSWORD}], refreshTokenRotation=True,
                    oauth={"callbackUrls": [CALLBACK]})
    first = tokens_for(pool)
    body = token_request(pool, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert body["refresh_token"] != first["refresh_token"]
    assert token_request(pool, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()["error"] == "invalid_grant"
    assert token_request(pool, grant_type="refresh_token", refresh_token=body["refresh_token"]).status == 200


def test_revoke_then_refresh_fails(emulator, pool):
    ep = emulator["endpoint"]
    revoke_url = f"{pool['oauth']['url']}/oauth2/revoke"
    tokens = tokens_for(pool)
    other = tokens_for(pool)  # another sign-in of the same user stays valid
    # Only refresh tokens can be revoked; a missing token is invalid_request; an unknown one is fine.
    access = app_post(revoke_url, {"token": tokens["access_token"], "client_id": pool["clientId"]})
    assert (access.status, access.json()["error"]) == (400, "unsupported_token_type")
    assert app_post(revoke_url, {"client_id": pool["clientId"]}).json()["error"] == "invalid_request"
    assert app_post(revoke_url, {"token": "unknown", "client_id": pool["clientId"]}).status == 200
    assert app_post(revoke_url, {"token": tokens["refresh_token"], "client_id": "nope"}).status == 401
    reply = app_post(revoke_url, {"token": tokens["refresh_token"], "client_id": pool["clientId"]})
    assert reply.status == 200 and reply.body == b"" and reply.headers["Access-Control-Allow-Origin"] == APP
    refused = token_request(pool, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert (refused.status, refused.json()["error"]) == (400, "invalid_grant")
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool["clientId"],
                                  "AuthParameters": {"REFRESH_TOKEN": tokens["refresh_token"]}})
    assert err.value.error_type == "NotAuthorizedException"
    # The access token of the revoked sign-in is dead too; the other sign-in's is not.
    userinfo = f"{pool['oauth']['url']}/oauth2/userInfo"
    assert app_get(userinfo, {"Authorization": "Bearer " + tokens["access_token"]}).status == 401
    assert app_get(userinfo, {"Authorization": "Bearer " + other["access_token"]}).status == 200
    # RevokeToken (the JSON operation Amplify's signOut uses) revokes managed-login refresh tokens too.
    call(ep, "RevokeToken", {"Token": other["refresh_token"], "ClientId": pool["clientId"]})
    assert token_request(pool, grant_type="refresh_token", refresh_token=other["refresh_token"]).status == 400
    assert app_post(revoke_url, {"token": tokens["refresh_token"], "client_id": pool["clientId"]}).status == 200


# ---- /oauth2/userInfo -------------------------------------------------------------------------------------------


def test_userinfo(emulator, pool):
    url = f"{pool['oauth']['url']}/oauth2/userInfo"
    sub = next(u["sub"] for u in pool["seedUsers"] if u["username"] == "olive")
    tokens = tokens_for(pool, scope="openid email")
    reply = app_get(url, {"Authorization": "Bearer " + tokens["access_token"]})
    assert reply.status == 200 and reply.headers["Access-Control-Allow-Origin"] == APP
    assert reply.json() == {"sub": sub, "email": "olive@example.com", "email_verified": "true", "username": "olive"}
    # openid alone: every readable attribute.
    everything = app_get(url, {"Authorization": "Bearer " + tokens_for(pool, scope="openid")["access_token"]}).json()
    assert everything["email"] == "olive@example.com" and everything["username"] == "olive"
    # Bad tokens: 401 invalid_token in WWW-Authenticate; no token: 400 invalid_request.
    no_openid = tokens_for(pool, scope="aws.cognito.signin.user.admin")["access_token"]
    api, _ = call(emulator["endpoint"], "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"],
                                                         "AuthParameters": {"USERNAME": "olive", "PASSWORD": PASSWORD}})
    for bad in (no_openid, api["AuthenticationResult"]["AccessToken"], "garbage", tokens["id_token"]):
        refused = app_get(url, {"Authorization": "Bearer " + bad})
        assert refused.status == 401 and 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    missing = app_get(url)
    assert missing.status == 400 and 'error="invalid_request"' in missing.headers["WWW-Authenticate"]
    # A global sign-out (it needs the admin scope, which `openid email` lacks) ends every sign-in of the user.
    with pytest.raises(CognitoError) as err:
        call(emulator["endpoint"], "GlobalSignOut", {"AccessToken": tokens["access_token"]})
    assert err.value.error_type == "NotAuthorizedException"
    call(emulator["endpoint"], "GlobalSignOut", {"AccessToken": tokens_for(pool)["access_token"]})
    assert app_get(url, {"Authorization": "Bearer " + tokens["access_token"]}).status == 401


# ---- /logout -------------------------------------------------------------------------------------------------------


def test_logout_redirects_and_ends_the_session(emulator, pool):
    _code, _verifier, browser = code_for(pool)
    base = pool["oauth"]["url"]
    assert browser.go(authorize_url(pool)).query().get("code")  # signed in by the cookie
    # A sign-out URL that is not registered, no client, nothing to go to: error pages, and the session stays.
    for query in ({"client_id": pool["clientId"], "logout_uri": APP + "/elsewhere"},
                  {"logout_uri": SIGNED_OUT}, {"client_id": pool["clientId"]}):
        bad = browser.go(f"{base}/logout?" + urllib.parse.urlencode(query))
        assert bad.status == 400 and not bad.location
    assert browser.cookie() is not None
    reply = browser.go(f"{base}/logout?" + urllib.parse.urlencode({"client_id": pool["clientId"], "logout_uri": SIGNED_OUT}))
    assert reply.status == 302 and reply.location == SIGNED_OUT
    assert "Max-Age=0" in reply.headers["Set-Cookie"] and browser.cookie() is None
    assert "/login?" in browser.go(authorize_url(pool)).location  # the form again
    event = [e for e in oauth_events(emulator, pool) if e["event"] == "logout"][-1]
    assert event["username"] == "olive" and event["target"] == SIGNED_OUT


def test_logout_with_redirect_uri_goes_back_to_sign_in(pool):
    _code, _verifier, browser = code_for(pool)
    base = pool["oauth"]["url"]
    params = {"client_id": pool["clientId"], "response_type": "code", "redirect_uri": CALLBACK, "state": "again",
              "scope": "openid"}
    reply = browser.go(f"{base}/logout?" + urllib.parse.urlencode(params))
    assert reply.status == 302 and reply.location.startswith(f"{base}/login?") and reply.query()["state"] == "again"
    assert browser.cookie() is None
    bad = browser.go(f"{base}/logout?" + urllib.parse.urlencode({**params, "redirect_uri": APP + "/nope"}))
    assert bad.status == 400


# ---- federation (the stand-in Google) ----------------------------------------------------------------------------


def federated_sign_in(pool, browser, email, name, sub="", via_button=False, **params):
    """authorize?identity_provider=Google (or the page's button) -> the stand-in -> idpresponse -> the app."""
    if via_button:
        page = browser.go(browser.go(authorize_url(pool, **params)).location)
        link = re.search(r'data-provider="Google" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
        hop = browser.go(link)
    else:
        hop = browser.go(authorize_url(pool, identity_provider="Google", **params))
    assert hop.status == 302 and "/_emulator/idp/Google/authorize?" in hop.location, hop.text
    idp_query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(hop.location).query))
    assert idp_query["redirect_uri"] == f"{pool['oauth']['url']}/oauth2/idpresponse"
    form_page = browser.go(hop.location)
    assert form_page.status == 200 and 'id="idpEmail"' in form_page.text
    back = browser.go(hop.location, {"email": email, "name": name, "sub": sub, "email_verified": "true", "action": "sign_in"})
    assert back.status == 302 and back.location.startswith(f"{pool['oauth']['url']}/oauth2/idpresponse?")
    return browser.go(back.location)


def test_federated_sign_in_creates_the_user_once_then_links_it(emulator, pool):
    ep = emulator["endpoint"]
    verifier, challenge = pkce_pair()
    reply = federated_sign_in(pool, Browser(), "gina@gmail.com", "Gina G", sub="104142427804075574374",
                              state="fed", code_challenge=challenge, code_challenge_method="S256", nonce="fed-nonce")
    assert reply.status == 302 and reply.location.startswith(CALLBACK) and reply.query()["state"] == "fed"
    body = exchange(pool, reply.query()["code"], verifier).json()
    jwks = jwks_of(emulator, pool)
    id_claims = verify_rs256(body["id_token"], jwks)
    access = verify_rs256(body["access_token"], jwks)
    username = "google_104142427804075574374"  # case-insensitive pool: lowercased, as AWS's usernames are
    group = f"{pool['userPoolId']}_Google"
    assert id_claims["cognito:username"] == username and access["username"] == username
    assert id_claims["cognito:groups"] == [group] and access["cognito:groups"] == [group]
    assert id_claims["email"] == "gina@gmail.com" and id_claims["name"] == "Gina G" and id_claims["email_verified"] is True
    assert id_claims["nonce"] == "fed-nonce"
    [identity] = id_claims["identities"]
    assert identity["userId"] == "104142427804075574374" and identity["providerName"] == "Google"
    assert identity["providerType"] == "Google" and identity["issuer"] is None and identity["primary"] == "true"
    assert identity["dateCreated"].isdigit()
    user, _ = call(ep, "AdminGetUser", {"UserPoolId": pool["userPoolId"], "Username": username})
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert json.loads(attributes["identities"])[0]["primary"] is True  # the attribute: a JSON string
    groups, _ = call(ep, "AdminListGroupsForUser", {"UserPoolId": pool["userPoolId"], "Username": username})
    assert [g["GroupName"] for g in groups["Groups"]] == [group]
    # The same Google account again (another browser, through the page's button): the same user, linked, updated.
    again = federated_sign_in(pool, Browser(), "gina@gmail.com", "Gina Renamed", sub="104142427804075574374",
                              via_button=True, state="fed2")
    second = claims(tokens_for_code(pool, again))
    assert second["sub"] == id_claims["sub"] and second["cognito:username"] == username and second["name"] == "Gina Renamed"
    assert second["identities"] == id_claims["identities"]
    users, _ = call(ep, "ListUsers", {"UserPoolId": pool["userPoolId"]})
    assert sum(u["Username"] == username for u in users["Users"]) == 1
    events = [e["event"] for e in oauth_events(emulator, pool) if e["event"].startswith("federated_user")]
    assert events == ["federated_user_created", "federated_user_linked"]
    # A federated user has no password for the API.
    with pytest.raises(CognitoError) as err:
        call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"],
                                  "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}})
    assert err.value.error_type == "NotAuthorizedException"
    # userInfo carries identities (a JSON string, as AWS answers).
    info = app_get(f"{pool['oauth']['url']}/oauth2/userInfo", {"Authorization": "Bearer " + body["access_token"]}).json()
    assert info["username"] == username and json.loads(info["identities"])[0]["providerName"] == "Google"


def tokens_for_code(pool, reply) -> str:
    """The ID token for the code of a redirect to the app (no PKCE)."""
    body = exchange(pool, reply.query()["code"], None).json()
    return body["id_token"]


def test_federated_sign_in_through_a_custom_oidc_provider_by_identifier(pool):
    browser = Browser()
    hop = browser.go(authorize_url(pool, idp_identifier="corp.example", state="c"))
    assert "/_emulator/idp/Corp/authorize?" in hop.location
    back = browser.go(hop.location, {"email": "carl@corp.example", "name": "Carl", "sub": "carl-1", "action": "sign_in"})
    reply = browser.go(back.location)
    id_claims = claims(tokens_for_code(pool, reply))
    assert id_claims["cognito:username"] == "corp_carl-1"
    assert id_claims["identities"][0]["providerType"] == "OIDC"
    assert id_claims["identities"][0]["issuer"] == "https://idp.corp.example"
    assert id_claims["email_verified"] is False  # the box was not ticked
    assert id_claims["cognito:groups"] == [f"{pool['userPoolId']}_Corp"]


def test_federated_sign_in_cancelled_or_tampered(pool):
    browser = Browser()
    hop = browser.go(authorize_url(pool, identity_provider="Google", state="gone"))
    back = browser.go(hop.location, {"action": "cancel"})
    reply = browser.go(back.location)
    assert reply.status == 302 and reply.location.startswith(CALLBACK)
    assert reply.query()["error"] == "invalid_request" and reply.query()["state"] == "gone"
    assert "access_denied" in reply.query()["error_description"]
    # An idpresponse nobody asked for: the error page.
    stray = browser.go(f"{pool['oauth']['url']}/oauth2/idpresponse?code=x&state=unknown")
    assert stray.status == 400 and not stray.location


# ---- CORS -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["oauth2/token", "oauth2/revoke", "oauth2/userInfo"])
def test_preflight_for_the_endpoints_the_app_fetches(pool, endpoint):
    reply = app_get(f"{pool['oauth']['url']}/{endpoint}", method="OPTIONS", headers={
        "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, authorization"})
    assert reply.status == 204
    assert reply.headers["Access-Control-Allow-Origin"] == APP
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]
    assert reply.headers["Access-Control-Allow-Headers"] == "content-type, authorization"


# ---- the startup pool -----------------------------------------------------------------------------------------------


def test_startup_pool_takes_the_oauth_flag(tmp_path):
    proc, info, _path, _ = start_emulator(tmp_path, "--seed-user", f"olive:{PASSWORD}",
                                          "--oauth", json.dumps({"callbackUrls": [CALLBACK], "domain": "startup"}))
    try:
        assert info["oauth"]["url"] == f"{info['endpoint']}/_domain/startup"
        assert info["oauth"]["identityProviders"] == ["COGNITO"]
        reply = sign_in(Browser(), info, state="boot")
        assert reply.status == 302 and reply.query()["state"] == "boot"
        page = Browser().go(Browser().go(authorize_url(info)).location)
        assert "data-provider=" not in page.text  # no federated provider configured
    finally:
        stop_emulator(proc)


def test_https_listener_serves_the_same_pools_on_its_own_origin(tmp_path):
    """`--https-port`: the same shim over TLS (a self-signed certificate), so that a client which puts https://
    before the domain (aws-amplify) reaches managed login; its pages and redirects stay on the https origin."""
    import ssl

    proc, info, _path, _ = start_emulator(tmp_path, "--seed-user", f"olive:{PASSWORD}", "--https-port", "0",
                                          "--oauth", json.dumps({"callbackUrls": [CALLBACK], "domain": "tls"}))
    try:
        https = info["httpsEndpoint"]
        assert https.startswith("https://127.0.0.1:")
        insecure = ssl.create_default_context()
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE
        browser = Browser()
        browser.opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(browser.jar),
                                                     urllib.request.HTTPSHandler(context=insecure))
        tls = dict(info, oauth=dict(info["oauth"], url=f"{https}/_domain/tls"))
        hop = browser.go(authorize_url(tls, state="tls"))
        assert hop.status == 302 and hop.location.startswith(f"{https}/_domain/tls/login?"), hop.location
        reply = submit_sign_in_form(browser, hop.location, "olive", PASSWORD)
        assert reply.status == 302 and reply.location.startswith(CALLBACK) and reply.query()["state"] == "tls"
        # The certificate is not one anybody trusts: a verifying client refuses it.
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"{https}/_emulator/health", timeout=10)
    finally:
        stop_emulator(proc)
