//! Passkeys and security keys (WebAuthn). webauthn-rs checks the ceremonies;
//! this module decides who may run them, keeps their state between the two
//! requests of a ceremony, and stores the credentials.
//!
//! A ceremony's state lives in the database, sealed, under the hash of a
//! random id the browser carries in the form; finishing takes it out in the
//! same statement (`DELETE … RETURNING`), so every challenge is answered at
//! most once. A ceremony is bound to its tenant and, where there is one, to
//! the user and the session that started it.
//!
//! Every passkey is asked for user verification (PIN or biometrics), so a
//! passkey alone is two factors: what you have and what you know or are. That
//! is what makes passwordless sign-in acceptable where a tenant enables it.
//!
//! Every assertion, whatever the ceremony, is checked against the credential
//! as stored when it is answered (its signature counter included), never
//! against the copy the ceremony captured when it started; the new counter is
//! stored only if nobody else used the credential in between. A counter that
//! does not go up marks the credential as a suspected copy: it signs in no
//! more until its owner removes it, the owner is mailed, and it is audited.
//! Assertions made for a page embedded in another site (`crossOrigin: true`)
//! are refused on every path.

use crate::platform::ids::{PasskeyId, TenantId, UserId};
use std::time::Duration;

use webauthn_rs::prelude::{
    Credential, DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, WebauthnError,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};
use webauthn_rs_proto::ResidentKeyRequirement;

use crate::Error;
use crate::accounts::notice::security_notice;
use crate::accounts::session::{AuthMethod, Session, SessionPolicy, sign_out_others};
use crate::accounts::user::User;
use crate::effects::audit::{RequestMeta, audit_event};
use crate::effects::mail::SecurityEvent;
use crate::effects::ratelimit::{self, RateLimit};
use crate::env::Env;
use crate::factors::totp::{SecondStep, require_recent_auth};
use crate::platform::clock::UnixTime;
use crate::platform::random::new_id;
use crate::platform::secret::{SecretToken, b64url};
use crate::platform::validate::{self, FieldError, Said};
use crate::store::{
    CounterChange, EffectStore, Effects, FactorRemoval, PasskeyStore, RateLimitStore, SessionStore,
    StoreError, UserStore,
};
use crate::tenants::Tenant;

mod assert;
mod ceremony;
mod passwordless;
mod register;

pub use assert::*;
pub use ceremony::*;
pub use passwordless::*;
pub use register::*;

/// The relying party: the site passkeys are bound to. Built once at start-up
/// from configuration; a mismatch between id and origin is a start-up error.
pub struct RelyingParty {
    webauthn: Webauthn,
    pub id: String,
    pub origin: Url,
}

impl RelyingParty {
    /// `id` must be the origin's host or a parent domain of it (WebAuthn
    /// §5.1.4); the origin must be https, or http on localhost.
    pub fn new(id: &str, origin: &str) -> Result<RelyingParty, String> {
        let origin = Url::parse(origin).map_err(|e| format!("`{origin}` is not a URL: {e}"))?;
        let host = origin.host_str().unwrap_or_default().to_owned();
        if origin.scheme() != "https" && host != "localhost" {
            return Err(format!(
                "passkeys need https (or http://localhost); `{origin}` is neither"
            ));
        }
        if host.parse::<std::net::IpAddr>().is_ok()
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::Ipv6Addr>()
                .is_ok()
        {
            return Err(format!(
                "passkeys need a domain name, not an IP address (`{host}`); use localhost or a name"
            ));
        }
        if id != "localhost" && !id.contains('.') {
            return Err(format!(
                "the relying-party id `{id}` is a top-level name; use the site's own domain"
            ));
        }
        if !(host == id || host.ends_with(&format!(".{id}"))) {
            return Err(format!(
                "the relying-party id `{id}` must be `{host}` or a parent domain of it"
            ));
        }
        let webauthn = WebauthnBuilder::new(id, &origin)
            .and_then(|b| {
                b.rp_name("latchkey")
                    .timeout(Duration::from_secs(CEREMONY_SECS as u64))
                    .build()
            })
            .map_err(|e| format!("the relying party `{id}` for `{origin}` is not usable: {e}"))?;
        Ok(RelyingParty {
            webauthn,
            id: id.to_owned(),
            origin,
        })
    }
}

/// A registered passkey or security key.
#[derive(Debug, Clone)]
pub struct PasskeyCredential {
    pub id: PasskeyId,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub name: String,
    /// The WebAuthn credential id, base64url.
    pub credential_id: String,
    /// webauthn-rs's record of the credential (public key, counter), JSON.
    pub passkey: String,
    /// What the authenticator says: the credential may be backed up
    /// (synced). Said, not proven: registration asks for no attestation.
    pub backup_eligible: bool,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    /// When an assertion showed a signature counter that did not go up: the
    /// credential may have been copied, and signs in no more.
    pub suspected_clone_at: Option<UnixTime>,
}

