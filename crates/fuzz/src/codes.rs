//! The codes and tokens people type or clients present: recovery codes
//! (`factors::recovery_codes::normalise`), TOTP codes
//! (`factors::totp::matching_step`), the recovery email code
//! (`recovery::journey::digits`), single-use tokens in links, cookies and
//! the authorization code (`platform::secret::SecretToken::from_presented`),
//! refresh tokens (`oidc::grants::refresh_token::parse_refresh_token`) and
//! sealed values (`platform::crypto::SecretBox::open`).
//!
//! Input: the text as typed or presented; its bytes also seed what is
//! generated for the round trips.
//!
//! Properties:
//! - no panic;
//! - generate → parse round-trips for each kind, including a recovery code
//!   typed in capitals, with spaces or with the letters people confuse;
//! - normalising is idempotent and only ever yields a 16-character code of
//!   the alphabet; a refresh token or sealed value the fuzzer makes is
//!   refused (it cannot forge the MAC); a TOTP code that is not six digits
//!   never matches.

use latchkey_core::factors::{recovery_codes, totp};
use latchkey_core::oidc::{parse_refresh_token, refresh_token};
use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::platform::ids::GrantId;
use latchkey_core::platform::random::SeededRandom;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::recovery::journey::digits;

static SECRETS: std::sync::LazyLock<latchkey_core::platform::crypto::SecretBox> =
    std::sync::LazyLock::new(|| latchkey_core::platform::crypto::SecretBox::new(&[7; 32]));

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let seed = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let random = SeededRandom::new(seed);

    // Recovery codes.
    if let Some(code) = recovery_codes::normalise(&text) {
        assert_eq!(code.len(), 16);
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert_eq!(
            recovery_codes::normalise(&code).as_deref(),
            Some(code.as_str())
        );
        assert!(recovery_codes::hash(&SECRETS, &text).is_some());
    } else {
        assert!(recovery_codes::hash(&SECRETS, &text).is_none());
    }
    let generated = recovery_codes::generate(&random);
    let canonical = recovery_codes::normalise(&generated).expect("a generated code is a code");
    for typed in [
        generated.to_uppercase(),
        generated.replace('-', " "),
        generated.replace('0', "O").replace('1', "l"),
    ] {
        assert_eq!(recovery_codes::normalise(&typed).as_ref(), Some(&canonical));
    }

    // The recovery email code.
    let kept = digits(&text);
    assert!(kept.len() <= 16 && kept.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(digits(&kept), kept);

    // Tokens.
    if let Some(token) = SecretToken::from_presented(&text) {
        assert_eq!(token.expose(), text);
        assert_eq!(token.hash().len(), 64);
    }
    let token = SecretToken::generate(&random);
    let presented = SecretToken::from_presented(token.expose()).expect("a generated token");
    assert_eq!(presented.hash(), token.hash());

    // TOTP.
    let secret = totp::new_secret(&random);
    let now = UnixTime(1_700_000_000 + (seed % 1_000_000) as i64);
    let matched = totp::matching_step(&secret, &text, now, None);
    if matched.is_some() {
        let typed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(typed.len() == 6 && typed.bytes().all(|b| b.is_ascii_digit()));
    }
    // A code is taken for the newest step of the window it is right for
    // (two steps' codes can be the same), so that once used it does not
    // work again for any step it was right for.
    let step = totp::step_at(now);
    let code = totp::hotp(&secret, step as u64);
    let newest = (step - 1..=step + 1)
        .rev()
        .find(|s| totp::hotp(&secret, *s as u64) == code);
    let used = totp::matching_step(&secret, &code, now, None);
    assert_eq!(used, newest);
    assert_eq!(totp::matching_step(&secret, &code, now, used), None);

    // Refresh tokens and sealed values.
    let secrets = SecretBox::new(&[1; 32]);
    assert_eq!(
        parse_refresh_token(&secrets, &text),
        None,
        "a forged refresh token"
    );
    let generation = (seed % 1000) as i64 + 1;
    let grant = GrantId::new(format!("g{seed:x}"));
    let issued = refresh_token(&secrets, &grant, generation);
    assert_eq!(
        parse_refresh_token(&secrets, &issued),
        Some((grant.clone(), generation))
    );
    assert_eq!(
        parse_refresh_token(&SecretBox::new(&[2; 32]), &issued),
        None
    );
    assert_eq!(secrets.open(&text, "aad"), None, "a forged sealed value");
    let sealed = secrets.seal(&random, data, "aad");
    assert_eq!(secrets.open(&sealed, "aad").as_deref(), Some(data));
    assert_eq!(secrets.open(&sealed, "other"), None);
}
