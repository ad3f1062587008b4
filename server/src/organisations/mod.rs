//! Organisations (CCAS, France Services, associations), identified by SIRET: they hold mandates
//! and the people who act for them are their members, as aidant or référent. An operator creates
//! one and invites its first référent (`registry`); référents invite (`invitations`) and manage
//! (`members`) the others. A professional chooses after login the organisation they act for
//! (`acting`), re-checked on every request. Each professional has one account key (`account_key`).

pub mod account_key;
mod acting;
pub mod audit;
mod error;
pub mod invitations;
pub mod members;
mod refusal;
pub mod registry;
pub mod siret;

pub use acting::{acting, acting_as_referent, choose, memberships_of, Acting, MembershipView};
pub use error::Error;
pub use refusal::OrganisationRefusal;
pub use registry::{NewOrganisation, OrganisationKind};
pub use siret::Siret;

use crate::ids::OrganisationId;
use crate::macros::text_enum;
use crate::state::AppState;
use consigne_storage::db::vault::envelopes;
use consigne_storage::db::DbError;

text_enum! {
    /// What a member may do for the organisation; stored as `memberships.role`.
    pub enum MemberRole {
        /// Acts for usagers under the mandates they are named on.
        Aidant => "aidant",
        /// Also manages the organisation's members and reads its journal and indicators.
        Referent => "referent",
    }
}

/// Whether the organisation exists.
pub async fn exists(app: &AppState, id: &OrganisationId) -> Result<bool, DbError> {
    let id = id.clone();
    app.db.run(move |conn| envelopes::organisation_exists(conn, id.as_str())).await
}
