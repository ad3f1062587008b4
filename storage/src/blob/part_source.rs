//! Cuts an incoming body into parts of known lengths without holding a part in memory: each
//! part's bytes go through a small channel straight into the request that stores the part
//! (an S3 UploadPart), while the [`Meter`] counts and hashes them.
//!
//! Buffering a whole part per upload made the server's memory grow with the number of uploads
//! (32 uploads through Garage peaked at 540 MiB with 8 MiB parts; issue 14). Here an upload holds
//! at most [`CHANNEL_CHUNKS`] chunks of the incoming body, whatever the document's size.

use super::{BlobError, ByteStream, Meter, Stored};
use bytes::Bytes;
use futures::StreamExt;
use std::io;
use tokio::sync::mpsc;

/// Chunks in flight between the incoming body and the part's request.
pub const CHANNEL_CHUNKS: usize = 4;

/// The receiving end of one part: what the part's request reads.
pub type PartReceiver = mpsc::Receiver<Result<Bytes, io::Error>>;

/// A part's receiver as an HTTP body of `len` bytes.
pub struct PartBody {
    rx: PartReceiver,
    len: u64,
}

impl PartBody {
    pub fn new(rx: PartReceiver, len: u64) -> Self {
        Self { rx, len }
    }
}

impl http_body::Body for PartBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        self.rx.poll_recv(cx).map(|item| item.map(|r| r.map(http_body::Frame::data)))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.len)
    }
}

/// The incoming body, metered, with what was read past the end of the last part.
pub struct PartSource {
    body: ByteStream,
    meter: Meter,
    carry: Option<Bytes>,
}

impl PartSource {
    pub fn new(body: ByteStream, meter: Meter) -> Self {
        Self { body, meter, carry: None }
    }

    /// A channel for the next part: give the receiver to the request, then [`PartSource::pump`]
    /// into the sender.
    pub fn channel() -> (mpsc::Sender<Result<Bytes, io::Error>>, PartReceiver) {
        mpsc::channel(CHANNEL_CHUNKS)
    }

    /// Sends exactly `len` bytes of the body into `tx`. A body that fails or ends too soon is an
    /// error, and the request reading the channel sees its body fail, so the store keeps nothing
    /// of the part.
    pub async fn pump(
        &mut self,
        mut len: u64,
        tx: mpsc::Sender<Result<Bytes, io::Error>>,
    ) -> Result<(), BlobError> {
        while len > 0 {
            let mut chunk = match self.next_chunk().await {
                Ok(chunk) => chunk,
                Err(e) => {
                    let _ = tx.send(Err(io::Error::other("the incoming body failed"))).await;
                    return Err(e);
                }
            };
            if chunk.len() as u64 > len {
                self.carry = Some(chunk.split_off(len as usize));
            }
            len -= chunk.len() as u64;
            if tx.send(Ok(chunk)).await.is_err() {
                // The request stopped reading: its own error says why.
                return Err(BlobError::Backend("the store stopped reading the part".into()));
            }
        }
        Ok(())
    }

    /// After the last part: the body must end here, and its size and checksum hold.
    pub async fn finish(mut self) -> Result<Stored, BlobError> {
        if let Some(extra) = self.carry.take() {
            self.meter.feed(&extra)?;
        }
        while let Some(chunk) = self.body.next().await {
            self.meter.feed(&chunk.map_err(BlobError::Source)?)?;
        }
        self.meter.finish()
    }

    async fn next_chunk(&mut self) -> Result<Bytes, BlobError> {
        if let Some(carry) = self.carry.take() {
            return Ok(carry);
        }
        loop {
            match self.body.next().await {
                Some(Ok(chunk)) if chunk.is_empty() => continue,
                Some(Ok(chunk)) => {
                    self.meter.feed(&chunk)?;
                    return Ok(chunk);
                }
                Some(Err(e)) => return Err(BlobError::Source(e)),
                None => return Err(self.meter.cut_off()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::PutOptions;
    use sha2::{Digest, Sha256};

    fn source(chunks: Vec<&'static [u8]>, expected: u64) -> PartSource {
        let body = futures::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from_static(c)))).boxed();
        let options = PutOptions { max_size: 100, expected_size: Some(expected), expected_sha256: None };
        PartSource::new(body, Meter::new(options).unwrap())
    }

    async fn part(source: &mut PartSource, len: u64) -> Result<Vec<u8>, BlobError> {
        let (tx, mut rx) = PartSource::channel();
        let collect = async move {
            let mut out = Vec::new();
            while let Some(Ok(chunk)) = rx.recv().await {
                out.extend_from_slice(&chunk);
            }
            out
        };
        let (pumped, out) = tokio::join!(source.pump(len, tx), collect);
        pumped.map(|()| out)
    }

    #[tokio::test]
    async fn parts_cut_across_chunks_and_the_remainder_is_checked() {
        let mut s = source(vec![b"abc", b"defgh", b"ij"], 10);
        assert_eq!(part(&mut s, 4).await.unwrap(), b"abcd");
        assert_eq!(part(&mut s, 4).await.unwrap(), b"efgh");
        assert_eq!(part(&mut s, 2).await.unwrap(), b"ij");
        let stored = s.finish().await.unwrap();
        assert_eq!(stored.size, 10);
        assert_eq!(stored.sha256, <[u8; 32]>::from(Sha256::digest(b"abcdefghij")));
    }

    #[tokio::test]
    async fn a_short_body_fails_its_part_and_a_long_one_fails_at_the_end() {
        let mut short = source(vec![b"abc"], 10);
        assert!(matches!(
            part(&mut short, 5).await,
            Err(BlobError::SizeMismatch { expected: 10, actual: 3 })
        ));
        let mut long = source(vec![b"abcdef"], 4);
        assert!(matches!(part(&mut long, 4).await, Err(BlobError::SizeMismatch { expected: 4, actual: 6 })));
    }
}
