//! Journal entries of the login machinery. A failure to journal is logged, never shown.

use super::Refusal;
use consigne_storage::db::Db;
use consigne_storage::journal::{append, NewEntry};
use serde_json::Value;

/// Who acted, when known.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    pub role: Option<String>,
}

impl Actor {
    pub fn user(id: &str, role: &str) -> Self {
        Self { user_id: Some(id.to_owned()), role: Some(role.to_owned()) }
    }
}

pub async fn record(db: &Db, actor: &Actor, action: &str, outcome: &str, details: Value) {
    let entry = NewEntry {
        actor_user_id: actor.user_id.clone(),
        actor_role: actor.role.clone(),
        subject_usager_id: actor.user_id.clone().filter(|_| actor.role.as_deref() == Some("usager")),
        action: action.to_owned(),
        outcome: outcome.to_owned(),
        details: details.to_string(),
        ..NewEntry::default()
    };
    let at = super::now();
    if let Err(e) = db.run(move |conn| append(conn, at, &entry)).await {
        tracing::error!(error = %e, "journal append failed");
    }
}

/// Journals a refusal under its code.
pub async fn refused(db: &Db, actor: &Actor, action: &str, refusal: Refusal, mut details: Value) {
    if let Value::Object(map) = &mut details {
        map.insert("code".into(), Value::from(refusal.code()));
    }
    tracing::info!(code = refusal.code(), action, "refused");
    record(db, actor, action, "refused", details).await;
}
