//! `latchkey mail`: read the mail written to `data_dir/mail` when no SMTP
//! server is configured.

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use latchkey_core::Error;
use latchkey_mail::eml;

use super::common::print_json;
use crate::config::Config;

#[derive(Subcommand, Debug)]
pub(super) enum MailCommand {
    /// List written mail, oldest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print one mail's headers and text (default: the newest).
    Show {
        /// A file name from `mail list` (with or without .eml).
        name: Option<String>,
    },
}

pub(super) fn run(config: &Config, cmd: MailCommand) -> anyhow::Result<()> {
    let files = mail_files(config)?;
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    match cmd {
        MailCommand::List { json } => {
            let mut rows = vec![];
            for path in &files {
                let raw = read(path)?;
                let name = path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                rows.push(serde_json::json!({
                    "name": name,
                    "date": header(&raw, "Date"),
                    "to": header(&raw, "To"),
                    "subject": header(&raw, "Subject"),
                }));
            }
            if json {
                print_json(&rows)?;
            } else if rows.is_empty() {
                println!("no mail in {}", mail_dir(config).display());
            } else {
                for r in &rows {
                    println!(
                        "{}  {}  {}",
                        r["name"].as_str().unwrap_or(""),
                        r["to"].as_str().unwrap_or(""),
                        r["subject"].as_str().unwrap_or("")
                    );
                }
            }
        }
        MailCommand::Show { name } => {
            let path = match name {
                None => files.last().cloned().ok_or_else(|| {
                    anyhow!(Error::invalid(
                        "mail",
                        format!("there is no mail in {}", mail_dir(config).display())
                    ))
                })?,
                Some(n) => {
                    let stem = n.trim_end_matches(".eml");
                    files
                        .iter()
                        .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == stem))
                        .cloned()
                        .ok_or_else(|| {
                            anyhow!(Error::invalid(
                                "mail",
                                format!(
                                    "no mail named \"{n}\"; `latchkey mail list` shows the names"
                                )
                            ))
                        })?
                }
            };
            let raw = read(&path)?;
            for h in ["Date", "From", "To", "Subject"] {
                println!("{h}: {}", header(&raw, h));
            }
            println!();
            println!("{}", eml::text_body(&raw).unwrap_or_else(|| raw.clone()));
        }
    }
    Ok(())
}

fn mail_dir(config: &Config) -> PathBuf {
    config.data_dir.join("mail")
}

/// The `.eml` files in `data_dir/mail`, oldest first (names start with the time).
fn mail_files(config: &Config) -> anyhow::Result<Vec<PathBuf>> {
    let dir = mail_dir(config);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(err) => return Err(anyhow!("cannot read {}: {err}", dir.display())),
    };
    files.sort();
    Ok(files)
}

/// A header of a written mail, its encoded words decoded ("" when absent).
fn header(raw: &str, name: &str) -> String {
    eml::header(raw, name)
        .map(|v| eml::decode_words(&v))
        .unwrap_or_default()
}
