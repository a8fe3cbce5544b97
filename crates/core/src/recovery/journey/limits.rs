//! How much of the journey anyone may ask for: starts per address, codes
//! per name as typed (withheld beyond, never refused), the tenant's surge,
//! proofs per address, password proofs on the account's unseen limit.

use super::*;
use crate::platform::time::{DAY, HOUR, MINUTE};

/// Digits of the emailed code.
pub const CODE_DIGITS: u32 = 8;

pub const CODE_SECS: i64 = 10 * MINUTE;

/// Cases started from one client address; beyond it, refused (429).
pub const START_PER_ADDRESS: RateLimit = RateLimit {
    max: 10,
    window_secs: HOUR,
};

/// Code mails for one name as typed (or, from the second sign-in step, for
/// one account), per hour and per day. Beyond them a case still starts —
/// strangers typing a name must not stop its owner — but no code is mailed,
/// and the page says so: a recovery code still works. The same for real and
/// unknown names (counting per account would tell which username and email
/// belong together). The owner on a known device is not counted. With two
/// ways to type an account's name this bounds what strangers can mail one
/// person (6 an hour, 10 a day) and how many codes they can guess at (five
/// wrong proofs lock each case).
pub const CODES_PER_NAME_HOUR: RateLimit = RateLimit {
    max: 3,
    window_secs: HOUR,
};

pub const CODES_PER_NAME_DAY: RateLimit = RateLimit {
    max: 5,
    window_secs: DAY,
};

/// Cases started in one tenant per hour. Beyond it is a surge: new cases
/// wait longer ([`crate::recovery::case::RecoveryPolicy::surge_waiting_secs`]) and
/// the operator is alerted — nobody is refused.
pub const SURGE_PER_TENANT: RateLimit = RateLimit {
    max: 500,
    window_secs: HOUR,
};

/// Proof attempts from one address, per hour.
pub const PROOF_PER_ADDRESS: RateLimit = RateLimit {
    max: 60,
    window_secs: HOUR,
};

/// Password proofs per account (the sign-in's own per-account counter, so
/// that recovery is no second way to guess the password). Beyond it a
/// right password counts as wrong — unseen: to anyone without the password
/// every guess is wrong anyway. A case started on a known device of the
/// account is not counted.
pub const PASSWORDS_PER_ACCOUNT: RateLimit = RateLimit {
    max: 10,
    window_secs: 15 * MINUTE,
};

pub(super) const SCOPE: &str = "recovery";

/// Counts one attempt against `limit`; whether it is over.
pub(super) async fn over<S: RateLimitStore, W>(
    env: &Env<'_, S, W>,
    key: &str,
    limit: RateLimit,
    now: UnixTime,
) -> Result<Option<crate::effects::ratelimit::Hit>, Error> {
    let hit = env
        .store
        .rate_limit_add(key, 1, now, limit.window_secs)
        .await?;
    Ok(limit.exceeded(&hit).then_some(hit))
}

/// Counts one attempt; refused (429) beyond `limit`.
pub(super) async fn limit<S: RateLimitStore, W>(
    env: &Env<'_, S, W>,
    key: &str,
    limit: RateLimit,
    now: UnixTime,
) -> Result<(), Error> {
    match over(env, key, limit, now).await? {
        Some(hit) => Err(Error::RateLimited {
            retry_after_secs: limit.retry_after(&hit, now),
        }),
        None => Ok(()),
    }
}

/// A counter key of the tenant for `subject` (`login:…`, `user:…`).
pub(super) fn key(tenant: &Tenant, what: &str, subject: &str) -> String {
    ratelimit::account_key(&format!("{SCOPE}-{what}"), &tenant.id, subject)
}

/// The counter subject of a case: its account, or for a decoy its own id.
pub(super) fn subject(case: &RecoveryCase) -> String {
    match &case.user_id {
        Some(id) => format!("user:{id}"),
        None => format!("case:{}", case.id),
    }
}

/// The subject the code mails of a name are counted on: the name as typed
/// (normalised) or the account from the second step, as a keyed hash — the
/// case keeps it, so that a resend counts with the starts for that name.
pub(super) fn code_name<S, W>(env: &Env<'_, S, W>, tenant: &Tenant, name: &str) -> String {
    env.secrets.mac(&[
        b"recovery-code-name",
        tenant.id.as_str().as_bytes(),
        name.as_bytes(),
    ])
}

/// Counts a code for the name (see [`code_name`]) per hour and per day;
/// `None` if both allow it, else when the next one would.
pub(super) async fn codes_over<S: RateLimitStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    code_name: &str,
    now: UnixTime,
) -> Result<Option<i64>, Error> {
    let hour = over(
        env,
        &key(tenant, "code-hour", code_name),
        CODES_PER_NAME_HOUR,
        now,
    )
    .await?;
    let day = over(
        env,
        &key(tenant, "code-day", code_name),
        CODES_PER_NAME_DAY,
        now,
    )
    .await?;
    let retry = [
        hour.map(|h| CODES_PER_NAME_HOUR.retry_after(&h, now)),
        day.map(|d| CODES_PER_NAME_DAY.retry_after(&d, now)),
    ];
    Ok(retry.into_iter().flatten().max())
}
