//! Organisations (CCAS, France Services, associations), identified by SIRET: they hold mandates
//! and the people who act for them are their members, as aidant or référent. A professional
//! chooses after login the organisation they act for (`acting`), re-checked on every request.

mod acting;
mod error;
mod refusal;

pub use acting::{acting, acting_as_referent, choose, memberships_of, Acting, MembershipView};
pub use error::Error;
pub use refusal::OrganisationRefusal;

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
