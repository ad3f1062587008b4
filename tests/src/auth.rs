//! Consigne with its own development identity provider, for the login tests.

use crate::db::TestDb;
use crate::idp::{Browser, DevIdp, Inviter};
use crate::server::TestServer;
use consigne_server::clock::{Clock, SystemClock};
use consigne_storage::journal::Entry;
use diesel::prelude::*;
use std::sync::Arc;

pub struct AuthEnv {
    pub server: TestServer,
    pub idp: DevIdp,
    pub db: TestDb,
    _blobs: tempfile::TempDir,
}

impl AuthEnv {
    /// A provider and a server on `db`, with `extra` settings (dotted keys) on top.
    pub async fn start(db: TestDb, extra: &[(&str, String)]) -> Self {
        Self::start_with(db, extra, &[]).await
    }

    /// As [`AuthEnv::start`], with extra `DEV_IDP_*` variables for the provider.
    pub async fn start_with(db: TestDb, extra: &[(&str, String)], idp_env: &[(&str, String)]) -> Self {
        Self::start_full(db, extra, idp_env, Arc::new(SystemClock)).await
    }

    /// As [`AuthEnv::start`], with the server's time from `clock` (tokens of the provider are
    /// still checked against the system time, as the provider stamps them).
    pub async fn start_with_clock(db: TestDb, extra: &[(&str, String)], clock: Arc<dyn Clock>) -> Self {
        Self::start_full(db, extra, &[], clock).await
    }

    /// As [`AuthEnv::start`], with `http://localhost:<port>` as the public address (the server
    /// still listens on 127.0.0.1): browsers take no IP address as a WebAuthn relying party, so
    /// the browser stories with passkeys open the application at this address.
    pub async fn start_on_localhost(db: TestDb, extra: &[(&str, String)]) -> Self {
        Self::start_at("localhost", db, extra, &[], Arc::new(SystemClock)).await
    }

    async fn start_full(
        db: TestDb,
        extra: &[(&str, String)],
        idp_env: &[(&str, String)],
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self::start_at("127.0.0.1", db, extra, idp_env, clock).await
    }

    async fn start_at(
        host: &str,
        db: TestDb,
        extra: &[(&str, String)],
        idp_env: &[(&str, String)],
        clock: Arc<dyn Clock>,
    ) -> Self {
        let port = crate::free_port();
        let url = format!("http://{host}:{port}");
        let idp = DevIdp::start_with(&url, idp_env).await;
        let blobs = tempfile::tempdir().unwrap();
        let mut settings: Vec<(&str, String)> = vec![
            ("server.listen", format!("127.0.0.1:{port}")),
            ("server.public_url", url.clone()),
            ("database.url", db.url.clone()),
            ("blobs.fs.root", blobs.path().display().to_string()),
        ];
        settings.extend(idp.settings());
        settings.extend(extra.iter().cloned());
        let server = TestServer::start_with_clock(&settings, clock).await;
        Self { server, idp, db, _blobs: blobs }
    }

    /// A browser whose aidant logins go through an invitation (the only way an aidant account is
    /// created); `Browser::new(&env.server.url)` for a bare provider login.
    pub fn browser(&self) -> Browser {
        let inviter = Inviter { state: self.server.state.clone(), issuer: self.idp.issuer.clone() };
        Browser::new(&self.server.url).inviting(inviter)
    }

    /// Every journal entry, in order (the queued ones chained first, as every reader does).
    pub fn journal(&self) -> Vec<Entry> {
        use consigne_storage::db::schema::journal;
        let mut conn = self.db.pool().get().unwrap();
        consigne_storage::journal::pending::seal_if_pending(&mut conn).unwrap();
        journal::table.order(journal::seq.asc()).select(Entry::as_select()).load(&mut *conn).unwrap()
    }

    /// Whether the journal holds a refusal with this code.
    pub fn journaled(&self, code: &str) -> bool {
        self.journal().iter().any(|e| {
            e.outcome == "refused"
                && serde_json::from_str::<serde_json::Value>(&e.details).unwrap()["code"].as_str()
                    == Some(code)
        })
    }
}

/// The error code of a JSON error response.
pub async fn error_code(res: reqwest::Response) -> String {
    let body: serde_json::Value = res.json().await.unwrap();
    body["error"]["code"].as_str().unwrap_or_default().to_owned()
}
