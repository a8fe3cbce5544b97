//! `latchkey client`: the applications of a tenant that use latchkey through
//! OpenID Connect.

use latchkey_core::platform::ids::ClientId;
use std::path::PathBuf;

use anyhow::anyhow;
use clap::Subcommand;
use latchkey_core::Error;
use latchkey_core::oidc::client::{self, Client, ClientInput};
use latchkey_core::platform::crypto::SecretBox;
use latchkey_core::store::ClientStore;
use latchkey_core::tenants::Tenant;
use latchkey_store::Db;

use super::common::{
    OPERATOR, deployment_box, find_tenant, invalid_if_not_found, print_json, throwaway_box,
};
use crate::config::Config;
use crate::server::Deps;

#[derive(Subcommand, Debug)]
pub(super) enum ClientCommand {
    /// Register an application; a confidential one's secret is shown once.
    Create {
        #[arg(long)]
        tenant: String,
        /// The application's name, shown to users.
        #[arg(long)]
        name: String,
        /// Where users return after signing in (exact match; repeat for several).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// Where users may return after signing out (repeatable).
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// authorization_code, refresh_token, client_credentials (repeatable)
        /// [default: authorization_code and refresh_token].
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// A public client (single-page or native app): no secret, PKCE required.
        #[arg(long)]
        public: bool,
        /// Trusted by the organisation: users are not asked for consent.
        #[arg(long)]
        first_party: bool,
        /// A scope it may be given: openid, profile, email, offline_access,
        /// latchkey:admin (first-party only); repeatable; must include
        /// openid [default: openid profile email offline_access].
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Access token lifetime in minutes (1–1440) [default: 10].
        #[arg(long)]
        access_token_minutes: Option<i64>,
        /// Refresh token lifetime in days (1–365) [default: 30].
        #[arg(long)]
        refresh_token_days: Option<i64>,
        /// A JWK Set file with the application's public keys: it signs in
        /// with private_key_jwt and gets no secret.
        #[arg(long)]
        jwks_file: Option<PathBuf>,
        /// What its ID and access tokens are signed with: ES256 (default) or
        /// RS256 (for libraries that only accept RSA).
        #[arg(long)]
        signing_alg: Option<String>,
        /// Legacy: let this confidential application leave out PKCE
        /// (code_challenge); every other application must send it.
        #[arg(long)]
        pkce_optional: bool,
        #[arg(long)]
        json: bool,
    },
    /// List a tenant's applications.
    List {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        json: bool,
    },
    /// Show one application's settings.
    Show {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: ClientId,
        #[arg(long)]
        json: bool,
    },
    /// Change an application: only the options given change; a repeatable
    /// option replaces the whole list.
    Update {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: ClientId,
        #[arg(long)]
        name: Option<String>,
        /// Replaces the redirect addresses (repeat for several).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// Replaces the addresses after sign-out (repeat for several).
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// Removes every address after sign-out.
        #[arg(long, conflicts_with = "post_logout_uris")]
        no_post_logout_uris: bool,
        /// Replaces the grant types (repeatable).
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// true: users are not asked for consent; false: they are.
        #[arg(long)]
        first_party: Option<bool>,
        /// Replaces the scopes it may be given (repeatable; must include
        /// openid; latchkey:admin only for a first-party application).
        #[arg(long = "scope")]
        scopes: Vec<String>,
        #[arg(long)]
        access_token_minutes: Option<i64>,
        #[arg(long)]
        refresh_token_days: Option<i64>,
        /// A JWK Set file replacing the keys of a private_key_jwt application.
        #[arg(long)]
        jwks_file: Option<PathBuf>,
        /// ES256 or RS256.
        #[arg(long)]
        signing_alg: Option<String>,
        /// true: this confidential application may leave out PKCE (legacy);
        /// false: it must send code_challenge.
        #[arg(long)]
        pkce_optional: Option<bool>,
        #[arg(long)]
        json: bool,
    },
    /// Give a confidential application a new secret (shown once); the old
    /// one stops working.
    RotateSecret {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: ClientId,
        #[arg(long)]
        json: bool,
    },
    /// Remove an application; its refresh tokens stop working at once.
    Delete {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        client_id: ClientId,
        /// Confirms the removal (it cannot be undone).
        #[arg(long)]
        yes: bool,
    },
}

