//! The organisation's recovery key. A référent's client generates an age identity, keeps it, and
//! wraps it (age, on the client) to the account key of each référent; the server records the
//! recipient on the organisation (assisted envelopes' organisation shares are encrypted to it)
//! and the wrapped copies, which it cannot open, and serves each référent their own copy.
//! Registering the same recipient again adds or replaces copies (for a new référent); another
//! recipient replaces the key only while no assisted envelope depends on the registered one.

use super::{is_age_file, Error, RecoveryRefusal};
use crate::journal::{self, Action, Entry};
use crate::organisations::Acting;
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::Recipient;
use consigne_storage::db::recovery::keys::{self, Registered, WrappedCopy};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A wrapped identity is a few hundred bytes; this leaves room for algorithms to come.
pub const MAX_COPY_BYTES: usize = 8 * 1024;
/// Copies one registration may carry.
pub const MAX_COPIES: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyInput {
    /// The référent this copy is for.
    pub user_id: String,
    /// The organisation's identity, an age file to that référent's account key, base64.
    pub wrapped: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryKeyInput {
    /// `age1…`
    pub recipient: String,
    /// One copy per référent, the caller's own among them.
    pub copies: Vec<CopyInput>,
}

/// What a référent reads: the recipient and their own copy.
#[derive(Debug, Serialize)]
pub struct RecoveryKeyView {
    pub recipient: String,
    pub wrapped: String,
    pub created_at: i64,
}

impl From<WrappedCopy> for RecoveryKeyView {
    fn from(c: WrappedCopy) -> Self {
        Self { recipient: c.recipient, wrapped: STANDARD.encode(c.wrapped), created_at: c.created_at }
    }
}

/// Registers the organisation's recovery key (or copies of it) for `acting`, a référent;
/// journaled `organisation.recovery_key_registered` in the same transaction.
pub async fn register(
    app: &AppState,
    acting: &Acting,
    input: RecoveryKeyInput,
) -> Result<RecoveryKeyView, Error> {
    let recipient =
        input.recipient.trim().parse::<Recipient>().map_err(|_| RecoveryRefusal::InvalidKey)?.to_string();
    if input.copies.is_empty() || input.copies.len() > MAX_COPIES {
        return Err(RecoveryRefusal::InvalidKey.into());
    }
    let (org, at) = (acting.organisation.as_str().to_owned(), app.now());
    let mut copies = Vec::with_capacity(input.copies.len());
    for c in input.copies {
        let wrapped = STANDARD.decode(c.wrapped.trim()).map_err(|_| RecoveryRefusal::InvalidKey)?;
        if !is_age_file(&wrapped) || wrapped.len() > MAX_COPY_BYTES {
            return Err(RecoveryRefusal::InvalidKey.into());
        }
        if copies.iter().any(|k: &WrappedCopy| k.user_id == c.user_id) {
            return Err(RecoveryRefusal::InvalidKey.into());
        }
        let row = WrappedCopy {
            organisation_id: org.clone(),
            user_id: c.user_id,
            recipient: recipient.clone(),
            wrapped,
            created_at: at,
        };
        copies.push(row);
    }
    let me = acting.current.user_id.as_str().to_owned();
    let Some(mine) = copies.iter().find(|c| c.user_id == me).cloned() else {
        return Err(RecoveryRefusal::InvalidKey.into());
    };
    let entry = Entry::new(Action::RecoveryKeyRegistered)
        .by(acting.actor())
        .details(json!({"recipient": recipient, "copies": copies.len()}));
    let outcome = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let outcome = keys::register(conn, &org, &recipient, &copies)?;
                if matches!(outcome, Registered::Recorded | Registered::Copies) {
                    journal::strict(conn, at, &entry)?;
                }
                Ok::<_, DbError>(outcome)
            })
        })
        .await?;
    match outcome {
        Registered::Recorded | Registered::Copies => Ok(mine.into()),
        Registered::InUse { .. } => Err(RecoveryRefusal::KeyInUse.into()),
        Registered::NotReferent => Err(RecoveryRefusal::InvalidKey.into()),
        Registered::NoOrganisation => Err(Error::NotFound),
    }
}

/// The caller's copy of the organisation's recovery identity (`NotFound` if none).
pub async fn own_copy(app: &AppState, acting: &Acting) -> Result<RecoveryKeyView, Error> {
    let (org, me) = (acting.organisation.as_str().to_owned(), acting.current.user_id.as_str().to_owned());
    let found = app.db.run(move |conn| keys::copy_of(conn, &org, &me)).await?;
    found.map(Into::into).ok_or(Error::NotFound)
}
