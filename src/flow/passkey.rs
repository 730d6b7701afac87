//! Passkeys (WebAuthn) as Cognito speaks them: the options it sends for the browser's ceremony, checked, and the
//! credential the browser made, turned into what Cognito takes back.
//!
//! The browser shell runs `navigator.credentials.create` / `get` and hands the result over in the shape of
//! `PublicKeyCredential.toJSON()` (binary fields base64url). Everything else is here, pure:
//! * `StartWebAuthnRegistration`'s `CredentialCreationOptions` (a JSON object) and the `WEB_AUTHN` challenge's
//!   `CREDENTIAL_REQUEST_OPTIONS` (a JSON string) are checked before the browser sees them;
//! * `CompleteWebAuthnRegistration` takes the `RegistrationResponseJSON` as an object (`Credential`), and the
//!   `WEB_AUTHN` answer takes the `AuthenticationResponseJSON` as JSON text (`CREDENTIAL`). Only the members
//!   WebAuthn defines are copied, each checked.

use crate::base64::{self, Form};
use crate::error::{Error, Result, UsageCode};
use crate::json::{self, Object, Value};
use crate::text::cat;

/// Whether `text` is base64url without padding (RFC 4648 § 5), as WebAuthn's JSON forms write bytes.
fn is_base64url(text: &str) -> bool {
    !text.is_empty() && base64::decode(text, Form::UrlUnpadded).is_some()
}

fn bad_options(what: &str, problem: &str) -> Error {
    Error::protocol(cat(&[what, " from Cognito ", problem]))
}

/// Checks a list of `PublicKeyCredentialDescriptorJSON` (`allowCredentials`, `excludeCredentials`), if present.
fn check_descriptors(options: &Object, key: &str, what: &str) -> Result<()> {
    let Some(list) = options.get(key) else {
        return Ok(());
    };
    let bad = || bad_options(what, &cat(&["has a malformed ", key]));
    for item in list.as_array().ok_or_else(bad)? {
        let item = item.as_object().ok_or_else(bad)?;
        if !item.get_str("id").is_some_and(is_base64url) || item.get_str("type").is_none() {
            return Err(bad());
        }
    }
    Ok(())
}

fn check_challenge(options: &Object, what: &str) -> Result<()> {
    if options.get_str("challenge").is_some_and(is_base64url) {
        Ok(())
    } else {
        Err(bad_options(what, "has no base64url challenge"))
    }
}

/// `StartWebAuthnRegistration`'s `CredentialCreationOptions` (`PublicKeyCredentialCreationOptionsJSON`), checked
/// as Amplify does (challenge, `rp`, `user`, `pubKeyCredParams`) and with its binary fields base64url.
pub fn creation_options(body: &Object) -> Result<Object> {
    const WHAT: &str = "CredentialCreationOptions";
    let options = body
        .get_object(WHAT)
        .ok_or_else(|| bad_options(WHAT, "is missing or not an object"))?;
    check_challenge(options, WHAT)?;
    let user_ok = options
        .get_object("user")
        .is_some_and(|u| u.get_str("id").is_some_and(is_base64url) && u.get_str("name").is_some());
    if !user_ok {
        return Err(bad_options(
            WHAT,
            "has no user with a base64url id and a name",
        ));
    }
    if options
        .get_object("rp")
        .and_then(|rp| rp.get_str("name"))
        .is_none()
    {
        return Err(bad_options(WHAT, "has no relying party"));
    }
    if options
        .get_array("pubKeyCredParams")
        .is_none_or(<[Value]>::is_empty)
    {
        return Err(bad_options(WHAT, "lists no pubKeyCredParams"));
    }
    check_descriptors(options, "excludeCredentials", WHAT)?;
    Ok(options.clone())
}

/// The `WEB_AUTHN` challenge's `CREDENTIAL_REQUEST_OPTIONS` (`PublicKeyCredentialRequestOptionsJSON`, as JSON
/// text), checked.
pub fn request_options(text: &str) -> Result<Object> {
    const WHAT: &str = "CREDENTIAL_REQUEST_OPTIONS";
    let options = json::parse_object(text.as_bytes(), &json::Limits::default())
        .map_err(|_| bad_options(WHAT, "is not a JSON object"))?;
    check_challenge(&options, WHAT)?;
    if options.get("rpId").is_some_and(|id| id.as_str().is_none()) {
        return Err(bad_options(WHAT, "has an rpId that is not a string"));
    }
    check_descriptors(&options, "allowCredentials", WHAT)?;
    Ok(options)
}

fn bad_credential(problem: &str) -> Error {
    Error::usage(
        UsageCode::InvalidArgument,
        cat(&["the passkey credential ", problem]),
    )
}

/// Copies `key` from `from` when it is base64url; `required` ones must be there.
fn copy_bytes(from: &Object, to: &mut Object, key: &str, required: bool) -> Result<()> {
    match from.get(key) {
        None | Some(Value::Null) if !required => Ok(()),
        Some(Value::String(text)) if is_base64url(text) => {
            to.insert(key, text.as_str());
            Ok(())
        }
        _ => Err(bad_credential(&cat(&["has no base64url ", key]))),
    }
}

