//! Identities, envelopes, recovery kit, mandate keys and share links.

use consigne_crypto::envelope::{self, EnvelopeKey};
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::{mandate, Identity};
use wasm_bindgen::prelude::*;

use crate::{array, js_err, parse_identity, JsResult};

/// What an envelope must be bound to: the account id and the vault's recipient (`age1…`).
fn binding<'a>(account_id: &'a str, recipient: &str) -> JsResult<envelope::Binding<'a>> {
    Ok(envelope::Binding { account_id, recipient: recipient.parse().map_err(js_err)? })
}

/// A fresh identity, as `AGE-SECRET-KEY-1...`.
#[wasm_bindgen(js_name = generateIdentity)]
pub fn generate_identity() -> JsResult<String> {
    Ok(Identity::generate().map_err(js_err)?.to_secret_string().to_string())
}

/// The `age1...` recipient of an identity.
#[wasm_bindgen(js_name = identityToRecipient)]
pub fn identity_to_recipient(identity: &str) -> JsResult<String> {
    Ok(parse_identity(identity)?.to_recipient().to_string())
}

/// A random 256-bit device key (to keep on the device).
#[wasm_bindgen(js_name = generateDeviceKey)]
pub fn generate_device_key() -> JsResult<Vec<u8>> {
    Ok(EnvelopeKey::generate().map_err(js_err)?.as_bytes().to_vec())
}

/// Seals the identity of the account `account_id` under the device key.
#[wasm_bindgen(js_name = sealDeviceEnvelope)]
pub fn seal_device_envelope(device_key: &[u8], identity: &str, account_id: &str) -> JsResult<Vec<u8>> {
    let key = EnvelopeKey::from_bytes(array::<32>(device_key, "device key")?);
    envelope::seal_device(&key, &parse_identity(identity)?, account_id).map_err(js_err)
}

/// Opens a device envelope that must belong to `account_id` and hold the vault's `recipient`;
/// returns the identity text.
#[wasm_bindgen(js_name = openDeviceEnvelope)]
pub fn open_device_envelope(
    device_key: &[u8],
    sealed: &[u8],
    account_id: &str,
    recipient: &str,
) -> JsResult<String> {
    let key = EnvelopeKey::from_bytes(array::<32>(device_key, "device key")?);
    let id = envelope::open_device(&key, sealed, &binding(account_id, recipient)?).map_err(js_err)?;
    Ok(id.to_secret_string().to_string())
}

/// A new recovery code, in its printed form (`XXXX-XXXX-...`).
#[wasm_bindgen(js_name = generateKitCode)]
pub fn generate_kit_code() -> JsResult<String> {
    Ok(RecoveryCode::generate().map_err(js_err)?.to_human().to_string())
}

/// Parses a typed or scanned code (tolerant of case, spaces, confusables); returns the
/// canonical printed form, or throws if a character is wrong.
#[wasm_bindgen(js_name = parseKitCode)]
pub fn parse_kit_code(input: &str) -> JsResult<String> {
    Ok(RecoveryCode::parse(input).map_err(js_err)?.to_human().to_string())
}

/// The QR payload (`CONSIGNE-KIT:1:...`) of a code.
#[wasm_bindgen(js_name = kitCodeQrPayload)]
pub fn kit_code_qr_payload(code: &str) -> JsResult<String> {
    Ok(RecoveryCode::parse(code).map_err(js_err)?.to_qr_payload().to_string())
}

/// Seals the identity of the account `account_id` under the recovery code.
#[wasm_bindgen(js_name = sealKitEnvelope)]
pub fn seal_kit_envelope(code: &str, identity: &str, account_id: &str) -> JsResult<Vec<u8>> {
    let code = RecoveryCode::parse(code).map_err(js_err)?;
    envelope::seal_kit(&code, &parse_identity(identity)?, account_id).map_err(js_err)
}

/// Opens a kit envelope with the code (bound as for [`open_device_envelope`]); returns the
/// identity text.
#[wasm_bindgen(js_name = openKitEnvelope)]
pub fn open_kit_envelope(code: &str, sealed: &[u8], account_id: &str, recipient: &str) -> JsResult<String> {
    let code = RecoveryCode::parse(code).map_err(js_err)?;
    let id = envelope::open_kit(&code, sealed, &binding(account_id, recipient)?).map_err(js_err)?;
    Ok(id.to_secret_string().to_string())
}

