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
use latchkey_core::store::{
    Activity, Effects, Nudge, PageFrom, PeopleFilter, PersonRow, ReadinessCounts, ReadinessStore,
    StoreResult,
};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::db::Run;
use crate::write::Outcome::Commit;

use crate::accounts::user::{COLUMNS, from_row};
use crate::db::{Backend, Db, all, col, maybe_time, optional};
use latchkey_core::accounts::session::SessionStage;

/// Above every character: `prefix` followed by it bounds what starts with
/// `prefix`.
const AFTER_ALL: char = '\u{10FFFF}';

/// Ready for losing a factor, in SQL over a row of `users`: core's
/// `Readiness::of(user, factors, unused_codes).ready()` — a verified
/// address, and an unused recovery code or more than one second factor
/// (authenticator app and passkeys). The conformance suite
/// (`readiness_in_sql_is_cores_rule`) holds it to core's rule on every
/// combination; it is the only statement of the rule in SQL.
pub(crate) const READY: &str = "(users.email_verified AND (
    EXISTS (SELECT 1 FROM recovery_codes r WHERE r.user_id = users.id AND r.used_at IS NULL)
    OR (SELECT COUNT(*) FROM totp_credentials t WHERE t.user_id = users.id)
     + (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = users.id) > 1))";

/// A value bound to a query built here.
enum Bind {
    Text(String),
    Int(i64),
}

/// The conditions on `users` that a filter's search adds, binding from
/// `$first`: each key starts with the (folded) prefix.
fn prefix_condition(db: &Db, prefix: &str, binds: &mut Vec<Bind>, first: usize) -> String {
    let c = collation(db);
    binds.push(Bind::Text(prefix.to_owned()));
    binds.push(Bind::Text(format!("{prefix}{AFTER_ALL}")));
    let (lo, hi) = (first + binds.len() - 2, first + binds.len() - 1);
    let range = |key: &str| format!("({key}{c} >= ${lo} AND {key}{c} < ${hi})");
    format!(
        " AND ({} OR {} OR {})",
        range("username_key"),
        range("email_key"),
        range("display_name_key")
    )
}

/// Keys compare byte by byte on both backends.
fn collation(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Postgres => " COLLATE \"C\"",
        Backend::Sqlite => "",
    }
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for b in binds {
        query = match b {
            Bind::Text(t) => query.bind(t.as_str()),
            Bind::Int(i) => query.bind(*i),
        };
    }
    query
}

fn person_row(row: &AnyRow) -> StoreResult<PersonRow> {
    Ok(PersonRow {
        user: from_row(row)?,
        authenticator_app: col::<i64>(row, "apps")? > 0,
        passkeys: col(row, "passkey_count")?,
        unused_recovery_codes: col(row, "unused_codes")?,
        last_sign_in_at: maybe_time(row, "last_sign_in_at")?,
        nudged_at: maybe_time(row, "reminded_at")?,
    })
}

