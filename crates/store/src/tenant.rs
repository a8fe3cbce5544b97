use latchkey_core::clock::UnixTime;
use latchkey_core::mail::Language;
use latchkey_core::store::{StoreResult, TenantStore};
use latchkey_core::tenant::{Onboarding, SecondFactorPolicy, Tenant, TenantSlug};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::db::{Db, all, col, db_err, flag, optional, parsed};

const COLUMNS: &str = "id, slug, display_name, onboarding, second_factor, self_recovery, passwordless, default_language, created_at";

fn from_row(row: &AnyRow) -> StoreResult<Tenant> {
    Ok(Tenant {
        id: col(row, "id")?,
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
        default_language: parsed(
            "default_language",
            Language::parse(&col::<String>(row, "default_language")?),
        )?,
        created_at: UnixTime(col(row, "created_at")?),
    })
}

impl TenantStore for Db {
    async fn insert_tenant(&self, t: &Tenant) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tenants (id, slug, display_name, onboarding, second_factor, self_recovery, default_language, created_at, updated_at, passwordless)
             VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $7, $9)",
        )
        .bind(&t.id)
        .bind(t.slug.as_str())
        .bind(&t.display_name)
        .bind(t.onboarding.as_str())
        .bind(t.second_factor.as_str())
        .bind(t.self_recovery)
        .bind(t.created_at.0)
        .bind(t.default_language.as_str())
        .bind(t.passwordless)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
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
}
