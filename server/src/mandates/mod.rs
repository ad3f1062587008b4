//! Mandates (usager → organisation: scope, purpose, duration, named aidants, consent,
//! attestation), as a domain module: rules only, no HTTP. Expiry is computed from dates on every
//! request, with the state's clock (`AppState::now`), so that tests move time instead of waiting
//! for it.

mod error;
mod refusal;

pub use error::Error;
pub use refusal::MandateRefusal;
