//! S3 backend through `aws-sdk-s3`: Garage, AWS, OVH, Scaleway…
//!
//! Small bodies are sent with one PutObject once fully received and checked. A larger body becomes
//! a multipart upload, which S3 makes visible only at CompleteMultipartUpload: if the body fails,
//! is cut off, crosses the size limit or has the wrong checksum, the upload is aborted and nothing
//! appears under the key. When the size is announced (every document upload), each part streams
//! from the incoming body into its UploadPart ([`PartSource`]): memory does not grow with the
//! part size. Without an announced size, parts are buffered one at a time.

use super::part_source::{PartBody, PartSource};
use super::{
    BlobError, BlobKey, BlobStore, ByteRange, ByteStream, Download, Meter, ObjectInfo, PutOptions, Stored,
};
use crate::Secret;
use async_trait::async_trait;
use aws_credential_types::Credentials;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{BehaviorVersion, Region, RequestChecksumCalculation, ResponseChecksumValidation};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream as S3Body;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use aws_smithy_http_client::tls;
use aws_smithy_types::body::SdkBody;
use bytes::BytesMut;
use futures::StreamExt;
use std::time::Duration;
use tokio_util::io::ReaderStream;

/// Minimum part size S3 accepts for every part but the last.
const MIN_PART_SIZE: usize = 5 * 1024 * 1024;

/// Announced bodies up to this size are buffered and sent with one PutObject (one request instead
/// of three); larger ones stream part by part. 32 uploads hold at most 64 MiB this way.
const SINGLE_PUT_MAX: u64 = 2 * 1024 * 1024;

/// A streamed part arrives at the pace of the person's connection, not of the store's: its
/// request may last this long per MiB (8 KiB/s), on top of the configured read time-out.
const STREAMED_PART_SECONDS_PER_MIB: u64 = 128;

#[derive(Debug, Clone)]
pub struct S3Options {
    /// Custom endpoint (Garage, OVH…); `None` for AWS.
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// `true`: `https://host/bucket/key` (Garage default); `false`: `https://bucket.host/key`.
    pub path_style: bool,
    /// Prepended to every key, so that several installations or tests can share a bucket.
    pub prefix: String,
    /// Multipart part size; bodies up to this size are sent in one request.
    pub part_size: usize,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Time limit of the readiness probe.
    pub check_timeout: Duration,
}

impl S3Options {
    pub fn new(
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        secret_access_key: Secret,
    ) -> Self {
        Self {
            endpoint: None,
            region: "garage".into(),
            bucket: bucket.into(),
            access_key_id: access_key_id.into(),
            secret_access_key,
            path_style: true,
            prefix: String::new(),
            part_size: 8 * 1024 * 1024,
            connect_timeout: Duration::from_secs(3),
            read_timeout: Duration::from_secs(30),
            check_timeout: Duration::from_secs(3),
        }
    }
}

#[derive(Debug, Clone)]
pub struct S3BlobStore {
    client: Client,
    bucket: String,
    prefix: String,
    part_size: usize,
    connect_timeout: Duration,
    read_timeout: Duration,
    check_timeout: Duration,
}