pub(super) async fn run(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: ClientCommand,
) -> anyhow::Result<()> {
    match cmd {
        ClientCommand::Create {
            tenant,
            name,
            redirect_uris,
            post_logout_uris,
            grants,
            public,
            first_party,
            scopes,
            access_token_minutes,
            refresh_token_days,
            jwks_file,
            signing_alg,
            pkce_optional,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let input = ClientInput {
                name,
                redirect_uris,
                post_logout_uris,
                grant_types: grants,
                public,
                first_party,
                scopes,
                access_token_minutes,
                refresh_token_days,
                jwks: read_jwks(jwks_file)?,
                token_alg: signing_alg,
                pkce_optional,
            };
            let secrets = client_secrets(config, deps, input.token_alg.as_deref())?;
            let (c, secret) = client::create(
                db,
                &*deps.random,
                &*deps.clock,
                &secrets,
                &t,
                &input,
                OPERATOR,
            )
            .await?;
            if json {
                let mut value = serde_json::to_value(&c)?;
                if let Some(s) = &secret {
                    value["client_secret"] = serde_json::Value::from(s.expose());
                }
                print_json(&value)?;
            } else {
                println!("registered {} in tenant {}", c.name, t.slug);
                println!("client_id:     {}", c.client_id);
                match &secret {
                    Some(s) => println!(
                        "client_secret: {}\n(shown only now; latchkey keeps only its hash)",
                        s.expose()
                    ),
                    None if c.jwks.is_some() => println!(
                        "no secret: the application signs in with private_key_jwt (its registered keys)"
                    ),
                    None => println!("public client: no secret; PKCE (S256) is required"),
                }
            }
        }
        ClientCommand::Show {
            tenant,
            client_id,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let c = client::find(db, &t, &client_id)
                .await
                .map_err(|e| not_found_client(e, &client_id, &t))?;
            report_client(&c, json)?;
        }
        ClientCommand::Update {
            tenant,
            client_id,
            name,
            redirect_uris,
            post_logout_uris,
            no_post_logout_uris,
            grants,
            first_party,
            scopes,
            access_token_minutes,
            refresh_token_days,
            jwks_file,
            signing_alg,
            pkce_optional,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let given = |v: Vec<String>| (!v.is_empty()).then_some(v);
            let change = client::ClientChange {
                name,
                redirect_uris: given(redirect_uris),
                post_logout_uris: if no_post_logout_uris {
                    Some(vec![])
                } else {
                    given(post_logout_uris)
                },
                grant_types: given(grants),
                first_party,
                scopes: given(scopes),
                access_token_minutes,
                refresh_token_days,
                jwks: read_jwks(jwks_file)?,
                token_alg: signing_alg,
                pkce_optional,
            };
            let secrets = client_secrets(config, deps, change.token_alg.as_deref())?;
            let c = client::update(
                db,
                &*deps.random,
                &*deps.clock,
                &secrets,
                &t,
                &client_id,
                &change,
                OPERATOR,
            )
            .await
            .map_err(|e| not_found_client(e, &client_id, &t))?;
            if !json {
                println!("updated {} in tenant {}", c.client_id, t.slug);
            }
            report_client(&c, json)?;
        }
        ClientCommand::RotateSecret {
            tenant,
            client_id,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let (c, secret) =
                client::rotate_secret(db, &*deps.random, &*deps.clock, &t, &client_id, OPERATOR)
                    .await
                    .map_err(|e| not_found_client(e, &client_id, &t))?;
            if json {
                print_json(&serde_json::json!({
                    "client_id": c.client_id,
                    "client_secret": secret.expose(),
                }))?;
            } else {
                println!("client_id:     {}", c.client_id);
                println!(
                    "client_secret: {}\n(shown only now; the old secret no longer works)",
                    secret.expose()
                );
            }
        }
        ClientCommand::Delete {
            tenant,
            client_id,
            yes,
        } => {
            let t = find_tenant(db, &tenant).await?;
            if !yes {
                return Err(anyhow!(Error::invalid(
                    "yes",
                    format!(
                        "removing {client_id} cannot be undone and ends every sign-in of its users there; add --yes to confirm"
                    ),
                )));
            }
            let c = client::delete(db, &*deps.random, &*deps.clock, &t, &client_id, OPERATOR)
                .await
                .map_err(|e| not_found_client(e, &client_id, &t))?;
            println!(
                "removed {} ({}) from tenant {}",
                c.client_id, c.name, t.slug
            );
        }
        ClientCommand::List { tenant, json } => {
            let t = find_tenant(db, &tenant).await?;
            let clients = db.list_clients(&t.id).await?;
            if json {
                return print_json(&clients);
            }
            for c in &clients {
                println!(
                    "{:<22} {:<24} {} {}",
                    c.client_id,
                    c.name,
                    if c.is_public() {
                        "public"
                    } else {
                        "confidential"
                    },
                    c.redirect_uris.join(" ")
                );
            }
        }
    }
    Ok(())
}

