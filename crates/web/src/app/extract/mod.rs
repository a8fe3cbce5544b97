//! What handlers take instead of parsing requests themselves. Each
//! extractor answers for itself when it cannot give what it promises (a
//! 404 page for an unknown tenant, a redirect to sign in, a 403 for a form
//! without a valid CSRF token), so a handler starts where the work starts.
//!
//! Order in a handler's arguments is the order of the checks: the tenant,
//! then who is asking (`SignedIn`, `PendingStep`, `RecoveryBrowser`), then
//! the form (`CsrfForm`, always last: it reads the body). Extractors that
//! need the tenant read it once per request (it is kept in the request's
//! extensions).

pub mod client;
pub mod csrf_form;
pub mod lang;
pub mod recovery;
pub mod session;
pub mod tenant;

pub use client::Client;
pub use csrf_form::{Button, CsrfField, CsrfForm};
pub use lang::Lang;
pub use recovery::RecoveryBrowser;
pub use session::{Enrolled, PendingStep, SignedIn};
pub use tenant::{IssuerTenant, Tenant};