impl S3BlobStore {
    pub fn new(options: &S3Options) -> Self {
        let http_client = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring))
            .build_https();
        let credentials = Credentials::new(
            &options.access_key_id,
            options.secret_access_key.expose(),
            None,
            None,
            "consigne-config",
        );
        let mut config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(options.region.clone()))
            .credentials_provider(credentials)
            .force_path_style(options.path_style)
            .http_client(http_client)
            // We check SHA-256 ourselves; the SDK's default CRC trailers are not supported by
            // every S3 implementation.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(options.connect_timeout)
                    .read_timeout(options.read_timeout)
                    .build(),
            )
            .retry_config(RetryConfig::standard().with_max_attempts(2));
        if let Some(endpoint) = &options.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Self {
            client: Client::from_conf(config.build()),
            bucket: options.bucket.clone(),
            prefix: options.prefix.clone(),
            part_size: options.part_size.max(MIN_PART_SIZE),
            connect_timeout: options.connect_timeout,
            read_timeout: options.read_timeout,
            check_timeout: options.check_timeout,
        }
    }

    fn object_key(&self, key: &BlobKey) -> String {
        format!("{}{}", self.prefix, key)
    }

    async fn put_checked(
        &self,
        object_key: &str,
        mut body: ByteStream,
        mut meter: Meter,
        upload: &mut Option<Multipart>,
    ) -> Result<Stored, BlobError> {
        let mut buffer = BytesMut::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(BlobError::Source)?;
            meter.feed(&chunk)?;
            buffer.extend_from_slice(&chunk);
            while buffer.len() >= self.part_size {
                let part = buffer.split_to(self.part_size).freeze();
                if upload.is_none() {
                    *upload = Some(self.start_multipart(object_key).await?);
                }
                if let Some(m) = upload.as_mut() {
                    let len = part.len() as u64;
                    self.upload_part(object_key, m, S3Body::from(part), len).await?;
                }
            }
        }
        let stored = meter.finish()?;
        match upload.as_mut() {
            None => {
                let len = buffer.len() as i64;
                self.client
                    .put_object()
                    .bucket(&self.bucket)
                    .key(object_key)
                    .content_length(len)
                    .body(S3Body::from(buffer.freeze()))
                    .send()
                    .await
                    .map_err(sdk_error)?;
            }
            Some(m) => {
                if !buffer.is_empty() {
                    let len = buffer.len() as u64;
                    self.upload_part(object_key, m, S3Body::from(buffer.freeze()), len).await?;
                }
                self.complete(object_key, m).await?;
                *upload = None;
            }
        }
        Ok(stored)
    }

    /// A body of announced size `total`, over [`SINGLE_PUT_MAX`]: a multipart upload whose parts
    /// stream from the body. Completed only once the whole body has passed its checks.
    async fn put_streamed(
        &self,
        object_key: &str,
        total: u64,
        mut source: PartSource,
        upload: &mut Option<Multipart>,
    ) -> Result<Stored, BlobError> {
        let m = upload.insert(self.start_multipart(object_key).await?);
        let mut remaining = total;
        while remaining > 0 {
            let len = remaining.min(self.part_size as u64);
            let (tx, rx) = PartSource::channel();
            let body = S3Body::new(SdkBody::from_body_1_x(PartBody::new(rx, len)));
            let (sent, pumped) =
                tokio::join!(self.upload_part(object_key, m, body, len), source.pump(len, tx));
            match (sent, pumped) {
                // The body's fault is the precise one: the part's request failed because of it.
                (_, Err(e)) if e.is_client_error() => return Err(e),
                (Err(e), _) | (Ok(()), Err(e)) => return Err(e),
                (Ok(()), Ok(())) => {}
            }
            remaining -= len;
        }
        let stored = source.finish().await?;
        self.complete(object_key, m).await?;
        *upload = None;
        Ok(stored)
    }

    /// Sends part `len` bytes long. Its request may last the read time-out plus
    /// [`STREAMED_PART_SECONDS_PER_MIB`] per MiB: a streamed part arrives at the person's pace.
    async fn upload_part(
        &self,
        object_key: &str,
        m: &mut Multipart,
        body: S3Body,
        len: u64,
    ) -> Result<(), BlobError> {
        let patience =
            self.read_timeout + Duration::from_secs(STREAMED_PART_SECONDS_PER_MIB * len.div_ceil(1 << 20));
        let number = m.parts.len() as i32 + 1;
        let out = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(object_key)
            .upload_id(&m.upload_id)
            .part_number(number)
            .content_length(len as i64)
            .body(body)
            .customize()
            // The whole time-out configuration, not only the read time-out that changes: an
            // override replaces the client's.
            .config_override(aws_sdk_s3::Config::builder().timeout_config(
                TimeoutConfig::builder().connect_timeout(self.connect_timeout).read_timeout(patience).build(),
            ))
            .send()
            .await
            .map_err(sdk_error)?;
        m.parts.push(
            CompletedPart::builder().part_number(number).set_e_tag(out.e_tag().map(str::to_owned)).build(),
        );
        Ok(())
    }

    async fn complete(&self, object_key: &str, m: &mut Multipart) -> Result<(), BlobError> {
        let parts = CompletedMultipartUpload::builder().set_parts(Some(std::mem::take(&mut m.parts))).build();
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(object_key)
            .upload_id(&m.upload_id)
            .multipart_upload(parts)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    async fn start_multipart(&self, object_key: &str) -> Result<Multipart, BlobError> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(object_key)
            .send()
            .await
            .map_err(sdk_error)?;
        let upload_id = out.upload_id().ok_or_else(|| BlobError::Backend("no upload id".into()))?;
        Ok(Multipart { upload_id: upload_id.to_owned(), parts: Vec::new() })
    }
}

struct Multipart {
    upload_id: String,
    parts: Vec<CompletedPart>,
}

