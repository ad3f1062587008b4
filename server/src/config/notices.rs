//! Notices settings (`notices.*`): the SMTP server that sends e-mail, the SMS provider, how often
//! the delivery worker looks for due notices, and when the daily digest goes out.

use super::auth::https_or_loopback;
use super::{ConfigError, Source};
use consigne_storage::Secret;
use std::time::Duration;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on this machine or a private network).
    None,
    /// Plain connection upgraded with STARTTLS, which must succeed (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Where e-mail notices go out; absent when `notices.smtp_host` is empty.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// Both or neither.
    pub credentials: Option<(String, Secret)>,
    /// The `From` of every notice, a mailbox (`Consigne <ne-pas-repondre@…>`).
    pub from: String,
}

/// The SMS provider: an HTTP endpoint taking `{"to": "+336…", "text": "…"}`; absent when
/// `notices.sms_url` is empty.
#[derive(Debug, Clone)]
pub struct SmsConfig {
    /// https (http only on this machine), without credentials: those go in `token`.
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set.
    pub token: Option<Secret>,
}

#[derive(Debug, Clone)]
pub struct NoticesConfig {
    pub smtp: Option<SmtpConfig>,
    pub sms: Option<SmsConfig>,
    /// Between two looks for due notices.
    pub interval: Duration,
    /// The hour (France's time, 0 to 23) from which the previous day's digests are sent.
    pub digest_hour: u8,
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl NoticesConfig {
    pub fn from_source(src: &Source) -> Result<Self, ConfigError> {
        let interval = src.seconds("notices.interval_seconds")?;
        let digest_hour = src.parse::<u8>("notices.digest_hour")?;
        let smtp = match src.optional("notices.smtp_host") {
            None => None,
            Some(host) => {
                let host = host.trim().to_owned();
                let tls = src.parse_with("notices.smtp_tls", |v| match v {
                    "none" => Some(SmtpTls::None),
                    "starttls" => Some(SmtpTls::StartTls),
                    "tls" => Some(SmtpTls::Tls),
                    _ => None,
                })?;
                let from = src.required("notices.from", "notices.smtp_host is set")?;
                src.parse_with("notices.from", |v| v.parse::<lettre::message::Mailbox>().ok())?;
                let username = src.optional("notices.smtp_username");
                let password = src.optional("notices.smtp_password");
                let credentials = match (username, password) {
                    (Some(u), Some(p)) => Some((u.trim().to_owned(), Secret::new(p))),
                    (None, None) => None,
                    (Some(_), None) => {
                        src.required("notices.smtp_password", "notices.smtp_username is set")?;
                        None
                    }
                    (None, Some(_)) => {
                        src.required("notices.smtp_username", "notices.smtp_password is set")?;
                        None
                    }
                };
                // A password never travels in clear beyond this machine.
                if credentials.is_some() && tls == SmtpTls::None && !is_loopback(&host) {
                    src.parse_with("notices.smtp_tls", |_| None::<()>)?;
                }
                Some(SmtpConfig {
                    host,
                    port: src.parse("notices.smtp_port")?,
                    tls,
                    credentials,
                    from: from.trim().to_owned(),
                })
            }
        };
        let sms = match src.optional("notices.sms_url") {
            None => None,
            Some(url) => {
                // Numbers and texts travel to the provider: https except on this machine, and no
                // password in the URL.
                src.parse_with("notices.sms_url", |v| {
                    let parsed = url::Url::parse(v).ok()?;
                    let bare = parsed.username().is_empty() && parsed.password().is_none();
                    (https_or_loopback(v) && bare).then_some(())
                })?;
                Some(SmsConfig {
                    url: url.trim().to_owned(),
                    token: src.optional("notices.sms_token").map(|t| Secret::new(t.trim())),
                })
            }
        };
        Ok(Self { smtp, sms, interval, digest_hour })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Config, ConfigError, Source};
    use super::SmtpTls;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::from_source(&Source::from_env_and_file(vars, None)?)
    }

    #[test]
    fn nothing_is_sent_by_default() {
        let c = config(&[]).unwrap();
        assert!(c.notices.smtp.is_none() && c.notices.sms.is_none());
        assert_eq!(c.notices.digest_hour, 8);
        assert_eq!(c.notices.interval.as_secs(), 10);
    }

    #[test]
    fn smtp_needs_a_sender_and_keeps_its_password_secret() {
        let err = config(&[("CONSIGNE_NOTICES_SMTP_HOST", "smtp.example.fr")]).unwrap_err().to_string();
        assert!(err.contains("notices.from"), "{err}");
        let c = config(&[
            ("CONSIGNE_NOTICES_SMTP_HOST", "smtp.example.fr"),
            ("CONSIGNE_NOTICES_FROM", "Consigne <ne-pas-repondre@consigne.example.fr>"),
            ("CONSIGNE_NOTICES_SMTP_USERNAME", "consigne"),
            ("CONSIGNE_NOTICES_SMTP_PASSWORD", "very-secret-smtp-password"),
        ])
        .unwrap();
        let smtp = c.notices.smtp.as_ref().unwrap();
        assert_eq!((smtp.port, smtp.tls), (587, SmtpTls::StartTls));
        assert_eq!(smtp.credentials.as_ref().unwrap().1.expose(), "very-secret-smtp-password");
        assert!(!format!("{c:?}").contains("very-secret-smtp-password"));
        let bad_from =
            config(&[("CONSIGNE_NOTICES_SMTP_HOST", "h"), ("CONSIGNE_NOTICES_FROM", "pas une adresse")]);
        assert!(bad_from.unwrap_err().to_string().contains("notices.from"));
        // A password in clear only to this machine; a user without a password is incomplete.
        let clear = |host: &str| {
            config(&[
                ("CONSIGNE_NOTICES_SMTP_HOST", host),
                ("CONSIGNE_NOTICES_FROM", "a@example.fr"),
                ("CONSIGNE_NOTICES_SMTP_TLS", "none"),
                ("CONSIGNE_NOTICES_SMTP_USERNAME", "u"),
                ("CONSIGNE_NOTICES_SMTP_PASSWORD", "p"),
            ])
        };
        assert!(clear("127.0.0.1").is_ok());
        assert!(clear("smtp.example.fr").unwrap_err().to_string().contains("notices.smtp_tls"));
        let half = config(&[
            ("CONSIGNE_NOTICES_SMTP_HOST", "h"),
            ("CONSIGNE_NOTICES_FROM", "a@example.fr"),
            ("CONSIGNE_NOTICES_SMTP_USERNAME", "u"),
        ]);
        assert!(half.unwrap_err().to_string().contains("notices.smtp_password"));
    }

    #[test]
    fn the_sms_provider_is_https_outside_this_machine() {
        assert!(config(&[("CONSIGNE_NOTICES_SMS_URL", "http://127.0.0.1:9000/sms")]).is_ok());
        for bad in ["http://sms.example.fr/send", "https://u:p@sms.example.fr/", "sms"] {
            let err = config(&[("CONSIGNE_NOTICES_SMS_URL", bad)]).unwrap_err().to_string();
            assert!(err.contains("notices.sms_url"), "{bad}: {err}");
        }
        let err = config(&[("CONSIGNE_NOTICES_DIGEST_HOUR", "24")]).unwrap_err().to_string();
        assert!(err.contains("notices.digest_hour"), "{err}");
    }
}
