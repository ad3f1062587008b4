//! Scenario 2: the server's peak resident memory (`VmHWM`) while `clients` usagers' clients each
//! upload one document at once, 200 MiB each, against the same run with 20 MiB documents. Each
//! run has a fresh `consigne serve` process (release), database and provider, in front of one
//! private Garage node whose directory is deleted at the end (6.4 GiB for 32 clients).

use crate::report::{Goal, Row};
use crate::server_process::ServerProcess;
use anyhow::{anyhow, bail, Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use consigne_crypto::age::encrypt_document;
use consigne_crypto::metadata::seal_metadata;
use consigne_crypto::signature::{self, VersionFields};
use consigne_tests::client::{metadata_for, VaultClient, UPLOAD_TYPE};
use consigne_tests::db::TestDb;
use consigne_tests::garage::{PrivateGarage, S3Target};
use consigne_tests::idp::{Browser, DevIdp};
use futures::future::try_join_all;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

const MIB: usize = 1024 * 1024;
/// The goal: peak resident memory under this, whatever the documents' size.
const LIMIT_MIB: f64 = 128.0;
/// The goal: the 200 MiB run's peak within 10 % of the 20 MiB run's.
const GROWTH: f64 = 1.1;

/// One encrypted payload, uploaded as every client's document (each under its own id and
/// signature): the server cannot tell, and the bench holds it once.
struct Payload {
    slot: Vec<u8>,
    bytes: Bytes,
    sha256: [u8; 32],
    metadata: Vec<u8>,
}

fn payload(client: &VaultClient, size: usize) -> Result<Payload> {
    let plain = vec![0x42u8; size];
    let (doc, file_key) = encrypt_document(&[client.recipient()], &plain)?;
    let metadata = seal_metadata(&file_key, &metadata_for("releve-bancaire.pdf"))?;
    let slot = doc.slots.into_iter().next().ok_or_else(|| anyhow!("no slot"))?;
    let sha256 = Sha256::digest(&doc.payload).into();
    Ok(Payload { slot, bytes: Bytes::from(doc.payload), sha256, metadata })
}

/// The upload body of a new document holding `p`: the framed descriptor, then the payload in
/// 1 MiB pieces that share `p`'s bytes.
fn body(client: &VaultClient, p: &Payload) -> Result<reqwest::Body> {
    let document_id = uuid::Uuid::now_v7().to_string();
    let recipients = [client.recipient()];
    let fields = VersionFields {
        vault_id: client.vault_id(),
        document_id: &document_id,
        version: 1,
        payload_sha256: p.sha256,
        metadata: &p.metadata,
        recipients: &recipients,
    };
    let key = client.signing_key();
    let descriptor = json!({
        "document_id": document_id,
        "category": "ressources",
        "payload_size": p.bytes.len(),
        "payload_sha256": hex::encode(p.sha256),
        "metadata": STANDARD.encode(&p.metadata),
        "slots": [{ "kind": "usager", "recipient": recipients[0].to_string(), "header": STANDARD.encode(&p.slot) }],
        "version": 1,
        "signing_key": key.public_key().to_string(),
        "signature": STANDARD.encode(signature::sign_version(&key, &fields)),
    });
    let descriptor = serde_json::to_vec(&descriptor)?;
    let mut head = u32::try_from(descriptor.len())?.to_be_bytes().to_vec();
    head.extend_from_slice(&descriptor);
    let mut pieces = vec![Bytes::from(head)];
    pieces.extend((0..p.bytes.len()).step_by(MIB).map(|at| p.bytes.slice(at..(at + MIB).min(p.bytes.len()))));
    Ok(reqwest::Body::wrap_stream(futures::stream::iter(pieces.into_iter().map(Ok::<_, std::io::Error>))))
}

/// Where the server under measure keeps payloads.
enum BlobStore<'a> {
    Garage(&'a S3Target),
    /// A directory (`CONSIGNE_BENCH_MEMORY_STORE=fs`, for a machine without Garage: not the
    /// issue's figure).
    Directory(&'a std::path::Path),
}

/// What one run measured, in MiB.
struct Peak {
    idle: f64,
    peak: f64,
    seconds: f64,
}

/// A fresh server on a fresh database; a usager signs in and creates a vault; `clients`
/// uploads of `size` bytes at once; the server's peak resident memory.
async fn run(store: &BlobStore<'_>, clients: usize, size: usize, dir: &std::path::Path) -> Result<Peak> {
    let db = TestDb::postgres();
    let port = consigne_tests::free_port();
    let listen = format!("127.0.0.1:{port}");
    let url = format!("http://{listen}");
    let idp = DevIdp::start(&url).await;
    let prefix = format!("bench-memory-{}/", uuid::Uuid::new_v4().simple());
    let mut settings: Vec<(&str, String)> = vec![
        ("server.listen", listen.clone()),
        ("server.public_url", url.clone()),
        ("database.url", db.url.clone()),
        ("vault.sweep_interval_seconds", "0".into()),
        // Room for every client's document in the one vault.
        ("vault.quota_mib", ((clients * size) / MIB * 2 + 64).to_string()),
        ("log.filter", "warn".into()),
        // The default refuses documents over 25 MiB; the scenario uploads 200 MiB ones.
        ("limits.upload_mib", (size / MIB + 16).to_string()),
    ];
    settings.extend(idp.settings());
    match store {
        BlobStore::Garage(garage) => {
            settings.extend(garage.settings(&prefix));
            // Thirty-two streams through two shared cores: the harness's 2 s would time out.
            settings.push(("blobs.s3.timeout_seconds", "120".into()));
        }
        BlobStore::Directory(root) => {
            settings.push(("blobs.fs.root", root.join(&prefix).display().to_string()));
        }
    }
    let server = ServerProcess::start(&listen, &settings, dir.join(format!("consigne-{size}.log"))).await?;

    let browser = Browser::new(&url);
    browser.login("usager", "angela").await;
    let client = VaultClient::new(&browser).await;
    let created = client.create_vault().await;
    if created.status() != 201 {
        bail!("vault creation: {} {}", created.status(), created.text().await.unwrap_or_default());
    }
    let p = payload(&client, size)?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = server.status_kib("VmRSS")? as f64 / 1024.0;

    let start = std::time::Instant::now();
    let uploads = (0..clients).map(|_| async {
        let res = client
            .http
            .post(client.url("/api/v1/documents"))
            .header("x-csrf-token", &client.csrf)
            .header("content-type", UPLOAD_TYPE)
            .body(body(&client, &p)?)
            .timeout(Duration::from_secs(1800))
            .send()
            .await
            .context("upload")?;
        if res.status() != 201 {
            bail!("upload refused: {} {}", res.status(), res.text().await.unwrap_or_default());
        }
        Ok(())
    });
    let done = try_join_all(uploads).await;
    let seconds = start.elapsed().as_secs_f64();
    let peak = server.status_kib("VmHWM")? as f64 / 1024.0;
    if let Err(e) = done {
        bail!("{e:#}\nserver log:\n{}", server.log_text());
    }
    let listed: serde_json::Value = client.get("/api/v1/documents?limit=200").await.json().await?;
    let stored = listed["documents"].as_array().map_or(0, Vec::len);
    if stored != clients {
        bail!("{clients} uploads answered 201 but the vault lists {stored} documents");
    }
    server.stop()?;
    drop(idp);
    Ok(Peak { idle, peak, seconds })
}

/// Free space, in MiB, of the file system holding `path` (`df`, to avoid filling the disk).
fn free_mib(path: &std::path::Path) -> Result<u64> {
    let out = std::process::Command::new("df").arg("-Pk").arg(path).output().context("df")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field =
        text.lines().nth(1).and_then(|l| l.split_whitespace().nth(3)).ok_or_else(|| anyhow!("df: {text}"))?;
    Ok(field.parse::<u64>().map_err(|_| anyhow!("df: {text}"))? / 1024)
}

pub async fn scenario(clients: usize, on_garage: bool) -> Result<Vec<Row>> {
    let dir = tempfile::tempdir().context("temporary directory")?;
    let needed = (clients * (200 + 20) * 11 / 10 + 2048) as u64;
    let free = free_mib(dir.path())?;
    if free < needed {
        bail!("scenario 2 needs about {needed} MiB free under {}, there are {free}", dir.path().display());
    }
    let garage = if on_garage {
        eprintln!("[Garage] scenario 2: memory, starting a private Garage node");
        Some(tokio::task::block_in_place(PrivateGarage::start))
    } else {
        None
    };
    let (store, label) = match &garage {
        Some(g) => (BlobStore::Garage(&g.target), "Garage"),
        None => (BlobStore::Directory(dir.path()), "directory"),
    };
    let mut peaks = Vec::new();
    for size in [20 * MIB, 200 * MIB] {
        eprintln!("[{label}] scenario 2: memory, {clients} uploads of {} MiB", size / MIB);
        peaks.push(run(&store, clients, size, dir.path()).await?);
    }
    // Stops the node and deletes its directory, and the temporary one: the uploads go with them.
    drop(garage);
    drop(dir);
    let [small, large] = [&peaks[0], &peaks[1]];
    let line = |p: &Peak, mib: usize| {
        format!(
            "{clients} × {mib} MiB uploads in {:.0} s: peak {:.1} MiB (idle {:.1})",
            p.seconds, p.peak, p.idle
        )
    };
    Ok(vec![
        Row::new(
            &format!("2 memory peak, 200 MiB documents ({label})"),
            line(large, 200),
            format!("limit {LIMIT_MIB} MiB"),
            large.peak / LIMIT_MIB,
            Goal::AtMost(1.0),
        ),
        Row::new(
            &format!("2 memory growth 200 vs 20 MiB ({label})"),
            format!("peak at 200 MiB: {:.1} MiB", large.peak),
            line(small, 20),
            large.peak / small.peak,
            Goal::AtMost(GROWTH),
        ),
    ])
}