/// The members every `PublicKeyCredential` JSON has (`id`, `rawId`, `type`, `clientExtensionResults`,
/// `authenticatorAttachment`), and its `response` object.
fn credential_base(credential: &Object) -> Result<(Object, &Object)> {
    let id = credential.get_str("id").filter(|id| is_base64url(id));
    let id = id.ok_or_else(|| bad_credential("has no base64url id"))?;
    // The id is the base64url of rawId: one and the same string.
    if credential.get_str("rawId") != Some(id) {
        return Err(bad_credential("has a rawId other than its id"));
    }
    if credential.get_str("type") != Some("public-key") {
        return Err(bad_credential("is not of type public-key"));
    }
    let mut out = Object::new()
        .with("id", id)
        .with("rawId", id)
        .with("type", "public-key");
    match credential.get("clientExtensionResults") {
        None | Some(Value::Null) => out.insert("clientExtensionResults", Object::new()),
        Some(Value::Object(results)) => out.insert("clientExtensionResults", results.clone()),
        Some(_) => {
            return Err(bad_credential(
                "has clientExtensionResults that are not an object",
            ))
        }
    }
    match credential.get("authenticatorAttachment") {
        None | Some(Value::Null) => {}
        Some(Value::String(a)) if a == "platform" || a == "cross-platform" => {
            out.insert("authenticatorAttachment", a.as_str())
        }
        Some(_) => return Err(bad_credential("has an unknown authenticatorAttachment")),
    }
    let response = credential
        .get_object("response")
        .ok_or_else(|| bad_credential("has no response"))?;
    Ok((out, response))
}

/// `CompleteWebAuthnRegistration`'s `Credential`: a `RegistrationResponseJSON` object.
pub fn registration_credential(credential: &Object) -> Result<Object> {
    let (mut out, response) = credential_base(credential)?;
    let mut body = Object::new();
    copy_bytes(response, &mut body, "clientDataJSON", true)?;
    copy_bytes(response, &mut body, "attestationObject", true)?;
    match response.get("transports") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.iter().all(|t| t.as_str().is_some()) => {
            body.insert("transports", Value::Array(items.clone()))
        }
        Some(_) => return Err(bad_credential("has transports that are not strings")),
    }
    match response.get("publicKeyAlgorithm") {
        None | Some(Value::Null) => {}
        Some(alg) if alg.as_i64().is_some() => body.insert("publicKeyAlgorithm", alg.clone()),
        Some(_) => {
            return Err(bad_credential(
                "has a publicKeyAlgorithm that is not an integer",
            ))
        }
    }
    copy_bytes(response, &mut body, "authenticatorData", false)?;
    copy_bytes(response, &mut body, "publicKey", false)?;
    out.insert("response", body);
    Ok(out)
}

