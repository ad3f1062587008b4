//! What aidants opened under a mandate, from the journal (entries naming this mandate and a
//! document, that succeeded): after the end, the usager's client offers to re-encrypt exactly
//! those documents, the only cryptographic revocation of what was already seen.

use super::party::{load_for, Party};
use super::Error;
use crate::auth::session::Current;
use crate::ids::{DocumentId, MandateId, UserId};
use crate::state::AppState;
use consigne_storage::db::mandates::lifecycle;
use consigne_storage::db::DbError;
use consigne_storage::journal::reading;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One document reached under the mandate.
#[derive(Debug, Serialize)]
pub struct OpenedDocument {
    pub document_id: DocumentId,
    /// `None` once the document is purged.
    pub category: Option<String>,
    /// The journal actions recorded (such as `document.downloaded`), each once.
    pub actions: Vec<String>,
    pub times: usize,
    pub first_at: i64,
    pub last_at: i64,
    /// Who, by name.
    pub by: Vec<Opener>,
}

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Opener {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct Opened {
    pub mandate_id: MandateId,
    /// In the order they were first reached.
    pub documents: Vec<OpenedDocument>,
}

/// `GET /api/v1/mandates/{id}/opened`, for the mandate's usager.
pub async fn opened(app: &AppState, usager: &Current, id: &MandateId) -> Result<Opened, Error> {
    load_for(app, &Party::Usager(usager.clone()), id).await?;
    let key = id.as_str().to_owned();
    let (entries, categories, names) = app
        .db
        .run(move |conn| {
            let entries = lifecycle::opened(conn, &key)?;
            let docs: BTreeSet<String> = entries.iter().map(|e| e.0.clone()).collect();
            let actors: BTreeSet<String> = entries.iter().filter_map(|e| e.1.clone()).collect();
            let categories = reading::categories(conn, &docs.into_iter().collect::<Vec<_>>())?;
            let names = reading::names(conn, &actors.into_iter().collect::<Vec<_>>())?;
            Ok::<_, DbError>((entries, categories, names))
        })
        .await?;
    let categories: HashMap<String, String> = categories.into_iter().collect();
    let names: HashMap<String, String> = names
        .into_iter()
        .map(|(id, given, family)| (id, format!("{given} {family}").trim().to_owned()))
        .collect();
    let mut order = Vec::new();
    let mut found: BTreeMap<String, OpenedDocument> = BTreeMap::new();
    for (document, actor, action, at) in entries {
        let doc = found.entry(document.clone()).or_insert_with(|| {
            order.push(document.clone());
            OpenedDocument {
                category: categories.get(&document).cloned(),
                document_id: DocumentId::from_row(document.clone()),
                actions: Vec::new(),
                times: 0,
                first_at: at,
                last_at: at,
                by: Vec::new(),
            }
        });
        doc.times += 1;
        doc.last_at = at;
        if !doc.actions.contains(&action) {
            doc.actions.push(action);
        }
        if let Some(actor) = actor {
            let opener =
                Opener { name: names.get(&actor).cloned().unwrap_or_default(), id: UserId::from_row(actor) };
            if !doc.by.contains(&opener) {
                doc.by.push(opener);
            }
        }
    }
    let documents = order.into_iter().filter_map(|d| found.remove(&d)).collect();
    Ok(Opened { mandate_id: id.clone(), documents })
}
