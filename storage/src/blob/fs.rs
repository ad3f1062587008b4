//! Local-directory backend: the embedded default.
//!
//! A put writes to `ROOT/.tmp/<random>.part`, fsyncs it, and renames it to `ROOT/<key>` only once
//! the [`Meter`] accepted the body; the directory is fsynced after the rename so that the object
//! survives a crash. A put that fails or is abandoned removes its temporary file.

use super::{
    check_range, BlobError, BlobKey, BlobStore, ByteRange, ByteStream, Download, Meter, ObjectInfo,
    PutOptions, Stored,
};
use async_trait::async_trait;
use futures::StreamExt;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use tokio::fs;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio_util::io::ReaderStream;

const TMP_DIR: &str = ".tmp";
const READ_CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &BlobKey) -> PathBuf {
        self.root.join(key.as_str())
    }
}

fn backend(e: io::Error) -> BlobError {
    BlobError::Backend(e.to_string())
}

/// Removes the temporary file if the put does not reach the rename (error or cancellation).
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

async fn sync_dir(dir: &Path) -> Result<(), BlobError> {
    fs::File::open(dir).await.map_err(backend)?.sync_all().await.map_err(backend)
}

#[async_trait]
impl BlobStore for FsBlobStore {
    async fn put(
        &self,
        key: &BlobKey,
        mut body: ByteStream,
        options: PutOptions,
    ) -> Result<Stored, BlobError> {
        let mut meter = Meter::new(options)?;
        let tmp_dir = self.root.join(TMP_DIR);
        fs::create_dir_all(&tmp_dir).await.map_err(backend)?;
        let tmp_path = tmp_dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        let mut guard = TempFile(Some(tmp_path.clone()));

        let mut file = fs::File::create(&tmp_path).await.map_err(backend)?;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(BlobError::Source)?;
            meter.feed(&chunk)?;
            file.write_all(&chunk).await.map_err(backend)?;
        }
        file.sync_all().await.map_err(backend)?;
        drop(file);
        let stored = meter.finish()?;

        let dest = self.path(key);
        let parent = dest.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&parent).await.map_err(backend)?;
        fs::rename(&tmp_path, &dest).await.map_err(backend)?;
        guard.0 = None;
        sync_dir(&parent).await?;
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey, range: Option<ByteRange>) -> Result<Download, BlobError> {
        let mut file = match fs::File::open(self.path(key)).await {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(BlobError::NotFound),
            Err(e) => return Err(backend(e)),
        };
        let object_size = file.metadata().await.map_err(backend)?.len();
        let range = check_range(range, object_size)?;
        file.seek(SeekFrom::Start(range.start)).await.map_err(backend)?;
        let reader = file.take(range.end - range.start);
        Ok(Download { object_size, body: ReaderStream::with_capacity(reader, READ_CHUNK).boxed() })
    }

    async fn head(&self, key: &BlobKey) -> Result<Option<ObjectInfo>, BlobError> {
        match fs::metadata(self.path(key)).await {
            Ok(m) if m.is_file() => Ok(Some(ObjectInfo { key: key.to_string(), size: m.len() })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError> {
        match fs::remove_file(self.path(key)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, BlobError> {
        let root = self.root.clone();
        let prefix = prefix.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut found = Vec::new();
            walk(&root, &root, &mut found).map_err(backend)?;
            found.retain(|o| o.key.starts_with(&prefix));
            found.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(found)
        })
        .await
        .map_err(|e| BlobError::Backend(e.to_string()))?
    }

    async fn check(&self) -> Result<(), BlobError> {
        let tmp_dir = self.root.join(TMP_DIR);
        fs::create_dir_all(&tmp_dir).await.map_err(|e| BlobError::Unavailable(e.to_string()))?;
        let probe = tmp_dir.join(format!("ready-{}", uuid::Uuid::new_v4()));
        fs::write(&probe, b"").await.map_err(|e| BlobError::Unavailable(e.to_string()))?;
        fs::remove_file(&probe).await.map_err(|e| BlobError::Unavailable(e.to_string()))
    }

    fn kind(&self) -> &'static str {
        "fs"
    }
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<ObjectInfo>) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if dir == root && entry.file_name() == TMP_DIR {
            continue;
        }
        if file_type.is_dir() {
            walk(root, &path, found)?;
        } else if file_type.is_file() {
            if let Ok(rel) = path.strip_prefix(root) {
                let key =
                    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                found.push(ObjectInfo { key, size: entry.metadata()?.len() });
            }
        }
    }
    Ok(())
}
