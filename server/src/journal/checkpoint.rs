//! Checkpoints of the journal and its verification.
//!
//! A checkpoint is the chain head (entry count and last hash) signed with the server's Ed25519
//! key as a signed note ([`note`](super::note)). The server writes one every
//! `journal.checkpoint_interval_seconds`, on demand (`consigne journal checkpoint`) and when it
//! stops; the newest is public (`GET /api/v1/public/journal/checkpoint`, with the verifier key at
//! `…/journal/key`). Whoever kept an old checkpoint can later check that today's chain still
//! holds the entry it vouched for: a database administrator who rewrites history must also
//! rewrite every hash after the change, which no longer matches the signed checkpoints.
//!
//! [`verify`] recomputes the whole chain (a page at a time), then checks every stored checkpoint
//! and, if given, one kept outside; it reports the first fault by sequence number and kind, and
//! how many entries had personal fields erased.

use super::note::{self, NoteFault, Signer, Verifier};
use crate::config::Config;
use crate::keys::Keys;
use consigne_storage::db::{Db, DbError};
use consigne_storage::journal::checkpoints::{self, Checkpoint};
use consigne_storage::journal::{self as chain, Verification};
use std::fmt;

/// The checkpoints' origin (and key name): the public host, then `/journal`.
pub fn origin(config: &Config) -> String {
    let url = url::Url::parse(&config.public_url).ok();
    let host = url.as_ref().and_then(|u| u.host_str()).unwrap_or("consigne");
    match url.as_ref().and_then(|u| u.port()) {
        Some(port) => format!("{host}:{port}/journal"),
        None => format!("{host}/journal"),
    }
}

/// This installation's checkpoint signer (`NoKey` without `auth.encryption_key`).
pub fn signer(config: &Config, keys: &Keys) -> Result<Signer, NoteFault> {
    let seed = keys.checkpoint_seed().ok_or(NoteFault::NoKey)?;
    Signer::from_seed(&origin(config), &seed)
}

/// Signs the current head and records it, unless a checkpoint already covers it or the journal
/// is empty. Returns the checkpoint written.
pub async fn write(db: &Db, signer: &Signer, now: i64) -> Result<Option<Checkpoint>, DbError> {
    let Some((seq, head_hash)) = db.run(checkpoints::head).await? else { return Ok(None) };
    let body = note::Checkpoint { origin: signer.name().to_owned(), size: seq, head_hash: head_hash.clone() };
    let text = body.text().map_err(|e| DbError::Internal(e.to_string()))?;
    let row = Checkpoint { seq, head_hash, at: now, note: signer.sign(&text) };
    let insert = row.clone();
    let written = db.run(move |conn| checkpoints::insert(conn, &insert)).await?;
    Ok(written.then_some(row))
}

/// Where verification found the first fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The chain itself: an entry changed, missing, inserted or moved.
    Chain { seq: i64, kind: &'static str },
    /// A stored checkpoint: not signed by this installation's key, or vouching for a head the
    /// chain no longer has (history rewritten after it).
    Checkpoint { seq: i64, kind: String },
    /// The checkpoint given on the command line.
    External { kind: String },
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Chain { seq, kind } => write!(f, "entry {seq}: {kind}"),
            Fault::Checkpoint { seq, kind } => write!(f, "checkpoint at entry {seq}: {kind}"),
            Fault::External { kind } => write!(f, "given checkpoint: {kind}"),
        }
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries: u64,
    /// Entries whose personal fields were erased (a closed vault's usager): their commitments
    /// and hashes still verify.
    pub erased: u64,
    pub checkpoints: u64,
    pub fault: Option<Fault>,
}

/// Recomputes the chain, then checks every stored checkpoint against `verifier` and the chain,
/// then `external` (a note kept outside) if given.
pub async fn verify(db: &Db, verifier: &Verifier, external: Option<&str>) -> Result<Report, DbError> {
    let (entries, erased) = match db.run(chain::verify).await? {
        Verification::Intact { entries, erased, .. } => (entries, erased),
        Verification::Broken { seq, reason } => {
            return Ok(Report {
                entries: 0,
                erased: 0,
                checkpoints: 0,
                fault: Some(Fault::Chain { seq, kind: reason }),
            });
        }
    };
    let mut report = Report { entries, erased, checkpoints: 0, fault: None };
    let mut after = 0;
    loop {
        let page = db.run(move |conn| checkpoints::page(conn, after, 500)).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for stored in page {
            report.checkpoints += 1;
            if let Err(kind) = check(db, verifier, &stored.note, Some(&stored)).await? {
                report.fault = Some(Fault::Checkpoint { seq: stored.seq, kind });
                return Ok(report);
            }
        }
    }
    if let Some(note) = external {
        if let Err(kind) = check(db, verifier, note, None).await? {
            report.fault = Some(Fault::External { kind });
        }
    }
    Ok(report)
}

/// One checkpoint: signed by `verifier`, consistent with its row (if stored), and vouching for a
/// head the chain still has.
async fn check(
    db: &Db,
    verifier: &Verifier,
    note: &str,
    stored: Option<&Checkpoint>,
) -> Result<Result<(), String>, DbError> {
    let body = match verifier.open(note) {
        Ok(body) => body,
        Err(fault) => return Ok(Err(fault.to_string())),
    };
    if stored.is_some_and(|s| s.seq != body.size || s.head_hash != body.head_hash) {
        return Ok(Err("row differs from its signed note".into()));
    }
    let size = body.size;
    match db.run(move |conn| checkpoints::hash_at(conn, size)).await? {
        Some(hash) if hash == body.head_hash => Ok(Ok(())),
        Some(_) => Ok(Err(format!("the chain was rewritten: entry {size} no longer has the signed hash"))),
        None => Ok(Err(format!("the chain is shorter than the checkpoint ({size} entries)"))),
    }
}
