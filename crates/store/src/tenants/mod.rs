//! Tenants and their settings; the operator API's tokens ([`operator`]).

pub(crate) mod operator;

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::platform::ids::{CaseId, TenantId, UserId};
use latchkey_core::platform::lang::Language;
use latchkey_core::platform::zone::Zone;
use latchkey_core::store::{Effects, StoreResult, TenantStore};
use latchkey_core::tenants::setup::{Setup, SetupStep};
use latchkey_core::tenants::{Onboarding, SecondFactorPolicy, Tenant, TenantSlug};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use latchkey_core::recovery::case::CaseState;

use crate::db::{Db, Run, all, col, flag, id, maybe_id, optional, parsed, time};
use crate::recovery::close_cases;
use crate::write::Outcome::{Commit, Rollback};

const COLUMNS: &str = "id, slug, display_name, onboarding, second_factor, self_recovery, passwordless, default_language, created_at, recovery_waiting_secs, recovery_known_device_secs, helpdesk_text, helpdesk_url, recovery_excludes_admins, version, password_signin, setup_step, setup_postponed, time_zone";

fn from_row(row: &AnyRow) -> StoreResult<Tenant> {
    Ok(Tenant {
        id: id(row, "id")?,
        slug: parsed("slug", TenantSlug::parse(&col::<String>(row, "slug")?))?,
        display_name: col(row, "display_name")?,
        onboarding: parsed(
            "onboarding",
            Onboarding::parse(&col::<String>(row, "onboarding")?),
        )?,
        second_factor: parsed(
            "second_factor",
            SecondFactorPolicy::parse(&col::<String>(row, "second_factor")?),
        )?,
        self_recovery: flag(row, "self_recovery")?,
        passwordless: flag(row, "passwordless")?,
        password_signin: flag(row, "password_signin")?,
        setup: Setup {
            step: parsed(
                "setup_step",
                SetupStep::parse(&col::<String>(row, "setup_step")?),
            )?,
            postponed: flag(row, "setup_postponed")?,
        },
        recovery_waiting_secs: col(row, "recovery_waiting_secs")?,
        recovery_known_device_secs: col(row, "recovery_known_device_secs")?,
        helpdesk_text: col(row, "helpdesk_text")?,
        helpdesk_url: col(row, "helpdesk_url")?,
        recovery_excludes_admins: flag(row, "recovery_excludes_admins")?,
        default_language: parsed(
            "default_language",
            Language::parse(&col::<String>(row, "default_language")?),
        )?,
        // a name a later time zone database dropped reads as UTC
        time_zone: Zone::named(&col::<String>(row, "time_zone")?).unwrap_or_else(Zone::utc),
        created_at: time(row, "created_at")?,
        version: col(row, "version")?,
    })
}

impl TenantStore for Db {
    async fn insert_tenant(&self, t: &Tenant) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tenants (id, slug, display_name, onboarding, second_factor, self_recovery, default_language, created_at, updated_at, passwordless, recovery_waiting_secs, recovery_known_device_secs, helpdesk_text, helpdesk_url, recovery_excludes_admins, password_signin, setup_step, setup_postponed, time_zone)
             VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $7, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(t.id.as_str())
        .bind(t.slug.as_str())
        .bind(&t.display_name)
        .bind(t.onboarding.as_str())
        .bind(t.second_factor.as_str())
        .bind(t.self_recovery)
        .bind(t.created_at.0)
        .bind(t.default_language.as_str())
        .bind(t.passwordless)
        .bind(t.recovery_waiting_secs)
        .bind(t.recovery_known_device_secs)
        .bind(&t.helpdesk_text)
        .bind(&t.helpdesk_url)
        .bind(t.recovery_excludes_admins)
        .bind(t.password_signin)
        .bind(t.setup.step.as_str())
        .bind(t.setup.postponed)
        .bind(t.time_zone.name())
        .run(&self.pool)
        .await?;
        Ok(())
    }

    async fn tenant_by_slug(&self, slug: &TenantSlug) -> StoreResult<Option<Tenant>> {
        let sql = format!("SELECT {COLUMNS} FROM tenants WHERE slug = $1");
        optional(
            sqlx::query(AssertSqlSafe(sql))
                .bind(slug.as_str())
                .fetch_optional(&self.pool)
                .await,
            from_row,
        )
    }

    async fn list_tenants(&self) -> StoreResult<Vec<Tenant>> {
        let sql = format!("SELECT {COLUMNS} FROM tenants ORDER BY slug");
        all(
            sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await,
            from_row,
        )
    }

    async fn update_tenant(
        &self,
        t: &Tenant,
        cancel_cases: &[CaseId],
        effects: &Effects<'_>,
        now: UnixTime,
    ) -> StoreResult<bool> {
        self.write_with(effects, now, async |tx| {
            let updated = sqlx::query(
                "UPDATE tenants SET display_name = $1, onboarding = $2, second_factor = $3,
                    self_recovery = $4, passwordless = $5, default_language = $6,
                    recovery_waiting_secs = $7, recovery_known_device_secs = $8,
                    helpdesk_text = $9, helpdesk_url = $10, updated_at = $11,
                    recovery_excludes_admins = $13, password_signin = $15,
                    setup_step = $16, setup_postponed = $17, time_zone = $18,
                    version = version + 1
                 WHERE id = $12 AND version = $14",
            )
            .bind(&t.display_name)
            .bind(t.onboarding.as_str())
            .bind(t.second_factor.as_str())
            .bind(t.self_recovery)
            .bind(t.passwordless)
            .bind(t.default_language.as_str())
            .bind(t.recovery_waiting_secs)
            .bind(t.recovery_known_device_secs)
            .bind(&t.helpdesk_text)
            .bind(&t.helpdesk_url)
            .bind(now.0)
            .bind(t.id.as_str())
            .bind(t.recovery_excludes_admins)
            .bind(t.version)
            .bind(t.password_signin)
            .bind(t.setup.step.as_str())
            .bind(t.setup.postponed)
            .bind(t.time_zone.name())
            .run(&mut *tx)
            .await?;
            if updated != 1 {
                return Ok(Rollback(false));
            }
            // Cases started after the caller listed them end too (their users
            // were not in the caller's mail, but they cannot continue).
            if !t.self_recovery {
                close_cases(CaseState::Cancelled, now, "tenant_id = $4 AND is_open")
                    .bind(t.id.as_str())
                    .run(&mut *tx)
                    .await?;
            }
            for case in cancel_cases {
                close_cases(
                    CaseState::Cancelled,
                    now,
                    "id = $4 AND tenant_id = $5 AND is_open",
                )
                .bind(case.as_str())
                .bind(t.id.as_str())
                .run(&mut *tx)
                .await?;
            }
            Ok(Commit(true))
        })
        .await
    }

    async fn open_cases(&self, tenant_id: &TenantId) -> StoreResult<Vec<(CaseId, Option<UserId>)>> {
        all(
            sqlx::query(
                "SELECT id, user_id FROM recovery_cases WHERE tenant_id = $1 AND is_open
                 ORDER BY started_at, id",
            )
            .bind(tenant_id.as_str())
            .fetch_all(&self.pool)
            .await,
            |row| Ok((id(row, "id")?, maybe_id(row, "user_id")?)),
        )
    }
}
