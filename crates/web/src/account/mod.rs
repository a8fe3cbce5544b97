//! The account page and what it offers besides second factors: confirming
//! the e-mail address and changing it, changing the password, where one is signed in
//! (`sessions`), and withdrawing an application's access. Second factors are in `factors`.

mod applications;
mod email;
mod overview;
mod password;
mod sessions;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::app::paths;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ACCOUNT, get(overview::account))
        .route(
            paths::ACCOUNT_PASSWORD,
            get(password::change_form).post(password::change),
        )
        .route(paths::ACCOUNT_SESSIONS, get(sessions::list))
        .route(paths::ACCOUNT_SESSION_END, post(sessions::end_one))
        .route(
            paths::ACCOUNT_SESSIONS_END_OTHERS,
            post(sessions::end_others),
        )
        .route(paths::ACCOUNT_VERIFY_EMAIL, post(email::resend))
        .route(
            paths::ACCOUNT_EMAIL,
            get(email::change_form).post(email::change),
        )
        .route(paths::ACCOUNT_EMAIL_CANCEL, post(email::cancel))
        .route(
            paths::ACCOUNT_APPLICATION_REMOVE,
            post(applications::remove_access),
        )
}
