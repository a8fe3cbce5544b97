//! The languages latchkey speaks.

use crate::platform::text_enum;

text_enum!(
    /// The languages latchkey speaks.
    Language, "language", { En => "en", De => "de", Fr => "fr" }
);
