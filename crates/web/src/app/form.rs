//! What went wrong with a form, and which of its fields it is about.
//!
//! A page shows the message once, above its form (`templates/form.html`,
//! `{% call form::alert(error) %}`), and every field it is about says so to
//! assistive technology: `aria-invalid="true"` and `aria-describedby`
//! pointing at the message (`{% call form::invalid(error, "code") %}` in
//! the field's tag). A message about no field (too many attempts, a busy
//! server) is shown the same way, without the link.

use std::fmt;

use axum::http::StatusCode;

/// The id of the element that holds a form's error message.
pub const MESSAGE_ID: &str = "form-error";

/// A form's error message and the ids of the fields it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub text: String,
    pub fields: Vec<String>,
}

impl FormError {
    /// A message about the fields with these ids.
    pub fn on(fields: &[&str], text: String) -> FormError {
        FormError {
            text,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    /// A message about the form as a whole (no field is wrong).
    pub fn general(text: String) -> FormError {
        FormError {
            text,
            fields: vec![],
        }
    }

    /// Whether the field with id `field` is wrong.
    pub fn about(&self, field: &str) -> bool {
        self.fields.iter().any(|f| f == field)
    }

    /// Whether some field is wrong (so the message needs its id).
    pub fn has_fields(&self) -> bool {
        !self.fields.is_empty()
    }

    pub fn id(&self) -> &'static str {
        MESSAGE_ID
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The status and error a form page shows: a failure's (its message about
/// `fields`), or 200 and none.
pub fn outcome_on(
    fields: &[&str],
    failure: Option<(StatusCode, String)>,
) -> (StatusCode, Option<FormError>) {
    match failure {
        Some((status, text)) => (status, Some(error_for(status, fields, text))),
        None => (StatusCode::OK, None),
    }
}

/// A failure's message: about `fields` when the input was wrong, about no
/// field when the input was not the problem (too many attempts, a busy
/// server).
pub fn error_for(status: StatusCode, fields: &[&str], text: String) -> FormError {
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        FormError::general(text)
    } else {
        FormError::on(fields, text)
    }
}

/// Errors shown beside the fields they are about (each under its field,
/// `{% call form::beside(errors, "id") %}`, the field marked with
/// `{% call form::marked(errors, "id") %}`), and those about no field of
/// the form once above it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    /// (the field's element id, the message in the page's language)
    beside: Vec<(String, String)>,
    /// Messages about no field shown on the form, each after its field's
    /// name.
    pub general: Vec<String>,
}

impl FieldErrors {
    /// `errors` in the language of `t`; `id_of` names the element of each
    /// core field the form shows (others go above the form).
    pub fn new(
        t: &crate::i18n::Texts,
        errors: &[latchkey_core::platform::validate::FieldError],
        id_of: impl Fn(&str) -> Option<&'static str>,
    ) -> FieldErrors {
        let mut out = FieldErrors::default();
        for e in errors {
            match id_of(&e.field) {
                Some(id) => {
                    let said = t.say_first(std::slice::from_ref(e));
                    match out.beside.iter_mut().find(|(f, _)| f == id) {
                        Some((_, text)) => {
                            text.push_str("; ");
                            text.push_str(&said);
                        }
                        None => out.beside.push((id.to_owned(), said)),
                    }
                }
                None => out.general.push(t.say_field(e)),
            }
        }
        out
    }

    /// The message beside the field with id `id`, if it is wrong.
    pub fn of(&self, id: &str) -> Option<&str> {
        self.beside
            .iter()
            .find(|(f, _)| f == id)
            .map(|(_, m)| m.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_stand_beside_their_fields_or_above_the_form_by_name() {
        use latchkey_core::platform::lang::Language;
        use latchkey_core::platform::validate::{FieldError, Said};
        let errors = [
            FieldError::said("name", Said::Required),
            FieldError::said("redirect_uris", Said::NeedsRedirect),
            FieldError::said("name", Said::ControlCharacters),
            FieldError::said("post_logout_uris", Said::TooManyAddresses { max: 20 }),
        ];
        let id_of = |f: &str| match f {
            "name" => Some("app-name"),
            "redirect_uris" => Some("app-redirects"),
            _ => None,
        };
        let shown = FieldErrors::new(&crate::i18n::texts(Language::En), &errors, id_of);
        let name = shown.of("app-name").unwrap();
        assert!(
            name.starts_with("Is required; "),
            "both, in one place: {name}"
        );
        assert!(shown.of("app-redirects").is_some());
        assert_eq!(shown.of("app-logout"), None);
        // a field the form does not show: above it, by the name people see
        assert_eq!(shown.general.len(), 1);
        assert!(
            shown.general[0].starts_with("Addresses after sign-out: "),
            "{:?}",
            shown.general
        );
        let german = FieldErrors::new(&crate::i18n::texts(Language::De), &errors, id_of);
        assert!(german.general[0].starts_with("Adressen nach der Abmeldung: "));
    }

    #[test]
    fn limits_and_outages_are_about_no_field() {
        let (status, error) = outcome_on(
            &["code"],
            Some((StatusCode::UNAUTHORIZED, "wrong".to_owned())),
        );
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let error = error.unwrap();
        assert!(error.about("code") && !error.about("password"));
        let (_, error) = outcome_on(
            &["code"],
            Some((StatusCode::TOO_MANY_REQUESTS, "wait".to_owned())),
        );
        assert!(!error.unwrap().has_fields());
        assert_eq!(outcome_on(&["code"], None), (StatusCode::OK, None));
    }
}
