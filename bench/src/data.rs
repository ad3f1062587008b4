//! Scenario 1: the data path. The same encrypted payloads uploaded and downloaded through Consigne
//! (backed by Garage) and PUT and GET directly to the same Garage with `aws-sdk-s3`, from the same
//! number of concurrent clients.

use crate::report::{Goal, Row};
use anyhow::{anyhow, bail, Context, Result};
use aws_credential_types::Credentials;
use aws_sdk_s3::config::{BehaviorVersion, Region, RequestChecksumCalculation, ResponseChecksumValidation};
use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_http_client::tls;
use bytes::Bytes;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::garage::{PrivateGarage, S3Target};
use consigne_tests::vault::{Store, VaultEnv};
use futures::future::try_join_all;
use std::time::Instant;

/// A document size, how many documents each client moves, and the goal of that size.
struct Size {
    label: &'static str,
    bytes: usize,
    per_client: usize,
    goal: f64,
}

const SIZES: [Size; 3] = [
    Size { label: "100 KiB", bytes: 100 * 1024, per_client: 16, goal: 0.7 },
    Size { label: "1 MiB", bytes: 1024 * 1024, per_client: 4, goal: 0.9 },
    Size { label: "20 MiB", bytes: 20 * 1024 * 1024, per_client: 1, goal: 0.9 },
];

/// One sealed document: its id, the upload body Consigne takes, and the payload alone.
struct Prepared {
    id: String,
    framed: Bytes,
    payload: Bytes,
}

fn s3_client(target: &S3Target) -> aws_sdk_s3::Client {
    let credentials =
        Credentials::new(&target.access_key_id, &target.secret_access_key, None, None, "consigne-bench");
    // The same HTTP client as Consigne's own S3 store.
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring))
        .build_https();
    let config = aws_sdk_s3::Config::builder()
        .http_client(http_client)
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(target.region.clone()))
        .credentials_provider(credentials)
        .force_path_style(true)
        .endpoint_url(&target.endpoint)
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

fn mib_per_second(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / seconds
}

/// Runs `work` for every client's share at once; returns the seconds it took.
async fn timed<'a, F, Fut>(clients: &[Vec<&'a Prepared>], work: F) -> Result<f64>
where
    F: Fn(&'a Prepared) -> Fut + Copy,
    Fut: std::future::Future<Output = Result<()>>,
{
    let start = Instant::now();
    try_join_all(clients.iter().map(|share| async move {
        for doc in share.iter().copied() {
            work(doc).await?;
        }
        Ok::<(), anyhow::Error>(())
    }))
    .await?;
    Ok(start.elapsed().as_secs_f64())
}

async fn one_size(
    v: &VaultEnv,
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    size: &Size,
    clients: usize,
) -> Result<Vec<Row>> {
    let c: &VaultClient = &v.client;
    let plaintext = vec![0x5au8; size.bytes];
    let docs: Vec<Prepared> = (0..clients * size.per_client)
        .map(|i| {
            let sealed = c.seal(&plaintext, &metadata_for(&format!("bench-{i}.pdf")), &[]);
            let framed = VaultClient::frame(&VaultClient::descriptor(&sealed, "domicile"), &sealed.payload);
            Prepared { id: sealed.document_id.clone(), framed: framed.into(), payload: sealed.payload.into() }
        })
        .collect();
    let shares: Vec<Vec<&Prepared>> =
        (0..clients).map(|k| docs.iter().skip(k).step_by(clients).collect()).collect();
    let total: usize = docs.iter().map(|d| d.payload.len()).sum();
    let key = |d: &Prepared| format!("bench-direct/{}", d.id);

    let direct_put = timed(&shares, |d| async move {
        s3.put_object().bucket(bucket).key(key(d)).body(ByteStream::from(d.payload.clone())).send().await?;
        Ok(())
    })
    .await?;
    let consigne_put = timed(&shares, |d| async move {
        let res = c.post_upload("/api/v1/documents", d.framed.clone()).await;
        if res.status() != 201 {
            bail!("upload refused: {} {}", res.status(), res.text().await.unwrap_or_default());
        }
        Ok(())
    })
    .await?;
    let direct_get = timed(&shares, |d| async move {
        let got = s3.get_object().bucket(bucket).key(key(d)).send().await?;
        let body = got.body.collect().await.map_err(|e| anyhow!("direct GET body: {e}"))?;
        if body.into_bytes().len() != d.payload.len() {
            bail!("direct GET: wrong length");
        }
        Ok(())
    })
    .await?;
    let consigne_get = timed(&shares, |d| async move {
        let res = c.get(&format!("/api/v1/documents/{}/payload", d.id)).await;
        let status = res.status();
        let body = res.bytes().await.context("payload")?;
        if status != 200 || body.len() != d.payload.len() {
            bail!("download: {status}, {} bytes", body.len());
        }
        Ok(())
    })
    .await?;

    let row = |what: &str, through: f64, direct: f64| {
        let (t, d) = (mib_per_second(total, through), mib_per_second(total, direct));
        Row::new(
            &format!("1 data {what} {} (Garage)", size.label),
            format!("{clients} clients, {} docs, through Consigne: {t:.1} MiB/s", docs.len()),
            format!("direct aws-sdk-s3: {d:.1} MiB/s"),
            t / d,
            Goal::AtLeast(size.goal),
        )
    };
    Ok(vec![row("upload", consigne_put, direct_put), row("download", consigne_get, direct_get)])
}

/// Starts a private Garage and Consigne on PostgreSQL in front of it; measures every size.
pub async fn scenario(clients: usize) -> Result<Vec<Row>> {
    eprintln!("[Garage] starting a private Garage node");
    let garage = tokio::task::block_in_place(PrivateGarage::start);
    let s3 = s3_client(&garage.target);
    let v = VaultEnv::start(TestDb::postgres(), Store::Garage(&garage.target), &[]).await;
    let mut rows = Vec::new();
    for size in &SIZES {
        eprintln!("[Garage] scenario 1: data path, {}", size.label);
        rows.extend(one_size(&v, &s3, &garage.target.bucket, size, clients).await?);
    }
    v.env.server.stop().await;
    Ok(rows)
}
