use super::super::auth::extract::state;
use crate::http::auth::Usager;
use crate::http::ApiError;
use crate::vault::{self, Vault};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

/// The open vault of the signed-in usager (`vault_missing` if they have none yet).
pub struct OwnVault(pub Vault);

impl FromRequest for OwnVault {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let usager = Usager::from_request(req, payload);
        let app = state(req);
        Box::pin(async move {
            let Usager(current) = usager.await?;
            let app = app?;
            let vault = vault::open_vault(&app, &current.user_id).await?;
            Ok(OwnVault(vault))
        })
    }
}
