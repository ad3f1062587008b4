//! The one list of settings: key, environment variable, expectation, default.

/// One configuration setting.
#[derive(Debug)]
pub struct Setting {
    /// Dotted key, as written in the TOML file (`[database] url = …` is `database.url`).
    pub key: &'static str,
    /// The environment variable that overrides it.
    pub env: &'static str,
    /// What a valid value looks like, in words (shown in errors and in the README).
    pub expects: &'static str,
    /// The embedded default, `None` when the setting has none.
    pub default: Option<&'static str>,
    /// Secret values are never printed.
    pub secret: bool,
    /// Inclusive bounds for whole numbers.
    pub range: Option<(u64, u64)>,
}

const fn s(
    key: &'static str,
    env: &'static str,
    expects: &'static str,
    default: Option<&'static str>,
) -> Setting {
    Setting { key, env, expects, default, secret: false, range: None }
}

const fn n(
    key: &'static str,
    env: &'static str,
    expects: &'static str,
    default: &'static str,
    min: u64,
    max: u64,
) -> Setting {
    Setting { key, env, expects, default: Some(default), secret: false, range: Some((min, max)) }
}

const fn secret(key: &'static str, env: &'static str, expects: &'static str) -> Setting {
    Setting { key, env, expects, default: None, secret: true, range: None }
}

