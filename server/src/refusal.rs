//! What every refusal table shares: the status class of a refusal. Domains say what kind of
//! failure a refusal is; only the HTTP layer (`http::error`) turns a class into a status code.

/// The kind of a refusal, named after the HTTP status it becomes, without depending on HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// The request is malformed or its content invalid (400).
    BadRequest,
    /// Nobody is signed in, or the proof of identity did not verify (401).
    Unauthenticated,
    /// Signed in, but not allowed this (403).
    Forbidden,
    /// Nothing here, or not for this caller (404).
    NotFound,
    MethodNotAllowed,
    /// The request conflicts with the current state (409).
    Conflict,
    /// It existed and is gone for good (410).
    Gone,
    /// The body is larger than allowed (413).
    TooLarge,
    UnsupportedMediaType,
    RangeNotSatisfiable,
    /// Too many attempts (429).
    TooManyRequests,
    /// Something is broken inside (500).
    Internal,
    /// An outside service (the identity provider) failed (502).
    BadGateway,
    /// A dependency is down; retry later (503).
    Unavailable,
    /// The caller's storage quota is full (507).
    InsufficientStorage,
}
