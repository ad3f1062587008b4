//! Sending one SMS notice to the configured provider (`notices.sms_url`): a POST with the JSON
//! `{"to": "+336…", "text": "…"}` and, when configured, `Authorization: Bearer …`. A 2xx answer
//! means sent; anything else is a failure retried later.

use super::Failure;
use crate::config::SmsConfig;
use consigne_storage::Secret;
use serde_json::json;
use std::time::Duration;

/// Longest wait for the provider's answer (shorter than a worker's claim).
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct SmsSender {
    http: reqwest::Client,
    url: String,
    token: Option<Secret>,
}

impl SmsSender {
    pub fn new(config: &SmsConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // The token goes to the configured address and nowhere else.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { http, url: config.url.clone(), token: config.token.clone() })
    }

    /// Sends one SMS. A 4xx answer (but 429) refuses this message; anything else is the
    /// provider being down.
    pub async fn send(&self, to: &str, text: &str) -> Result<(), Failure> {
        let mut request = self.http.post(&self.url).json(&json!({"to": to, "text": text}));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose());
        }
        let response = request.send().await.map_err(|e| {
            let what = if e.is_timeout() { "timeout" } else { "connection failed" };
            Failure::down(format!("sms: {what}"))
        })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            let text = format!("sms: the provider answered {}", status.as_u16());
            let message_refused = status.is_client_error() && status.as_u16() != 429;
            Err(Failure { text, channel_down: !message_refused })
        }
    }
}
