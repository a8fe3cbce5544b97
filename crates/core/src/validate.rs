//! Field errors and the text rules shared by every input.

use unicode_normalization::UnicodeNormalization;

/// What was wrong with one field, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Collects the errors of several fields, so a form reports all of them at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(err);
                None
            }
        }
    }

    pub fn push(&mut self, err: FieldError) {
        self.0.push(err);
    }

    pub fn into_result(self) -> Result<(), crate::Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Invalid(self.0))
        }
    }
}

/// Unicode NFKC, surrounding whitespace removed.
pub fn nfkc_trim(value: &str) -> String {
    value.nfkc().collect::<String>().trim().to_owned()
}

/// The key under which a name is unique: NFKC, lower-cased, NFKC again
/// (an approximation of Unicode's NFKC_Casefold).
pub fn fold_key(value: &str) -> String {
    nfkc_trim(value).to_lowercase().nfkc().collect()
}

/// Free text such as a display name: NFKC, trimmed, 1..=max characters, no
/// control characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = nfkc_trim(value);
    if value.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            format!("is {len} characters long; at most {max} are allowed"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters (such as line breaks or tabs)",
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_normalised_and_bounded() {
        assert_eq!(text("name", "  Ａｌｉｃｅ  ", 10).unwrap(), "Alice");
        assert_eq!(text("name", "   ", 10).unwrap_err().message, "is required");
        let long = text("name", &"x".repeat(11), 10).unwrap_err();
        assert_eq!(long.field, "name");
        assert!(long.message.contains("at most 10"));
        assert!(text("name", "a\nb", 10).is_err());
    }

    #[test]
    fn fold_key_is_caseless() {
        assert_eq!(fold_key("ÄLICE"), fold_key("älice"));
        assert_eq!(fold_key("Ａlice"), "alice");
        // composed and decomposed forms fold to the same key
        assert_eq!(fold_key("e\u{301}"), fold_key("\u{e9}"));
    }
}
