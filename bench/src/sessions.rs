//! Sessions for the load: as many as there are connections, each created as a login creates it
//! (`new_session`, then `sessions::insert`), for the usager the harness signed in. With one shared
//! session every request would update the same row and wait on its lock, which no real audience does.

use anyhow::{anyhow, Result};
use consigne_server::auth::session::new_session;
use consigne_server::ids::UserId;
use consigne_server::roles::Role;
use consigne_server::AppState;
use consigne_storage::db::auth::sessions;

/// `count` fresh session tokens of the usager `user_id`.
pub async fn create(state: &AppState, user_id: &str, count: usize) -> Result<Vec<String>> {
    create_as(state, user_id, Role::Usager, None, count).await
}

/// `count` fresh session tokens of `user_id` logged in as `role`; with `acting`, as an aidant
/// past the second factor who chose that organisation (what a login, `/auth/totp/verify` and
/// `PUT /api/v1/session/organisation` leave in the row).
pub async fn create_as(
    state: &AppState,
    user_id: &str,
    role: Role,
    acting: Option<&str>,
    count: usize,
) -> Result<Vec<String>> {
    let absolute = state.config.auth.session_absolute.as_secs() as i64;
    let user = UserId::from_row(user_id);
    let mut tokens = Vec::with_capacity(count);
    let mut rows = Vec::with_capacity(count);
    for _ in 0..count {
        let (token, mut session) = new_session(&state.keys, absolute, &user, role, "bench", state.now());
        if let Some(organisation) = acting {
            session.second_factor_at = Some(state.now());
            session.organisation_id = Some(organisation.to_owned());
        }
        tokens.push(token.expose().to_owned());
        rows.push(session);
    }
    state
        .db
        .run(move |conn| {
            for row in &rows {
                sessions::insert(conn, row)?;
            }
            Ok::<_, consigne_storage::db::DbError>(())
        })
        .await
        .map_err(|e| anyhow!("inserting sessions: {e}"))?;
    Ok(tokens)
}
