//! Where mail goes: an SMTP server (lettre; STARTTLS, implicit TLS or plain,
//! authentication optional), or, when no server is configured, `.eml` files in
//! a directory for development.

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
        id: &str,
        rendered: &Rendered,
    ) -> Result<Message, SendError> {
        let to: Mailbox = to.parse().map_err(|e| {
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
