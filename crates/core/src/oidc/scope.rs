//! Scopes. An authorization request keeps only the scopes latchkey knows
//! ([`Scope`]; others are ignored, as OpenID Connect asks) and the
//! application may have ([`allows`]: its registered list, decision 0032).
//! What was granted is stored as the space-separated string OAuth sends
//! (codes, grants, consents, the `scope` claim); [`has`] reads one. A
//! refresh may name any words: one the grant does not hold is refused,
//! known or not. Every token is issued with [`permitted`] of its grant's
//! scope, so an application that lost a scope since gets tokens without it.

use crate::oidc::client::Client;

crate::platform::text_enum!(
    /// A scope latchkey knows.
    Scope, "scopes", {
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

impl Scope {
    /// What a new application may have when its registration names no
    /// scopes: everything but the administration API (least privilege).
    pub const DEFAULT: &'static [Scope] = &[
        Scope::OpenId,
        Scope::Profile,
        Scope::Email,
        Scope::OfflineAccess,
    ];
}

/// The one rule of what an application may be given: a scope on its
/// registered list, and the administration API only for a first-party
/// application (registration checks both; this holds even if it did not).
pub fn allows(client: &Client, scope: Scope) -> bool {
    client.scopes.contains(&scope) && (scope != Scope::Admin || client.first_party)
}

/// The words of a granted scope string that `client` may still be given,
/// in order: what its tokens say (RFC 6749 §3.3 lets the server issue
/// less than was asked for).
pub fn permitted(client: &Client, granted: &str) -> String {
    granted
        .split(' ')
        .filter(|word| Scope::known(word).is_some_and(|s| allows(client, s)))
        .collect::<Vec<_>>()
        .join(" ")
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

    #[test]
    fn an_application_is_given_only_what_its_list_allows() {
        let tenant = crate::tenants::TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t".into(), crate::platform::clock::UnixTime(0))
        .unwrap();
        let (mut client, _) = crate::oidc::client::ClientInput {
            name: "App".into(),
            redirect_uris: vec!["https://app.example/cb".into()],
            scopes: vec!["openid".into(), "profile".into()],
            ..Default::default()
        }
        .parse(
            &tenant,
            &crate::platform::random::OsRandom,
            crate::platform::clock::UnixTime(1),
        )
        .unwrap();
        assert!(allows(&client, Scope::Profile) && !allows(&client, Scope::Email));
        assert_eq!(permitted(&client, "openid email profile"), "openid profile");
        assert_eq!(permitted(&client, ""), "");
        // even on the list, the administration API needs a first-party one
        client.scopes.push(Scope::Admin);
        assert!(!allows(&client, Scope::Admin));
        client.first_party = true;
        assert_eq!(
            permitted(&client, "openid latchkey:admin"),
            "openid latchkey:admin"
        );
    }
}
