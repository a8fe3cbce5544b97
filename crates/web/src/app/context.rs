//! What a page knows of the request it answers besides its own data: the
//! language chosen in this browser, the tenant once it is known, and the
//! address — for the parts every page shares (the header's language
//! switcher) and for pages made far from their handler (error pages, which
//! name the tenant and offer a way forward).
//!
//! A layer ([`scope`]) sets the context around every route; extractors add
//! to it what they learn (the tenant, a signed-in person's language). It
//! lives for one request, in its task — never across requests.
//!
//! **The language switcher** is a set of links. `?lang=de` on any GET sets
//! the browser's choice (a cookie, validated against the languages there
//! are) and answers 303 to the same address without it, so handlers never
//! see the parameter and the address stays clean. The choice outranks
//! everything else (see [`super::extract::lang`]); it is not part of a
//! form's CSRF token, so changing the language never expires a form; pages
//! are `no-store` and say `Vary: Cookie, Accept-Language`.

use std::cell::RefCell;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use latchkey_core::platform::lang::Language;
use latchkey_core::tenants::Tenant;

use crate::AppState;
use crate::app::{cookies, paths};

/// The cookie that holds the browser's language choice.
const COOKIE: &str = "lang";

/// How long a language choice is kept (a year).
const COOKIE_MAX_AGE: i64 = 365 * 24 * 3600;

/// The request as pages see it.
struct Context {
    /// The browser's own choice (the `lang` cookie), if it names a language.
    chosen: Option<Language>,
    /// The best language of `Accept-Language`, if it names one.
    accepted: Option<Language>,
    /// Whether the request was a GET or HEAD (its address can be loaded again).
    loadable: bool,
    /// The path and query.
    address: String,
    /// The route pattern that matched (`/t/{tenant}/signin`), if one did.
    route: Option<String>,
    /// What extractors learn on the way.
    learned: RefCell<Learned>,
}

#[derive(Default)]
struct Learned {
    tenant: Option<KnownTenant>,
    user_language: Option<Language>,
    /// The hash of the complete session the request is signed in with.
    session: Option<String>,
    /// The header's sign-out form, once a form token for that session was
    /// made (the same token serves every form of the page).
    sign_out: Option<SignOutForm>,
}

/// The header's "Sign out" on a signed-in page.
#[derive(Debug, Clone)]
pub struct SignOutForm {
    pub action: String,
    pub csrf: String,
}

/// The tenant of the request, as pages name it.
#[derive(Debug, Clone)]
pub struct KnownTenant {
    pub slug: String,
    pub name: String,
    pub language: Language,
}

tokio::task_local! {
    static CONTEXT: Context;
}

/// The layer: answers `?lang=` (see the module's comment), else runs the
/// request inside its context.
pub async fn scope(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let secure = state.config().secure_cookies;
    let loadable = req.method() == Method::GET || req.method() == Method::HEAD;
    if loadable && let Some((language, rest)) = switch(req.uri()) {
        let cookie = cookies::set(
            secure,
            &cookies::name(secure, COOKIE),
            language.as_str(),
            Some(COOKIE_MAX_AGE),
        );
        let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, rest)]).into_response();
        cookies::append(&mut response, Some(cookie));
        return response;
    }
    let context = Context {
        chosen: cookies::get(req.headers(), &cookies::name(secure, COOKIE))
            .and_then(|v| Language::parse(&v).ok()),
        accepted: super::extract::lang::accepted(req.headers()),
        loadable,
        address: req
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
        route: req
            .extensions()
            .get::<MatchedPath>()
            .map(|p| p.as_str().to_owned()),
        learned: RefCell::new(Learned::default()),
    };
    let mut response = CONTEXT.scope(context, next.run(req)).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page {
        response.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
    response
}

/// A GET that asks to switch language: the language and the address to
/// send the browser to (the same, without `lang`). Only a language latchkey
/// speaks counts, and only a path of this site (never `//host` or `/\host`,
/// which browsers would read as another site).
fn switch(uri: &Uri) -> Option<(Language, String)> {
    let query = uri.query()?;
    let mut language = None;
    let mut rest = vec![];
    for pair in query.split('&') {
        match pair.strip_prefix("lang=") {
            Some(value) => language = Language::parse(value).ok().or(language),
            None if !pair.is_empty() => rest.push(pair),
            None => {}
        }
    }
    let language = language?;
    let path = uri.path();
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return None;
    }
    let location = if rest.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", rest.join("&"))
    };
    Some((language, location))
}

