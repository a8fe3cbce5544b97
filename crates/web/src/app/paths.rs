//! Route paths in one place: the patterns the router mounts (constants),
//! and the addresses handlers redirect to (functions of the tenant).
//! Templates write the same paths as `/t/{{ tenant_slug }}/…`.

use latchkey_core::effects::mail::Page;
use latchkey_core::platform::ids::ClientId;
use latchkey_core::tenants::Tenant;

use crate::app::respond::query_escape;

// --- Patterns ---------------------------------------------------------------

pub const INDEX: &str = "/";
pub const HEALTHZ: &str = "/healthz";
pub const READYZ: &str = "/readyz";
pub const METRICS: &str = "/metrics";
pub const STYLESHEET: &str = "/static/latchkey.css";
pub const WEBAUTHN_SCRIPT: &str = "/static/webauthn.js";
pub const CODES_SCRIPT: &str = "/static/codes.js";
pub const TIMEZONE_SCRIPT: &str = "/static/timezone.js";

pub const TENANT: &str = "/t/{tenant}";
pub const TENANT_SLASH: &str = "/t/{tenant}/";

pub const SIGNIN: &str = "/t/{tenant}/signin";
pub const SIGNOUT: &str = "/t/{tenant}/signout";
pub const SIGNIN_OTP: &str = "/t/{tenant}/signin/otp";
pub const SIGNIN_RECOVERY_CODE: &str = "/t/{tenant}/signin/recovery-code";
pub const SIGNIN_PASSKEY: &str = "/t/{tenant}/signin/passkey";
pub const SIGNIN_PASSKEY_FINISH: &str = "/t/{tenant}/signin/passkey/finish";
pub const SIGNIN_PASSWORDLESS: &str = "/t/{tenant}/signin/passwordless";
pub const SIGNIN_PASSWORDLESS_FINISH: &str = "/t/{tenant}/signin/passwordless/finish";
pub const SIGNIN_PASSWORDLESS_AUTOFILL: &str = "/t/{tenant}/signin/passwordless/autofill";
pub const VERIFY_EMAIL: &str = "/t/{tenant}/verify-email";
/// The link mailed to a new address: confirms the change of address.
pub const CONFIRM_EMAIL_CHANGE: &str = "/t/{tenant}/confirm-email";
pub const FORGOT_PASSWORD: &str = "/t/{tenant}/forgot-password";
pub const RESET_PASSWORD: &str = "/t/{tenant}/reset-password";
pub const INVITATION: &str = "/t/{tenant}/invitation";

pub const ACCOUNT: &str = "/t/{tenant}/account";
pub const ACCOUNT_PASSWORD: &str = "/t/{tenant}/account/password";
pub const ACCOUNT_SESSIONS: &str = "/t/{tenant}/account/sessions";
pub const ACCOUNT_SESSION_END: &str = "/t/{tenant}/account/sessions/end";
pub const ACCOUNT_SESSIONS_END_OTHERS: &str = "/t/{tenant}/account/sessions/end-others";
pub const ACCOUNT_VERIFY_EMAIL: &str = "/t/{tenant}/account/verify-email";
pub const ACCOUNT_EMAIL: &str = "/t/{tenant}/account/email";
pub const ACCOUNT_EMAIL_CANCEL: &str = "/t/{tenant}/account/email/cancel";
pub const ACCOUNT_APPLICATION_REMOVE: &str = "/t/{tenant}/account/applications/{client}/remove";

pub const TOTP: &str = "/t/{tenant}/account/totp";
pub const TOTP_REMOVE: &str = "/t/{tenant}/account/totp/remove";
pub const RECOVERY_CODES: &str = "/t/{tenant}/account/recovery-codes";
pub const RECOVERY_CODES_USED: &str = "/t/{tenant}/account/recovery-codes/used";
pub const RECOVERY_CODES_LATER: &str = "/t/{tenant}/account/recovery-codes/later";
pub const PASSKEYS: &str = "/t/{tenant}/account/passkeys";
pub const PASSKEYS_FINISH: &str = "/t/{tenant}/account/passkeys/finish";
pub const PASSKEY_RENAME: &str = "/t/{tenant}/account/passkeys/{id}/rename";
pub const PASSKEY_REMOVE: &str = "/t/{tenant}/account/passkeys/{id}/remove";
pub const REAUTH: &str = "/t/{tenant}/reauth";
pub const REAUTH_PASSKEY: &str = "/t/{tenant}/reauth/passkey";
pub const REAUTH_PASSKEY_FINISH: &str = "/t/{tenant}/reauth/passkey/finish";

