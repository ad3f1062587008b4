//! Body streams for blob tests: good ones, ones that fail midway, ones that never end.

use bytes::Bytes;
use consigne_storage::blob::ByteStream;
use futures::StreamExt;
use rand::RngCore;
use std::io;

/// `len` random bytes.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut data = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut data);
    data
}

/// The data as a stream of `chunk`-sized pieces.
pub fn chunked(data: &[u8], chunk: usize) -> ByteStream {
    let pieces: Vec<Result<Bytes, io::Error>> =
        data.chunks(chunk.max(1)).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    futures::stream::iter(pieces).boxed()
}

/// The first `good` bytes of `data`, then an error, as a cut connection gives.
pub fn cut_after(data: &[u8], good: usize, chunk: usize) -> ByteStream {
    let head = chunked(&data[..good.min(data.len())], chunk);
    let tail = futures::stream::iter([Err(io::Error::new(io::ErrorKind::ConnectionReset, "cut off"))]);
    head.chain(tail).boxed()
}

/// An endless stream of 64 KiB chunks: only a size limit stops it.
pub fn endless() -> ByteStream {
    futures::stream::repeat_with(|| Ok(Bytes::from(vec![7u8; 64 * 1024]))).boxed()
}

/// Collects a download.
pub async fn collect(mut body: ByteStream) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(data).into()
}
