//! The second factors' tables: authenticator apps ([`totp`]), recovery
//! codes ([`recovery_codes`]) and passkeys with their ceremonies
//! ([`passkey`]).

pub(crate) mod passkey;
pub(crate) mod recovery_codes;
pub(crate) mod totp;

use latchkey_core::platform::ids::UserId;
use latchkey_core::store::{FactorRemoval, StoreResult};
use sqlx::AnyConnection;

use crate::db::{Run, db_err};
use crate::write::Outcome::{self, Commit, Rollback};

/// After a factor was deleted in `conn`'s transaction: whether the user has
/// none left, and so whether the removal stands. With none left and
/// `keep_last`, it is undone ([`FactorRemoval::LastFactor`]); with none left
/// otherwise, recovery codes have nothing to stand in for: they go, so they
/// cannot come back to life under a later factor.
pub(crate) async fn after_removal(
    conn: &mut AnyConnection,
    user_id: &UserId,
    keep_last: bool,
) -> StoreResult<Outcome<FactorRemoval>> {
    let left: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM totp_credentials WHERE user_id = $1)
              + (SELECT COUNT(*) FROM passkeys WHERE user_id = $1)",
    )
    .bind(user_id.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    if left > 0 {
        return Ok(Commit(FactorRemoval::Removed));
    }
    if keep_last {
        return Ok(Rollback(FactorRemoval::LastFactor));
    }
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id.as_str())
        .run(&mut *conn)
        .await?;
    Ok(Commit(FactorRemoval::Removed))
}
