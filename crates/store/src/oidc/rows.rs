//! How codes and grants are read: their columns and row mappings, shared by
//! the store methods ([`super::grants`]) and the refresh writer
//! ([`super::refresh`]).

use latchkey_core::accounts::session::methods_from_string;
use latchkey_core::accounts::user::User;
use latchkey_core::oidc::{AuthCode, Grant};
use latchkey_core::store::StoreResult;
use sqlx::any::AnyRow;

use crate::db::{col, id, maybe_id, maybe_time, time};

pub(super) const CODE_COLUMNS: &str = "code_hash, tenant_id, client_id, user_id, session_hash, redirect_uri, scope, \
                            nonce, code_challenge, auth_time, amr, created_at, expires_at, used_at, security_stamp";
pub(super) const GRANT_COLUMNS: &str = "g.id, g.tenant_id, g.client_id, g.user_id, g.session_hash, g.scope, g.amr, \
                             g.auth_time, g.security_stamp, g.code_hash, g.created_at, g.expires_at, g.revoked_at, \
                             g.refresh_generation";

pub(super) fn code_from_row(row: &AnyRow) -> StoreResult<AuthCode> {
    Ok(AuthCode {
        code_hash: col(row, "code_hash")?,
        tenant_id: id(row, "tenant_id")?,
        client_id: id(row, "client_id")?,
        user_id: id(row, "user_id")?,
        session_hash: id(row, "session_hash")?,
        redirect_uri: col(row, "redirect_uri")?,
        scope: col(row, "scope")?,
        nonce: col(row, "nonce")?,
        code_challenge: col(row, "code_challenge")?,
        auth_time: time(row, "auth_time")?,
        amr: methods_from_string(&col::<String>(row, "amr")?),
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        used_at: maybe_time(row, "used_at")?,
        security_stamp: col(row, "security_stamp")?,
    })
}

pub(super) fn grant_from_row(row: &AnyRow) -> StoreResult<Grant> {
    grant_from_prefixed(row, "")
}

/// A grant from columns named `{prefix}id`, `{prefix}tenant_id`, …
fn grant_from_prefixed(row: &AnyRow, prefix: &str) -> StoreResult<Grant> {
    let c = |name: &str| format!("{prefix}{name}");
    Ok(Grant {
        id: id(row, &c("id"))?,
        tenant_id: id(row, &c("tenant_id"))?,
        client_id: id(row, &c("client_id"))?,
        user_id: maybe_id(row, &c("user_id"))?,
        session_hash: maybe_id(row, &c("session_hash"))?,
        scope: col(row, &c("scope"))?,
        amr: methods_from_string(&col::<String>(row, &c("amr"))?),
        auth_time: time(row, &c("auth_time"))?,
        security_stamp: col(row, &c("security_stamp"))?,
        code_hash: col(row, &c("code_hash"))?,
        created_at: time(row, &c("created_at"))?,
        expires_at: time(row, &c("expires_at"))?,
        revoked_at: maybe_time(row, &c("revoked_at"))?,
        refresh_generation: col(row, &c("refresh_generation"))?,
    })
}

/// The grants (`g_…` columns) joined with their users' columns.
pub(super) static GRANT_WITH_USER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let grant: Vec<String> = GRANT_COLUMNS
        .split(',')
        .map(|c| format!("{} AS g_{}", c.trim(), c.trim().trim_start_matches("g.")))
        .collect();
    let user: Vec<String> = crate::accounts::user::COLUMNS
        .split(',')
        .map(|c| format!("u.{}", c.trim()))
        .collect();
    format!(
        "SELECT {}, {} FROM oauth_grants g JOIN users u ON u.id = g.user_id",
        grant.join(", "),
        user.join(", ")
    )
});

/// A grant with its user, from a row of [`GRANT_WITH_USER`].
pub(super) fn grant_with_user_from_row(row: &AnyRow) -> StoreResult<(Grant, User)> {
    Ok((
        grant_from_prefixed(row, "g_")?,
        crate::accounts::user::from_row(row)?,
    ))
}