/// The `WEB_AUTHN` answer's `CREDENTIAL`: an `AuthenticationResponseJSON`, as JSON text.
pub fn assertion_credential(credential: &Object) -> Result<String> {
    let (mut out, response) = credential_base(credential)?;
    let mut body = Object::new();
    copy_bytes(response, &mut body, "clientDataJSON", true)?;
    copy_bytes(response, &mut body, "authenticatorData", true)?;
    copy_bytes(response, &mut body, "signature", true)?;
    copy_bytes(response, &mut body, "userHandle", false)?;
    out.insert("response", body);
    Ok(out.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(text: &str) -> Object {
        json::parse_object(text.as_bytes(), &json::Limits::default()).unwrap()
    }

    #[test]
    fn base64url_is_the_unpadded_url_alphabet() {
        for good in ["AA", "AAA", "AAAA", "_-09azAZ"] {
            assert!(is_base64url(good), "{good}");
        }
        for bad in ["", "A", "AAAAA", "AA==", "a+b/", "a b", "é"] {
            assert!(!is_base64url(bad), "{bad}");
        }
    }

    #[test]
    fn creation_options_are_checked() {
        let good = r#"{"CredentialCreationOptions":{"challenge":"Y2hhbGxlbmdl","rp":{"id":"localhost","name":"x"},
            "user":{"id":"dXNlcg","name":"alice","displayName":"alice"},"pubKeyCredParams":[{"alg":-7,"type":"public-key"}],
            "excludeCredentials":[{"id":"a2V5","type":"public-key"}],"attestation":"none"}}"#;
        let options = creation_options(&object(good)).unwrap();
        assert_eq!(options.get_str("attestation"), Some("none"));
        for (from, to) in [
            (r#""challenge":"Y2hhbGxlbmdl""#, r#""challenge":"a+b=""#),
            (r#""id":"dXNlcg""#, r#""id":"dXNlcg==""#),
            (r#","name":"alice""#, ""),
            (r#""rp":{"id":"localhost","name":"x"},"#, ""),
            (r#"[{"alg":-7,"type":"public-key"}]"#, "[]"),
            (r#""id":"a2V5""#, r#""id":7"#),
            (
                r#""excludeCredentials":[{"#,
                r#""excludeCredentials":[{"x":1},{"#,
            ),
        ] {
            let text = good.replacen(from, to, 1);
            assert_ne!(text, good);
            let e = creation_options(&object(&text)).unwrap_err();
            assert!(matches!(e, Error::Protocol(_)), "{to}: {e:?}");
        }
        assert!(creation_options(&object(r#"{"CredentialCreationOptions":"{}"}"#)).is_err());
    }

    #[test]
    fn request_options_are_checked() {
        let good = r#"{"challenge":"Y2g","rpId":"localhost","timeout":180000,"userVerification":"required",
            "allowCredentials":[{"id":"a2V5","type":"public-key","transports":["internal"]}]}"#;
        let options = request_options(good).unwrap();
        assert_eq!(options.get_str("rpId"), Some("localhost"));
        assert!(request_options(r#"{"challenge":"Y2g"}"#).is_ok());
        for bad in [
            "",
            "[]",
            r#"{"rpId":"localhost"}"#,
            r#"{"challenge":"Y2g","rpId":1}"#,
            r#"{"challenge":"Y2g","allowCredentials":{}}"#,
            r#"{"challenge":"Y2g","allowCredentials":[{"id":"a2V5"}]}"#,
        ] {
            assert!(request_options(bad).is_err(), "{bad}");
        }
    }

    const ASSERTION: &str = r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","authenticatorAttachment":"platform",
        "clientExtensionResults":{},"extra":1,"response":{"clientDataJSON":"Y2Q","authenticatorData":"YWQ",
        "signature":"c2ln","userHandle":"dQ","other":"x"}}"#;

    #[test]
    fn assertions_become_the_credential_text() {
        assert_eq!(
            assertion_credential(&object(ASSERTION)).unwrap(),
            concat!(
                r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","clientExtensionResults":{},"#,
                r#""authenticatorAttachment":"platform","response":{"clientDataJSON":"Y2Q","#,
                r#""authenticatorData":"YWQ","signature":"c2ln","userHandle":"dQ"}}"#
            )
        );
        // No userHandle (non-discoverable credentials), null extension results and attachment.
        let minimal = r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","clientExtensionResults":null,
            "authenticatorAttachment":null,"response":{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln","userHandle":null}}"#;
        assert_eq!(
            assertion_credential(&object(minimal)).unwrap(),
            r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","clientExtensionResults":{},"response":{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln"}}"#
        );
        for (from, to) in [
            (r#""rawId":"a2V5""#, r#""rawId":"b3RoZXI""#),
            (r#""type":"public-key""#, r#""type":"password""#),
            (r#""signature":"c2ln","#, ""),
            (r#""signature":"c2ln""#, r#""signature":"c2ln=""#),
            (
                r#""authenticatorAttachment":"platform""#,
                r#""authenticatorAttachment":"usb""#,
            ),
            (
                r#""clientExtensionResults":{}"#,
                r#""clientExtensionResults":[]"#,
            ),
            (r#""id":"a2V5","#, ""),
        ] {
            let text = ASSERTION.replacen(from, to, 1);
            assert_ne!(text, ASSERTION);
            let e = assertion_credential(&object(&text)).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Usage {
                        code: UsageCode::InvalidArgument,
                        ..
                    }
                ),
                "{to}: {e:?}"
            );
        }
    }

    #[test]
    fn registrations_become_the_credential_object() {
        let text = r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","authenticatorAttachment":"cross-platform",
            "clientExtensionResults":{"credProps":{"rk":true}},"response":{"clientDataJSON":"Y2Q","attestationObject":"YW8",
            "transports":["usb","nfc"],"publicKeyAlgorithm":-7,"authenticatorData":"YWQ","publicKey":"cGs","x":1}}"#;
        assert_eq!(
            registration_credential(&object(text)).unwrap().to_json(),
            concat!(
                r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","clientExtensionResults":{"credProps":{"rk":true}},"#,
                r#""authenticatorAttachment":"cross-platform","response":{"clientDataJSON":"Y2Q","attestationObject":"YW8","#,
                r#""transports":["usb","nfc"],"publicKeyAlgorithm":-7,"authenticatorData":"YWQ","publicKey":"cGs"}}"#
            )
        );
        for (from, to) in [
            (r#""attestationObject":"YW8","#, ""),
            (r#"["usb","nfc"]"#, r#"["usb",1]"#),
            (
                r#""publicKeyAlgorithm":-7"#,
                r#""publicKeyAlgorithm":"ES256""#,
            ),
            (r#""publicKey":"cGs""#, r#""publicKey":"c+s""#),
        ] {
            let bad = text.replacen(from, to, 1);
            assert_ne!(bad, text);
            assert!(registration_credential(&object(&bad)).is_err(), "{to}");
        }
    }
}
