//! Attestations of mandates (issue 11): the printable proof that a mandate was given (creation)
//! or ended before its term (revocation).
//!
//! An attestation is a canonical text ([`content`]) signed with the server's attestation key
//! ([`signing`]), recorded once with a random verification secret ([`issue`], called by the
//! mandates inside their consent and revocation transactions). Its parties read and print it
//! ([`read`]); anyone holding its QR code sees its status and scope, anyone knowing its id its
//! status, and anyone holding its text and signature can check them ([`public`]). The status is
//! computed at each request from the mandate's row and the state's clock ([`status`]).
//!
//! Nothing here knows HTTP: functions return [`Error`], which `http::error` maps.

mod content;
mod error;
mod issue;
mod public;
mod read;
mod refusal;
mod signing;
mod status;

pub use content::{AttestationInput, Content, Ending, Kind, Organisation, Person, FORMAT};
pub use error::Error;
pub use issue::{issue, verification_url, Issued, SECRET_BYTES};
pub use public::{by_secret, status, verify, HolderView, Verification};
pub use read::{list, may_read, read, Document, Format, Summary};
pub use refusal::AttestationRefusal;
pub use signing::{digest_hex, key_name, Issuer};
pub use status::{Status, StatusView};
