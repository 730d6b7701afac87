//! Calls on the signed-in user ([`UserCall`]): a fresh access token, then one request.

use core::task::Poll;

use super::calls::Io;
use super::devices;
use super::machine::{Machine, Store};
use super::ops::Reply;
use super::tokens::{poll_token, TokenWait};
use super::AuthEvent;
use crate::error::{Error, Result, UsageCode};
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
        let request = if call.needs_current_device() {
            let device = m.session.as_ref().and_then(|s| s.device());
            let Some(device) = device else {
                return Poll::Ready(Err(Error::usage(
                    UsageCode::DeviceMetadataNotFound,
                    "this session has no device: the pool does not track devices, or ConfirmDevice failed",
                )));
            };
            call.request_on_device(&m.config, &access, &device.device_key)
        } else {
            call.request(&m.config, &access)
        };
        io.send(m, request);
        *sent = true;
    }
    let response = wait!(io.answer());
    Poll::Ready(call.output(&response).map(|output| {
        if output == UserOutput::UserDeleted && m.clear_session(store) {
            m.emit(AuthEvent::SignedOut);
        }
        forgot_device(call, m, store);
        Reply::Account(output)
    }))
}

/// After `ForgetDevice`: a forgotten device of this user is no longer kept, and a session bound to it no longer
/// names it (as Amplify clears its device keys).
fn forgot_device(call: &UserCall, m: &mut Machine, store: &mut dyn Store) {
    let Some(session) = &m.session else {
        return;
    };
    let current = session.device().map(|d| d.device_key.clone());
    let Some(forgotten) = call.forgets(current.as_deref()).map(str::to_owned) else {
        return;
    };
    devices::forget(&m.config, store, session.username(), &forgotten);
    if current.as_deref() == Some(forgotten.as_str()) {
        let session = session.clone().with_device(None);
        // The session in memory is what counts; storage follows when it can.
        let _ = m.store_session(&session, store);
        m.set_session(session);
        m.changed();
    }
}