pub(crate) async fn list_people(
    db: &Db,
    tenant_id: &TenantId,
    filter: &PeopleFilter,
) -> StoreResult<Vec<PersonRow>> {
    let c = collation(db);
    let mut sql = format!(
        "SELECT {COLUMNS}, last_sign_in_at, reminded_at,
            (SELECT COUNT(*) FROM totp_credentials t WHERE t.user_id = users.id) AS apps,
            (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = users.id) AS passkey_count,
            (SELECT COUNT(*) FROM recovery_codes r
              WHERE r.user_id = users.id AND r.used_at IS NULL) AS unused_codes
         FROM users WHERE tenant_id = $1"
    );
    // $1 is the tenant; the rest follow from $2
    let mut binds: Vec<Bind> = vec![];
    if let Some(prefix) = &filter.prefix {
        sql.push_str(&prefix_condition(db, prefix, &mut binds, 2));
    }
    if filter.unready {
        sql.push_str(&format!(" AND status = 'active' AND NOT {READY}"));
    }
    if let Some(after) = filter.skip_nudged_after {
        binds.push(Bind::Int(after.0));
        sql.push_str(&format!(
            " AND (reminded_at IS NULL OR reminded_at <= ${})",
            binds.len() + 1
        ));
    }
    if !filter.ids.is_empty() {
        let mut places = vec![];
        for id in &filter.ids {
            binds.push(Bind::Text(id.to_string()));
            places.push(format!("${}", binds.len() + 1));
        }
        sql.push_str(&format!(" AND id IN ({})", places.join(", ")));
    }
    let descending = match &filter.from {
        Some(PageFrom::After(key)) => {
            binds.push(Bind::Text(key.clone()));
            sql.push_str(&format!(" AND username_key{c} > ${}", binds.len() + 1));
            false
        }
        Some(PageFrom::Before(key)) => {
            binds.push(Bind::Text(key.clone()));
            sql.push_str(&format!(" AND username_key{c} < ${}", binds.len() + 1));
            true
        }
        None => false,
    };
    binds.push(Bind::Int(i64::from(filter.limit)));
    sql.push_str(&format!(
        " ORDER BY username_key{c} {} LIMIT ${}",
        if descending { "DESC" } else { "ASC" },
        binds.len() + 1
    ));
    let query = sqlx::query(AssertSqlSafe(sql)).bind(tenant_id.as_str());
    let mut rows = all(
        bind_all(query, &binds).fetch_all(&db.pool).await,
        person_row,
    )?;
    if descending {
        rows.reverse();
    }
    Ok(rows)
}

impl ReadinessStore for Db {
    async fn readiness_counts(
        &self,
        tenant_id: &TenantId,
        prefix: Option<&str>,
        nudged_after: UnixTime,
    ) -> StoreResult<ReadinessCounts> {
        // $1 the tenant, $2 the time; the search from $3
        let mut binds = vec![];
        let search = prefix
            .map(|p| prefix_condition(self, p, &mut binds, 3))
            .unwrap_or_default();
        // the rule once per person, then counted
        let sql = format!(
            "SELECT COUNT(*) AS people,
                COALESCE(SUM(ready), 0) AS ready,
                COALESCE(SUM(CASE WHEN ready = 0 AND reminded_at > $2 THEN 1 ELSE 0 END), 0)
                  AS recent
             FROM (SELECT CASE WHEN {READY} THEN 1 ELSE 0 END AS ready, reminded_at
                   FROM users WHERE tenant_id = $1 AND status = 'active'{search}) AS people"
        );
        let query = sqlx::query(AssertSqlSafe(sql))
            .bind(tenant_id.as_str())
            .bind(nudged_after.0);
        let row = bind_all(query, &binds)
            .fetch_one(&self.pool)
            .await
            .map_err(crate::db::db_err)?;
        Ok(ReadinessCounts {
            people: col(&row, "people")?,
            ready: col(&row, "ready")?,
            nudged_recently: col(&row, "recent")?,
        })
    }

    async fn record_nudges(
        &self,
        tenant_id: &TenantId,
        nudges: &[Nudge],
        nudged_after: UnixTime,
        now: UnixTime,
    ) -> StoreResult<Vec<UserId>> {
        let sealing = self.writes.sealing.clone();
        self.write(async |tx| {
            let mut reminded = vec![];
            let mut effects = Effects::default();
            for n in nudges {
                let updated = sqlx::query(
                    "UPDATE users SET reminded_at = $1
                     WHERE tenant_id = $2 AND id = $3 AND status = 'active'
                       AND (reminded_at IS NULL OR reminded_at <= $4)",
                )
                .bind(now.0)
                .bind(tenant_id.as_str())
                .bind(n.user_id.as_str())
                .bind(nudged_after.0)
                .run(&mut *tx)
                .await?;
                if updated == 1 {
                    reminded.push(n.user_id.clone());
                    effects.mail.push(n.mail.clone());
                    effects.audit.push(n.audit.clone());
                }
            }
            crate::effects::apply(tx, &effects, now, sealing.as_deref()).await?;
            Ok(Commit(reminded))
        })
        .await
    }
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
