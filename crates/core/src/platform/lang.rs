//! The languages latchkey speaks: English, German, French and Italian (the
//! four of the Swiss market). Each has a catalogue in `latchkey-i18n`, and
//! the database accepts each code (`users.language`,
//! `tenants.default_language`).

use crate::platform::text_enum;

text_enum!(
    /// The languages latchkey speaks.
    Language, "language", { En => "en", De => "de", Fr => "fr", It => "it" }
);
