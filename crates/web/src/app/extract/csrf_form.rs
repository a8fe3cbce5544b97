//! A posted form whose CSRF token was checked.

use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::Tenant;
use super::session::SessionBinding;
use crate::AppState;
use crate::app::csrf::{self, Binding};
use crate::app::error::WebError;

/// A form that carries a CSRF token, and what its token is bound to (the
/// page that made the form bound it the same way).
pub trait CsrfField: DeserializeOwned + Default + Send {
    const BINDING: Binding;

    fn csrf(&self) -> &str;
}

/// Implements [`CsrfField`] for forms with a `csrf` field:
/// `csrf_field!(Binding::Session => CodeForm, ReauthForm);`
macro_rules! csrf_field {
    ($binding:expr => $($form:ty),+ $(,)?) => {
        $(impl $crate::app::extract::CsrfField for $form {
            const BINDING: $crate::app::csrf::Binding = $binding;

            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use csrf_field;

/// The posted form `F` after its CSRF token was checked against this
/// browser's cookie, the path's tenant and `F::BINDING`; a form without a
/// valid token is answered 403. A body that cannot be read counts as a form
/// without a token.
///
/// A form bound to the session needs `SignedIn`, `Enrolled` or
/// `PendingStep` before it in the handler's arguments.
pub struct CsrfForm<F>(pub F);

impl<F: CsrfField> FromRequest<AppState> for CsrfForm<F> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Tenant(tenant) = Tenant::from_request_parts(&mut parts, state).await?;
        let binding = match F::BINDING {
            Binding::Session => match parts.extensions.get::<SessionBinding>() {
                Some(SessionBinding(hash)) => hash.as_str().to_owned(),
                None => {
                    return Err(WebError::Internal(
                        "a session-bound form on a route without a session".into(),
                    )
                    .into_response());
                }
            },
            Binding::RecoveryCase => csrf::recovery_binding(state, &parts.headers, &tenant),
            Binding::Page(purpose) => purpose.to_owned(),
        };
        let headers = parts.headers.clone();
        let form = Form::<F>::from_request(Request::from_parts(parts, body), state)
            .await
            .map(|Form(form)| form)
            .unwrap_or_default();
        if !csrf::check(state, &headers, &tenant, &binding, form.csrf()) {
            return Err(WebError::Csrf.into_response());
        }
        Ok(CsrfForm(form))
    }
}

/// A form of a signed-in user that carries nothing but its token (a button).
#[derive(serde::Deserialize, Default)]
pub struct Button {
    #[serde(default)]
    csrf: String,
}

csrf_field!(Binding::Session => Button);
