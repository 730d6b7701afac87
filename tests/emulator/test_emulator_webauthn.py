"""Passkeys in the emulator: the pool's WebAuthnConfiguration, StartWebAuthnRegistration /
CompleteWebAuthnRegistration (attestation verified with py_webauthn), ListWebAuthnCredentials (paging),
DeleteWebAuthnCredential, GetUserAuthFactors, and the WEB_AUTHN first factor of USER_AUTH (preferred, or chosen
from SELECT_CHALLENGE) with the assertion verified for real. The authenticator is soft_authenticator.py."""

from __future__ import annotations

import json

import pytest

from soft_authenticator import SoftAuthenticator, b64url
from srp_client import CognitoError, call

PASSWORD = "Passw0rd1"
RP = "localhost"
ORIGIN = "http://localhost:5173"
CONFIG = {"RelyingPartyId": RP, "UserVerification": "required"}


def make_pool(new_pool, first_factors=("PASSWORD", "WEB_AUTHN"), config=CONFIG, **options):
    if config is not None:
        options["webAuthnConfiguration"] = config
    return new_pool(seedUsers=[{"username": "alice", "password": PASSWORD}], firstFactors=list(first_factors), **options)


def access_token(ep, pool, username="alice"):
    reply, _ = call(ep, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["clientId"],
                                         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}})
    return reply["AuthenticationResult"]["AccessToken"]


