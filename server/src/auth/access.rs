//! What a signed-in caller may reach: the role an action needs, for aidants how recent the
//! second factor must be, and for destructive actions how recent the login must be. The HTTP layer composes these into extractors, so the requirement shows
//! in each handler's signature. Refusals are journaled strictly (the caller is signed in).

use super::session::Current;
use super::{refuse, AuthRefusal, Error};
use crate::journal::Action;
use crate::roles::Role;
use crate::state::AppState;
use serde_json::json;

/// Refuses (`wrong_role`) unless the caller has `role`.
pub async fn require_role(app: &AppState, current: &Current, role: Role) -> Result<(), Error> {
    if current.role == role {
        return Ok(());
    }
    Err(refuse(app, current.actor(), Action::Access, AuthRefusal::WrongRole, json!({})).await)
}

/// Refuses (`second_factor_required`) unless the second factor was given in this session within
/// `max_age_seconds`.
pub async fn require_second_factor(
    app: &AppState,
    current: &Current,
    max_age_seconds: i64,
) -> Result<(), Error> {
    if current.second_factor_within(app.now(), max_age_seconds) {
        return Ok(());
    }
    Err(refuse(app, current.actor(), Action::Access, AuthRefusal::SecondFactorRequired, json!({})).await)
}

/// Refuses (`reauth_required`) unless the caller logged in within `max_age_seconds`: a
/// destructive action (purge, closure, adding or retiring a key envelope) needs a fresh proof of
/// presence, not only a session left open on a shared computer. Every usager login asks the
/// provider to authenticate again (`prompt=login`), so the session's start is that proof.
pub async fn require_recent_login(
    app: &AppState,
    current: &Current,
    max_age_seconds: i64,
) -> Result<(), Error> {
    if app.now() - current.session.created_at <= max_age_seconds {
        return Ok(());
    }
    let details = json!({"session_age_seconds": app.now() - current.session.created_at});
    Err(refuse(app, current.actor(), Action::Access, AuthRefusal::ReauthRequired, details).await)
}
