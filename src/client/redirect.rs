//! Managed login (`signInWithRedirect`): the start, which keeps the pending sign-in in storage and answers the
//! authorize URL for the browser to go to, and the callback, which redeems the code at `/oauth2/token`, verifies
//! the tokens like every other sign-in's plus the ID token's `nonce`, and installs the session. The pending record
//! is removed before the code is redeemed: a callback is answered once.

use core::task::{ready, Poll};

use super::calls::Io;
use super::machine::{Machine, Store};
use super::ops::Reply;
use crate::cognito::AuthenticationResult;
use crate::error::{Error, Result, UsageCode};
use crate::flow::oauth::{
    self, Callback, OAuthConfig, PendingSignIn, RedirectSecrets, RedirectSignInInput,
};
use crate::session::Session;

pub(crate) enum Redirect {
    Start {
        input: Box<RedirectSignInInput>,
        page_url: Option<String>,
        secrets: Option<RedirectSecrets>,
        load: Option<u64>,
    },
    Callback {
        url: String,
        load: Option<u64>,
    },
    Redeeming(Option<Box<PendingSignIn>>),
    Verifying {
        tokens: Box<AuthenticationResult>,
        pending: Box<PendingSignIn>,
        keys: Option<u64>,
    },
}

fn oauth_config(m: &Machine) -> Result<&OAuthConfig> {
    m.config.oauth().ok_or_else(|| {
        Error::usage(
            UsageCode::InvalidConfig,
            "signInWithRedirect needs the oauth option (domain, scopes, redirectSignIn, redirectSignOut)",
        )
    })
}

#[inline(never)]
pub(crate) fn poll_redirect(
    state: &mut Redirect,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    loop {
        match state {
            Redirect::Start {
                input,
                page_url,
                secrets,
                load,
            } => {
                wait!(m.need_loaded(load, store));
                // As Amplify: a `prompt` asks managed login to sign in again, so a session may stand meanwhile.
                if m.session.is_some() && input.prompt.is_none() {
                    return Poll::Ready(Err(Error::usage(
                        UsageCode::AlreadySignedIn,
                        "a user is already signed in",
                    )));
                }
                let Some(secrets) = secrets.take() else {
                    return Poll::Ready(Err(Error::protocol(
                        "the sign-in's random bytes are spent",
                    )));
                };
                let oauth = wait!(Poll::Ready(oauth_config(m)));
                let pending = PendingSignIn::new(oauth, input, secrets, page_url.as_deref(), m.now);
                let pending = wait!(Poll::Ready(pending));
                let url = oauth::authorize_url(oauth, &m.config, input, &pending);
                let key = m.config.pending_redirect_storage_key();
                wait!(Poll::Ready(store.set(&key, &pending.to_json())));
                return Poll::Ready(Ok(Reply::Url(url)));
            }
            Redirect::Callback { url, load } => {
                wait!(m.need_loaded(load, store));
                let key = m.config.pending_redirect_storage_key();
                let Some(text) = wait!(Poll::Ready(store.get(&key))) else {
                    // No sign-in of ours went to managed login: not a callback.
                    return Poll::Ready(Ok(Reply::Unit));
                };
                let read = PendingSignIn::parse(&text)
                    .and_then(|pending| Ok((oauth::read_callback(url, &pending, m.now)?, pending)));
                let (code, pending) = match read {
                    Ok((Callback::NotOurs, _)) => return Poll::Ready(Ok(Reply::Unit)),
                    Ok((Callback::Code(code), pending)) => (code, pending),
                    Err(e) => {
                        // A broken record, another sign-in's state or Cognito's error: this sign-in is over.
                        let _ = store.remove(&key);
                        return Poll::Ready(Err(e));
                    }
                };
                let _ = store.remove(&key);
                let oauth = wait!(Poll::Ready(oauth_config(m)));
                let request = oauth::token_request(oauth, &m.config, &code, &pending);
                io.send(m, request);
                *state = Redirect::Redeeming(Some(Box::new(pending)));
            }
            Redirect::Redeeming(pending) => {
                let answer = wait!(io.answer());
                let tokens = wait!(Poll::Ready(oauth::parse_token_response(&answer)));
                let Some(pending) = pending.take() else {
                    return Poll::Ready(Err(Error::protocol("the sign-in answered twice")));
                };
                *state = Redirect::Verifying {
                    tokens: Box::new(tokens),
                    pending,
                    keys: None,
                };
            }
            Redirect::Verifying {
                tokens,
                pending,
                keys,
            } => {
                ready!(m.keys_ready(&Machine::kids_of(tokens), keys));
                let offset = m.clock_offset_of(&tokens.id_token);
                let (id, access) = wait!(Poll::Ready(m.verify_issued(tokens, offset)));
                wait!(Poll::Ready(
                    oauth::check_nonce(id.claims(), pending).map_err(Error::from)
                ));
                let sign_out_url = oauth_config(m).ok().and_then(|oauth| {
                    oauth::logout_url(oauth, &m.config, Some(pending.redirect_uri()))
                });
                let session = Session::new(id, access, tokens.refresh_token.clone(), None)
                    .map(|s| s.with_clock_offset(offset).with_sign_out_url(sign_out_url));
                let session = wait!(Poll::Ready(session));
                wait!(Poll::Ready(m.install_session(session, store)));
                return Poll::Ready(Ok(Reply::SignedInWithRedirect(
                    pending.custom_state().map(str::to_owned),
                )));
            }
        }
    }
}
