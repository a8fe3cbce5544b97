//! The scope boxes of an application's forms (decision 0032): one per
//! scope latchkey knows, each with its one-line explanation.

use latchkey_core::oidc::Scope;

use crate::i18n::Texts;

/// A scope's checkbox: (field name, scope, explanation, ticked).
pub(super) type ScopeBox = (&'static str, &'static str, String, bool);

/// The scopes whose boxes are ticked, given the boxes in [`Scope::ALL`]'s
/// order.
pub(super) fn ticked(boxes: &[&Option<String>; 5]) -> Vec<Scope> {
    Scope::ALL
        .iter()
        .zip(boxes)
        .filter(|(_, on)| on.is_some())
        .map(|(s, _)| *s)
        .collect()
}

/// Each scope's checkbox, explained: (field name, scope, explanation,
/// ticked).
pub(super) fn scope_boxes(t: &Texts, on: &[Scope]) -> Vec<ScopeBox> {
    Scope::ALL
        .iter()
        .map(|s| {
            let (field, key) = match s {
                Scope::OpenId => ("scope_openid", "admin-scope-openid"),
                Scope::Profile => ("scope_profile", "admin-scope-profile"),
                Scope::Email => ("scope_email", "admin-scope-email"),
                Scope::OfflineAccess => ("scope_offline_access", "admin-scope-offline"),
                Scope::Admin => ("scope_admin", "admin-scope-admin"),
            };
            (field, s.as_str(), t.get(key), on.contains(s))
        })
        .collect()
}
