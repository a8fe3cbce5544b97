//! WebAuthn answers posted by the browser: a new passkey's registration
//! response and an assertion (second step, re-authentication, passwordless
//! sign-in). latchkey reads the JSON into webauthn-rs-proto's types itself
//! (`serde_json::from_str`, as core's `finish_registration`,
//! `finish_reauth` and `finish_passwordless` do), reads the client data for
//! `crossOrigin` itself (`factors::passkey::cross_origin`), and hands the
//! rest to webauthn-rs, whose verification of this attacker-controlled
//! input is fuzzed here too.
//!
//! Input: one byte choosing registration (even) or assertion (odd), then
//! the response's JSON.
//!
//! Properties:
//! - no panic in reading or verifying;
//! - nothing the fuzzer makes verifies (it never saw the challenge);
//! - read → write → read round-trips: a response read is the same after
//!   being written back, so nothing is lost between the form and the
//!   library.

use latchkey_core::factors::passkey::cross_origin;
use std::sync::OnceLock;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

struct Party {
    webauthn: Webauthn,
    registration: PasskeyRegistration,
    discoverable: DiscoverableAuthentication,
}

fn party() -> &'static Party {
    static PARTY: OnceLock<Party> = OnceLock::new();
    PARTY.get_or_init(|| {
        let origin = Url::parse("https://id.example.com").unwrap();
        let webauthn = WebauthnBuilder::new("id.example.com", &origin)
            .and_then(|b| b.rp_name("latchkey").build())
            .expect("the relying party is valid");
        let (_, registration) = webauthn
            .start_passkey_registration(Uuid::from_u128(7), "ada", "Ada", None)
            .expect("a registration starts");
        let (_, discoverable) = webauthn
            .start_discoverable_authentication()
            .expect("an authentication starts");
        Party {
            webauthn,
            registration,
            discoverable,
        }
    })
}

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) {
    let written = serde_json::to_value(value).unwrap();
    let again: T = serde_json::from_value(written.clone()).expect("a written response reads");
    assert_eq!(serde_json::to_value(&again).unwrap(), written);
}

pub fn run(data: &[u8]) {
    let Some((kind, json)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(json) else {
        return;
    };
    let party = party();
    if kind % 2 == 0 {
        let Ok(response) = serde_json::from_str::<RegisterPublicKeyCredential>(text) else {
            return;
        };
        round_trip(&response);
        assert!(
            party
                .webauthn
                .finish_passkey_registration(&response, &party.registration)
                .is_err(),
            "a registration the fuzzer made verified"
        );
    } else {
        let Ok(response) = serde_json::from_str::<PublicKeyCredential>(text) else {
            return;
        };
        round_trip(&response);
        let _ = cross_origin(&response);
        let _ = party
            .webauthn
            .identify_discoverable_authentication(&response);
        // Core checks an assertion against the stored passkey
        // (`finish_discoverable_authentication_v2`); making one here needs
        // an authenticator, so the target uses the finish that takes the
        // candidate keys, with none: the response is read and refused.
        #[allow(deprecated)]
        let finished = party.webauthn.finish_discoverable_authentication(
            &response,
            party.discoverable.clone(),
            &[],
        );
        assert!(finished.is_err(), "an assertion the fuzzer made verified");
    }
}
