//! Signing in and out: the password form, the page an e-mail confirmation
//! link opens, and "Forgot your password?". The second step of a sign-in
//! and passkey sign-in are in `factors`; their rules are in
//! `core::accounts`.

mod email;
mod invitation;
mod password;
mod reset;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::app::paths;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::SIGNIN,
            get(password::signin_form).post(password::signin),
        )
        .route(paths::SIGNOUT, post(password::signout))
        .route(
            paths::VERIFY_EMAIL,
            get(email::confirm_form).post(email::confirm),
        )
        .route(
            paths::CONFIRM_EMAIL_CHANGE,
            get(email::change_form).post(email::change),
        )
        .route(
            paths::FORGOT_PASSWORD,
            get(reset::forgot_form).post(reset::forgot),
        )
        .route(
            paths::INVITATION,
            get(invitation::form).post(invitation::accept),
        )
        .route(
            paths::RESET_PASSWORD,
            get(reset::reset_form).post(reset::reset),
        )
}
