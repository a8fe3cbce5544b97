//! `latchkey serve` runs the server; `latchkey demo` runs it with a demo
//! tenant with self-recovery on, a user and an administrator, made on the
//! first run.

use clap::Args;
use latchkey_core::Error;
use latchkey_core::accounts::user::{self, UserInput};
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::platform::random::bytes;
use latchkey_core::recovery::activation;
use latchkey_core::tenants::{self, TenantInput};
use latchkey_store::Db;

use super::common::{OPERATOR, cli_secrets, hash_pool};
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
    let tenant = ensure_demo_tenant(&db, &deps).await?;
    let user_password = ensure_demo_user(&config, &db, &deps, &tenant, &DEMO_USER).await?;
    let admin_password = ensure_demo_user(&config, &db, &deps, &tenant, &DEMO_ADMIN).await?;
    let running = server::start(&config, db, deps).await?;
    let base = format!("{}/t/{}", running.url, tenant.slug);
    let data = config.data_dir.display();
    let recovery = if tenant.self_recovery { "on" } else { "off" };
    println!(
        "latchkey demo is running: {}, self-recovery {recovery}.",
        tenant.display_name
    );
    println!();
    println!("  Sign in at:     {base}/signin");
    for (who, password) in [(&DEMO_USER, &user_password), (&DEMO_ADMIN, &admin_password)] {
        println!("  {:<15} {}", format!("{}:", who.role_label), who.username);
        match password {
            Some(p) => println!("  {:<15} {p}", format!("{} password:", who.short)),
            None => println!(
                "  {:<15} shown when it was created (delete {data} to start over)",
                format!("{} password:", who.short)
            ),
        }
    }
    if user_password.is_some() || admin_password.is_some() {
        println!("  (New passwords are shown only this once.)");
    }
    println!();
    println!("  Account page:   {base}/account");
    println!(
        "  Admin console:  {base}/admin   (sign in as {})",
        DEMO_ADMIN.username
    );
    println!("  Mail sent:      {data}/mail   (read it: latchkey mail list --data-dir {data})");
    println!();
    println!(
        "  Try self-recovery: sign in as {0}, set up an authenticator app on the",
        DEMO_USER.username
    );
    println!("  account page, sign out, sign in again and choose \"I lost my second factor\"");
    println!("  at the second step. The code arrives in the mail folder; on this browser");
    println!("  (a known device) there is no waiting period.");
    println!();
    println!("  Logs below show warnings only (LATCHKEY_LOG_LEVEL=info shows every request).");
    println!("Press Ctrl-C to stop.");
    running.until_signal().await
}

/// A person the demo creates on its first run.
struct DemoPerson {
    username: &'static str,
    display_name: &'static str,
    email: &'static str,
    role: &'static str,
    /// How the demo's output names them.
    role_label: &'static str,
    short: &'static str,
}

const DEMO_USER: DemoPerson = DemoPerson {
    username: "demo",
    display_name: "Demo User",
    email: "demo@example.com",
    role: "member",
    role_label: "Demo user",
    short: "User",
};

const DEMO_ADMIN: DemoPerson = DemoPerson {
    username: "admin",
    display_name: "Demo Administrator",
    email: "admin@example.com",
    role: "admin",
    role_label: "Administrator",
    short: "Admin",
};

/// The demo tenant, created on the first run with self-recovery on (the
/// headline feature shows from the first click).
async fn ensure_demo_tenant(db: &Db, deps: &Deps) -> anyhow::Result<tenants::Tenant> {
    match tenants::by_slug(db, "demo").await {
        Ok(t) => Ok(t),
        Err(Error::NotFound(_)) => {
            let input = TenantInput {
                slug: "demo".into(),
                display_name: "Demo Organisation".into(),
                onboarding: Some("v2".into()),
                second_factor: Some("optional".into()),
                default_language: None,
                passwordless: true,
            };
            let tenant = tenants::create(db, &*deps.clock, &*deps.random, &input).await?;
            Ok(activation::enable(db, &*deps.random, &*deps.clock, &tenant, OPERATOR).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// Creates a demo person when missing; returns the new password.
async fn ensure_demo_user(
    config: &Config,
    db: &Db,
    deps: &Deps,
    tenant: &tenants::Tenant,
    person: &DemoPerson,
) -> anyhow::Result<Option<String>> {
    match user::by_login(db, tenant, person.username).await {
        Ok(_) => Ok(None),
        Err(Error::NotFound(_)) => {
            let password = demo_password(&bytes::<12>(&*deps.random));
            let pool = hash_pool(deps)?;
            let input = UserInput {
                username: person.username.into(),
                email: person.email.into(),
                display_name: Some(person.display_name.into()),
                password: Some(password.clone()),
                email_verified: true,
                language: None,
                role: Some(person.role.into()),
            };
            let secrets = cli_secrets(config, deps)?;
            let env = deps.env(db, &pool, &secrets);
            user::create(
                &env,
                tenant,
                input,
                OPERATOR.clone(),
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
