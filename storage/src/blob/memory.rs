//! In-memory backend, for unit tests of logic only (never for the tests that prove a feature).

use super::{
    check_range, BlobError, BlobKey, BlobStore, ByteRange, ByteStream, Download, Meter, ObjectInfo,
    PutOptions, Stored,
};
use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Clone, Default)]
pub struct MemoryBlobStore {
    objects: Arc<Mutex<BTreeMap<String, Bytes>>>,
}

impl MemoryBlobStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn objects(&self) -> Result<MutexGuard<'_, BTreeMap<String, Bytes>>, BlobError> {
        self.objects.lock().map_err(|_| BlobError::Backend("memory store poisoned".into()))
    }
}

#[async_trait]
impl BlobStore for MemoryBlobStore {
    async fn put(
        &self,
        key: &BlobKey,
        mut body: ByteStream,
        options: PutOptions,
    ) -> Result<Stored, BlobError> {
        let mut meter = Meter::new(options)?;
        let mut buffer = BytesMut::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(BlobError::Source)?;
            meter.feed(&chunk)?;
            buffer.extend_from_slice(&chunk);
        }
        let stored = meter.finish()?;
        self.objects()?.insert(key.to_string(), buffer.freeze());
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey, range: Option<ByteRange>) -> Result<Download, BlobError> {
        let data = self.objects()?.get(key.as_str()).cloned().ok_or(BlobError::NotFound)?;
        let object_size = data.len() as u64;
        let r = check_range(range, object_size)?;
        let slice = data.slice(r.start as usize..r.end as usize);
        Ok(Download { object_size, body: futures::stream::iter([Ok(slice)]).boxed() })
    }

    async fn head(&self, key: &BlobKey) -> Result<Option<ObjectInfo>, BlobError> {
        Ok(self
            .objects()?
            .get(key.as_str())
            .map(|d| ObjectInfo { key: key.to_string(), size: d.len() as u64 }))
    }

    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError> {
        self.objects()?.remove(key.as_str());
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, BlobError> {
        Ok(self
            .objects()?
            .range(prefix.to_owned()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| ObjectInfo { key: k.clone(), size: v.len() as u64 })
            .collect())
    }

    async fn check(&self) -> Result<(), BlobError> {
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "memory"
    }
}
