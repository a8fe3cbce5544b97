//! Page text in English, German and French.
//!
//! Recovery pages must look the same whoever the visitor names, so their
//! language never comes from the account (see [`crate::app::extract::lang`]).

mod account;
mod admin;
mod errors;
mod oidc;
mod recovery;
mod said;
mod setup;
mod signin;
mod step;

pub use account::{AccountText, account};
pub use admin::{AdminText, admin};
pub use errors::errors;
pub use oidc::{OidcText, oidc};
pub use recovery::{RecoveryText, recovery};
pub use said::{say_all, say_field, say_first};
pub use setup::{SetupText, setup};
pub use signin::{SigninText, signin};
pub use step::{StepText, step};

use latchkey_core::effects::mail::Language;

/// "3 minutes", "45 Sekunden", … in `language`.
pub fn wait(language: Language, secs: i64) -> String {
    let (n, minutes) = if secs >= 120 {
        ((secs + 59) / 60, true)
    } else {
        (secs.max(1), false)
    };
    let unit = match (language, minutes) {
        (Language::En, true) | (Language::Fr, true) => "minutes",
        (Language::En, false) => "seconds",
        (Language::De, true) => "Minuten",
        (Language::De, false) => "Sekunden",
        (Language::Fr, false) => "secondes",
    };
    format!("{n} {unit}")
}
