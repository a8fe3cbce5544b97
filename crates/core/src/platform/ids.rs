//! Typed ids: every id that crosses a module boundary is its own type, so a
//! user id cannot be passed where a tenant id is meant, and the OAuth
//! `client_id` an application sends ([`ClientId`]) cannot be mistaken for
//! the row id of the clients table ([`ClientRowId`]) that codes, grants and
//! consents refer to.
//!
//! Each is a `String` inside: serialised as that string (`serde`
//! transparent), so JSON and the database see exactly what they saw before.
//! Made with [`id!`]: `new`, `as_str`, `From<String>`, `From<&str>`,
//! `Display`, comparison with `str`.

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<&$name> for $name {
            fn eq(&self, other: &&$name) -> bool {
                self == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id!(
    /// A tenant (the `tenants` table's id; not its slug).
    TenantId
);
id!(
    /// A user of a tenant.
    UserId
);
id!(
    /// The OAuth `client_id` an application sends (chosen at registration,
    /// unique within its tenant).
    ClientId
);
id!(
    /// The `clients` table's row id: what codes, grants and consents refer
    /// to. Never sent by an application.
    ClientRowId
);
id!(
    /// A grant: what one redeemed code (or one client-credentials token)
    /// gave; refresh tokens and access tokens name it.
    GrantId
);
id!(
    /// A recovery case (real or decoy).
    CaseId
);
id!(
    /// A browser session, as stored: the SHA-256 of the session cookie's
    /// value (the value itself is never stored).
    SessionHash
);
id!(
    /// A user's passkey (the `passkeys` table's row id, not the WebAuthn
    /// credential id).
    PasskeyId
);
id!(
    /// A user's authenticator app.
    TotpId
);
id!(
    /// A tenant's request to activate self-recovery.
    ActivationRequestId
);
id!(
    /// A token of the operator API.
    OperatorTokenId
);
id!(
    /// A message in the outbox.
    MailId
);
id!(
    /// An invitation of a tenant's administrator.
    InvitationId
);
id!(
    /// An account of the operator console.
    OperatorAccountId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_their_string_in_json() {
        let id = UserId::new("u-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"u-1\"");
        let back: UserId = serde_json::from_str("\"u-1\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id.as_str(), "u-1");
        assert_eq!(id.to_string(), "u-1");
        assert_eq!(id, "u-1");
        assert_eq!(UserId::from(String::from("u-1")), id);
    }
}