impl PasskeyCredential {
    fn passkey(&self) -> Result<Passkey, Error> {
        serde_json::from_str(&self.passkey).map_err(|e| {
            Error::Store(StoreError::Corrupt(format!(
                "passkey {} cannot be read: {e}",
                self.id
            )))
        })
    }

    pub fn method(&self) -> AuthMethod {
        method(self.backup_eligible)
    }

    /// Whether it may sign in: not marked as a suspected copy.
    pub fn signs_in(&self) -> bool {
        self.suspected_clone_at.is_none()
    }
}

/// The RFC 8176 `amr` value a passkey proves. Without attestation nothing
/// proves hardware, so `hwk` is never claimed: a synced passkey is a
/// software-secured key (`swk`); one that says it is not synced proves
/// possession of a key of unknown kind (`pop`), which a software
/// authenticator can equally say.
fn method(backup_eligible: bool) -> AuthMethod {
    if backup_eligible {
        AuthMethod::SoftwareKey
    } else {
        AuthMethod::KeyPossession
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relying_party_must_match_its_origin() {
        assert!(RelyingParty::new("localhost", "http://localhost:8080").is_ok());
        assert!(RelyingParty::new("example.com", "https://login.example.com").is_ok());
        assert!(RelyingParty::new("login.example.com", "https://login.example.com").is_ok());
        for (id, origin, says) in [
            ("example.com", "http://login.example.com", "https"),
            ("other.com", "https://login.example.com", "parent domain"),
            ("ample.com", "https://login.example.com", "parent domain"),
            ("127.0.0.1", "https://127.0.0.1:8080", "IP address"),
            ("localhost", "not a url", "not a URL"),
            ("com", "https://login.example.com", "top-level"),
        ] {
            let err = RelyingParty::new(id, origin).err().unwrap_or_default();
            assert!(err.contains(says), "{id} {origin}: {err}");
        }
    }

    #[test]
    fn ceremony_kinds_round_trip() {
        for kind in [
            CeremonyKind::Register,
            CeremonyKind::SecondFactor,
            CeremonyKind::Passwordless,
            CeremonyKind::Reauth,
        ] {
            assert_eq!(CeremonyKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CeremonyKind::parse("other"), None);
    }

    #[test]
    fn no_key_is_claimed_as_hardware() {
        // Registration asks for no attestation: "not synced" is what the
        // authenticator says, and a software one can say it too.
        assert_eq!(method(true), AuthMethod::SoftwareKey);
        assert_eq!(method(false), AuthMethod::KeyPossession);
        assert_eq!(method(false).as_str(), "pop");
    }

    fn assertion_with(client_data: &str) -> PublicKeyCredential {
        serde_json::from_value(serde_json::json!({
            "id": "AAAA",
            "rawId": "AAAA",
            "type": "public-key",
            "response": {
                "authenticatorData": "AAAA",
                "clientDataJSON": b64url(client_data.as_bytes()),
                "signature": "AAAA",
                "userHandle": null,
            },
            "extensions": {},
        }))
        .unwrap()
    }

    #[test]
    fn assertions_for_another_sites_frame_are_cross_origin() {
        let data = |extra: &str| {
            format!(
                r#"{{"type":"webauthn.get","challenge":"AAAA","origin":"https://id.example"{extra}}}"#
            )
        };
        assert!(!cross_origin(&assertion_with(&data(""))));
        assert!(!cross_origin(&assertion_with(&data(
            r#","crossOrigin":false"#
        ))));
        assert!(cross_origin(&assertion_with(&data(
            r#","crossOrigin":true"#
        ))));
        assert!(cross_origin(&assertion_with(&data(
            r#","crossOrigin":true,"topOrigin":"https://evil.example""#
        ))));
        assert!(cross_origin(&assertion_with("not json")), "unreadable");
    }

    #[test]
    fn a_named_ceremony_state_opens_as_one_finished_against_the_stored_key() {
        // The second step and re-authentication seal webauthn-rs's
        // `PasskeyAuthentication` and finish it as a
        // `DiscoverableAuthentication` (against the credential as stored):
        // both must keep wrapping the same state the same way.
        let rp = RelyingParty::new("localhost", "http://localhost:8080").unwrap();
        let (_, named) = rp.webauthn.start_passkey_authentication(&[]).unwrap();
        let json = serde_json::to_value(&named).unwrap();
        let opened: DiscoverableAuthentication = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&opened).unwrap(), json);
    }

    #[test]
    fn names_are_validated() {
        assert_eq!(parse_name("  YubiKey 5 ").unwrap(), "YubiKey 5");
        assert!(parse_name("").is_err());
        assert!(parse_name(&"x".repeat(NAME_MAX + 1)).is_err());
    }
}
