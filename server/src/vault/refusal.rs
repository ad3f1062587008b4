//! Why a vault request is refused: one stable code each (documented in openapi.yaml) and a French
//! message in the catalogue (messages.rs).

use actix_web::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultRefusal {
    /// The usager has no vault yet.
    NoVault,
    VaultExists,
    /// The vault is being closed: nothing new can be stored.
    VaultClosing,
    InvalidRecipient,
    /// An envelope is malformed, of an unknown version, or not of the kind it claims.
    InvalidEnvelope,
    /// The last way to unlock the vault cannot be retired.
    LastEnvelope,
    UnknownCategory,
    /// An expiry date that is not `YYYY-MM-DD`.
    InvalidDate,
    /// A slot is not a single-recipient age header, or the usager's own slot is missing.
    MalformedSlot,
    /// The version already has a slot for this recipient.
    DuplicateSlot,
    MetadataTooLarge,
    MalformedMetadata,
    /// The upload's framing (descriptor length, descriptor JSON) is wrong.
    MalformedUpload,
    /// The announced payload is larger than the per-document limit.
    DocumentTooLarge,
    QuotaExceeded,
    /// The payload has more bytes than announced.
    PayloadTooLong,
    /// The stream ended before the announced size.
    PayloadTruncated,
    PayloadChecksumMismatch,
    /// A stored payload no longer matches its recorded SHA-256.
    IntegrityFailure,
    RangeNotSatisfiable,
    /// The share link expired, was revoked or reached its download limit.
    ShareClosed,
    NotInBin,
}

impl VaultRefusal {
    pub fn code(self) -> &'static str {
        match self {
            VaultRefusal::NoVault => "vault_missing",
            VaultRefusal::VaultExists => "vault_exists",
            VaultRefusal::VaultClosing => "vault_closing",
            VaultRefusal::InvalidRecipient => "vault_invalid_recipient",
            VaultRefusal::InvalidEnvelope => "vault_invalid_envelope",
            VaultRefusal::LastEnvelope => "vault_last_envelope",
            VaultRefusal::UnknownCategory => "document_unknown_category",
            VaultRefusal::InvalidDate => "document_invalid_date",
            VaultRefusal::MalformedSlot => "document_malformed_slot",
            VaultRefusal::DuplicateSlot => "document_duplicate_slot",
            VaultRefusal::MetadataTooLarge => "document_metadata_too_large",
            VaultRefusal::MalformedMetadata => "document_malformed_metadata",
            VaultRefusal::MalformedUpload => "document_malformed_upload",
            VaultRefusal::DocumentTooLarge => "document_too_large",
            VaultRefusal::QuotaExceeded => "vault_quota_exceeded",
            VaultRefusal::PayloadTooLong => "document_payload_too_long",
            VaultRefusal::PayloadTruncated => "document_payload_truncated",
            VaultRefusal::PayloadChecksumMismatch => "document_checksum_mismatch",
            VaultRefusal::IntegrityFailure => "document_integrity_failure",
            VaultRefusal::RangeNotSatisfiable => "range_not_satisfiable",
            VaultRefusal::ShareClosed => "share_closed",
            VaultRefusal::NotInBin => "document_not_in_bin",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            VaultRefusal::NoVault => StatusCode::NOT_FOUND,
            VaultRefusal::VaultExists | VaultRefusal::VaultClosing | VaultRefusal::LastEnvelope => {
                StatusCode::CONFLICT
            }
            VaultRefusal::NotInBin | VaultRefusal::DuplicateSlot => StatusCode::CONFLICT,
            VaultRefusal::DocumentTooLarge | VaultRefusal::PayloadTooLong => StatusCode::PAYLOAD_TOO_LARGE,
            VaultRefusal::QuotaExceeded => StatusCode::INSUFFICIENT_STORAGE,
            VaultRefusal::IntegrityFailure => StatusCode::INTERNAL_SERVER_ERROR,
            VaultRefusal::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
            VaultRefusal::ShareClosed => StatusCode::GONE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// Every refusal, for the catalogue and documentation tests.
    pub const ALL: [VaultRefusal; 22] = [
        VaultRefusal::NoVault,
        VaultRefusal::VaultExists,
        VaultRefusal::VaultClosing,
        VaultRefusal::InvalidRecipient,
        VaultRefusal::InvalidEnvelope,
        VaultRefusal::LastEnvelope,
        VaultRefusal::UnknownCategory,
        VaultRefusal::InvalidDate,
        VaultRefusal::MalformedSlot,
        VaultRefusal::DuplicateSlot,
        VaultRefusal::MetadataTooLarge,
        VaultRefusal::MalformedMetadata,
        VaultRefusal::MalformedUpload,
        VaultRefusal::DocumentTooLarge,
        VaultRefusal::QuotaExceeded,
        VaultRefusal::PayloadTooLong,
        VaultRefusal::PayloadTruncated,
        VaultRefusal::PayloadChecksumMismatch,
        VaultRefusal::IntegrityFailure,
        VaultRefusal::RangeNotSatisfiable,
        VaultRefusal::ShareClosed,
        VaultRefusal::NotInBin,
    ];
}