pub const RECOVER: &str = "/t/{tenant}/recover";
pub const RECOVER_SECOND_STEP: &str = "/t/{tenant}/recover/second-step";
pub const RECOVER_CASE: &str = "/t/{tenant}/recover/case";
pub const RECOVER_PROOF: &str = "/t/{tenant}/recover/proof";
pub const RECOVER_COMPLETE: &str = "/t/{tenant}/recover/complete";
pub const RECOVER_STOP: &str = "/t/{tenant}/recover/stop";
pub const RECOVER_RESEND: &str = "/t/{tenant}/recover/resend";
pub const RECOVER_CANCEL: &str = "/t/{tenant}/recover/cancel";

pub const ADMIN: &str = "/t/{tenant}/admin";
pub const ADMIN_PEOPLE: &str = "/t/{tenant}/admin/people";
pub const ADMIN_PEOPLE_NEW: &str = "/t/{tenant}/admin/people/new";
pub const ADMIN_PEOPLE_SIGN_OUT: &str = "/t/{tenant}/admin/people/sign-out";
pub const ADMIN_PERSON: &str = "/t/{tenant}/admin/people/{user}";
pub const ADMIN_PERSON_RESET_LINK: &str = "/t/{tenant}/admin/people/{user}/reset-link";
pub const ADMIN_PERSON_INVITATION: &str = "/t/{tenant}/admin/people/{user}/invitation";
pub const ADMIN_PERSON_STATUS: &str = "/t/{tenant}/admin/people/{user}/status";
pub const ADMIN_PERSON_SIGN_OUT: &str = "/t/{tenant}/admin/people/{user}/sign-out";
pub const ADMIN_PERSON_ROLE: &str = "/t/{tenant}/admin/people/{user}/role";
pub const ADMIN_PERSON_RESET: &str = "/t/{tenant}/admin/people/{user}/reset";
pub const ADMIN_APPLICATIONS: &str = "/t/{tenant}/admin/applications";
pub const ADMIN_APPLICATION: &str = "/t/{tenant}/admin/applications/{client_id}";
pub const ADMIN_APPLICATION_SECRET: &str = "/t/{tenant}/admin/applications/{client_id}/secret";
pub const ADMIN_APPLICATION_DELETE: &str = "/t/{tenant}/admin/applications/{client_id}/delete";
pub const ADMIN_SECOND_FACTORS: &str = "/t/{tenant}/admin/second-factors";
pub const ADMIN_RECOVERY_REQUEST: &str = "/t/{tenant}/admin/recovery-request";
pub const ADMIN_AUDIT: &str = "/t/{tenant}/admin/audit";
pub const ADMIN_REMINDERS: &str = "/t/{tenant}/admin/reminders";
pub const ADMIN_SETUP: &str = "/t/{tenant}/admin/setup";
pub const ADMIN_SETUP_STEP: &str = "/t/{tenant}/admin/setup/step/{step}";
pub const ADMIN_SETUP_LATER: &str = "/t/{tenant}/admin/setup/later";
pub const ADMIN_SETUP_RESUME: &str = "/t/{tenant}/admin/setup/resume";
pub const ADMIN_SETUP_FINISH: &str = "/t/{tenant}/admin/setup/finish";
pub const ADMIN_AUDIT_EXPORT: &str = "/t/{tenant}/admin/audit/export";

pub const OPERATOR: &str = "/operator";
pub const OPERATOR_SIGNIN: &str = "/operator/signin";
pub const OPERATOR_SIGNOUT: &str = "/operator/signout";
pub const OPERATOR_TENANT_NEW: &str = "/operator/tenants/new";
pub const OPERATOR_TENANT: &str = "/operator/tenants/{tenant}";
pub const OPERATOR_TENANT_INVITE: &str = "/operator/tenants/{tenant}/invite";
pub const OPERATOR_TENANT_UPGRADE: &str = "/operator/tenants/{tenant}/upgrade";
pub const OPERATOR_TENANT_RECOVERY: &str = "/operator/tenants/{tenant}/recovery";
pub const OPERATOR_TENANT_DECIDE: &str = "/operator/tenants/{tenant}/decide";
pub const OPERATOR_REQUESTS: &str = "/operator/requests";
pub const OPERATOR_AUDIT: &str = "/operator/audit";