def register(ep, token, authenticator, **create):
    options = call(ep, "StartWebAuthnRegistration", {"AccessToken": token})[0]["CredentialCreationOptions"]
    credential = authenticator.create(options, **create)
    call(ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": credential})
    return options, credential


def error_of(fn, *args, **kwargs) -> CognitoError:
    with pytest.raises(CognitoError) as info:
        fn(*args, **kwargs)
    return info.value


def respond(ep, pool, name, session, **responses):
    return call(ep, "RespondToAuthChallenge", {"ChallengeName": name, "ClientId": pool["clientId"], "Session": session,
                                               "ChallengeResponses": {"USERNAME": "alice", **responses}})[0]


def test_registration_options_follow_the_pool_configuration(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    assert pool["webAuthnConfiguration"] == {**CONFIG, "FactorConfiguration": "SINGLE_FACTOR"}
    token = access_token(ep, pool)
    options = call(ep, "StartWebAuthnRegistration", {"AccessToken": token})[0]["CredentialCreationOptions"]
    assert isinstance(options, dict)  # a JSON document, not a string
    assert options["rp"]["id"] == RP
    assert options["user"]["name"] == "alice" and options["user"]["id"]
    assert {"alg": -7, "type": "public-key"} in options["pubKeyCredParams"]
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["excludeCredentials"] == []
    assert len(options["challenge"]) == 43  # 32 bytes, base64url without padding
    # SetUserPoolMfaConfig / GetUserPoolMfaConfig carry the same configuration.
    reply = call(ep, "SetUserPoolMfaConfig", {"UserPoolId": pool["userPoolId"],
                                              "WebAuthnConfiguration": {"RelyingPartyId": "example.com"}})[0]
    assert reply["WebAuthnConfiguration"]["RelyingPartyId"] == "example.com"
    assert reply["WebAuthnConfiguration"]["UserVerification"] == "preferred"
    assert call(ep, "GetUserPoolMfaConfig", {"UserPoolId": pool["userPoolId"]})[0]["WebAuthnConfiguration"]["RelyingPartyId"] == "example.com"


def test_passkeys_need_the_first_factor_and_a_relying_party(emulator, new_pool):
    ep = emulator["endpoint"]
    off = make_pool(new_pool, first_factors=("PASSWORD",))
    err = error_of(call, ep, "StartWebAuthnRegistration", {"AccessToken": access_token(ep, off)})
    assert err.error_type == "WebAuthnNotEnabledException"
    missing = make_pool(new_pool, config=None)
    err = error_of(call, ep, "StartWebAuthnRegistration", {"AccessToken": access_token(ep, missing)})
    assert err.error_type == "WebAuthnConfigurationMissingException"
    assert error_of(call, ep, "StartWebAuthnRegistration", {"AccessToken": "nope"}).error_type == "NotAuthorizedException"


def test_registration_is_verified_and_listed(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    authenticator = SoftAuthenticator(ORIGIN)
    _, credential = register(ep, token, authenticator)
    listed = call(ep, "ListWebAuthnCredentials", {"AccessToken": token})[0]
    assert "NextToken" not in listed
    [entry] = listed["Credentials"]
    assert entry["CredentialId"] == credential["id"]
    assert entry["RelyingPartyId"] == RP
    assert entry["AuthenticatorTransports"] == ["internal"]
    assert entry["AuthenticatorAttachment"] == "platform"
    assert entry["FriendlyCredentialName"]
    assert isinstance(entry["CreatedAt"], (int, float))
    # The next registration excludes it.
    options = call(ep, "StartWebAuthnRegistration", {"AccessToken": token})[0]["CredentialCreationOptions"]
    assert [c["id"] for c in options["excludeCredentials"]] == [credential["id"]]
    factors = call(ep, "GetUserAuthFactors", {"AccessToken": token})[0]
    assert factors["Username"] == "alice"
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD", "WEB_AUTHN"]


@pytest.mark.parametrize("tamper, error", [
    ({"origin": "http://evil.example:5173"}, "WebAuthnOriginNotAllowedException"),
    ({"origin": "https://localhost.evil.example"}, "WebAuthnOriginNotAllowedException"),
    ({"rp_id": "example.com"}, "WebAuthnRelyingPartyMismatchException"),
])
def test_registration_checks_origin_and_relying_party(emulator, new_pool, tamper, error):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    options = call(ep, "StartWebAuthnRegistration", {"AccessToken": token})[0]["CredentialCreationOptions"]
    credential = SoftAuthenticator(ORIGIN).create(options, **tamper)
    err = error_of(call, ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": credential})
    assert err.error_type == error
    assert call(ep, "ListWebAuthnCredentials", {"AccessToken": token})[0]["Credentials"] == []


def test_registration_needs_an_issued_challenge_and_a_valid_attestation(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    authenticator = SoftAuthenticator(ORIGIN)
    options = call(ep, "StartWebAuthnRegistration", {"AccessToken": token})[0]["CredentialCreationOptions"]
    forged = authenticator.create({**options, "challenge": b64url(b"x" * 32)})
    err = error_of(call, ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": forged})
    assert err.error_type == "WebAuthnChallengeNotFoundException"
    # Without user verification where the pool requires it.
    lazy = SoftAuthenticator(ORIGIN, user_verified=False).create(options)
    err = error_of(call, ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": lazy})
    assert err.error_type == "NotAuthorizedException" and "verif" in err.message.lower()
    # A string is not the Credential document.
    good = authenticator.create(options)
    err = error_of(call, ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": json.dumps(good)})
    assert err.error_type == "InvalidParameterException"
    call(ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": good})
    # The challenge is used up.
    again = authenticator.create(options)
    err = error_of(call, ep, "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": again})
    assert err.error_type == "WebAuthnChallengeNotFoundException"


def test_list_pages_and_delete(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    authenticator = SoftAuthenticator(ORIGIN)
    ids = [register(ep, token, authenticator)[1]["id"] for _ in range(3)]
    first = call(ep, "ListWebAuthnCredentials", {"AccessToken": token, "MaxResults": 2})[0]
    assert [c["CredentialId"] for c in first["Credentials"]] == ids[:2]
    second = call(ep, "ListWebAuthnCredentials", {"AccessToken": token, "MaxResults": 2, "NextToken": first["NextToken"]})[0]
    assert [c["CredentialId"] for c in second["Credentials"]] == ids[2:]
    assert "NextToken" not in second
    for bad in ({"MaxResults": 21}, {"MaxResults": -1}, {"NextToken": "nope"}):
        assert error_of(call, ep, "ListWebAuthnCredentials", {"AccessToken": token, **bad}).error_type == "InvalidParameterException"
    call(ep, "DeleteWebAuthnCredential", {"AccessToken": token, "CredentialId": ids[1]})
    listed = call(ep, "ListWebAuthnCredentials", {"AccessToken": token})[0]["Credentials"]
    assert [c["CredentialId"] for c in listed] == [ids[0], ids[2]]
    err = error_of(call, ep, "DeleteWebAuthnCredential", {"AccessToken": token, "CredentialId": ids[1]})
    assert err.error_type == "ResourceNotFoundException"


def web_authn_challenge(ep, pool, **params):
    reply = call(ep, "InitiateAuth", {"AuthFlow": "USER_AUTH", "ClientId": pool["clientId"],
                                      "AuthParameters": {"USERNAME": "alice", **params}})[0]
    return reply


def test_sign_in_with_a_preferred_passkey(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    authenticator = SoftAuthenticator(ORIGIN)
    _, credential = register(ep, token, authenticator)
    challenge = web_authn_challenge(ep, pool, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])  # a JSON string
    assert options["rpId"] == RP and options["userVerification"] == "required"
    assert [c["id"] for c in options["allowCredentials"]] == [credential["id"]]
    assertion = authenticator.get(options)
    reply = respond(ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(assertion))
    assert reply["AuthenticationResult"]["AccessToken"]
    # The same assertion again (replayed sign count, used challenge) does not sign in.
    challenge = web_authn_challenge(ep, pool, PREFERRED_CHALLENGE="WEB_AUTHN")
    err = error_of(respond, ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(assertion))
    assert err.error_type == "NotAuthorizedException"


def test_sign_in_with_a_passkey_chosen_from_select_challenge(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    authenticator = SoftAuthenticator(ORIGIN)
    # Without a passkey, WEB_AUTHN is not offered.
    assert "WEB_AUTHN" not in web_authn_challenge(ep, pool)["AvailableChallenges"]
    register(ep, token, authenticator)
    select = web_authn_challenge(ep, pool)
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]
    challenge = respond(ep, pool, "SELECT_CHALLENGE", select["Session"], ANSWER="WEB_AUTHN")
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    reply = respond(ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(authenticator.get(options)))
    assert reply["AuthenticationResult"]["IdToken"]
    # ANSWER=WEB_AUTHN with the CREDENTIAL at once (for options the client already has) is not possible here: the
    # challenge is new per sign-in, so an assertion over another challenge is refused.
    select = web_authn_challenge(ep, pool)
    err = error_of(respond, ep, pool, "SELECT_CHALLENGE", select["Session"], ANSWER="WEB_AUTHN",
                   CREDENTIAL=json.dumps(authenticator.get(options)))
    assert err.error_type == "NotAuthorizedException"


@pytest.mark.parametrize("tamper", [
    {"origin": "http://evil.example"},
    {"rp_id": "example.com"},
    {"challenge": b64url(b"y" * 32)},
    {"count": 0},  # not above the stored sign count (1 after the first assertion)
])
def test_assertions_are_verified(emulator, new_pool, tamper):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    authenticator = SoftAuthenticator(ORIGIN)
    register(ep, access_token(ep, pool), authenticator)
    challenge = web_authn_challenge(ep, pool, PREFERRED_CHALLENGE="WEB_AUTHN")
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    respond(ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(authenticator.get(options)))
    challenge = web_authn_challenge(ep, pool, PREFERRED_CHALLENGE="WEB_AUTHN")
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    bad = authenticator.get(options, **tamper)
    err = error_of(respond, ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(bad))
    assert err.error_type == "NotAuthorizedException"
    # A forged signature: another key signs for the registered credential id.
    other = SoftAuthenticator(ORIGIN)
    other.create({"rp": {"id": RP}, "user": {"id": b64url(b"u")}, "challenge": options["challenge"]})
    forged = other.get({**options, "allowCredentials": []})
    forged["id"] = forged["rawId"] = options["allowCredentials"][0]["id"]
    err = error_of(respond, ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(forged))
    assert err.error_type == "NotAuthorizedException"
    # The genuine assertion still works on the same Session.
    good = authenticator.get(options, count=7)
    assert respond(ep, pool, "WEB_AUTHN", challenge["Session"], CREDENTIAL=json.dumps(good))["AuthenticationResult"]


def test_deleted_passkeys_no_longer_sign_in(emulator, new_pool):
    ep = emulator["endpoint"]
    pool = make_pool(new_pool)
    token = access_token(ep, pool)
    authenticator = SoftAuthenticator(ORIGIN)
    _, credential = register(ep, token, authenticator)
    call(ep, "DeleteWebAuthnCredential", {"AccessToken": token, "CredentialId": credential["id"]})
    # Not preferred any more (AWS's answer is undocumented; the emulator offers what is left).
    reply = web_authn_challenge(ep, pool, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert reply["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" not in reply["AvailableChallenges"]
    assert call(ep, "GetUserAuthFactors", {"AccessToken": token})[0]["ConfiguredUserAuthFactors"] == ["PASSWORD"]
