//! Signing in to the operator console (name, password, authenticator
//! code — all three every time) and out of it.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use latchkey_core::Error;
use latchkey_core::operator::console::{self, Credentials};
use latchkey_core::platform::ids::SessionHash;
use latchkey_core::platform::secret::SecretToken;
use latchkey_core::store::OperatorAccountStore;
use serde::Deserialize;

use super::{Console, cookie_name, csrf_check, csrf_issue, language};
use crate::AppState;
use crate::app::cookies;
use crate::app::csrf;
use crate::app::error::{WebError, with_retry_after};
use crate::app::extract::Client;
use crate::app::form::{FormError, error_for};
use crate::app::paths;
use crate::app::respond::see_other;
use crate::i18n::{self, Texts};

#[derive(Template)]
#[template(path = "operator_signin.html")]
struct SigninPage {
    t: Texts,
    csrf: String,
    name: String,
    error: Option<FormError>,
}

fn page(
    state: &AppState,
    headers: &HeaderMap,
    t: Texts,
    name: String,
    status: StatusCode,
    error: Option<FormError>,
) -> Response {
    let (cookie, token) = csrf_issue(state, headers, "");
    let page = SigninPage {
        t,
        csrf: token,
        name,
        error,
    };
    csrf::render(state, status, &page, &cookie)
}

pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    page(
        &state,
        &headers,
        i18n::texts(language(&headers)),
        String::new(),
        StatusCode::OK,
        None,
    )
}

#[derive(Deserialize, Default)]
pub struct SigninForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<SigninForm>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, "", &form.csrf)?;
    let t = i18n::texts(language(&headers));
    let name: String = form.name.chars().take(64).collect();
    let fields = ["name", "password", "code"];
    if form.name.trim().is_empty() || form.password.is_empty() || form.code.trim().is_empty() {
        let error = error_for(
            StatusCode::BAD_REQUEST,
            &fields,
            t.get("operator-signin-enter-all"),
        );
        return Ok(page(
            &state,
            &headers,
            t,
            name,
            StatusCode::BAD_REQUEST,
            Some(error),
        ));
    }
    if form.password.len() > 1024 || form.code.len() > 32 {
        let error = error_for(StatusCode::BAD_REQUEST, &fields, t.get("signin-too-long"));
        return Ok(page(
            &state,
            &headers,
            t,
            name,
            StatusCode::BAD_REQUEST,
            Some(error),
        ));
    }
    let credentials = Credentials {
        name: &form.name,
        password: &form.password,
        code: &form.code,
    };
    let (status, text, retry) = match console::sign_in(&state.env(), &credentials, &meta).await {
        Ok((token, _, _)) => {
            // A new sign-in replaces this browser's console session.
            if let Some(previous) = cookies::get(&headers, &cookie_name(&state))
                .as_deref()
                .and_then(SecretToken::from_presented)
            {
                let hash: SessionHash = previous.hash().into();
                state.db().end_operator_session(&hash).await?;
            }
            let mut response = see_other(paths::OPERATOR);
            let cookie = cookies::set(
                state.config().secure_cookies,
                &cookie_name(&state),
                token.expose(),
                None,
            );
            cookies::append(&mut response, Some(cookie));
            return Ok(response);
        }
        Err(Error::InvalidCredentials) => (
            StatusCode::UNAUTHORIZED,
            t.get("operator-signin-wrong"),
            None,
        ),
        Err(Error::RateLimited { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            t.try_again("signin-too-many-signins", retry_after_secs),
            Some(retry_after_secs),
        ),
        Err(Error::Overloaded { retry_after_secs }) => {
            state.metrics().overloaded();
            (
                StatusCode::SERVICE_UNAVAILABLE,
                t.get("signin-busy"),
                Some(retry_after_secs),
            )
        }
        Err(other) => return Err(other.into()),
    };
    let error = error_for(status, &fields, text);
    let response = page(&state, &headers, t, name, status, Some(error));
    Ok(match retry {
        Some(secs) => with_retry_after(response, secs),
        None => response,
    })
}

#[derive(Deserialize, Default)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    console_session: Console,
    Client(meta): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Result<Response, WebError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    csrf_check(&state, &headers, console_session.binding(), &form.csrf)?;
    console::sign_out(
        state.db(),
        state.random(),
        state.clock().now(),
        &console_session.session,
        &console_session.account,
        &meta,
    )
    .await?;
    let mut response = see_other(paths::OPERATOR_SIGNIN);
    let secure = state.config().secure_cookies;
    cookies::append(
        &mut response,
        Some(cookies::clear(secure, &cookie_name(&state))),
    );
    Ok(response)
}
