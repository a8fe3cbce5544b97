//! `latchkey serve` runs the server; `latchkey demo` runs it with a demo
//! tenant and user, made on the first run.

use clap::Args;
use latchkey_core::Error;
use latchkey_core::accounts::user::{self, UserInput};
use latchkey_core::effects::audit::Actor;
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::platform::random::bytes;
use latchkey_core::tenants::{self, TenantInput};
use latchkey_store::Db;

use super::common::{cli_secrets, hash_pool};
use crate::config::Config;
use crate::server::{self, Deps};

#[derive(Args, Debug)]
pub(super) struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub(super) listen: Option<String>,
    /// Do not apply migrations at start; refuse to start if any are pending.
    #[arg(long)]
    no_migrate: bool,
}

#[derive(Args, Debug)]
pub(super) struct DemoArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub(super) listen: Option<String>,
}

pub(super) async fn serve(config: &Config, deps: Deps, args: ServeArgs) -> anyhow::Result<()> {
    let db = server::open_database(
        config,
        &*deps.clock,
        config.auto_migrate && !args.no_migrate,
    )
    .await?;
    let running = server::start(config, db, deps).await?;
    println!("latchkey is listening on {}", running.url);
    running.until_signal().await
}

pub(super) async fn demo(mut config: Config, deps: Deps) -> anyhow::Result<()> {
    config.secure_cookies = config.secure_cookies.or(Some(false));
    let db = server::open_database(&config, &*deps.clock, true).await?;
    let credentials = ensure_demo(&config, &db, &deps).await?;
    let running = server::start(&config, db, deps).await?;
    println!("latchkey demo is running.");
    println!("  Sign in at: {}/t/demo/signin", running.url);
    match credentials {
        Some(password) => {
            println!("  Username:   demo");
            println!("  Password:   {password}");
            println!("  (The password is shown only this once.)");
        }
        None => println!(
            "  The demo user exists already; its password was shown when it was created. \
             Delete {} to start over.",
            config.data_dir.display()
        ),
    }
    println!("Press Ctrl-C to stop.");
    running.until_signal().await
}

/// Creates the demo tenant and user when missing; returns the new password.
async fn ensure_demo(config: &Config, db: &Db, deps: &Deps) -> anyhow::Result<Option<String>> {
    let tenant = match tenants::by_slug(db, "demo").await {
        Ok(t) => t,
        Err(Error::NotFound(_)) => {
            let input = TenantInput {
                slug: "demo".into(),
                display_name: "Demo Organisation".into(),
                onboarding: Some("v2".into()),
                second_factor: Some("optional".into()),
                default_language: None,
                passwordless: true,
            };
            tenants::create(db, &*deps.clock, &*deps.random, &input).await?
        }
        Err(other) => return Err(other.into()),
    };
    match user::by_login(db, &tenant, "demo").await {
        Ok(_) => Ok(None),
        Err(Error::NotFound(_)) => {
            let password = demo_password(&bytes::<12>(&*deps.random));
            let pool = hash_pool(deps)?;
            let input = UserInput {
                username: "demo".into(),
                email: "demo@example.com".into(),
                display_name: Some("Demo User".into()),
                password: Some(password.clone()),
                email_verified: true,
                language: None,
                role: None,
            };
            let secrets = cli_secrets(config, deps)?;
            let env = deps.env(db, &pool, &secrets);
            user::create(
                &env,
                &tenant,
                input,
                Actor::Operator,
                &RequestMeta::default(),
            )
            .await?;
            Ok(Some(password))
        }
        Err(other) => Err(other.into()),
    }
}

/// 12 random bytes as four groups of unambiguous letters and digits.
fn demo_password(random: &[u8; 12]) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let chars: Vec<char> = random
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}
