//! The one integration-test binary: starts the real server on a random port
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! (or runs the real binary) and drives it over HTTP.

mod admin;
mod admin_people;
mod admin_security;
mod api;
mod applications;
mod attack;
mod attack_exposure;
mod attack_limits;
mod attack_passkeys;
mod attack_recovery;
mod audit;
mod browser;
mod cli;
mod design;
mod docs;
mod email_change;
mod helpers;
mod invitation;
mod keys;
mod mail;
mod oidc;
mod openapi;
mod operations;
mod operator;
mod passkeys;
mod product;
mod readiness;
mod recovery;
mod setup;
mod signin;
mod smtp;
mod totp;
mod walk;