fn read_jwks(path: Option<PathBuf>) -> anyhow::Result<Option<String>> {
    path.map(|path| {
        std::fs::read_to_string(&path).map_err(|e| {
            anyhow!(Error::invalid(
                "jwks_file",
                format!("cannot read {}: {e}", path.display()),
            ))
        })
    })
    .transpose()
}

/// The secret box for an application's keys: the deployment's, else a
/// throwaway one. An RS256 application's key is made when the application
/// asks for it, sealed with the deployment's key, which must exist for that.
fn client_secrets(
    config: &Config,
    deps: &Deps,
    token_alg: Option<&str>,
) -> anyhow::Result<SecretBox> {
    Ok(match deployment_box(config)? {
        Some(secrets) => secrets,
        None if token_alg.map(str::trim) == Some("RS256") => {
            return Err(anyhow!(Error::invalid(
                "security.secret_key",
                "an RS256 application needs the deployment's secret key: start the server once, or set security.secret_key",
            )));
        }
        None => throwaway_box(deps),
    })
}

fn not_found_client(err: Error, client_id: &ClientId, t: &Tenant) -> anyhow::Error {
    invalid_if_not_found(err, "client_id", || {
        format!(
            "no application \"{client_id}\" in tenant {}; `latchkey client list --tenant {}` shows them",
            t.slug, t.slug
        )
    })
}

fn report_client(c: &Client, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(c);
    }
    let kind = if c.jwks.is_some() {
        "confidential (private_key_jwt)"
    } else if c.is_public() {
        "public (PKCE, no secret)"
    } else {
        "confidential (client secret)"
    };
    let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
    println!("client_id:            {}", c.client_id);
    println!("name:                 {}", c.name);
    println!("kind:                 {kind}");
    println!("first party:          {}", c.first_party);
    println!("PKCE required:        {}", c.requires_pkce());
    println!("redirect uris:        {}", c.redirect_uris.join(" "));
    println!("post-logout uris:     {}", c.post_logout_uris.join(" "));
    println!("grant types:          {}", grants.join(" "));
    println!(
        "scopes:               {}",
        latchkey_core::oidc::scope::join(&c.scopes)
    );
    println!("access token minutes: {}", c.access_token_secs / 60);
    println!("refresh token days:   {}", c.refresh_token_secs / 86_400);
    println!("signing alg:          {}", c.token_alg);
    Ok(())
}
