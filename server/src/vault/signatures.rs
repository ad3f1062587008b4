//! Documents authenticated by their author (issue 16, item 1): the registry of signing keys, who
//! may write in a vault, the check of an upload's signature, and the signer shown with a version.
//!
//! The server cannot trust itself here: the point of the signature is that a client refuses a
//! version the server (or a past holder of the file key) made up. What the server checks is that
//! nothing unverifiable is stored, and that the signer is someone allowed to write there.

use super::{Access, Error, VaultRefusal};
use crate::ids::UserId;
use crate::journal::{self, Action, Actor, Entry};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::signature::{self, PublicKey, VersionFields, SIGNATURE_LEN};
use consigne_crypto::Recipient;
use consigne_storage::db::organisations::organisation;
use consigne_storage::db::vault::signing_keys::{self, Registered, Signer, SigningKey};
use consigne_storage::db::vault::versions::Version;
use consigne_storage::db::DbConnection;
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// `PUT /api/v1/account/signing-key`: the `consigne-sig1…` key and the proof that its holder
/// registers it for this account (base64).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningKeyInput {
    pub public_key: String,
    pub proof: String,
}

#[derive(Debug, Serialize)]
pub struct SigningKeyView {
    pub public_key: String,
    pub created_at: i64,
}

impl From<SigningKey> for SigningKeyView {
    fn from(k: SigningKey) -> Self {
        Self { public_key: k.public_key, created_at: k.created_at }
    }
}

/// Who signed a version, for the client to verify with and to name ("ajouté par …", with the
/// organisation an aidant acted for: "ajouté par Sophie Leroy, CCAS d'Alpha").
#[derive(Debug, Clone, Serialize)]
pub struct SignerView {
    pub id: String,
    pub name: String,
    pub signing_key: String,
    /// The organisation's name, when the author acted for one (under a mandate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// The signers of some versions, and the organisations they acted for, as loaded once.
#[derive(Debug, Default)]
pub struct Signers {
    people: Vec<Signer>,
    organisations: Vec<(String, String)>,
}

/// Whether `signer` may add a document or version of `category` where `writer` writes, at
/// `now`: in their own vault, the usager; under a mandate, the aidant acting (no one else signs
/// for them), while the mandate is in force and covers the category.
pub fn may_write(signer: &UserId, writer: &Access, category: &str, now: i64) -> bool {
    match &writer.mandate {
        None => *signer == writer.vault.usager,
        Some(mandate) => *signer == writer.actor.user_id && mandate.in_force(now) && mandate.covers(category),
    }
}

/// Records the caller's signing key, once (a retry with the same key is accepted), journaled in
/// the same transaction.
pub async fn register_signing_key(
    app: &AppState,
    actor: Actor,
    input: SigningKeyInput,
) -> Result<SigningKeyView, Error> {
    let user = &actor.user_id;
    let key = input.public_key.parse::<PublicKey>().map_err(|_| VaultRefusal::InvalidSigningKey)?;
    let proof = STANDARD.decode(&input.proof).map_err(|_| VaultRefusal::InvalidSigningKey)?;
    signature::verify_registration(&key, user.as_str(), &proof)
        .map_err(|_| VaultRefusal::InvalidSigningKey)?;
    let row =
        SigningKey { user_id: user.as_str().to_owned(), public_key: key.to_string(), created_at: app.now() };
    let (at, entry) = (
        app.now(),
        Entry::new(Action::SigningKeyRegistered).by(actor).personal(json!({"public_key": row.public_key})),
    );
    let registered = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let outcome = signing_keys::register(conn, row)?;
                if matches!(outcome, Registered::Recorded(_)) {
                    journal::strict(conn, at, &entry)?;
                }
                Ok::<_, DbError>(outcome)
            })
        })
        .await?;
    match registered {
        Registered::Recorded(k) | Registered::Unchanged(k) => Ok(k.into()),
        Registered::Conflict => Err(VaultRefusal::SigningKeyConflict.into()),
    }
}

