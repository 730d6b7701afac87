//! Calls on the signed-in user (`ChangePassword`, `GetUser`, `UpdateUserAttributes`, `DeleteUser`): a fresh
//! access token, then one request.

use core::task::Poll;

use super::calls::{poll_token, Io, Kind, TokenWait};
use super::machine::{Machine, Store};
use super::ops::Reply;
use super::AuthEvent;
use crate::cognito;
use crate::error::Result;
use crate::flow::account;
use crate::jwt::TokenUse;
use crate::secret::Password;

pub(crate) enum AuthedOp {
    UpdatePassword { old: Password, new: Password },
    FetchUserAttributes,
    UpdateUserAttributes(Vec<(String, String)>),
    DeleteUser,
}

pub(crate) fn authed(op: AuthedOp) -> Kind {
    Kind::Authed {
        op,
        token: TokenWait::default(),
        sent: false,
    }
}

/// An operation on the signed-in user: a fresh access token, then one request.
pub(crate) fn poll_authed(
    op: &mut AuthedOp,
    token: &mut TokenWait,
    sent: &mut bool,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    if !*sent {
        let access = wait!(poll_token(m, token, TokenUse::Access, false, store));
        let config = &m.config;
        let request = match op {
            AuthedOp::UpdatePassword { old, new } => {
                account::change_password_request(config, &access, old, new)
            }
            AuthedOp::FetchUserAttributes => Ok(account::get_user_request(config, &access)),
            AuthedOp::UpdateUserAttributes(attributes) => {
                account::update_user_attributes_request(config, &access, attributes)
            }
            AuthedOp::DeleteUser => Ok(account::delete_user_request(config, &access)),
        };
        io.send(m, request?);
        *sent = true;
    }
    let response = wait!(io.answer());
    Poll::Ready(match op {
        AuthedOp::UpdatePassword { .. } => {
            cognito::parse_empty_response(&response).map(|()| Reply::Unit)
        }
        AuthedOp::FetchUserAttributes => {
            account::get_user_output(&response).map(|user| Reply::Attributes(user.attributes))
        }
        AuthedOp::UpdateUserAttributes(attributes) => {
            account::update_user_attributes_output(&response).map(|deliveries| {
                Reply::AttributeUpdates(
                    attributes
                        .iter()
                        .map(|(name, _)| {
                            let delivery = deliveries
                                .iter()
                                .find(|d| d.attribute_name.as_deref() == Some(name.as_str()));
                            (name.clone(), delivery.cloned())
                        })
                        .collect(),
                )
            })
        }
        AuthedOp::DeleteUser => cognito::parse_empty_response(&response).map(|()| {
            if m.clear_session(store) {
                m.emit(AuthEvent::SignedOut);
            }
            Reply::Unit
        }),
    })
}