fn with<T>(f: impl FnOnce(&Context) -> T) -> Option<T> {
    CONTEXT.try_with(f).ok()
}

/// The extractors tell the context the tenant once they know it.
pub fn note_tenant(tenant: &Tenant) {
    with(|c| {
        c.learned.borrow_mut().tenant = Some(KnownTenant {
            slug: tenant.slug.as_str().to_owned(),
            name: tenant.display_name.clone(),
            language: tenant.default_language,
        });
    });
}

/// ... and a signed-in person's own language.
pub fn note_user_language(language: Option<Language>) {
    with(|c| c.learned.borrow_mut().user_language = language);
}

/// ... and that it is signed in with the complete session `session_hash`
/// (again after that session took a new id).
pub fn note_signed_in(session_hash: &str) {
    with(|c| {
        let mut learned = c.learned.borrow_mut();
        learned.session = Some(session_hash.to_owned());
        learned.sign_out = None;
    });
}

/// A form token was made for `tenant_slug` and `binding`: when the binding
/// is the signed-in session, the header offers "Sign out" with it.
pub fn note_form_token(tenant_slug: &str, binding: &str, token: &str) {
    with(|c| {
        let mut learned = c.learned.borrow_mut();
        if learned.session.as_deref() == Some(binding) && !binding.is_empty() {
            learned.sign_out = Some(SignOutForm {
                action: paths::SIGNOUT.replace("{tenant}", tenant_slug),
                csrf: token.to_owned(),
            });
        }
    });
}

/// The header's sign-out form, on pages of a signed-in person.
pub fn sign_out() -> Option<SignOutForm> {
    with(|c| c.learned.borrow().sign_out.clone()).flatten()
}

/// The language this browser chose with the switcher, if any.
pub fn chosen() -> Option<Language> {
    with(|c| c.chosen).flatten()
}

/// The request's language for pages made far from their handler: the
/// browser's choice, else the signed-in person's, else `Accept-Language`,
/// else the tenant's, else English.
pub fn language() -> Language {
    with(|c| {
        let learned = c.learned.borrow();
        c.chosen
            .or(learned.user_language)
            .or(c.accepted)
            .or(learned.tenant.as_ref().map(|t| t.language))
    })
    .flatten()
    .unwrap_or(Language::En)
}

/// The request's tenant, once an extractor has read it.
pub fn tenant() -> Option<KnownTenant> {
    with(|c| c.learned.borrow().tenant.clone()).flatten()
}

/// The route pattern the request matched.
pub fn route() -> Option<String> {
    with(|c| c.route.clone()).flatten()
}

/// A page to go to instead of this request's address: the address itself
/// after a GET; after a form, the page that shows that form (a form's own
/// address often answers only POST). None where that page needs what only
/// the form had (the token of a password reset).
pub fn landing() -> Option<String> {
    with(|c| {
        if c.loadable {
            return Some(c.address.clone());
        }
        let path = c.address.split('?').next().unwrap_or("/");
        let Some(route) = c.route.as_deref() else {
            return Some(path.to_owned());
        };
        let page = match route {
            paths::RESET_PASSWORD => return None,
            paths::RECOVER_SECOND_STEP
            | paths::RECOVER_PROOF
            | paths::RECOVER_COMPLETE
            | paths::RECOVER_STOP => paths::RECOVER_CASE,
            paths::RECOVER_CANCEL => paths::RECOVER,
            paths::SIGNIN_RECOVERY_CODE | paths::SIGNIN_PASSKEY | paths::SIGNIN_PASSKEY_FINISH => {
                paths::SIGNIN_OTP
            }
            paths::SIGNOUT | paths::SIGNIN_PASSWORDLESS | paths::SIGNIN_PASSWORDLESS_FINISH => {
                paths::SIGNIN
            }
            paths::REAUTH_PASSKEY | paths::REAUTH_PASSKEY_FINISH => paths::REAUTH,
            paths::VERIFY_EMAIL
            | paths::ACCOUNT_VERIFY_EMAIL
            | paths::ACCOUNT_APPLICATION_REMOVE
            | paths::TOTP_REMOVE
            | paths::PASSKEYS
            | paths::PASSKEYS_FINISH
            | paths::PASSKEY_RENAME
            | paths::PASSKEY_REMOVE
            | paths::AUTHORIZE_CONSENT
            | paths::END_SESSION_CONFIRM => paths::ACCOUNT,
            // a person's forms: back to their page
            paths::ADMIN_PERSON_STATUS
            | paths::ADMIN_PERSON_ROLE
            | paths::ADMIN_PERSON_RESET
            | paths::ADMIN_PERSON_SIGN_OUT => {
                return path.rsplit_once('/').map(|(page, _)| page.to_owned());
            }
            paths::ADMIN_SECOND_FACTORS
            | paths::ADMIN_APPLICATIONS
            | paths::ADMIN_APPLICATION_SECRET
            | paths::ADMIN_APPLICATION_DELETE
            | paths::ADMIN_RECOVERY_REQUEST => paths::ADMIN,
            _ => return Some(path.to_owned()),
        };
        // The pattern's `{tenant}` is the path's third segment.
        let slug = path.split('/').nth(2).unwrap_or_default();
        Some(page.replace("{tenant}", slug))
    })
    .flatten()
}

