//! Account Self-Recovery pages: the way in from the sign-in page and the
//! second-factor prompt, proofs, the wait, completion, and cancelling from
//! the link in the mail. The rules are in `core::recovery`; the browser's
//! case is named by a case cookie, never by the URL.
//!
//! These pages speak the browser's language, else the tenant's — never the
//! account's, which would tell a real case from a decoy ([`Lang`]).
//!
//! [`Lang`]: crate::app::extract::Lang

mod cancel;
mod case;
mod resend;
mod start;

use axum::Router;
use axum::routing::{get, post};
use latchkey_core::platform::lang::Language;

use crate::AppState;
use crate::app::paths;
use crate::i18n::{self, Texts};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::RECOVER, get(start::form).post(start::start))
        .route(paths::RECOVER_SECOND_STEP, post(start::from_second_step))
        .route(paths::RECOVER_CASE, get(case::case))
        .route(paths::RECOVER_PROOF, post(case::proof))
        .route(paths::RECOVER_COMPLETE, post(case::complete))
        .route(paths::RECOVER_STOP, post(case::stop))
        .route(paths::RECOVER_RESEND, post(resend::resend))
        .route(
            paths::RECOVER_CANCEL,
            get(cancel::form).post(cancel::cancel),
        )
}

fn text(lang: Language) -> Texts {
    i18n::texts(lang)
}
