//! A professional's account key: their own age identity, whose public recipient mandate keys are
//! wrapped to (a usager's client wraps a mandate's key to each named aidant at consent), and the
//! identity sealed by their client (opaque here: the server cannot open it). Registered once, by
//! an aidant past their second factor; the same key again is accepted (a retry), another refused.

use super::{Error, OrganisationRefusal};
use crate::auth::session::Current;
use crate::ids::UserId;
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::Recipient;
use consigne_storage::db::organisations::account_keys::{self, AccountKey, Registered};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A sealed identity is a few hundred bytes; this leaves room for algorithms to come.
pub const MAX_ENVELOPE_BYTES: usize = 8 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountKeyInput {
    /// `age1…`
    pub recipient: String,
    /// The identity sealed by the client, base64.
    pub envelope: String,
}

#[derive(Debug, Serialize)]
pub struct AccountKeyView {
    pub recipient: String,
    pub envelope: String,
    pub created_at: i64,
}

impl From<AccountKey> for AccountKeyView {
    fn from(k: AccountKey) -> Self {
        Self { recipient: k.recipient, envelope: STANDARD.encode(k.envelope), created_at: k.created_at }
    }
}

/// Registers the caller's key, once; journaled `account.key_registered` in its transaction.
pub async fn register(
    app: &AppState,
    current: &Current,
    input: AccountKeyInput,
) -> Result<AccountKeyView, Error> {
    let recipient =
        input.recipient.parse::<Recipient>().map_err(|_| OrganisationRefusal::InvalidAccountKey)?.to_string();
    let envelope =
        STANDARD.decode(input.envelope.trim()).map_err(|_| OrganisationRefusal::InvalidAccountKey)?;
    if envelope.is_empty() || envelope.len() > MAX_ENVELOPE_BYTES {
        return Err(OrganisationRefusal::InvalidAccountKey.into());
    }
    let (user, at) = (current.user_id.as_str().to_owned(), app.now());
    let row = AccountKey { user_id: user.clone(), recipient: recipient.clone(), envelope, created_at: at };
    let entry =
        Entry::new(Action::AccountKeyRegistered).by(current.actor()).details(json!({"recipient": recipient}));
    let wanted = row.clone();
    let registered = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let outcome = account_keys::register(conn, row)?;
                if matches!(outcome, Registered::Recorded(_)) {
                    journal::strict(conn, at, &entry)?;
                }
                Ok::<_, DbError>(outcome)
            })
        })
        .await;
    let registered = match registered {
        // A parallel registration won the unique index: the same key is this one's retry.
        Err(DbError::Conflict(_)) => {
            let mine = app.db.run(move |conn| account_keys::get(conn, &user)).await?;
            match mine {
                Some(k) if k.recipient == wanted.recipient && k.envelope == wanted.envelope => {
                    Registered::Unchanged(k)
                }
                _ => Registered::Conflict,
            }
        }
        other => other?,
    };
    match registered {
        Registered::Recorded(k) | Registered::Unchanged(k) => Ok(k.into()),
        Registered::Conflict => Err(OrganisationRefusal::AccountKeyConflict.into()),
    }
}

/// The caller's registered key (`NotFound` if none yet).
pub async fn get(app: &AppState, user: &UserId) -> Result<AccountKeyView, Error> {
    let user = user.as_str().to_owned();
    let found = app.db.run(move |conn| account_keys::get(conn, &user)).await?;
    found.map(Into::into).ok_or(Error::NotFound)
}