/// One link of the language switcher.
pub struct Choice {
    pub code: &'static str,
    /// The language's name in itself ("Deutsch").
    pub name: String,
    pub href: String,
}

/// The language switcher's links: each language, to this page in it (see
/// [`landing`]); none where there is no page to come back to.
pub fn switcher() -> Vec<Choice> {
    let Some(page) = landing() else {
        return vec![];
    };
    let (path, query) = page.split_once('?').unwrap_or((&page, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    Language::ALL
        .iter()
        .map(|language| {
            let code = language.as_str();
            let mut query = kept.clone();
            let choice = format!("lang={code}");
            query.push(&choice);
            Choice {
                code,
                name: crate::i18n::texts(*language).get("site-language-name"),
                href: format!("{path}?{}", query.join("&")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn switched(uri: &str) -> Option<(Language, String)> {
        switch(&uri.parse::<Uri>().unwrap())
    }

    #[test]
    fn lang_switches_only_to_known_languages_on_this_site() {
        assert_eq!(
            switched("/t/acme/signin?lang=de"),
            Some((Language::De, "/t/acme/signin".to_owned()))
        );
        assert_eq!(
            switched("/t/acme/recover/cancel?token=abc&lang=fr&x=1"),
            Some((
                Language::Fr,
                "/t/acme/recover/cancel?token=abc&x=1".to_owned()
            ))
        );
        assert_eq!(switched("/t/acme/signin?lang=xx"), None);
        assert_eq!(switched("/t/acme/signin?lang="), None);
        assert_eq!(switched("/t/acme/signin?language=de"), None);
        assert_eq!(switched("/t/acme/signin"), None);
        assert_eq!(switched("//evil.example/?lang=de"), None);
    }

    #[tokio::test]
    async fn after_a_form_the_switcher_leads_to_the_page_of_the_form() {
        let context = |method_get: bool, address: &str, route: &str| Context {
            chosen: None,
            accepted: None,
            loadable: method_get,
            address: address.to_owned(),
            route: Some(route.to_owned()),
            learned: RefCell::new(Learned::default()),
        };
        let at = |c: Context| async { CONTEXT.scope(c, async { landing() }).await };
        assert_eq!(
            at(context(
                false,
                "/t/acme/recover/proof",
                paths::RECOVER_PROOF
            ))
            .await,
            Some("/t/acme/recover/case".to_owned())
        );
        assert_eq!(
            at(context(false, "/t/acme/signin", paths::SIGNIN)).await,
            Some("/t/acme/signin".to_owned())
        );
        assert_eq!(
            at(context(
                false,
                "/t/acme/reset-password",
                paths::RESET_PASSWORD
            ))
            .await,
            None
        );
        assert_eq!(
            at(context(true, "/t/acme/account?sent=1", paths::ACCOUNT)).await,
            Some("/t/acme/account?sent=1".to_owned())
        );
        let links = CONTEXT
            .scope(
                context(
                    true,
                    "/t/acme/signin?return_to=/t/acme/account&lang=en",
                    paths::SIGNIN,
                ),
                async { switcher() },
            )
            .await;
        assert_eq!(links.len(), Language::ALL.len());
        assert_eq!(
            links[1].href,
            "/t/acme/signin?return_to=/t/acme/account&lang=de"
        );
        assert_eq!(links[1].name, "Deutsch");
    }
}
