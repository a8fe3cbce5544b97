//! What every feature shares, and nothing a feature owns: the state, the
//! one error mapping, the extractors, the route paths, the cookies and
//! CSRF tokens, the shapes of answers, and the layers around every route.
//! Features use `app`; they never use each other.

pub mod bearer;
pub mod browser;
pub mod context;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod form;
pub mod layers;
pub mod paths;
pub mod respond;
pub mod state;
pub mod timezone;
