//! Journal shipping settings: where each journal entry is also sent, with what token, and how
//! often the shipper looks for new entries when idle.

use super::auth::https_or_loopback;
use super::{ConfigError, Source};
use consigne_storage::Secret;
use std::time::Duration;

/// The outside sink of the journal (`journal.sink_*`); absent when `journal.sink_url` is empty.
#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// An https URL (http only on this machine), without credentials: those go in `token`.
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set.
    pub token: Option<Secret>,
    /// Between two looks for new entries when the previous look found none.
    pub interval: Duration,
}

impl SinkConfig {
    pub fn from_source(src: &Source) -> Result<Option<Self>, ConfigError> {
        let interval = src.seconds("journal.sink_interval_seconds")?;
        let Some(url) = src.optional("journal.sink_url") else { return Ok(None) };
        // Entries travel to the sink: https except on this machine, and no password in the URL.
        src.parse_with("journal.sink_url", |v| {
            let parsed = url::Url::parse(v).ok()?;
            let bare = parsed.username().is_empty() && parsed.password().is_none();
            (https_or_loopback(v) && bare).then_some(())
        })?;
        Ok(Some(Self {
            url: url.trim().to_owned(),
            token: src.optional("journal.sink_token").map(|t| Secret::new(t.trim())),
            interval,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Config, ConfigError, Source};

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::from_source(&Source::from_env_and_file(vars, None)?)
    }

    #[test]
    fn no_sink_by_default_and_https_outside_this_machine() {
        assert!(config(&[]).unwrap().journal_sink.is_none());
        let c = config(&[
            ("CONSIGNE_JOURNAL_SINK_URL", "https://sink.example.fr/journal"),
            ("CONSIGNE_JOURNAL_SINK_TOKEN", "very-secret-sink-token"),
        ])
        .unwrap();
        let sink = c.journal_sink.as_ref().unwrap();
        assert_eq!(sink.url, "https://sink.example.fr/journal");
        assert_eq!(sink.interval.as_secs(), 5);
        assert_eq!(sink.token.as_ref().unwrap().expose(), "very-secret-sink-token");
        assert!(!format!("{c:?}").contains("very-secret-sink-token"));
        assert!(config(&[("CONSIGNE_JOURNAL_SINK_URL", "http://127.0.0.1:9000/in")]).is_ok());
        for bad in
            ["http://sink.example.fr/journal", "ftp://127.0.0.1/x", "https://u:p@sink.example.fr/", "sink"]
        {
            let err = config(&[("CONSIGNE_JOURNAL_SINK_URL", bad)]).unwrap_err().to_string();
            assert!(err.contains("journal.sink_url"), "{bad}: {err}");
        }
        let err = config(&[("CONSIGNE_JOURNAL_SINK_INTERVAL_SECONDS", "0")]).unwrap_err().to_string();
        assert!(err.contains("journal.sink_interval_seconds"), "{err}");
    }
}
