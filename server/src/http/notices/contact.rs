use crate::http::auth::Person;
use crate::http::input;
use crate::http::ApiError;
use crate::notices::{self, ContactInput};
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/account/contact`: where the caller's notices go.
pub async fn get(app: web::Data<AppState>, Person(c): Person) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(notices::contact(&app, &c.user_id).await?))
}

/// `PUT /api/v1/account/contact`: sets the caller's e-mail address, mobile number and the
/// channels they accept; a change is told to the old and the new destinations.
pub async fn put(
    app: web::Data<AppState>,
    Person(c): Person,
    body: input::Json<ContactInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(notices::set_contact(&app, c.actor(), body.into_inner()).await?))
}