pub const DISCOVERY: &str = "/t/{tenant}/.well-known/openid-configuration";
pub const JWKS: &str = "/t/{tenant}/jwks";
pub const AUTHORIZE: &str = "/t/{tenant}/authorize";
pub const AUTHORIZE_CONSENT: &str = "/t/{tenant}/authorize/consent";
pub const TOKEN: &str = "/t/{tenant}/token";
pub const USERINFO: &str = "/t/{tenant}/userinfo";
pub const REVOKE: &str = "/t/{tenant}/revoke";
pub const INTROSPECT: &str = "/t/{tenant}/introspect";
pub const END_SESSION: &str = "/t/{tenant}/end_session";
pub const END_SESSION_CONFIRM: &str = "/t/{tenant}/end_session/confirm";

pub const API_OPENAPI: &str = "/api/openapi.json";
pub const API_TENANT_STATS: &str = "/api/t/{tenant}/recovery/stats";
pub const API_ACTIVATION_REQUEST: &str = "/api/t/{tenant}/recovery/activation-request";
pub const API_RESET_FACTORS: &str = "/api/t/{tenant}/users/{login}/reset-factors";
pub const API_USERS: &str = "/api/t/{tenant}/users";
pub const API_SIGN_OUT_EVERYONE: &str = "/api/t/{tenant}/sign-out";
pub const API_USER_INVITATIONS: &str = "/api/t/{tenant}/users/invitations";
pub const API_READINESS: &str = "/api/t/{tenant}/readiness";
pub const API_READINESS_REMINDERS: &str = "/api/t/{tenant}/readiness/reminders";
pub const API_APPLICATIONS: &str = "/api/t/{tenant}/applications";
pub const API_APPLICATION: &str = "/api/t/{tenant}/applications/{client_id}";
pub const API_APPLICATION_SECRET: &str = "/api/t/{tenant}/applications/{client_id}/secret";
pub const API_AUDIT: &str = "/api/t/{tenant}/audit";
pub const API_AUDIT_EXPORT: &str = "/api/t/{tenant}/audit/export";
pub const API_OPERATOR_REQUESTS: &str = "/api/operator/recovery/requests";
pub const API_OPERATOR_STATS: &str = "/api/operator/tenants/{tenant}/recovery/stats";
pub const API_OPERATOR_RECOVERY: &str = "/api/operator/tenants/{tenant}/recovery/{action}";
pub const API_OPERATOR_INVITATIONS: &str = "/api/operator/tenants/{tenant}/invitations";

// --- Addresses ----------------------------------------------------------------

/// `/t/{slug}/`: every page of the tenant starts with it.
pub fn tenant_prefix(tenant: &Tenant) -> String {
    format!("/t/{}/", tenant.slug)
}

pub fn account(tenant: &Tenant) -> String {
    format!("/t/{}/account", tenant.slug)
}

/// The account page with a notice (`sent=verification`, `password=1`).
pub fn account_with(tenant: &Tenant, query: &str) -> String {
    format!("/t/{}/account?{query}", tenant.slug)
}

pub fn signin(tenant: &Tenant) -> String {
    format!("/t/{}/signin", tenant.slug)
}

/// The sign-in form with a notice (`signed_out=1`, `password_reset=1`).
pub fn signin_with(tenant: &Tenant, query: &str) -> String {
    format!("/t/{}/signin?{query}", tenant.slug)
}

/// The sign-in form that leads back to `return_to`.
pub fn signin_to(tenant: &Tenant, return_to: &str) -> String {
    format!(
        "/t/{}/signin?return_to={}",
        tenant.slug,
        query_escape(return_to)
    )
}

/// Where a page for signed-in users sends a browser that is not.
pub fn signin_to_account(tenant: &Tenant) -> String {
    format!("/t/{0}/signin?return_to=/t/{0}/account", tenant.slug)
}

/// The second sign-in step, leading on to `return_to`.
pub fn second_step(tenant: &Tenant, return_to: &str) -> String {
    format!(
        "/t/{}/signin/otp?return_to={}",
        tenant.slug,
        query_escape(return_to)
    )
}

pub fn totp(tenant: &Tenant) -> String {
    format!("/t/{}/account/totp", tenant.slug)
}

pub fn recovery_codes(tenant: &Tenant) -> String {
    format!("/t/{}/account/recovery-codes", tenant.slug)
}

