use super::AnySession;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `GET /auth/session`: who is signed in, whether the second factor was given, and the CSRF
/// token to send in `X-CSRF-Token` with every state-changing request.
pub async fn session_info(app: web::Data<AppState>, AnySession(current): AnySession) -> HttpResponse {
    let u = &current.user;
    let absolute = app.config.auth.session_absolute.as_secs() as i64;
    HttpResponse::Ok().json(json!({
        "user": {
            "id": current.user_id,
            "role": current.role,
            "given_name": u.given_name,
            "family_name": u.family_name,
            "preferred_username": u.preferred_username,
        },
        "second_factor": current.second_factor_within(app.now(), absolute),
        "csrf_token": current.csrf_token(&app.keys),
        "expires_at": current.session.expires_at,
        "idle_timeout_seconds": app.config.auth.session_idle.as_secs(),
    }))
}
