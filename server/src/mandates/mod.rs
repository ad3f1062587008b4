//! Mandates (usager → organisation: scope, purpose, duration, named aidants, consent,
//! attestation), as a domain module: rules only, no HTTP. Expiry is computed from dates on every
//! request, with the state's clock (`AppState::now`), so that tests move time instead of waiting
//! for it.

mod error;
mod mandate;
mod refusal;
// Acting under a mandate (access).
mod access;
pub mod documents;

pub use error::Error;
pub use mandate::{Mandate, MandateState, DURATIONS_DAYS, PROPOSAL_SECONDS, PURPOSES};
pub use refusal::MandateRefusal;
// Acting under a mandate (access).
pub use access::{access, grant, GrantView, MandateAccess};
