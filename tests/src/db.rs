//! A fresh database per test, on either backend.

use consigne_storage::db::{run_migrations, Backend, Db, DbConnection, DbOptions};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::Connection;
use std::time::Duration;

/// The server tests create their databases on. Without TLS on loopback: libpq's OpenSSL state
/// torn down at process exit while pooled connections still held it crashed a test process
/// ("double free or corruption") after all its tests had passed.
pub fn admin_url() -> String {
    std::env::var("CONSIGNE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into())
}

/// `admin_url` for another database of the same server (its query, such as `sslmode`, kept).
pub fn url_for(db_name: &str) -> String {
    let mut url = url::Url::parse(&admin_url()).unwrap();
    url.set_path(&format!("/{db_name}"));
    url.to_string()
}

/// Name of the migrated template: it changes whenever a migration changes, so a stale template
/// is never cloned.
fn template_name() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let dir = crate::repo_root().join("migrations/postgres");
    let mut entries: Vec<_> = walk(&dir);
    entries.sort();
    for path in entries {
        h.update(path.to_string_lossy().as_bytes());
        h.update(std::fs::read(&path).unwrap());
    }
    format!("consigne_template_{}", &hex::encode(h.finalize())[..16])
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Creates the template once per server; an advisory lock serialises concurrent test processes.
fn ensure_template(admin: &mut PgConnection, name: &str) {
    admin.batch_execute("SELECT pg_advisory_lock(4242)").unwrap();
    let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}')"
    )))
    .get_result(admin)
    .unwrap();
    if !exists {
        let building = format!("{name}_building");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {building}")).unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {building}")).unwrap();
        {
            let mut conn = DbConnection::Postgres(PgConnection::establish(&url_for(&building)).unwrap());
            run_migrations(&mut conn).unwrap();
        }
        admin.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}")).unwrap();
    }
    admin.batch_execute("SELECT pg_advisory_unlock(4242)").unwrap();
}

use diesel::RunQueryDsl;

/// A database that lives as long as this value.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite(),
            Backend::Postgres => Self::postgres(),
        }
    }

    /// A migrated SQLite file in a temporary directory.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("consigne.sqlite3").display());
        let db = Self { url, backend: Backend::Sqlite, name: None, _dir: Some(dir) };
        run_migrations(&mut db.pool().get().unwrap()).unwrap();
        db
    }

    /// A PostgreSQL database cloned from the migrated template.
    pub fn postgres() -> Self {
        let mut admin = PgConnection::establish(&admin_url())
            .unwrap_or_else(|e| panic!("PostgreSQL at {} is required for the tests: {e}", admin_url()));
        let template = template_name();
        ensure_template(&mut admin, &template);
        let name = format!("consigne_test_{}", uuid::Uuid::new_v4().simple());
        admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}")).unwrap();
        Self { url: url_for(&name), backend: Backend::Postgres, name: Some(name), _dir: None }
    }

    pub fn pool(&self) -> Db {
        self.pool_with(&DbOptions { max_connections: 4, acquire_timeout: Duration::from_secs(5) })
    }

    pub fn pool_with(&self, options: &DbOptions) -> Db {
        Db::new(&self.url, options).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.name {
            if let Ok(mut admin) = PgConnection::establish(&admin_url()) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Declares one test per backend: `both_backends!(name, |db: TestDb| async move { … });`, with
/// optional doc comments before the name (`both_backends!(/// What it checks.\n name, …)`).
#[macro_export]
macro_rules! both_backends {
    ($(#[$meta:meta])* $name:ident, $body:expr) => {
        $(#[$meta])*
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f = $body;
                f($crate::db::TestDb::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let f = $body;
                f($crate::db::TestDb::postgres()).await;
            }
        }
    };
}
