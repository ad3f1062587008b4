//! Key envelopes: list, add, retire. The server stores them and hands them back; it cannot open
//! any of them. The last one left cannot be retired, so a slip cannot lock a usager out.

use super::{now, validate, Record, VaultRefusal};
use crate::app::AppState;
use crate::error::ApiError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::db::vault::envelopes::{self, Envelope, RetireOutcome};
use consigne_storage::db::vault::vaults::Vault;
use serde::{Deserialize, Serialize};
use serde_json::json;

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

/// Validates an envelope (an assisted one must name an organisation that exists) and builds its row.
pub(super) async fn build(
    app: &AppState,
    vault_id: &str,
    input: EnvelopeInput,
) -> Result<Envelope, ApiError> {
    let bytes = STANDARD.decode(input.envelope.trim()).map_err(|_| VaultRefusal::InvalidEnvelope)?;
    validate::envelope(&input.kind, &bytes)?;
    let label = input.label.trim().chars().take(100).collect::<String>();
    let decode = |value: Option<String>| -> Result<Vec<u8>, VaultRefusal> {
        let bytes =
            STANDARD.decode(value.unwrap_or_default().trim()).map_err(|_| VaultRefusal::InvalidEnvelope)?;
        (!bytes.is_empty()).then_some(bytes).ok_or(VaultRefusal::InvalidEnvelope)
    };
    let (organisation_id, organisation_share, server_share) = if input.kind == "assisted" {
        let server_share = decode(input.server_share)?;
        let organisation_share = decode(input.organisation_share)?;
        // The organisation's share must be an age file (it opens only with their recovery key).
        let is_age = organisation_share.starts_with(b"age-encryption.org/v1\n");
        if input.organisation_id.is_none()
            || server_share.len() > 256
            || !is_age
            || organisation_share.len() > 4096
        {
            return Err(VaultRefusal::InvalidEnvelope.into());
        }
        let id = input.organisation_id.clone().unwrap_or_default();
        if !app.db.run(move |conn| envelopes::organisation_exists(conn, &id)).await? {
            return Err(VaultRefusal::InvalidEnvelope.into());
        }
        let sealed = app.auth.keys.encrypt(&server_share, "vault-assisted-share");
        (input.organisation_id, Some(organisation_share), Some(sealed.into_bytes()))
    } else {
        (None, None, None)
    };
    Ok(Envelope {
        id: super::new_id(),
        vault_id: vault_id.to_owned(),
        kind: input.kind,
        label,
        envelope: bytes,
        organisation_id,
        organisation_share,
        server_share,
        created_at: now(),
    })
}

pub async fn list_envelopes(app: &AppState, vault: &Vault) -> Result<Vec<EnvelopeView>, ApiError> {
    let id = vault.id.clone();
    let rows = app.db.run(move |conn| envelopes::list(conn, &id)).await?;
    Ok(rows.into_iter().map(EnvelopeView::from).collect())
}

pub async fn add_envelope(
    app: &AppState,
    vault: &Vault,
    input: EnvelopeInput,
) -> Result<EnvelopeView, ApiError> {
    let row = build(app, &vault.id, input).await?;
    let insert = row.clone();
    app.db.run(move |conn| envelopes::insert(conn, &insert)).await?;
    Record::new(&vault.usager_id, "vault.envelope_added")
        .by_usager()
        .details(json!({"envelope_id": row.id, "kind": row.kind}))
        .write(app)
        .await?;
    Ok(row.into())
}

pub async fn retire_envelope(app: &AppState, vault: &Vault, envelope_id: &str) -> Result<(), ApiError> {
    let (vid, eid) = (vault.id.clone(), envelope_id.to_owned());
    let outcome = app.db.run(move |conn| envelopes::retire(conn, &vid, &eid)).await?;
    let retired = match outcome {
        RetireOutcome::Retired(e) => e,
        RetireOutcome::NotFound => return Err(ApiError::NotFound),
        RetireOutcome::LastOne => return Err(VaultRefusal::LastEnvelope.into()),
    };
    Record::new(&vault.usager_id, "vault.envelope_retired")
        .by_usager()
        .details(json!({"envelope_id": retired.id, "kind": retired.kind}))
        .write(app)
        .await
}