/// The caller's registered signing key.
pub async fn signing_key(app: &AppState, user: &UserId) -> Result<SigningKeyView, Error> {
    let user = user.as_str().to_owned();
    let found = app.db.run(move |conn| signing_keys::of_user(conn, &user)).await?;
    found.map(Into::into).ok_or(Error::NotFound)
}

/// An upload's signature, as sent: the signer's `consigne-sig1…` key and the signature (base64).
pub struct Claimed<'a> {
    pub signing_key: &'a str,
    pub signature: &'a str,
}

/// What the signature covers, as the server stores it, and where it is written.
pub struct Signed<'a> {
    pub writer: &'a Access,
    /// The document's category (for a new version, the stored one).
    pub category: &'a str,
    pub document_id: &'a str,
    pub version: u32,
    pub payload_sha256: [u8; 32],
    pub metadata: &'a [u8],
    pub recipients: &'a [Recipient],
}

/// Checks an upload's signature: well formed, by a registered key whose owner may write in the
/// vault, and verifying over exactly what is stored. Returns the signer and the signature bytes.
pub async fn check_upload(
    app: &AppState,
    claimed: Claimed<'_>,
    signed: Signed<'_>,
) -> Result<(UserId, Vec<u8>), Error> {
    let bytes = STANDARD.decode(claimed.signature).map_err(|_| VaultRefusal::BadSignature)?;
    if bytes.len() != SIGNATURE_LEN || !signature::is_signature_shape(&bytes) {
        return Err(VaultRefusal::BadSignature.into());
    }
    let key = claimed.signing_key.parse::<PublicKey>().map_err(|_| VaultRefusal::BadSignature)?;
    let text = key.to_string();
    let found = app.db.run(move |conn| signing_keys::by_public_key(conn, &text)).await?;
    // A key nobody registered is nobody allowed to write.
    let signer = found.map(|k| UserId::from_row(k.user_id)).ok_or(VaultRefusal::SignerNotAllowed)?;
    if !may_write(&signer, signed.writer, signed.category, app.now()) {
        return Err(VaultRefusal::SignerNotAllowed.into());
    }
    let fields = VersionFields {
        vault_id: signed.writer.vault.id.as_str(),
        document_id: signed.document_id,
        version: signed.version,
        payload_sha256: signed.payload_sha256,
        metadata: signed.metadata,
        recipients: signed.recipients,
    };
    signature::verify_version(&key, &fields, &bytes).map_err(|_| VaultRefusal::BadSignature)?;
    Ok((signer, bytes))
}

/// The signed recipients as stored: sorted, space-separated `age1…`.
pub fn recipients_text(recipients: &[Recipient]) -> String {
    let mut texts: Vec<String> = recipients.iter().map(ToString::to_string).collect();
    texts.sort();
    texts.join(" ")
}

/// The signers of these versions, to show with them.
pub fn signers_of(conn: &mut DbConnection, versions: &[&Version]) -> Result<Signers, DbError> {
    let distinct = |ids: Vec<String>| {
        let mut ids = ids;
        ids.sort();
        ids.dedup();
        ids
    };
    let people = distinct(versions.iter().filter_map(|v| v.signer_id.clone()).collect());
    let organisations = distinct(versions.iter().filter_map(|v| v.signer_organisation_id.clone()).collect());
    Ok(Signers {
        people: signing_keys::signers(conn, &people)?,
        organisations: organisation::names(conn, &organisations)?,
    })
}

/// The view of a version's signer among those loaded.
pub fn signer_view(v: &Version, signers: &Signers) -> Option<SignerView> {
    let id = v.signer_id.as_deref()?;
    let s = signers.people.iter().find(|s| s.user_id == id)?;
    let organisation = v
        .signer_organisation_id
        .as_deref()
        .and_then(|o| signers.organisations.iter().find(|(oid, _)| oid == o).map(|(_, name)| name.clone()));
    Some(SignerView {
        id: s.user_id.clone(),
        name: format!("{} {}", s.given_name, s.family_name).trim().to_owned(),
        signing_key: s.public_key.clone(),
        organisation,
    })
}
