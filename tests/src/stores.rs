//! Blob stores for tests: the local directory and the shared Garage, each test on a fresh root or
//! key prefix.

use consigne_storage::blob::{BlobStore, FsBlobStore, S3BlobStore};
use std::sync::Arc;

/// A store and whatever must live as long as it (the temporary directory).
pub struct TestStore {
    pub store: Arc<dyn BlobStore>,
    pub dir: Option<tempfile::TempDir>,
}

impl TestStore {
    pub fn fs() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { store: Arc::new(FsBlobStore::new(dir.path().join("blobs"))), dir: Some(dir) }
    }

    pub fn garage() -> Self {
        Self { store: Arc::new(S3BlobStore::new(&crate::garage::shared().options())), dir: None }
    }
}

/// Declares one test per backend: `both_stores!(name, |t: TestStore| async move { … });`
#[macro_export]
macro_rules! both_stores {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn fs() {
                let f = $body;
                f($crate::stores::TestStore::fs()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn garage() {
                let f = $body;
                f($crate::stores::TestStore::garage()).await;
            }
        }
    };
}