pub const SETTINGS: &[Setting] = &[
    s(
        "server.listen",
        "CONSIGNE_SERVER_LISTEN",
        "an address and port such as 127.0.0.1:8080",
        Some("127.0.0.1:8080"),
    ),
    s(
        "server.public_url",
        "CONSIGNE_SERVER_PUBLIC_URL",
        "the URL people open, such as https://consigne.example.fr",
        Some("http://localhost:8080"),
    ),
    s(
        "server.trusted_proxies",
        "CONSIGNE_SERVER_TRUSTED_PROXIES",
        "a comma-separated list of networks such as 10.0.0.0/8, fd00::/8: the reverse proxies whose X-Forwarded-For or Forwarded header gives the client address (empty: none, the TCP peer is the client)",
        Some(""),
    ),
    n(
        "server.shutdown_timeout_seconds",
        "CONSIGNE_SERVER_SHUTDOWN_TIMEOUT_SECONDS",
        "a whole number of seconds (0 to 3600)",
        "30",
        0,
        3600,
    ),
    s("log.format", "CONSIGNE_LOG_FORMAT", "human or json", Some("human")),
    s(
        "log.filter",
        "CONSIGNE_LOG_FILTER",
        "a tracing filter such as info or consigne=debug,info",
        Some("info"),
    ),
    s(
        "database.url",
        "CONSIGNE_DATABASE_URL",
        "postgres://… or sqlite://PATH",
        Some("sqlite://var/consigne.sqlite3"),
    ),
    n(
        "database.max_connections",
        "CONSIGNE_DATABASE_MAX_CONNECTIONS",
        "a whole number (1 to 1000)",
        "10",
        1,
        1000,
    ),
    n(
        "database.acquire_timeout_seconds",
        "CONSIGNE_DATABASE_ACQUIRE_TIMEOUT_SECONDS",
        "a whole number of seconds (1 to 3600)",
        "5",
        1,
        3600,
    ),
    s("database.migrate_on_start", "CONSIGNE_DATABASE_MIGRATE_ON_START", "true or false", Some("true")),
    s("blobs.backend", "CONSIGNE_BLOBS_BACKEND", "fs or s3", Some("fs")),
    s("blobs.fs.root", "CONSIGNE_BLOBS_FS_ROOT", "a directory path", Some("var/blobs")),
    s("blobs.s3.endpoint", "CONSIGNE_BLOBS_S3_ENDPOINT", "the S3 endpoint URL (empty for AWS)", None),
    s("blobs.s3.region", "CONSIGNE_BLOBS_S3_REGION", "the S3 region name", Some("garage")),
    s("blobs.s3.bucket", "CONSIGNE_BLOBS_S3_BUCKET", "the bucket name", None),
    s("blobs.s3.access_key_id", "CONSIGNE_BLOBS_S3_ACCESS_KEY_ID", "the access key id", None),
    secret("blobs.s3.secret_access_key", "CONSIGNE_BLOBS_S3_SECRET_ACCESS_KEY", "the secret access key"),
    s(
        "blobs.s3.path_style",
        "CONSIGNE_BLOBS_S3_PATH_STYLE",
        "true (host/bucket/key) or false (bucket.host/key)",
        Some("true"),
    ),
    s(
        "blobs.s3.prefix",
        "CONSIGNE_BLOBS_S3_PREFIX",
        "a key prefix such as consigne/ (may be empty)",
        Some(""),
    ),
    n(
        "blobs.s3.part_size_mib",
        "CONSIGNE_BLOBS_S3_PART_SIZE_MIB",
        "a whole number of MiB (5 to 5120)",
        "8",
        5,
        5120,
    ),
    n(
        "blobs.s3.timeout_seconds",
        "CONSIGNE_BLOBS_S3_TIMEOUT_SECONDS",
        "a whole number of seconds (1 to 3600)",
        "3",
        1,
        3600,
    ),
    n(
        "limits.json_body_kib",
        "CONSIGNE_LIMITS_JSON_BODY_KIB",
        "a whole number of KiB (1 to 65536)",
        "256",
        1,
        65536,
    ),
    s("server.web_dir", "CONSIGNE_SERVER_WEB_DIR", "the directory of the browser application", Some("web")),
    n(
        "limits.upload_mib",
        "CONSIGNE_LIMITS_UPLOAD_MIB",
        "a whole number of MiB (1 to 4096): the largest encrypted document",
        "25",
        1,
        4096,
    ),
    n(
        "vault.quota_mib",
        "CONSIGNE_VAULT_QUOTA_MIB",
        "a whole number of MiB (1 to 1048576) per vault",
        "600",
        1,
        1048576,
    ),
    n(
        "vault.bin_days",
        "CONSIGNE_VAULT_BIN_DAYS",
        "a whole number of days (1 to 365) a binned document can be restored",
        "30",
        1,
        365,
    ),
    n(
        "vault.closure_notice_days",
        "CONSIGNE_VAULT_CLOSURE_NOTICE_DAYS",
        "a whole number of days (7 to 365) between a closure request and the erasure",
        "30",
        7,
        365,
    ),
    n(
        "recovery.waiting_hours",
        "CONSIGNE_RECOVERY_WAITING_HOURS",
        "a whole number of hours (1 to 720) between an assisted recovery request and the earliest release of its shares",
        "72",
        1,
        720,
    ),
    n(
        "vault.max_versions",
        "CONSIGNE_VAULT_MAX_VERSIONS",
        "a whole number (1 to 10000) of versions one document may have",
        "50",
        1,
        10000,
    ),
    n(
        "vault.max_shares",
        "CONSIGNE_VAULT_MAX_SHARES",
        "a whole number (1 to 10000) of live share links one vault may have",
        "100",
        1,
        10000,
    ),
    n(
        "vault.max_envelopes",
        "CONSIGNE_VAULT_MAX_ENVELOPES",
        "a whole number (2 to 1000) of key envelopes one vault may have",
        "100",
        2,
        1000,
    ),
    n(
        "vault.share_days",
        "CONSIGNE_VAULT_SHARE_DAYS",
        "a whole number of days (1 to 90): default life of a share link",
        "7",
        1,
        90,
    ),
    n(
        "vault.upload_grace_seconds",
        "CONSIGNE_VAULT_UPLOAD_GRACE_SECONDS",
        "a whole number of seconds (60 to 604800) after which an unfinished upload is cleaned up",
        "21600",
        60,
        604800,
    ),
    n(
        "vault.sweep_interval_seconds",
        "CONSIGNE_VAULT_SWEEP_INTERVAL_SECONDS",
        "a whole number of seconds (0 to 86400) between maintenance sweeps, 0 to disable",
        "300",
        0,
        86400,
    ),
    secret(
        "auth.subject_key",
        "CONSIGNE_AUTH_SUBJECT_KEY",
        "at least 32 characters of random text (keys the hash of provider identifiers)",
    ),
    secret(
        "auth.encryption_key",
        "CONSIGNE_AUTH_ENCRYPTION_KEY",
        "64 hexadecimal characters (encrypts TOTP secrets and id tokens)",
    ),
    n(
        "auth.session_idle_seconds",
        "CONSIGNE_AUTH_SESSION_IDLE_SECONDS",
        "a whole number of seconds (1 to 86400)",
        "900",
        1,
        86400,
    ),
    n(
        "auth.session_absolute_seconds",
        "CONSIGNE_AUTH_SESSION_ABSOLUTE_SECONDS",
        "a whole number of seconds (60 to 2592000)",
        "43200",
        60,
        2_592_000,
    ),
    n(
        "auth.reauth_seconds",
        "CONSIGNE_AUTH_REAUTH_SECONDS",
        "a whole number of seconds (1 to 86400)",
        "900",
        1,
        86400,
    ),
    n(
        "auth.rate_window_seconds",
        "CONSIGNE_AUTH_RATE_WINDOW_SECONDS",
        "a whole number of seconds (1 to 86400)",
        "900",
        1,
        86400,
    ),
    n(
        "auth.login_attempts",
        "CONSIGNE_AUTH_LOGIN_ATTEMPTS",
        "a whole number of logins per window (1 to 100000)",
        "30",
        1,
        100_000,
    ),
    n(
        "auth.totp_attempts",
        "CONSIGNE_AUTH_TOTP_ATTEMPTS",
        "a whole number of TOTP codes per window (1 to 1000)",
        "5",
        1,
        1000,
    ),
    n(
        "auth.discovery_refresh_seconds",
        "CONSIGNE_AUTH_DISCOVERY_REFRESH_SECONDS",
        "a whole number of seconds (1 to 86400) after which a provider's discovery document and keys are fetched again",
        "3600",
        1,
        86400,
    ),
    s(
        "auth.usager.issuer",
        "CONSIGNE_AUTH_USAGER_ISSUER",
        "the usagers' provider issuer URL (FranceConnect), https (http only on localhost, 127.0.0.1 or [::1]), empty to disable",
        None,
    ),
    s("auth.usager.client_id", "CONSIGNE_AUTH_USAGER_CLIENT_ID", "the client id given by the provider", None),
    secret(
        "auth.usager.client_secret",
        "CONSIGNE_AUTH_USAGER_CLIENT_SECRET",
        "the client secret given by the provider",
    ),
    s(
        "auth.usager.acr",
        "CONSIGNE_AUTH_USAGER_ACR",
        "eidas1, eidas2 or eidas3 (lowest level accepted)",
        Some("eidas1"),
    ),
    s(
        "auth.usager.auth_method",
        "CONSIGNE_AUTH_USAGER_AUTH_METHOD",
        "client_secret_post or private_key_jwt",
        Some("client_secret_post"),
    ),
    s(
        "auth.usager.private_key_file",
        "CONSIGNE_AUTH_USAGER_PRIVATE_KEY_FILE",
        "a PEM private key file (ES256 or RS256) for private_key_jwt",
        None,
    ),
    s(
        "auth.aidant.issuer",
        "CONSIGNE_AUTH_AIDANT_ISSUER",
        "the aidants' provider issuer URL (ProConnect-style), https (http only on localhost, 127.0.0.1 or [::1]), empty to disable",
        None,
    ),
    s("auth.aidant.client_id", "CONSIGNE_AUTH_AIDANT_CLIENT_ID", "the client id given by the provider", None),
    secret(
        "auth.aidant.client_secret",
        "CONSIGNE_AUTH_AIDANT_CLIENT_SECRET",
        "the client secret given by the provider",
    ),
    s(
        "auth.aidant.acr",
        "CONSIGNE_AUTH_AIDANT_ACR",
        "eidas1, eidas2 or eidas3 (lowest level accepted)",
        Some("eidas1"),
    ),
    s(
        "auth.aidant.auth_method",
        "CONSIGNE_AUTH_AIDANT_AUTH_METHOD",
        "client_secret_post or private_key_jwt",
        Some("client_secret_post"),
    ),
    s(
        "auth.aidant.private_key_file",
        "CONSIGNE_AUTH_AIDANT_PRIVATE_KEY_FILE",
        "a PEM private key file (ES256 or RS256) for private_key_jwt",
        None,
    ),
    n(
        "journal.checkpoint_interval_seconds",
        "CONSIGNE_JOURNAL_CHECKPOINT_INTERVAL_SECONDS",
        "a whole number of seconds (0 to 86400) between signed checkpoints of the journal, 0 to disable",
        "3600",
        0,
        86400,
    ),
    s(
        "journal.sink_url",
        "CONSIGNE_JOURNAL_SINK_URL",
        "the URL each journal entry is also sent to (POST, one JSON line per entry), https (http only on localhost, 127.0.0.1 or [::1]), without user or password, empty to disable",
        None,
    ),
    secret(
        "journal.sink_token",
        "CONSIGNE_JOURNAL_SINK_TOKEN",
        "a bearer token sent to the journal sink in the Authorization header (optional)",
    ),
    n(
        "journal.sink_interval_seconds",
        "CONSIGNE_JOURNAL_SINK_INTERVAL_SECONDS",
        "a whole number of seconds (1 to 3600) between two looks for new entries to ship when idle",
        "5",
        1,
        3600,
    ),
    s(
        "notices.smtp_host",
        "CONSIGNE_NOTICES_SMTP_HOST",
        "the SMTP server that sends e-mail notices (host name or address), empty to keep e-mail notices queued, unsent",
        None,
    ),
    n("notices.smtp_port", "CONSIGNE_NOTICES_SMTP_PORT", "a port number (1 to 65535)", "587", 1, 65535),
    s(
        "notices.smtp_tls",
        "CONSIGNE_NOTICES_SMTP_TLS",
        "starttls (required upgrade), tls (from the first byte) or none (plain SMTP; with a password only to localhost, 127.0.0.1 or [::1])",
        Some("starttls"),
    ),
    s("notices.smtp_username", "CONSIGNE_NOTICES_SMTP_USERNAME", "the SMTP user name (optional)", None),
    secret("notices.smtp_password", "CONSIGNE_NOTICES_SMTP_PASSWORD", "the SMTP password (with the user name)"),
    s(
        "notices.from",
        "CONSIGNE_NOTICES_FROM",
        "the sender of e-mail notices, such as Consigne <ne-pas-repondre@consigne.example.fr> (required with notices.smtp_host)",
        None,
    ),
    s(
        "notices.sms_url",
        "CONSIGNE_NOTICES_SMS_URL",
        "the SMS provider's URL, sent a POST with the JSON {\"to\": \"+336…\", \"text\": \"…\"} per SMS, https (http only on localhost, 127.0.0.1 or [::1]), without user or password, empty to keep SMS notices queued, unsent",
        None,
    ),
    secret(
        "notices.sms_token",
        "CONSIGNE_NOTICES_SMS_TOKEN",
        "a bearer token sent to the SMS provider in the Authorization header (optional)",
    ),
    n(
        "notices.interval_seconds",
        "CONSIGNE_NOTICES_INTERVAL_SECONDS",
        "a whole number of seconds (1 to 3600) between two looks for notices to send",
        "10",
        1,
        3600,
    ),
    n(
        "notices.digest_hour",
        "CONSIGNE_NOTICES_DIGEST_HOUR",
        "the hour (0 to 23, France's time) from which the digest of the previous day's uses under mandates is sent",
        "8",
        0,
        23,
    ),
];

pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}
