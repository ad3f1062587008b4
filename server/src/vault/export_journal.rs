//! The usager's journal in their export: `journal/<page>.json` and `journal/<page>.csv` (every
//! entry about them, newest first, each with its stored fields and hashes, so that the person can
//! recompute them, and its sentence), then `journal/checkpoint.txt` and `journal/key.txt`: the
//! newest signed checkpoint and its verifier key, to check the extract against the journal later.
//! Read a page at a time as the transfer goes.

use super::export::member;
use crate::ids::UserId;
use crate::journal::note::NoteFault;
use crate::journal::{checkpoint, shipping, view};
use crate::state::AppState;
use bytes::Bytes;
use consigne_storage::blob::ByteStream;
use consigne_storage::journal::{checkpoints, Entry};
use futures::StreamExt;
use serde_json::json;
use std::io;

/// Where the journal part of an export is.
enum JournalPart {
    /// The page of entries before this sequence number (the newest when `None`), numbered.
    Page(Option<i64>, u32),
    Closing,
    Done,
}

/// The usager's journal, a page per pair of members, then the newest checkpoint and its key.
pub(super) fn members(app: AppState, usager: UserId, mtime: i64) -> ByteStream {
    const JOURNAL_PAGE: u32 = 500;
    let parts = futures::stream::unfold(JournalPart::Page(None, 1), move |part| {
        let (app, usager) = (app.clone(), usager.clone());
        async move {
            let (before, n) = match part {
                JournalPart::Done => return None,
                JournalPart::Closing => {
                    let closing = journal_closing(&app, mtime).await.unwrap_or_else(|e| vec![Err(e)]);
                    return Some((closing, JournalPart::Done));
                }
                JournalPart::Page(before, n) => (before, n),
            };
            let query = view::UsagerQuery { before, limit: Some(JOURNAL_PAGE), ..Default::default() };
            let (rows, next) = match view::rows_for_usager(&app.db, &usager, query).await {
                Ok(page) => page,
                Err(e) => return Some((vec![Err(io::Error::other(e.to_string()))], JournalPart::Done)),
            };
            let (json, csv) = journal_page(&rows);
            let mut out: Vec<io::Result<Bytes>> = Vec::new();
            out.extend(member(&format!("journal/{n:05}.json"), json, mtime).into_iter().map(Ok));
            out.extend(member(&format!("journal/{n:05}.csv"), csv, mtime).into_iter().map(Ok));
            let then = match next {
                Some(next) => JournalPart::Page(Some(next), n + 1),
                None => JournalPart::Closing,
            };
            Some((out, then))
        }
    });
    parts.map(futures::stream::iter).flatten().boxed()
}

/// One page of the usager's journal, as JSON (stored fields, hashes, sentence) and as CSV.
fn journal_page(rows: &[(Entry, view::EntryView)]) -> (Vec<u8>, Vec<u8>) {
    let entries: Vec<_> = rows
        .iter()
        .map(|(e, v)| {
            let mut stored = shipping::stored_fields(e);
            stored["text"] = json!(v.text);
            stored
        })
        .collect();
    let json = serde_json::to_vec_pretty(&entries).unwrap_or_default();
    let mut csv = String::from("numero,date,texte,action,resultat,empreinte\n");
    for (e, v) in rows {
        let cells = [
            e.seq.to_string(),
            e.at.to_string(),
            v.text.clone(),
            e.action.clone(),
            e.outcome.clone(),
            e.hash.clone(),
        ];
        let quoted: Vec<String> = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        csv.push_str(&quoted.join(","));
        csv.push('\n');
    }
    (json, csv.into_bytes())
}

/// `journal/checkpoint.txt` and `journal/key.txt`, when a checkpoint exists.
async fn journal_closing(app: &AppState, mtime: i64) -> Result<Vec<io::Result<Bytes>>, io::Error> {
    let latest = app.db.run(checkpoints::latest).await.map_err(io::Error::other)?;
    let Some(latest) = latest else { return Ok(Vec::new()) };
    let key = match checkpoint::signer(&app.config, &app.keys) {
        Ok(signer) => signer.verifier_key(),
        Err(NoteFault::NoKey) => return Ok(Vec::new()),
        Err(e) => return Err(io::Error::other(e)),
    };
    let mut out: Vec<io::Result<Bytes>> = Vec::new();
    out.extend(member("journal/checkpoint.txt", latest.note.into_bytes(), mtime).into_iter().map(Ok));
    out.extend(member("journal/key.txt", format!("{key}\n").into_bytes(), mtime).into_iter().map(Ok));
    Ok(out)
}
