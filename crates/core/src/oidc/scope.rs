//! Scopes. An authorization request keeps only the scopes latchkey knows
//! ([`Scope`]; others are ignored, as OpenID Connect asks). What was granted
//! is stored as the space-separated string OAuth sends (codes, grants,
//! consents, the `scope` claim); [`has`] reads one. A refresh may name
//! any words: one the grant does not hold is refused, known or not.

crate::platform::text_enum!(
    /// A scope latchkey knows.
    Scope, "scope", {
        OpenId => "openid",
        Profile => "profile",
        Email => "email",
        OfflineAccess => "offline_access",
        /// Access to the tenant administration API: only for first-party
        /// applications, and only granted to the tenant's administrators.
        Admin => "latchkey:admin"
    }
);

impl Scope {
    /// The scope a word of a `scope` parameter names, exactly; `None` for
    /// a word latchkey does not know.
    pub fn known(word: &str) -> Option<Scope> {
        Scope::ALL.iter().copied().find(|s| s.as_str() == word)
    }
}

/// Whether a granted scope string (space-separated) holds `scope`.
pub fn has(granted: &str, scope: Scope) -> bool {
    granted.split(' ').any(|word| word == scope.as_str())
}

/// Scopes as OAuth writes them: space-separated, in order.
pub fn join(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_known_exactly() {
        assert_eq!(Scope::known("openid"), Some(Scope::OpenId));
        assert_eq!(Scope::known("latchkey:admin"), Some(Scope::Admin));
        assert_eq!(Scope::known(" openid"), None);
        assert_eq!(Scope::known("phone"), None);
        assert!(has("openid email", Scope::Email));
        assert!(!has("openid emails", Scope::Email));
        assert_eq!(
            join(&[Scope::OpenId, Scope::OfflineAccess]),
            "openid offline_access"
        );
    }
}
