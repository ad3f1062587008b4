//! The crate's single error type. Messages never contain secret material.

/// Everything that can go wrong in `consigne-crypto`.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A key, code or encoded value could not be parsed.
    #[error("invalid encoding: {0}")]
    Encoding(&'static str),
    /// The age header is malformed (structure, base64, stanza arguments, low-order share...).
    #[error("malformed age header: {0}")]
    Header(&'static str),
    /// ASCII armor is not strict, canonical PEM.
    #[error("invalid ASCII armor: {0}")]
    Armor(&'static str),
    /// The header MAC does not match: the header was altered or the file key is wrong.
    #[error("age header MAC mismatch")]
    HeaderMac,
    /// None of the given identities can open any stanza of the header.
    #[error("no identity matches this age header")]
    NoMatch,
    /// The payload is corrupted, truncated or has trailing data.
    #[error("age payload failure: {0}")]
    Payload(&'static str),
    /// An envelope, metadata blob or share has an unknown version or algorithm.
    #[error("unsupported format: {0}")]
    Unsupported(&'static str),
    /// An envelope is bound to another account than the one opening it.
    #[error("this envelope belongs to another account")]
    EnvelopeAccount,
    /// An envelope holds another identity than the vault's recipient (an old envelope?).
    #[error("this envelope holds another key than the vault's")]
    EnvelopeRecipient,
    /// Authenticated decryption failed (wrong key or altered ciphertext).
    #[error("decryption failed: wrong key or altered data")]
    Decrypt,
    /// A version signature does not verify against the signer's key (forged or altered).
    #[error("signature does not verify")]
    Signature,
    /// The recovery-kit code checksum does not match: a character was mistyped.
    #[error("recovery code checksum mismatch (typo?)")]
    KitChecksum,
    /// JSON (de)serialisation of metadata failed.
    #[error("metadata serialisation: {0}")]
    Serde(String),
    /// The operating system random generator failed.
    #[error("random generator failure")]
    Random,
    /// The API was used in the wrong order (e.g. push after finish).
    #[error("invalid state: {0}")]
    State(&'static str),
}

/// Shorthand result type.
pub type Result<T> = std::result::Result<T, Error>;