/// Wraps a mandate key (identity text) to an aidant's recipient; returns the grant (age file).
#[wasm_bindgen(js_name = wrapMandateKey)]
pub fn wrap_mandate_key(mandate_key: &str, aidant_recipient: &str) -> JsResult<Vec<u8>> {
    let r = aidant_recipient.parse().map_err(js_err)?;
    mandate::wrap_mandate_key(&parse_identity(mandate_key)?, &r).map_err(js_err)
}

/// Opens a grant with the aidant's identity; returns the mandate key text.
#[wasm_bindgen(js_name = unwrapMandateKey)]
pub fn unwrap_mandate_key(grant: &[u8], aidant_identity: &str) -> JsResult<String> {
    let mk = mandate::unwrap_mandate_key(grant, &parse_identity(aidant_identity)?).map_err(js_err)?;
    Ok(mk.to_secret_string().to_string())
}

/// A fresh share-link identity, as its URL fragment (`v1.<base64url>`).
#[wasm_bindgen(js_name = generateShareLinkFragment)]
pub fn generate_share_link_fragment() -> JsResult<String> {
    let id = Identity::generate().map_err(js_err)?;
    Ok(mandate::share_link_fragment(&id).to_string())
}

/// The identity (`AGE-SECRET-KEY-1...`) carried by a share-link fragment.
#[wasm_bindgen(js_name = shareLinkIdentity)]
pub fn share_link_identity(fragment: &str) -> JsResult<String> {
    let id = mandate::parse_share_link_fragment(fragment).map_err(js_err)?;
    Ok(id.to_secret_string().to_string())
}

/// The recipient to add a slot for, from a share-link fragment.
#[wasm_bindgen(js_name = shareLinkRecipient)]
pub fn share_link_recipient(fragment: &str) -> JsResult<String> {
    let id = mandate::parse_share_link_fragment(fragment).map_err(js_err)?;
    Ok(id.to_recipient().to_string())
}

/// The three outputs of setting up assisted recovery.
#[wasm_bindgen]
pub struct AssistedSplit {
    envelope: Vec<u8>,
    organisation_share: Vec<u8>,
    server_share: Vec<u8>,
}

#[wasm_bindgen]
impl AssistedSplit {
    /// The `assisted` envelope (stored by the server).
    #[wasm_bindgen(getter)]
    pub fn envelope(&self) -> Vec<u8> {
        self.envelope.clone()
    }

    /// The organisation share: an age file for the organisation's recovery recipient.
    #[wasm_bindgen(getter, js_name = organisationShare)]
    pub fn organisation_share(&self) -> Vec<u8> {
        self.organisation_share.clone()
    }

    /// The server share (34 bytes), which the server encrypts under its own secret.
    #[wasm_bindgen(getter, js_name = serverShare)]
    pub fn server_share(&self) -> Vec<u8> {
        self.server_share.clone()
    }
}

/// Seals the identity of the account `account_id` for assisted recovery (2-of-2 between
/// organisation and server).
#[wasm_bindgen(js_name = sealAssisted)]
pub fn seal_assisted(
    identity: &str,
    organisation_recipient: &str,
    account_id: &str,
) -> JsResult<AssistedSplit> {
    let org = organisation_recipient.parse().map_err(js_err)?;
    let split = envelope::seal_assisted(&parse_identity(identity)?, &org, account_id).map_err(js_err)?;
    Ok(AssistedSplit {
        server_share: split.server_share.to_bytes().to_vec(),
        envelope: split.envelope,
        organisation_share: split.organisation_share,
    })
}

/// Decrypts the organisation share with the organisation's recovery identity; returns the
/// 34-byte share.
#[wasm_bindgen(js_name = openOrganisationShare)]
pub fn open_organisation_share(age_file: &[u8], organisation_identity: &str) -> JsResult<Vec<u8>> {
    let share = envelope::open_organisation_share(age_file, &parse_identity(organisation_identity)?)
        .map_err(js_err)?;
    Ok(share.to_bytes().to_vec())
}

/// Recombines both shares (in any order) and opens the envelope (bound as for
/// [`open_device_envelope`]); returns the identity text.
#[wasm_bindgen(js_name = openAssisted)]
pub fn open_assisted(
    sealed: &[u8],
    share_a: &[u8],
    share_b: &[u8],
    account_id: &str,
    recipient: &str,
) -> JsResult<String> {
    let a = envelope::Share::from_bytes(share_a).map_err(js_err)?;
    let b = envelope::Share::from_bytes(share_b).map_err(js_err)?;
    let id = envelope::open_assisted(sealed, &a, &b, &binding(account_id, recipient)?).map_err(js_err)?;
    Ok(id.to_secret_string().to_string())
}
