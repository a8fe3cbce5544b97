//! `latchkey user`: create, invite, list, show and disable the users of a
//! tenant, set their role, sign them out, mail them a password reset link,
//! and the helpdesk reset of their second factors.

use clap::Subcommand;
use latchkey_core::accounts::invitation::{self, PersonInput};
use latchkey_core::accounts::user::{self, User, UserInput, UserStatus};
use latchkey_core::effects::audit::RequestMeta;
use latchkey_core::recovery::{journey, password_reset};
use latchkey_core::store::UserStore;
use latchkey_core::tenants::Tenant;
use latchkey_store::Db;

use super::common::{
    OPERATOR, cli_db, cli_secrets, find_tenant, hash_pool, invalid_if_not_found, print_json,
    read_password_line,
};
use crate::config::Config;
use crate::server::Deps;

#[derive(Subcommand, Debug)]
pub(super) enum UserCommand {
    /// Create a user.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// Display name [default: the username].
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Mark the email address as already verified (otherwise a verification link is mailed).
        #[arg(long)]
        email_verified: bool,
        /// Language of mail to this user: en, de, fr or it [default: the tenant's].
        #[arg(long)]
        language: Option<String>,
        /// member or admin (a tenant administrator) [default: member].
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Create a user without a password and mail them a link to choose it
    /// (single-use, 7 days, in the tenant's language).
    Invite {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// Display name [default: the username].
        #[arg(long)]
        name: Option<String>,
        /// Make them a tenant administrator [default: member].
        #[arg(long)]
        admin: bool,
        #[arg(long)]
        json: bool,
    },
    /// List the users of a tenant.
    List {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        json: bool,
    },
    /// Show one user, by username or email.
    Show {
        #[arg(long)]
        tenant: String,
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Disable a user: they can no longer sign in and their sessions end.
    Disable {
        #[arg(long)]
        tenant: String,
        login: String,
    },
    /// Sign a user out of every browser and application; they may sign in
    /// again (to keep them out, disable them).
    SignOut {
        #[arg(long)]
        tenant: String,
        login: String,
    },
    /// Mail a user the single-use link to choose a new password (as "forgot
    /// password" does; 30 minutes). Nobody else sees the password; their
    /// sessions and second factors stay until they use it. One a minute.
    SendReset {
        #[arg(long)]
        tenant: String,
        login: String,
    },
    /// Make a user a tenant administrator (admin) or not (member).
    SetRole {
        #[arg(long)]
        tenant: String,
        login: String,
        #[arg(value_parser = ["member", "admin"])]
        role: String,
    },
    /// Helpdesk reset: remove every second factor of a user (they set up new
    /// ones at their next sign-in); their sessions end and they are told.
    ResetFactors {
        #[arg(long)]
        tenant: String,
        login: String,
        /// Why (kept in the audit trail), e.g. "phone stolen, identity checked in person".
        #[arg(long)]
        reason: String,
    },
}

pub(super) async fn run(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: UserCommand,
) -> anyhow::Result<()> {
    let pool = hash_pool(deps)?;
    match cmd {
        UserCommand::Create {
            tenant,
            username,
            email,
            name,
            password_stdin,
            email_verified,
            language,
            role,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let password = if password_stdin {
                Some(read_password_line()?)
            } else {
                None
            };
            let input = UserInput {
                username,
                email,
                display_name: name,
                password,
                email_verified,
                language,
                role,
            };
            let secrets = cli_secrets(config, deps)?;
            let db = cli_db(config, db)?;
            let env = deps.env(&db, &pool, &secrets);
            let u =
                user::create(&env, &t, input, OPERATOR.clone(), &RequestMeta::default()).await?;
            if json {
                print_json(&u)?;
            } else {
                println!("created user {}", user_line(&u));
            }
        }
        UserCommand::Invite {
            tenant,
            username,
            email,
            name,
            admin,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let input = PersonInput {
                username,
                email,
                display_name: name,
                role: admin.then(|| "admin".to_owned()),
            };
            let secrets = cli_secrets(config, deps)?;
            let db = cli_db(config, db)?;
            let env = deps.env(&db, &pool, &secrets);
            let (u, invited) =
                invitation::invite_person(&env, &t, input, OPERATOR, &RequestMeta::default())
                    .await?;
            if json {
                let mut value = serde_json::to_value(&u)?;
                value["invitation"] = serde_json::to_value(&invited.invitation)?;
                return print_json(&value);
            }
            println!(
                "created user {}; invitation queued for mail, the link works once, until {} (7 days)",
                user_line(&u),
                latchkey_core::accounts::audit_export::rfc3339(invited.invitation.expires_at)
            );
        }
        UserCommand::List { tenant, json } => {
            let t = find_tenant(db, &tenant).await?;
            let users = db.list_users(&t.id).await?;
            if json {
                print_json(&users)?;
            } else if users.is_empty() {
                println!("tenant \"{}\" has no users yet", t.slug);
            } else {
                for u in &users {
                    println!("{}", user_line(u));
                }
            }
        }
        UserCommand::Show {
            tenant,
            login,
            json,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let u = find_user(db, &t, &login).await?;
            if json {
                print_json(&u)?;
            } else {
                println!("username:       {}", u.username);
                println!("display name:   {}", u.display_name);
                println!("email:          {}", u.email);
                println!("email verified: {}", u.email_verified);
                println!("status:         {}", u.status);
                println!("has password:   {}", u.password_hash.is_some());
                println!("id:             {}", u.id);
            }
        }
        UserCommand::SignOut { tenant, login } => {
            let t = find_tenant(db, &tenant).await?;
            let u = find_user(db, &t, &login).await?;
            user::sign_out(
                db,
                &*deps.random,
                &*deps.clock,
                &t,
                &u,
                OPERATOR,
                &RequestMeta::default(),
            )
            .await?;
            println!(
                "signed {} out of every browser and application in tenant {}",
                u.username, t.slug
            );
        }
        UserCommand::SendReset { tenant, login } => {
            let t = find_tenant(db, &tenant).await?;
            let u = find_user(db, &t, &login).await?;
            let secrets = cli_secrets(config, deps)?;
            let db = cli_db(config, db)?;
            let env = deps.env(&db, &pool, &secrets);
            let until =
                password_reset::send_for(&env, &t, &u, OPERATOR, &RequestMeta::default()).await?;
            println!(
                "password reset link for {} queued for mail to their verified address; it works once, until {}",
                u.username,
                latchkey_core::accounts::audit_export::rfc3339(until)
            );
        }
        UserCommand::Disable { tenant, login } => {
            let t = find_tenant(db, &tenant).await?;
            let u = find_user(db, &t, &login).await?;
            user::set_status(
                db,
                &*deps.random,
                &*deps.clock,
                &t,
                &u,
                UserStatus::Disabled,
                OPERATOR,
            )
            .await?;
            println!(
                "disabled user {} of tenant {}; their sessions have ended",
                u.username, t.slug
            );
        }
        UserCommand::SetRole {
            tenant,
            login,
            role,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let u = find_user(db, &t, &login).await?;
            let role =
                user::set_role(db, &*deps.random, &*deps.clock, &t, &u, &role, OPERATOR).await?;
            println!("{} of tenant {} is now {role}", u.username, t.slug);
        }
        UserCommand::ResetFactors {
            tenant,
            login,
            reason,
        } => {
            let t = find_tenant(db, &tenant).await?;
            let u = find_user(db, &t, &login).await?;
            let secrets = cli_secrets(config, deps)?;
            let db = cli_db(config, db)?;
            let env = deps.env(&db, &pool, &secrets);
            journey::helpdesk_reset(&env, &t, &u, OPERATOR, &reason, &RequestMeta::default())
                .await?;
            println!(
                "removed every second factor of {} in tenant {}; their sessions have ended and they were told by mail",
                u.username, t.slug
            );
        }
    }
    Ok(())
}

fn user_line(u: &User) -> String {
    format!(
        "{:<24} {:<32} {:<8} email_verified={}",
        u.username, u.email, u.status, u.email_verified
    )
}

async fn find_user(db: &Db, tenant: &Tenant, login: &str) -> anyhow::Result<User> {
    user::by_login(db, tenant, login).await.map_err(|err| {
        invalid_if_not_found(err, "user", || {
            format!("tenant \"{}\" has no user \"{login}\"", tenant.slug)
        })
    })
}
