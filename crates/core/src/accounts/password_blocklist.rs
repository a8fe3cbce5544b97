//! Passwords that are guessed first: the ones people choose most often (a
//! list from breach corpora, compiled in) and the names that go with the
//! account (the organisation's name and address, "latchkey", the person's
//! username and address). [`Password::new_checked`] refuses both for every
//! new password; the rules are described for people in
//! docs/account-security.md.
//!
//! **Common passwords.** `data/common-passwords.txt` (see the README beside
//! it) holds the ~49,000 most frequent passwords of zxcvbn's list, each in
//! its *matching form* (lower case, no spaces) when it has 12 characters or
//! more, and its *core* (without the digits and signs at both ends) when
//! that has 4 letters or more. A password is common when its matching form,
//! or that form's core, is on the list: `Sunshine2024!` is `sunshine` with
//! digits and a sign added, which is how guessing tools try it
//! (hashcat's rules append and prepend exactly such characters).
//!
//! **Names of the account.** A password is too close to them when, with
//! every one of them taken out (compared on letters and digits in lower
//! case), fewer than [`CONTEXT_REST_MIN`] letters and digits remain, or what
//! remains is a common password: `Acme-2024!` at Acme is refused,
//! `acme river lantern cobalt` is not.
//!
//! The list is searched by binary search on a table of line offsets built
//! once (a few milliseconds, on first use).
//!
//! [`Password::new_checked`]: crate::accounts::password::Password::new_checked

use std::sync::LazyLock;

use crate::tenants::Tenant;

static LIST: &str = include_str!("../../data/common-passwords.txt");

/// The list's lines, in byte order (the file is sorted; a test checks it).
static ENTRIES: LazyLock<Vec<&'static str>> = LazyLock::new(|| LIST.lines().collect());

/// Letters and digits that must remain once the account's names are taken
/// out of a password.
pub const CONTEXT_REST_MIN: usize = 8;

/// Context words shorter than this are not looked for (too many passwords
/// would contain them by chance).
const TERM_MIN: usize = 3;

/// A word of a name (split at spaces, dots, hyphens…) counts from this
/// length.
const PART_MIN: usize = 4;

/// The product's own name, guessed against every deployment.
pub const PRODUCT: &str = "latchkey";

fn listed(form: &str) -> bool {
    ENTRIES.binary_search(&form).is_ok()
}

/// Lower case, without white space: how passwords are compared with the list.
fn matching_form(password: &str) -> String {
    password
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `form` without what is not a letter at either end.
fn core(form: &str) -> &str {
    form.trim_matches(|c: char| !c.is_alphabetic())
}

/// Lower-case letters and digits only: how the account's names are found.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `password` (already NFKC-normalised) is one of the common ones,
/// as the module says.
pub fn is_common(password: &str) -> bool {
    let form = matching_form(password);
    let core = core(&form);
    listed(&form) || (core.chars().count() >= PART_MIN && listed(core))
}

/// The names that go with one account: what a guesser tries first besides
/// the common passwords.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordContext {
    /// Compacted, distinct, longest first.
    terms: Vec<String>,
}

impl PasswordContext {
    /// The context of a person of `tenant`: the tenant's name and slug,
    /// [`PRODUCT`], the username and the address's local part (each whole
    /// and word by word).
    pub fn of(tenant: &Tenant, username: &str, email: &str) -> PasswordContext {
        let local = email.rsplit_once('@').map_or(email, |(local, _)| local);
        PasswordContext::from_names(&[
            PRODUCT,
            tenant.slug.as_str(),
            &tenant.display_name,
            username,
            local,
        ])
    }

    /// The context made of `names` (each whole and word by word).
    pub fn from_names(names: &[&str]) -> PasswordContext {
        let mut terms: Vec<String> = vec![];
        for name in names {
            let whole = compact(name);
            if whole.chars().count() >= TERM_MIN {
                terms.push(whole);
            }
            for part in name.split(|c: char| !c.is_alphanumeric()) {
                let part = compact(part);
                if part.chars().count() >= PART_MIN {
                    terms.push(part);
                }
            }
        }
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        terms.dedup();
        PasswordContext { terms }
    }

    /// The first of the account's names `password` is made of, if what
    /// remains without them is too little (see the module).
    pub fn too_close(&self, password: &str) -> Option<&str> {
        let mut rest = compact(password);
        let mut found = None;
        for term in &self.terms {
            if rest.contains(term.as_str()) {
                rest = rest.replace(term.as_str(), "");
                found.get_or_insert(term.as_str());
            }
        }
        let found = found?;
        (rest.chars().count() < CONTEXT_REST_MIN || is_common(&rest)).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lower_case_and_loads_fast() {
        let started = std::time::Instant::now();
        let entries = &*ENTRIES;
        let loaded = started.elapsed();
        assert!(entries.len() > 30_000, "{}", entries.len());
        assert!(entries.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
        assert!(
            entries
                .iter()
                .all(|e| *e == matching_form(e) && e.chars().count() >= PART_MIN)
        );
        // 3,000 or more that fit the policy's length, whole (ASVS 6.2.4),
        // besides the cores that catch the longer variants
        assert!(entries.iter().filter(|e| e.chars().count() >= 12).count() >= 300);
        assert!(loaded.as_millis() < 200, "built in {loaded:?}");
        let started = std::time::Instant::now();
        for _ in 0..1000 {
            assert!(is_common("Password2024!"));
        }
        assert!(
            started.elapsed().as_millis() < 100,
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn common_passwords_and_their_padded_variants_are_refused() {
        for common in [
            "password1234",
            "Password2024!",
            "P@ssw0rd2024!",
            "sunshine!!!!",
            "2024-Sunshine-2024",
            "I love you 2024",
            "qwertyuiop!!!!",
            "1q2w3e4r5t6y",
            "123456789012",
            "Trustno1 2024",
            "  Iloveyou!!  ",
        ] {
            assert!(is_common(common), "{common}");
        }
        for fine in [
            "correct horse battery staple",
            "twelve chars",
            "lantern cobalt 42 river",
            "Zürich Seeufer Morgen",
            "tr0ub4dor&3 is not enough",
        ] {
            assert!(!is_common(fine), "{fine}");
        }
    }

    #[test]
    fn the_accounts_names_with_too_little_else_are_refused() {
        let ctx = PasswordContext::from_names(&[
            PRODUCT,
            "acme-corp",
            "Acme Corporation",
            "j.smith",
            "jane.smith",
        ]);
        for (password, word) in [
            ("Acme Corporation 2024", "acmecorporation"),
            ("acme-corp-12345", "acmecorp"),
            ("latchkey2024!!", PRODUCT),
            ("Latchkey Password", PRODUCT),
            ("jane.smith1990!", "janesmith"),
            ("SmithSmith2024", "smith"),
            ("j.smith-secret1", "jsmith"),
        ] {
            assert_eq!(ctx.too_close(password), Some(word), "{password}");
        }
        for fine in [
            "acme river lantern cobalt",
            "correct horse battery staple",
            "demonstration 2024",
        ] {
            assert_eq!(ctx.too_close(fine), None, "{fine}");
        }
        // short names are not looked for word by word, only whole
        let short = PasswordContext::from_names(&["al", "Bo Li"]);
        assert_eq!(short.too_close("also a boring line"), None);
        assert_eq!(short.too_close("boli"), Some("boli"));
    }
}
