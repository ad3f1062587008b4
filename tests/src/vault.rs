//! A signed-in usager with a vault, on a real server, database and blob store: what the vault
//! tests start from.

use crate::auth::AuthEnv;
use crate::client::VaultClient;
use crate::db::TestDb;
use crate::garage::S3Target;
use consigne_server::clock::{Clock, SystemClock};
use consigne_storage::blob::{BlobStore, FsBlobStore, S3BlobStore};
use std::sync::Arc;

/// Where the server keeps payloads in a test.
pub enum Store<'a> {
    /// A directory of the test's own.
    Fs,
    /// A Garage node (shared or private), under a prefix of the test's own.
    Garage(&'a S3Target),
}

pub struct VaultEnv {
    pub env: AuthEnv,
    pub client: VaultClient,
    pub vault_id: String,
    /// The same store the server writes to, for looking at what it holds.
    pub blobs: Arc<dyn BlobStore>,
    _fs: Option<tempfile::TempDir>,
}

impl VaultEnv {
    /// Starts everything, signs `angela` in and creates her vault.
    pub async fn start(db: TestDb, store: Store<'_>, extra: &[(&str, String)]) -> Self {
        Self::start_with_clock(db, store, extra, Arc::new(SystemClock)).await
    }

    /// As [`VaultEnv::start`], with the server's time from `clock`.
    pub async fn start_with_clock(
        db: TestDb,
        store: Store<'_>,
        extra: &[(&str, String)],
        clock: Arc<dyn Clock>,
    ) -> Self {
        let mut settings: Vec<(&str, String)> = vec![("vault.sweep_interval_seconds", "0".into())];
        let (blobs, fs): (Arc<dyn BlobStore>, _) = match store {
            Store::Fs => {
                let dir = tempfile::tempdir().unwrap();
                settings.push(("blobs.fs.root", dir.path().display().to_string()));
                (Arc::new(FsBlobStore::new(dir.path())), Some(dir))
            }
            Store::Garage(target) => {
                let prefix = format!("vault-{}/", uuid::Uuid::new_v4());
                settings.extend(target.settings(&prefix));
                let mut options = target.options();
                options.prefix = prefix;
                (Arc::new(S3BlobStore::new(&options)), None)
            }
        };
        settings.extend(extra.iter().cloned());
        let env = AuthEnv::start_with_clock(db, &settings, clock).await;
        let browser = env.browser();
        browser.login("usager", "angela").await;
        let client = VaultClient::new(&browser).await;
        let res = client.create_vault().await;
        assert_eq!(res.status(), 201, "vault creation: {}", res.text().await.unwrap());
        let vault: serde_json::Value = res.json().await.unwrap();
        let vault_id = vault["id"].as_str().unwrap().to_owned();
        Self { env, client, vault_id, blobs, _fs: fs }
    }

    /// Another usager of the same installation, with a vault of their own.
    pub async fn other_usager(&self, identity: &str) -> VaultClient {
        let browser = self.env.browser();
        browser.login("usager", identity).await;
        let client = VaultClient::new(&browser).await;
        assert_eq!(client.create_vault().await.status(), 201);
        client
    }

    /// Keys of every payload the store holds for this vault.
    pub async fn stored_keys(&self) -> Vec<String> {
        self.blobs
            .list(&format!("vaults/{}/", self.vault_id))
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect()
    }

    /// Every journal action, in order.
    pub fn actions(&self) -> Vec<String> {
        self.env.journal().into_iter().map(|e| e.action).collect()
    }
}
