//! Mandates (usager → organisation: scope, purpose, duration, named aidants, consent,
//! attestation), as a domain module: rules only, no HTTP. Expiry is computed from dates on every
//! request, with the state's clock (`AppState::now`), so that tests move time instead of waiting
//! for it.

mod error;
mod mandate;
mod notify;
mod refusal;
// The mandate's life (lifecycle): proposal, answers, revocation, sweep, views.
mod consent;
pub mod hooks;
mod opened;
mod party;
mod proposal;
mod revocation;
mod sweep;
mod views;
// Acting under a mandate (access).
mod access;
pub mod documents;

pub use error::Error;
pub use mandate::{Mandate, MandateState, DURATIONS_DAYS, PROPOSAL_SECONDS, PURPOSES};
pub use refusal::MandateRefusal;
// The mandate's life (lifecycle).
pub use consent::{consent, refuse_proposal, ConsentInput, GrantInput, SlotInput, MAX_GRANT_BYTES};
pub use opened::{opened, Opened, OpenedDocument};
pub use party::Party;
pub use proposal::{claim, propose, withdraw, Claim, NewProposal, Proposed, Recap, MAX_AIDANTS};
pub use revocation::revoke;
pub use sweep::{sweep, SweepReport};
pub use views::{
    get, list_for_organisation, list_for_usager, status, AidantView, ListQuery, MandatePage, MandateView,
    OrganisationView, PersonView,
};
// Acting under a mandate (access).
pub use access::{access, grant, GrantView, MandateAccess};
