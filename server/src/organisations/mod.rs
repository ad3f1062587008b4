//! Organisations (CCAS, associations, France Services), identified by SIRET: they hold mandates
//! and employ aidants, and the référents administer them. Today only their existence is checked
//! (an assisted-recovery envelope names one); creating and administering them lands here.

use crate::ids::OrganisationId;
use crate::state::AppState;
use consigne_storage::db::vault::envelopes;
use consigne_storage::db::DbError;

/// Whether the organisation exists.
pub async fn exists(app: &AppState, id: &OrganisationId) -> Result<bool, DbError> {
    let id = id.clone();
    app.db.run(move |conn| envelopes::organisation_exists(conn, id.as_str())).await
}
