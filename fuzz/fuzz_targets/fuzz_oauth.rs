//! Managed login's outside inputs (`flow::oauth`), records split at 0xFF: the `loginWith.oauth` config, the
//! `signInWithRedirect` input, the stored pending sign-in, the URL the browser landed on, and the token endpoint's
//! answer. Nothing may panic; a config and input accepted give ASCII authorize and logout URLs under the domain; a
//! pending record accepted round-trips through `to_json`; a callback read as ours gives a non-empty code; tokens
//! accepted have a positive lifetime; a customState that decodes encodes back to the same text.
#![no_main]

use cognito_wasm::client::input::Input;
use cognito_wasm::flow::oauth::{
    self, Callback, OAuthConfig, PendingSignIn, RedirectSecrets, RedirectSignInInput,
};
use cognito_wasm::PoolConfig;
use cognito_wasm_fuzz::{records, response};
use libfuzzer_sys::fuzz_target;

const CONFIG: &str = r#"{"domain":"mydomain.auth.us-east-1.amazoncognito.com","scopes":["openid","email"],
    "redirectSignIn":["https://app.example.com/callback","http://localhost:5173/"],
    "redirectSignOut":["https://app.example.com/"],"responseType":"code"}"#;

fn is_url_text(url: &str) -> bool {
    url.bytes().all(|b| b.is_ascii_graphic())
}

fuzz_target!(|data: &[u8]| {
    let mut parts = records(data);
    let mut next = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (config_text, input_text, record_text, url) = (next(), next(), next(), next());
    let answer = parts.next().unwrap_or_default();
    let Ok(pool) = PoolConfig::new("us-east-1_TestPool1", "testclient123") else {
        return;
    };

    let read_config = |text: &str| {
        Input::parse("oauth", text)
            .ok()
            .and_then(|input| OAuthConfig::from_input(&input).ok())
    };
    let config = match read_config(&config_text) {
        Some(config) => {
            let domain = config.domain_url();
            assert!(domain.starts_with("https://") || domain.starts_with("http://"));
            assert!(!domain.ends_with('/'));
            config
        }
        None => read_config(CONFIG).expect("the fixed config reads"),
    };
    let input = Input::parse("input", &input_text)
        .ok()
        .and_then(|input| RedirectSignInInput::from_input(&input).ok())
        .unwrap_or_default();

    // The pending sign-in: the stored one if it reads, else a new one from counting "random" bytes.
    let pending = match PendingSignIn::parse(&record_text) {
        Ok(pending) => {
            let json = pending.to_json();
            let again = PendingSignIn::parse(&json).expect("to_json output must parse");
            assert_eq!(again.to_json(), json);
            Some(pending)
        }
        Err(_) => {
            let mut n = 0u8;
            let secrets = RedirectSecrets::draw(|buf: &mut [u8]| {
                for b in buf {
                    *b = n;
                    n = n.wrapping_add(1);
                }
                Ok(())
            })
            .expect("counting bytes are usable");
            PendingSignIn::new(&config, &input, secrets, Some(&url), 1000).ok()
        }
    };
    if let Some(pending) = &pending {
        let authorize = oauth::authorize_url(&config, &pool, &input, pending);
        assert!(authorize.starts_with(&format!(
            "{}/oauth2/authorize?redirect_uri=",
            config.domain_url()
        )));
        assert!(is_url_text(&authorize), "{authorize}");
        if let Ok(Callback::Code(code)) = oauth::read_callback(&url, pending, 1100) {
            assert!(!code.expose().is_empty());
            let request = oauth::token_request(&config, &pool, &code, pending);
            assert!(is_url_text(&request.body));
        }
        if let Some(custom) = pending.custom_state() {
            assert!(pending
                .state()
                .ends_with(&oauth::encode_custom_state(custom)));
        }
    }
    if let Some(logout) = oauth::logout_url(&config, &pool, Some(&url)) {
        assert!(logout.starts_with(&format!(
            "{}/logout?client_id=testclient123&logout_uri=",
            config.domain_url()
        )));
        assert!(is_url_text(&logout));
    }
    let _ = oauth::parse_callback_query(&url);
    if let Some(text) = oauth::decode_custom_state(&record_text) {
        assert_eq!(oauth::encode_custom_state(&text), record_text);
    }
    if let Ok(answer) = response(answer) {
        if let Ok(tokens) = oauth::parse_token_response(&answer) {
            assert!(tokens.expires_in > 0);
            assert!(tokens.new_device_metadata.is_none());
        }
    }
});
