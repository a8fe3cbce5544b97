//! Where mail goes: an SMTP server (lettre; STARTTLS, implicit TLS or plain,
//! authentication optional), or, when no server is configured, `.eml` files in
//! a directory for development.

use latchkey_core::platform::ids::MailId;
use latchkey_core::platform::time::DAY;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::render::Rendered;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); refuses a server
    /// that does not offer it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption; for a relay on localhost or in tests.
    None,
}

impl Security {
    pub fn parse(value: &str) -> Option<Security> {
        match value {
            "starttls" => Some(Security::StartTls),
            "tls" => Some(Security::Tls),
            "none" => Some(Security::None),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// Parses a sender such as `latchkey <no-reply@example.com>`.
pub fn parse_mailbox(value: &str) -> Result<Mailbox, String> {
    value.parse::<Mailbox>().map_err(|e| {
        format!("\"{value}\" is not a mail address ({e}); use e.g. \"Example ID <id@example.com>\"")
    })
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// The server refused for good (5xx) or the message cannot be built;
    /// trying again would not help.
    pub permanent: bool,
}

impl SendError {
    fn permanent(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            permanent: true,
        }
    }
}

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

impl Transport {
    pub fn smtp(settings: &SmtpSettings) -> Result<Transport, String> {
        let builder = match settings.security {
            Security::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
            }
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host),
            Security::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &settings.host,
            )),
        }
        .map_err(|e| format!("SMTP server {}: {e}", settings.host))?;
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Transport::Smtp(builder.build()))
    }

    /// Builds the MIME message (text and HTML alternatives).
    pub fn message(
        from: &Mailbox,
        to: &str,
        id: &MailId,
        rendered: &Rendered,
    ) -> Result<Message, SendError> {
        // The bare address, parsed as core's `user::Email` parsed it when
        // the user was made, so an address taken there is one sent to here.
        let to = to
            .parse::<lettre::Address>()
            .map(|address| Mailbox::new(None, address))
            .map_err(|e| {
                SendError::permanent(format!("recipient {to:?} is not a valid address: {e}"))
            })?;
        let domain = from.email.domain().to_owned();
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(rendered.subject.clone())
            .message_id(Some(format!("<{id}@{domain}>")))
            .multipart(MultiPart::alternative_plain_html(
                rendered.text.clone(),
                rendered.html.clone(),
            ))
            .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
    }

    /// Delivers one message; for files, returns the path written.
    pub async fn send(
        &self,
        message: Message,
        file_stem: &str,
    ) -> Result<Option<PathBuf>, SendError> {
        match self {
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => Ok(None),
                Err(err) => Err(SendError {
                    permanent: err.is_permanent(),
                    message: err.to_string(),
                }),
            },
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| SendError {
                        permanent: false,
                        message: format!("{}: {e}", dir.display()),
                    })?;
                let path = dir.join(format!("{file_stem}.eml"));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| SendError {
                        permanent: false,
                        message: format!("{}: {e}", path.display()),
                    })?;
                Ok(Some(path))
            }
        }
    }
}

/// How long the development sink keeps `.eml` files: they hold links with
/// tokens, which the outbox itself forgets once a message is sent.
pub const KEEP_FILES_SECS: i64 = 7 * DAY;

/// Removes `.eml` files in `dir` last written before `cutoff` (Unix seconds);
/// returns how many. A missing directory has none.
pub fn prune_files(dir: &std::path::Path, cutoff: i64) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let cutoff = std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(cutoff).unwrap_or(0));
    let mut removed = 0;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        if std::fs::metadata(&path)?.modified()? < cutoff {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod prune_tests {
    use super::*;

    #[test]
    fn only_old_eml_files_go() {
        let dir = std::env::temp_dir().join(format!("latchkey-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let at = |secs: u64| std::time::UNIX_EPOCH + Duration::from_secs(secs);
        for (name, written) in [("old.eml", 1_000), ("new.eml", 5_000), ("old.txt", 1_000)] {
            let file = std::fs::File::create(dir.join(name)).unwrap();
            file.set_modified(at(written)).unwrap();
        }
        assert_eq!(prune_files(&dir, 2_000).unwrap(), 1);
        let mut left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["new.eml", "old.txt"]);
        assert_eq!(prune_files(&dir.join("missing"), 2_000).unwrap(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
