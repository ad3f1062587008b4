//! Sending one e-mail notice by SMTP (`notices.smtp_*`), with `lettre`: plain text, UTF-8. One
//! connection per message (notices are few); a timeout shorter than a worker's claim, so a notice
//! is never sent by two servers because one was slow.

use super::Failure;
use crate::config::{SmtpConfig, SmtpTls};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Longest wait for the SMTP server, per step.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `hello` is the name this server gives itself (`EHLO`): the host of `server.public_url`.
    pub fn new(config: &SmtpConfig, hello: &str) -> Result<Self, String> {
        let from: Mailbox = config.from.parse().map_err(|_| "notices.from is not a mailbox".to_owned())?;
        let tls =
            |host: &str| TlsParameters::new(host.to_owned()).map_err(|e| format!("TLS parameters: {e}"));
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.as_str())
            .port(config.port)
            .timeout(Some(TIMEOUT))
            .hello_name(ClientId::Domain(hello.to_owned()));
        builder = match config.tls {
            SmtpTls::None => builder.tls(Tls::None),
            SmtpTls::StartTls => builder.tls(Tls::Required(tls(&config.host)?)),
            SmtpTls::Tls => builder.tls(Tls::Wrapper(tls(&config.host)?)),
        };
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self { transport: builder.build(), from })
    }

    /// Sends one message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), Failure> {
        let to: Mailbox = to.parse().map_err(|_| Failure::refused("smtp: not an e-mail address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|_| Failure::refused("smtp: message not built"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| describe(&e))
    }
}

/// A permanent refusal (5xx) is about this message (an unknown recipient); anything else
/// (no connection, timeout, TLS, a temporary refusal) about the server.
fn describe(e: &lettre::transport::smtp::Error) -> Failure {
    let code = e.status().map(|c| format!(" {c}")).unwrap_or_default();
    let (what, down) = if e.is_timeout() {
        ("timeout", true)
    } else if e.is_tls() {
        ("TLS failed", true)
    } else if e.is_permanent() {
        ("refused", false)
    } else if e.is_transient() {
        ("deferred", true)
    } else if e.is_response() {
        ("unexpected answer", true)
    } else {
        ("connection failed", true)
    };
    Failure { text: format!("smtp: {what}{code}"), channel_down: down }
}
