//! Key envelopes: list, add, retire. The server stores them and hands them back; it cannot open
//! any of them. The last one left cannot be retired, so a slip cannot lock a usager out.

use super::{validate, Error, Vault, VaultRefusal};
use crate::ids::{EnvelopeId, OrganisationId};
use crate::journal::{self, Action, Entry};
use crate::macros::text_enum;
use crate::organisations;
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::envelope::EnvelopeKind as Sealed;
use consigne_storage::db::vault::envelopes::{self, Envelope, RetireOutcome};
use consigne_storage::db::vault::limits;
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

text_enum! {
    /// A way to unlock the vault; stored as `vault_envelopes.kind`.
    pub enum EnvelopeKind {
        /// Under a key kept on the usager's device.
        Device => "device",
        /// Under a key derived from the printed recovery kit.
        Kit => "kit",
        /// 2-of-2 split between an organisation and the server.
        Assisted => "assisted",
    }
}

impl EnvelopeKind {
    /// The kind byte the crypto crate seals into an envelope of this kind.
    pub fn sealed_as(self) -> Sealed {
        match self {
            EnvelopeKind::Device => Sealed::Device,
            EnvelopeKind::Kit => Sealed::Kit,
            EnvelopeKind::Assisted => Sealed::Assisted,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EnvelopeInput {
    /// `device`, `kit` or `assisted`.
    pub kind: String,
    #[serde(default)]
    pub label: String,
    /// The envelope as made by the crypto crate, base64.
    pub envelope: String,
    /// `assisted`: the organisation holding the other share.
    pub organisation_id: Option<String>,
    /// `assisted`: the organisation's share, an age file to its recovery recipient, base64.
    pub organisation_share: Option<String>,
    /// `assisted`: the server's share, base64; stored encrypted under the server key.
    pub server_share: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EnvelopeView {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub envelope: String,
    pub organisation_id: Option<String>,
    pub organisation_share: Option<String>,
    pub created_at: i64,
}

impl From<Envelope> for EnvelopeView {
    fn from(e: Envelope) -> Self {
        Self {
            id: e.id,
            kind: e.kind,
            label: e.label,
            envelope: STANDARD.encode(e.envelope),
            organisation_id: e.organisation_id,
            organisation_share: e.organisation_share.map(|s| STANDARD.encode(s)),
            created_at: e.created_at,
        }
    }
}

/// Validates an envelope (bound to `vault`; an assisted one must name an organisation that
/// exists) and builds its row.
pub(super) async fn build(app: &AppState, vault: &Vault, input: EnvelopeInput) -> Result<Envelope, Error> {
    let kind = EnvelopeKind::parse(&input.kind).ok_or(VaultRefusal::InvalidEnvelope)?;
    let bytes = STANDARD.decode(input.envelope.trim()).map_err(|_| VaultRefusal::InvalidEnvelope)?;
    validate::envelope(kind, &bytes, vault)?;
    let label = input.label.trim().chars().take(100).collect::<String>();
    let decode = |value: Option<String>| -> Result<Vec<u8>, VaultRefusal> {
        let bytes =
            STANDARD.decode(value.unwrap_or_default().trim()).map_err(|_| VaultRefusal::InvalidEnvelope)?;
        (!bytes.is_empty()).then_some(bytes).ok_or(VaultRefusal::InvalidEnvelope)
    };
    let (organisation_id, organisation_share, server_share) = if kind == EnvelopeKind::Assisted {
        let server_share = decode(input.server_share)?;
        let organisation_share = decode(input.organisation_share)?;
        // The organisation's share must be an age file (it opens only with their recovery key).
        let is_age = organisation_share.starts_with(b"age-encryption.org/v1\n");
        if server_share.len() > 256 || !is_age || organisation_share.len() > 4096 {
            return Err(VaultRefusal::InvalidEnvelope.into());
        }
        let organisation = input
            .organisation_id
            .as_deref()
            .and_then(OrganisationId::parse)
            .ok_or(VaultRefusal::InvalidEnvelope)?;
        if !organisations::exists(app, &organisation).await? {
            return Err(VaultRefusal::InvalidEnvelope.into());
        }
        let sealed = app.keys.encrypt(&server_share, "vault-assisted-share");
        (Some(organisation.as_str().to_owned()), Some(organisation_share), Some(sealed.into_bytes()))
    } else {
        (None, None, None)
    };
    Ok(Envelope {
        id: EnvelopeId::new().into_string(),
        vault_id: vault.id.as_str().to_owned(),
        kind: kind.as_str().to_owned(),
        label,
        envelope: bytes,
        organisation_id,
        organisation_share,
        server_share,
        created_at: app.now(),
    })
}

pub async fn list_envelopes(app: &AppState, vault: &Vault) -> Result<Vec<EnvelopeView>, Error> {
    let id = vault.id.clone();
    let rows = app.db.run(move |conn| envelopes::list(conn, id.as_str())).await?;
    Ok(rows.into_iter().map(EnvelopeView::from).collect())
}

pub async fn add_envelope(
    app: &AppState,
    vault: &Vault,
    input: EnvelopeInput,
) -> Result<EnvelopeView, Error> {
    let row = build(app, vault, input).await?;
    let entry = Entry::new(Action::EnvelopeAdded)
        .by(vault.owner())
        .details(json!({"envelope_id": row.id, "kind": row.kind}));
    let (insert, at, limits) = (row.clone(), app.now(), vault.limits(app));
    let vault_id = vault.id.clone();
    let added = app
        .db
        .run(move |conn| {
            limits::guarded(
                conn,
                vault_id.as_str(),
                |conn| limits::check_envelopes(conn, vault_id.as_str(), &limits),
                |conn| {
                    envelopes::insert(conn, &insert)?;
                    journal::strict(conn, at, &entry)
                },
            )
        })
        .await?;
    added.map_err(|_| VaultRefusal::LimitReached)?;
    Ok(row.into())
}

pub async fn retire_envelope(app: &AppState, vault: &Vault, envelope_id: &EnvelopeId) -> Result<(), Error> {
    let (vault_id, id, owner, at) = (vault.id.clone(), envelope_id.clone(), vault.owner(), app.now());
    let outcome = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let outcome = envelopes::retire(conn, vault_id.as_str(), id.as_str())?;
                if let RetireOutcome::Retired(retired) = &outcome {
                    let entry = Entry::new(Action::EnvelopeRetired)
                        .by(owner)
                        .details(json!({"envelope_id": retired.id, "kind": retired.kind}));
                    journal::strict(conn, at, &entry)?;
                }
                Ok::<_, DbError>(outcome)
            })
        })
        .await?;
    match outcome {
        RetireOutcome::Retired(_) => Ok(()),
        RetireOutcome::NotFound => Err(Error::NotFound),
        RetireOutcome::LastOne => Err(VaultRefusal::LastEnvelope.into()),
    }
}
