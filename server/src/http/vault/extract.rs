use crate::app::AppState;
use crate::error::ApiError;
use crate::http::auth::Usager;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use consigne_storage::db::vault::vaults::Vault;
use futures::future::LocalBoxFuture;

/// The open vault of the signed-in usager (`vault_missing` if they have none yet).
pub struct OwnVault(pub Vault);

impl FromRequest for OwnVault {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let usager = Usager::from_request(req, payload);
        let app = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let Usager(current) = usager.await?;
            let app = app.ok_or_else(|| ApiError::internal("no app state"))?;
            let vault = crate::vault::open_vault(&app, &current.user.id).await?;
            Ok(OwnVault(vault))
        })
    }
}
