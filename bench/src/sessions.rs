//! Sessions for the load: as many as there are connections, each created as a login creates it
//! (`new_session`, then `sessions::insert`), for the usager the harness signed in. With one shared
//! session every request would update the same row and wait on its lock, which no real audience does.

use anyhow::{anyhow, Result};
use consigne_server::auth::session::new_session;
use consigne_server::ids::UserId;
use consigne_server::roles::Role;
use consigne_server::AppState;
use consigne_storage::db::auth::sessions;

/// `count` fresh session tokens of the account `user_id`.
pub async fn create(state: &AppState, user_id: &str, count: usize) -> Result<Vec<String>> {
    let absolute = state.config.auth.session_absolute.as_secs() as i64;
    let user = UserId::from_row(user_id);
    let mut tokens = Vec::with_capacity(count);
    let mut rows = Vec::with_capacity(count);
    for _ in 0..count {
        let (token, session) = new_session(&state.keys, absolute, &user, Role::Usager, "bench", state.now());
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