/// The offer of a new set after a recovery code was used.
pub fn recovery_codes_used(tenant: &Tenant) -> String {
    format!("/t/{}/account/recovery-codes/used", tenant.slug)
}

/// The recovery codes after a factor was set up (`done=app`, `passkey`),
/// which the page confirms.
pub fn recovery_codes_after(tenant: &Tenant, done: &str) -> String {
    format!("/t/{}/account/recovery-codes?done={done}", tenant.slug)
}

/// The password prompt for a recent sign-in, then back to `/t/{slug}/{back}`.
pub fn reauth(tenant: &Tenant, back: &str) -> String {
    format!("/t/{0}/reauth?return_to=/t/{0}/{back}", tenant.slug)
}

pub fn recover(tenant: &Tenant) -> String {
    format!("/t/{}/recover", tenant.slug)
}

pub fn recover_case(tenant: &Tenant) -> String {
    format!("/t/{}/recover/case", tenant.slug)
}

/// The tenant's administration console.
pub fn admin(tenant: &Tenant) -> String {
    format!("/t/{}/admin", tenant.slug)
}

/// The console with a notice (`reset`, `setup`, `deleted`).
pub fn admin_done(tenant: &Tenant, done: &str) -> String {
    format!("/t/{}/admin?done={done}", tenant.slug)
}

/// One application's settings page, relative to the tenant (for `reauth`).
/// The console's home.
pub fn admin_home(tenant: &Tenant) -> String {
    format!("/t/{}/admin", tenant.slug)
}

/// The set-up wizard at `step` (its furthest step when `None`).
pub fn admin_setup(tenant: &Tenant, step: Option<&str>) -> String {
    match step {
        Some(step) => format!("/t/{}/admin/setup?step={step}", tenant.slug),
        None => format!("/t/{}/admin/setup", tenant.slug),
    }
}

pub fn admin_application_back(client_id: &ClientId) -> String {
    format!("admin/applications/{client_id}")
}

pub fn admin_application_saved(tenant: &Tenant, client_id: &ClientId) -> String {
    format!("/t/{}/admin/applications/{client_id}?saved=1", tenant.slug)
}

/// A tenant's page in the operator console, with a notice (`done=…`).
pub fn operator_tenant_done(tenant: &Tenant, done: &str) -> String {
    format!("/operator/tenants/{}?done={done}", tenant.slug)
}

/// Where the passkey ceremonies post the browser's answer.
pub fn passkeys_finish(tenant: &Tenant) -> String {
    format!("/t/{}/account/passkeys/finish", tenant.slug)
}

pub fn signin_passkey_finish(tenant: &Tenant) -> String {
    format!("/t/{}/signin/passkey/finish", tenant.slug)
}

pub fn signin_passwordless_finish(tenant: &Tenant) -> String {
    format!("/t/{}/signin/passwordless/finish", tenant.slug)
}

pub fn reauth_passkey_finish(tenant: &Tenant) -> String {
    format!("/t/{}/reauth/passkey/finish", tenant.slug)
}

/// The start of the query of an authorization request of the tenant.
pub fn authorize_query_prefix(tenant: &Tenant) -> String {
    format!("/t/{}/authorize?", tenant.slug)
}

/// The authorization endpoint with a request's query, to resume it.
pub fn authorize_resume(tenant: &Tenant, query: &str) -> String {
    format!("/t/{}/authorize{query}", tenant.slug)
}

/// The path (with its query) of a page a mail links to.
pub fn mail_page(page: &Page) -> String {
    match page {
        Page::VerifyEmail { tenant, token } => {
            format!("/t/{tenant}/verify-email?token={}", query_escape(token))
        }
        Page::ResetPassword { tenant, token } => {
            format!("/t/{tenant}/reset-password?token={}", query_escape(token))
        }
        Page::RecoveryCase { tenant } => format!("/t/{tenant}/recover/case"),
        Page::CancelRecovery { tenant, token } => {
            format!("/t/{tenant}/recover/cancel?token={}", query_escape(token))
        }
        Page::AcceptInvitation { tenant, token } => {
            format!("/t/{tenant}/invitation?token={}", query_escape(token))
        }
        Page::ConfirmEmailChange { tenant, token } => {
            format!("/t/{tenant}/confirm-email?token={}", query_escape(token))
        }
        Page::Admin { tenant } => format!("/t/{tenant}/admin"),
        Page::Account { tenant } => format!("/t/{tenant}/account"),
    }
}
