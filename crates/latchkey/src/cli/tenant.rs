//! `latchkey tenant`: create, list, show and change tenants; turn Account
//! Self-Recovery on or off and decide tenant admins' requests for it; its
//! statistics; the move from onboarding v1 to v2; signing everyone out.

use anyhow::anyhow;
use clap::Subcommand;
use latchkey_core::Error;
use latchkey_core::recovery::{activation, stats};
use latchkey_core::store::{RecoveryStore, TenantStore};
use latchkey_core::tenants::{self, Tenant, TenantInput};
use latchkey_store::Db;

use latchkey_core::accounts::everyone::{self, AskedBy};
use latchkey_core::accounts::invitation;
use latchkey_core::effects::audit::RequestMeta;

use super::common::{OPERATOR, cli_db, cli_secrets, find_tenant, hash_pool, print_json};
use crate::config::Config;
use crate::server::Deps;

#[derive(Subcommand, Debug)]
pub(super) enum TenantCommand {
    /// Sign everyone in a tenant out of every browser and application at
    /// once (administrators included); everyone can sign in again.
    SignOut {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a tenant.
    Create {
        /// Address of the tenant: lowercase letters, digits and hyphens, e.g. acme-corp.
        slug: String,
        /// Display name shown to users.
        #[arg(long)]
        name: String,
        /// Onboarding version: v1 (legacy) or v2 [default: v2].
        #[arg(long)]
        onboarding: Option<String>,
        /// Second-factor policy: off, optional or required [default: optional].
        #[arg(long)]
        second_factor: Option<String>,
        /// Language of mail to users who chose none: en, de, fr or it [default: en].
        #[arg(long)]
        language: Option<String>,
        /// Let users sign in with a passkey alone, without their password.
        #[arg(long)]
        passwordless: bool,
        #[arg(long)]
        json: bool,
    },
    /// List tenants.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one tenant.
    Show {
        slug: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a tenant's settings.
    Set {
        slug: String,
        /// The organisation's name as people see it.
        #[arg(long)]
        display_name: Option<String>,
        /// The language of mail to people who chose none: en, de, fr or it.
        #[arg(long)]
        default_language: Option<String>,
        /// The organisation's time zone, an IANA name such as Europe/Zurich
        /// ("" for UTC): mails show times on its clock, and pages do when
        /// the browser reports no zone.
        #[arg(long)]
        time_zone: Option<String>,
        /// How people sign in: password, password_or_passkey or passkey
        /// (passkeys only, no passwords).
        #[arg(long)]
        signin_methods: Option<String>,
        /// Second-factor policy: off, optional or required.
        #[arg(long)]
        second_factor: Option<String>,
        /// Sign-in with a passkey alone: on or off.
        #[arg(long)]
        passwordless: Option<String>,
        /// Self-recovery's waiting period on an unknown device, in hours (0–720).
        #[arg(long)]
        recovery_wait_hours: Option<String>,
        /// How long a device stays known after a sign-in, in days (0–365).
        #[arg(long)]
        known_device_days: Option<String>,
        /// What users who cannot recover themselves should do ("" clears it).
        #[arg(long)]
        helpdesk_text: Option<String>,
        /// Where they get help, an https:// address ("" clears it).
        #[arg(long)]
        helpdesk_url: Option<String>,
        /// Whether tenant admins may recover themselves: on or off [default: off].
        #[arg(long)]
        admins_may_recover: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Turn Account Self-Recovery on or off for a tenant (operator only).
    ///
    /// `requests` lists what tenant admins asked for; `approve SLUG` activates
    /// it for that tenant, `decline SLUG --reason TEXT` says no.
    Recovery {
        #[arg(value_parser = ["enable", "disable", "requests", "approve", "decline"])]
        action: String,
        /// The tenant (not for `requests`).
        slug: Option<String>,
        /// Why a request is declined (required) or approved (optional).
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Self-recovery statistics of a tenant.
    Stats {
        slug: String,
        #[arg(long)]
        json: bool,
    },
    /// Invite a tenant's administrator by email: a single-use link, valid
    /// for 7 days, mailed in the tenant's language.
    InviteAdmin {
        slug: String,
        /// The address to invite, e.g. it@acme.example.
        #[arg(long)]
        email: String,
        /// Also print the link (for deployments that send no mail); anyone
        /// who sees it can become the administrator.
        #[arg(long)]
        print_link: bool,
        #[arg(long)]
        json: bool,
    },
    /// Move a tenant from the legacy onboarding (v1) to v2.
    UpgradeOnboarding {
        slug: String,
        #[arg(long)]
        json: bool,
    },
}

pub(super) async fn run(
    config: &Config,
    db: &Db,
    deps: &Deps,
    cmd: TenantCommand,
) -> anyhow::Result<()> {
    // Mail this group queues (invitations, decisions, cancelled cases) is
    // sealed with the deployment's key, as the server seals it.
    let db = &cli_db(config, db)?;
    match cmd {
        TenantCommand::Create {
            slug,
            name,
            onboarding,
            second_factor,
            language,
            passwordless,
            json,
        } => {
            let input = TenantInput {
                slug,
                display_name: name,
                onboarding,
                second_factor,
                default_language: language,
                passwordless,
            };
            let meta = RequestMeta::default();
            let t =
                tenants::create_audited(db, &*deps.clock, &*deps.random, &input, OPERATOR, &meta)
                    .await?;
            if json {
                print_json(&t)?;
            } else {
                println!("created tenant {}", tenant_line(&t));
            }
        }
        TenantCommand::SignOut { tenant, json } => {
            let t = find_tenant(db, &tenant).await?;
            let (count, _) = everyone::sign_out_everyone(
                db,
                &*deps.random,
                &*deps.clock,
                &t,
                AskedBy::Operator(OPERATOR),
                &RequestMeta::default(),
            )
            .await?;
            if json {
                return print_json(&serde_json::json!({
                    "people": count.people,
                    "sessions": count.sessions,
                }));
            }
            println!(
                "signed everyone in tenant {} out: {} people, {} sessions ended; every application's tokens stopped working",
                t.slug, count.people, count.sessions
            );
        }
        TenantCommand::List { json } => {
            let tenants = db.list_tenants().await?;
            if json {
                print_json(&tenants)?;
            } else if tenants.is_empty() {
                println!(
                    "no tenants yet; create one with `latchkey tenant create SLUG --name NAME`"
                );
            } else {
                for t in &tenants {
                    println!("{}", tenant_line(t));
                }
            }
        }
        TenantCommand::Show { slug, json } => {
            let t = find_tenant(db, &slug).await?;
            if json {
                print_json(&t)?;
            } else {
                println!("slug:          {}", t.slug);
                println!("name:          {}", t.display_name);
                println!("id:            {}", t.id);
                println!("onboarding:    {}", t.onboarding);
                println!("second factor: {}", t.second_factor);
                println!("time zone:     {}", t.time_zone.name());
                println!("passwordless:  {}", on_off(t.passwordless));
                println!("self-recovery: {}", on_off(t.self_recovery));
                println!(
                    "recovery wait: {} h on unknown devices; devices known for {} days",
                    t.recovery_waiting_secs / 3600,
                    t.recovery_known_device_secs / 86400
                );
                println!(
                    "helpdesk:      {}{}",
                    t.helpdesk_text.as_deref().unwrap_or("(no text)"),
                    t.helpdesk_url
                        .as_deref()
                        .map(|u| format!(" <{u}>"))
                        .unwrap_or_default()
                );
            }
        }
        TenantCommand::Set {
            slug,
            display_name,
            default_language,
            time_zone,
            signin_methods,
            second_factor,
            passwordless,
            recovery_wait_hours,
            known_device_days,
            helpdesk_text,
            helpdesk_url,
            admins_may_recover,
            json,
        } => {
            let t = find_tenant(db, &slug).await?;
            let input = tenants::SettingsInput {
                second_factor,
                passwordless,
                recovery_wait_hours,
                known_device_days,
                helpdesk_text,
                helpdesk_url,
                admins_may_recover,
                display_name,
                default_language,
                time_zone,
                signin_methods,
            };
            let t = tenants::update_settings(db, &*deps.random, &*deps.clock, &t, &input, OPERATOR)
                .await?;
            report_tenant(&t, json, "updated")?;
        }
        TenantCommand::Recovery {
            action,
            slug,
            reason,
            json,
        } => {
            if action == "requests" {
                let requests = db.pending_activation_requests().await?;
                if json {
                    return print_json(&requests);
                }
                let tenants = db.list_tenants().await?;
                if requests.is_empty() {
                    println!("no pending requests");
                }
                for r in &requests {
                    let tenant = tenants.iter().find(|t| t.id == r.tenant_id);
                    let slug = tenant.map_or("?", |t| t.slug.as_str());
                    // a legacy tenant's request waits for its upgrade
                    let waits = tenant.is_some_and(|t| {
                        latchkey_core::recovery::activation::waits_for_upgrade(t, Some(r))
                    });
                    println!(
                        "{slug:<24} requested by {} — {}{}",
                        r.requested_by,
                        r.note.as_deref().unwrap_or("(no note)"),
                        if waits {
                            " (waits for the upgrade to onboarding v2)"
                        } else {
                            ""
                        }
                    );
                }
                return Ok(());
            }
            let Some(slug) = slug else {
                return Err(anyhow!(Error::invalid(
                    "tenant",
                    format!("`latchkey tenant recovery {action}` needs the tenant's slug"),
                )));
            };
            let t = find_tenant(db, &slug).await?;
            match action.as_str() {
                "enable" => {
                    let t =
                        activation::enable(db, &*deps.random, &*deps.clock, &t, OPERATOR).await?;
                    report_tenant(&t, json, "self-recovery enabled for")?;
                }
                "disable" => {
                    let (t, cancelled) =
                        activation::disable(db, &*deps.random, &*deps.clock, &t, OPERATOR).await?;
                    if !json {
                        println!(
                            "cancelled {cancelled} open recovery case(s); their users are told by mail"
                        );
                    }
                    report_tenant(&t, json, "self-recovery disabled for")?;
                }
                decision => {
                    let approve = decision == "approve";
                    let reason = reason.unwrap_or_default();
                    if !approve && reason.trim().is_empty() {
                        return Err(anyhow!(Error::invalid(
                            "reason",
                            "say why with --reason, e.g. --reason \"set up the helpdesk text first\"",
                        )));
                    }
                    let r = activation::decide_request(
                        db,
                        &*deps.random,
                        &*deps.clock,
                        &t,
                        approve,
                        &reason,
                        OPERATOR,
                    )
                    .await?;
                    if json {
                        print_json(&r)?;
                    } else {
                        println!("request of tenant {} {}", t.slug, r.status);
                    }
                }
            }
        }
        TenantCommand::Stats { slug, json } => {
            let t = find_tenant(db, &slug).await?;
            let stats = stats::stats(db, &t, deps.clock.now()).await?;
            if json {
                print_json(&stats)?;
            } else {
                println!("self-recovery cases of {}:", t.slug);
                println!(
                    "  started {}, open {}, completed {}, cancelled {}, expired {}, locked {}",
                    stats.started,
                    stats.open,
                    stats.completed,
                    stats.cancelled,
                    stats.expired,
                    stats.locked
                );
                match stats.median_secs_to_complete {
                    Some(secs) => println!("  median time to complete: {} min", (secs + 59) / 60),
                    None => println!("  median time to complete: (none completed yet)"),
                }
                println!(
                    "  second-factor resets: {} by the users themselves, {} by the helpdesk",
                    stats.self_recoveries, stats.helpdesk_resets
                );
            }
        }
        TenantCommand::InviteAdmin {
            slug,
            email,
            print_link,
            json,
        } => {
            let t = find_tenant(db, &slug).await?;
            let secrets = cli_secrets(config, deps)?;
            let pool = hash_pool(deps)?;
            let env = deps.env(db, &pool, &secrets);
            let invited =
                invitation::invite(&env, &t, &email, OPERATOR, &RequestMeta::default()).await?;
            let i = &invited.invitation;
            let link = print_link.then(|| {
                format!(
                    "{}{}",
                    config.public_url().trim_end_matches('/'),
                    latchkey_web::mail_page(&invited.page(&t))
                )
            });
            if json {
                let mut value = serde_json::to_value(i)?;
                value["mail"] = "queued".into();
                if let Some(link) = &link {
                    value["link"] = link.as_str().into();
                }
                return print_json(&value);
            }
            println!(
                "invitation for {} to administer {} queued for mail; the link works once, until {} (7 days)",
                i.email,
                t.slug,
                latchkey_core::accounts::audit_export::rfc3339(i.expires_at)
            );
            if let Some(link) = link {
                println!(
                    "link: {link}\n(anyone with this link can become the administrator; hand it over privately)"
                );
            }
        }
        TenantCommand::UpgradeOnboarding { slug, json } => {
            let t = find_tenant(db, &slug).await?;
            let t = activation::upgrade_onboarding(db, &*deps.random, &*deps.clock, &t, OPERATOR)
                .await?;
            report_tenant(&t, json, "upgraded")?;
        }
    }
    Ok(())
}

fn on_off(value: bool) -> &'static str {
    if value { "on" } else { "off" }
}

fn tenant_line(t: &Tenant) -> String {
    format!(
        "{:<24} {:<32} onboarding={} second_factor={} passwordless={} self_recovery={}",
        t.slug,
        t.display_name,
        t.onboarding,
        t.second_factor,
        on_off(t.passwordless),
        on_off(t.self_recovery)
    )
}

fn report_tenant(t: &Tenant, json: bool, what: &str) -> anyhow::Result<()> {
    if json {
        print_json(t)
    } else {
        println!("{what} tenant {}", tenant_line(t));
        Ok(())
    }
}
