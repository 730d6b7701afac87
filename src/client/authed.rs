//! Calls on the signed-in user ([`UserCall`]): a fresh access token, then one request.

use core::task::Poll;

use super::calls::{poll_token, Io, TokenWait};
use super::machine::{Machine, Store};
use super::ops::Reply;
use super::AuthEvent;
use crate::error::Result;
use crate::flow::user::{UserCall, UserOutput};
use crate::jwt::TokenUse;

/// A call on the signed-in user: a fresh access token, then one request. `deleteUser` ends the local session
/// once Cognito has deleted the user.
#[inline(never)]
pub(crate) fn poll_authed(
    call: &UserCall,
    token: &mut TokenWait,
    sent: &mut bool,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    if !*sent {
        let access = wait!(poll_token(m, token, TokenUse::Access, false, store));
        io.send(m, call.request(&m.config, &access));
        *sent = true;
    }
    let response = wait!(io.answer());
    Poll::Ready(call.output(&response).map(|output| {
        if output == UserOutput::UserDeleted && m.clear_session(store) {
            m.emit(AuthEvent::SignedOut);
        }
        Reply::Account(output)
    }))
}