/// Connection failures and time-outs mean the store is down; anything else is a store error.
fn sdk_error<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(e: SdkError<E, R>) -> BlobError {
    match &e {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => BlobError::Unavailable(format!("{e:?}")),
        SdkError::ServiceError(s) => BlobError::Backend(format!(
            "{}: {}",
            s.err().code().unwrap_or("unknown"),
            s.err().message().unwrap_or("")
        )),
        _ => BlobError::Backend(format!("{e:?}")),
    }
}

/// `bytes START-END/TOTAL` → TOTAL.
fn total_from_content_range(value: &str) -> Option<u64> {
    value.rsplit('/').next()?.parse().ok()
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn put(&self, key: &BlobKey, body: ByteStream, options: PutOptions) -> Result<Stored, BlobError> {
        let options_size = options.expected_size;
        let meter = Meter::new(options)?;
        let object_key = self.object_key(key);
        let mut upload = None;
        let result = match options_size {
            Some(total) if total > SINGLE_PUT_MAX => {
                self.put_streamed(&object_key, total, PartSource::new(body, meter), &mut upload).await
            }
            _ => self.put_checked(&object_key, body, meter, &mut upload).await,
        };
        if let Some(m) = upload {
            let aborted = self
                .client
                .abort_multipart_upload()
                .bucket(&self.bucket)
                .key(&object_key)
                .upload_id(&m.upload_id)
                .send()
                .await;
            if let Err(e) = aborted {
                tracing::warn!(key = %object_key, error = ?e, "could not abort multipart upload");
            }
        }
        result
    }

    async fn get(&self, key: &BlobKey, range: Option<ByteRange>) -> Result<Download, BlobError> {
        let mut request = self.client.get_object().bucket(&self.bucket).key(self.object_key(key));
        if let Some(r) = range {
            if r.start >= r.end {
                return Err(BlobError::RangeNotSatisfiable);
            }
            request = request.range(format!("bytes={}-{}", r.start, r.end - 1));
        }
        let out = match request.send().await {
            Ok(out) => out,
            Err(SdkError::ServiceError(s)) if s.err().is_no_such_key() => return Err(BlobError::NotFound),
            Err(SdkError::ServiceError(s)) if s.raw().status().as_u16() == 416 => {
                return Err(BlobError::RangeNotSatisfiable)
            }
            Err(e) => return Err(sdk_error(e)),
        };
        let length = out.content_length().unwrap_or(0).max(0) as u64;
        let object_size = match (range, out.content_range()) {
            (Some(_), Some(cr)) => total_from_content_range(cr).unwrap_or(length),
            _ => length,
        };
        let reader = out.body.into_async_read();
        Ok(Download { object_size, body: ReaderStream::with_capacity(reader, 64 * 1024).boxed() })
    }

    async fn head(&self, key: &BlobKey) -> Result<Option<ObjectInfo>, BlobError> {
        match self.client.head_object().bucket(&self.bucket).key(self.object_key(key)).send().await {
            Ok(out) => Ok(Some(ObjectInfo {
                key: key.to_string(),
                size: out.content_length().unwrap_or(0).max(0) as u64,
            })),
            Err(SdkError::ServiceError(s)) if s.err().is_not_found() => Ok(None),
            Err(e) => Err(sdk_error(e)),
        }
    }

    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, BlobError> {
        let mut found = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(format!("{}{}", self.prefix, prefix))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(sdk_error)?;
            for object in page.contents() {
                if let Some(key) = object.key().and_then(|k| k.strip_prefix(&self.prefix)) {
                    found.push(ObjectInfo {
                        key: key.to_owned(),
                        size: object.size().unwrap_or(0).max(0) as u64,
                    });
                }
            }
        }
        found.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(found)
    }

    async fn check(&self) -> Result<(), BlobError> {
        let probe = self.client.head_bucket().bucket(&self.bucket).send();
        match tokio::time::timeout(self.check_timeout, probe).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(match sdk_error(e) {
                BlobError::Backend(m) => BlobError::Unavailable(m),
                other => other,
            }),
            Err(_) => Err(BlobError::Unavailable("time-out".into())),
        }
    }

    fn kind(&self) -> &'static str {
        "s3"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_total() {
        assert_eq!(total_from_content_range("bytes 0-9/100"), Some(100));
        assert_eq!(total_from_content_range("bytes */100"), Some(100));
        assert_eq!(total_from_content_range("garbage"), None);
    }
}
