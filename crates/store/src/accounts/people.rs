//! The administrators' list of people and a person's activity.
//!
//! Searches compare folded keys from their start, and pages follow the
//! username key: `key >= prefix AND key < prefix || U+10FFFF` and
//! `username_key > cursor ORDER BY username_key LIMIT n`, which the indexes
//! on `(tenant_id, key)` serve (decision 0016). Keys compare byte by byte on
//! both backends: SQLite's BINARY, PostgreSQL's `COLLATE "C"` (with indexes
//! of that collation, migration 0020), so both sort and page alike.

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{TenantId, UserId};
use latchkey_core::store::{Activity, PageFrom, PeopleFilter, PersonRow, StoreResult};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::accounts::user::{COLUMNS, from_row};
use crate::db::{Backend, Db, all, col, maybe_time, optional};
use latchkey_core::accounts::session::SessionStage;

/// Above every character: `prefix` followed by it bounds what starts with
/// `prefix`.
const AFTER_ALL: char = '\u{10FFFF}';

fn person_row(row: &AnyRow) -> StoreResult<PersonRow> {
    Ok(PersonRow {
        user: from_row(row)?,
        authenticator_app: col::<i64>(row, "apps")? > 0,
        passkeys: col(row, "passkey_count")?,
        unused_recovery_codes: col(row, "unused_codes")?,
        last_sign_in_at: maybe_time(row, "last_sign_in_at")?,
    })
}

pub(crate) async fn list_people(
    db: &Db,
    tenant_id: &TenantId,
    filter: &PeopleFilter,
) -> StoreResult<Vec<PersonRow>> {
    let c = match db.backend() {
        Backend::Postgres => " COLLATE \"C\"",
        Backend::Sqlite => "",
    };
    let mut sql = format!(
        "SELECT {COLUMNS}, last_sign_in_at,
            (SELECT COUNT(*) FROM totp_credentials t WHERE t.user_id = users.id) AS apps,
            (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = users.id) AS passkey_count,
            (SELECT COUNT(*) FROM recovery_codes r
              WHERE r.user_id = users.id AND r.used_at IS NULL) AS unused_codes
         FROM users WHERE tenant_id = $1"
    );
    let mut binds: Vec<String> = vec![];
    if let Some(prefix) = &filter.prefix {
        binds.push(prefix.clone());
        binds.push(format!("{prefix}{AFTER_ALL}"));
        let (lo, hi) = (binds.len(), binds.len() + 1);
        let range = |key: &str| format!("({key}{c} >= ${lo} AND {key}{c} < ${hi})");
        sql.push_str(&format!(
            " AND ({} OR {} OR {})",
            range("username_key"),
            range("email_key"),
            range("display_name_key")
        ));
    }
    let descending = match &filter.from {
        Some(PageFrom::After(key)) => {
            binds.push(key.clone());
            sql.push_str(&format!(" AND username_key{c} > ${}", binds.len() + 1));
            false
        }
        Some(PageFrom::Before(key)) => {
            binds.push(key.clone());
            sql.push_str(&format!(" AND username_key{c} < ${}", binds.len() + 1));
            true
        }
        None => false,
    };
    sql.push_str(&format!(
        " ORDER BY username_key{c} {} LIMIT ${}",
        if descending { "DESC" } else { "ASC" },
        binds.len() + 2
    ));
    let mut query = sqlx::query(AssertSqlSafe(sql)).bind(tenant_id.as_str());
    for b in &binds {
        query = query.bind(b.as_str());
    }
    let mut rows = all(
        query
            .bind(i64::from(filter.limit))
            .fetch_all(&db.pool)
            .await,
        person_row,
    )?;
    if descending {
        rows.reverse();
    }
    Ok(rows)
}

pub(crate) async fn user_activity(
    db: &Db,
    tenant_id: &TenantId,
    user_id: &UserId,
    now: UnixTime,
) -> StoreResult<Option<Activity>> {
    let live = "FROM sessions s WHERE s.user_id = users.id AND s.stage = $3 AND s.expires_at > $4";
    let sql = format!(
        "SELECT last_sign_in_at,
            (SELECT COUNT(*) {live}) AS live,
            (SELECT MAX(s.last_seen_at) {live}) AS last_active
         FROM users WHERE tenant_id = $1 AND id = $2"
    );
    optional(
        sqlx::query(AssertSqlSafe(sql))
            .bind(tenant_id.as_str())
            .bind(user_id.as_str())
            .bind(SessionStage::Complete.as_str())
            .bind(now.0)
            .fetch_optional(&db.pool)
            .await,
        |row| {
            Ok(Activity {
                last_sign_in_at: maybe_time(row, "last_sign_in_at")?,
                sessions: col(row, "live")?,
                last_active_at: maybe_time(row, "last_active")?,
            })
        },
    )
}
