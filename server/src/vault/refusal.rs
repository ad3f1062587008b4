//! Why a vault request is refused: the one table of the vault refusals. Each row: variant =>
//! (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum VaultRefusal {
        /// The usager has no vault yet.
        NoVault => ("vault_missing", NotFound, VAULT_MISSING),
        VaultExists => ("vault_exists", Conflict, VAULT_EXISTS),
        /// The vault is being closed: nothing new can be stored.
        VaultClosing => ("vault_closing", Conflict, VAULT_CLOSING),
        InvalidRecipient => ("vault_invalid_recipient", BadRequest, VAULT_INVALID_RECIPIENT),
        /// An envelope is malformed, of an unknown version, or not of the kind it claims.
        InvalidEnvelope => ("vault_invalid_envelope", BadRequest, VAULT_INVALID_ENVELOPE),
        /// The last way to unlock the vault cannot be retired.
        LastEnvelope => ("vault_last_envelope", Conflict, VAULT_LAST_ENVELOPE),
        UnknownCategory => ("document_unknown_category", BadRequest, DOCUMENT_UNKNOWN_CATEGORY),
        /// An expiry date that is not `YYYY-MM-DD`.
        InvalidDate => ("document_invalid_date", BadRequest, DOCUMENT_INVALID_DATE),
        /// A slot is not a single-recipient age header for a valid recipient, or the usager's own
        /// slot is missing (the one slot check, `vault::slot`, for uploads and shares alike).
        MalformedSlot => ("document_malformed_slot", BadRequest, DOCUMENT_MALFORMED_SLOT),
        /// The version already has a slot for this recipient.
        DuplicateSlot => ("document_duplicate_slot", Conflict, DOCUMENT_DUPLICATE_SLOT),
        MetadataTooLarge => ("document_metadata_too_large", BadRequest, DOCUMENT_METADATA_TOO_LARGE),
        MalformedMetadata => ("document_malformed_metadata", BadRequest, DOCUMENT_MALFORMED_METADATA),
        /// The upload's framing (descriptor length, descriptor JSON) is wrong.
        MalformedUpload => ("document_malformed_upload", BadRequest, DOCUMENT_MALFORMED_UPLOAD),
        /// The announced payload is larger than the per-document limit.
        DocumentTooLarge => ("document_too_large", TooLarge, DOCUMENT_TOO_LARGE),
        QuotaExceeded => ("vault_quota_exceeded", InsufficientStorage, VAULT_QUOTA_EXCEEDED),
        /// A cap on versions per document, live share links or key envelopes is reached.
        LimitReached => ("vault_limit_reached", Conflict, VAULT_LIMIT_REACHED),
        /// The payload has more bytes than announced.
        PayloadTooLong => ("document_payload_too_long", TooLarge, DOCUMENT_PAYLOAD_TOO_LONG),
        /// The stream ended before the announced size.
        PayloadTruncated => ("document_payload_truncated", BadRequest, DOCUMENT_PAYLOAD_TRUNCATED),
        PayloadChecksumMismatch => ("document_checksum_mismatch", BadRequest, DOCUMENT_CHECKSUM_MISMATCH),
        /// A stored payload no longer matches its recorded SHA-256.
        IntegrityFailure => ("document_integrity_failure", Internal, DOCUMENT_INTEGRITY_FAILURE),
        RangeNotSatisfiable => ("range_not_satisfiable", RangeNotSatisfiable, RANGE_NOT_SATISFIABLE),
        /// The share link expired, was revoked, reached its download limit, or its document is in
        /// the bin.
        ShareClosed => ("share_closed", Gone, SHARE_CLOSED),
        NotInBin => ("document_not_in_bin", Conflict, DOCUMENT_NOT_IN_BIN),
        /// The version's signature is malformed, of an unknown version, or does not verify over
        /// what is uploaded (issue 16, item 1).
        BadSignature => ("document_bad_signature", BadRequest, DOCUMENT_BAD_SIGNATURE),
        /// The signing key is nobody's, or its owner may not write in this vault.
        SignerNotAllowed => ("document_signer_not_allowed", Forbidden, DOCUMENT_SIGNER_NOT_ALLOWED),
        /// A mandate in force covers the document's category and the version has no slot for
        /// its key (the client refreshes the usager's mandates and encrypts again).
        MissingMandateSlot => ("document_missing_mandate_slot", Conflict, DOCUMENT_MISSING_MANDATE_SLOT),
        /// A slot for the key of a mandate that is not in force, is another usager's, or does not
        /// cover the document's category.
        StaleMandateSlot => ("document_stale_mandate_slot", Conflict, DOCUMENT_STALE_MANDATE_SLOT),
        /// A new document's client-chosen id is already taken.
        DocumentIdTaken => ("document_id_taken", Conflict, DOCUMENT_ID_TAKEN),
        /// The version number the client signed is not the next one: another version came first.
        VersionConflict => ("document_version_conflict", Conflict, DOCUMENT_VERSION_CONFLICT),
        /// A signing key that does not parse, or whose proof of possession does not verify.
        InvalidSigningKey => ("signing_key_invalid", BadRequest, SIGNING_KEY_INVALID),
        /// The account already has another signing key, or the key is another account's.
        SigningKeyConflict => ("signing_key_conflict", Conflict, SIGNING_KEY_CONFLICT),
        // The erasure of a closed vault's usager from the journal (`consigne vault erase`).
        /// The vault still exists: its closure was not asked for, or its notice has not passed.
        ErasureNotClosed => ("vault_erasure_not_closed", Conflict, VAULT_ERASURE_NOT_CLOSED),
        /// No vault of that id was closed, or its usager's data was already erased.
        ErasureUnknown => ("vault_erasure_unknown", NotFound, VAULT_ERASURE_UNKNOWN),
        /// The usager has opened a vault again since: their journal is theirs to read.
        ErasureUsagerReturned => ("vault_erasure_usager_returned", Conflict, VAULT_ERASURE_USAGER_RETURNED),
    }
}
