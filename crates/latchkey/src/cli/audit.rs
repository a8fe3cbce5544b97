//! `latchkey audit`: read a tenant's audit log — a page at a time (`list`)
//! or the whole filtered view as CSV or JSON lines (`export`) — with the
//! filters of the console and the API. Every argument is checked by core's
//! `accounts::audit_log`, which says what is wrong and how to fix it.

use std::io::Write;

use anyhow::Context;
use clap::{Args, Subcommand};
use latchkey_core::Error;
use latchkey_core::accounts::audit_export::{self, ExportFormat};
use latchkey_core::accounts::audit_log::{self, AuditEntry, AuditQueryInput};
use latchkey_store::Db;

use super::common::{find_tenant, print_json};

/// The filter every audit command takes.
#[derive(Args, Debug)]
pub(super) struct Filter {
    /// The tenant's slug.
    #[arg(long)]
    tenant: String,
    /// A person (user id, username or email address): events about them and done by them.
    #[arg(long)]
    person: Option<String>,
    /// One kind of event, e.g. signin.failed.password or factors.reset (docs/admin.md lists them).
    #[arg(long)]
    event: Option<String>,
    /// The first day, YYYY-MM-DD (UTC).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// The last day, YYYY-MM-DD (UTC, included).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
}

impl Filter {
    fn input(&self, cursor: Option<String>, limit: Option<String>) -> AuditQueryInput {
        AuditQueryInput {
            person: self.person.clone().unwrap_or_default(),
            event: self.event.clone().unwrap_or_default(),
            from: self.from.clone().unwrap_or_default(),
            to: self.to.clone().unwrap_or_default(),
            cursor: cursor.unwrap_or_default(),
            limit: limit.unwrap_or_default(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub(super) enum AuditCommand {
    /// One page of events, newest first; the next page with the --cursor it prints.
    List {
        #[command(flatten)]
        filter: Filter,
        /// Where the previous page ended (printed after it).
        #[arg(long)]
        cursor: Option<String>,
        /// Events per page, 1 to 200 [default: 50].
        #[arg(long)]
        limit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every event of the filter (at most 50,000) to standard output, as CSV or JSON lines.
    Export {
        #[command(flatten)]
        filter: Filter,
        /// csv (for spreadsheets; formula cells defused) or jsonl (one JSON object per line).
        #[arg(long)]
        format: String,
    },
}

pub(super) async fn run(db: &Db, cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::List {
            filter,
            cursor,
            limit,
            json,
        } => {
            let tenant = find_tenant(db, &filter.tenant).await?;
            let page = audit_log::read_page(db, &tenant, &filter.input(cursor, limit)).await?;
            if json {
                print_json(&serde_json::json!({
                    "events": page.entries.iter().map(audit_export::json).collect::<Vec<_>>(),
                    "next_cursor": page.next,
                }))?;
                return Ok(());
            }
            if page.entries.is_empty() {
                println!("no event matches this filter");
            }
            for entry in &page.entries {
                println!("{}", line(entry));
            }
            if let Some(next) = page.next {
                println!("older events: add --cursor {next}");
            }
        }
        AuditCommand::Export { filter, format } => {
            let format = ExportFormat::parse(&format).map_err(|e| Error::Invalid(vec![e]))?;
            let tenant = find_tenant(db, &filter.tenant).await?;
            let entries = audit_log::read_export(db, &tenant, &filter.input(None, None)).await?;
            let mut out = std::io::stdout().lock();
            out.write_all(format.write(&entries).as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write the export to standard output")?;
        }
    }
    Ok(())
}

/// An event on one line: time, event, who acted, about whom, from where.
fn line(entry: &AuditEntry) -> String {
    let e = &entry.event;
    let named = |who: String, name: &Option<String>| match name {
        Some(n) => format!("{who} ({n})"),
        None => who,
    };
    let mut out = format!(
        "{}  {}  by {}",
        audit_export::rfc3339(e.at),
        e.event,
        named(e.actor.to_string(), &entry.actor_name)
    );
    if let Some(user) = &e.user_id {
        out.push_str(&format!(
            "  about {}",
            named(user.to_string(), &entry.person)
        ));
    }
    if let Some(ip) = &e.ip {
        out.push_str(&format!("  from {ip}"));
    }
    if e.detail.trim() != "{}" {
        out.push_str(&format!("  {}", e.detail));
    }
    out
}
