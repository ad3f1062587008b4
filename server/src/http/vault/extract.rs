use super::super::auth::extract::state;
use crate::auth::session::Current;
use crate::http::auth::{FreshUsager, Usager};
use crate::http::ApiError;
use crate::vault::{self, Vault};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

/// The open vault of the signed-in usager (`vault_missing` if they have none yet).
pub struct OwnVault(pub Vault);

/// The open vault of a usager who logged in within `auth.reauth_seconds`: for the destructive
/// actions (purge, closure, adding or retiring an envelope), `reauth_required` otherwise.
pub struct FreshOwnVault(pub Vault);

/// The vault of the usager that `who` resolves to.
fn own_vault<E>(
    req: &HttpRequest,
    who: E::Future,
    current: fn(E) -> Current,
) -> LocalBoxFuture<'static, Result<Vault, ApiError>>
where
    E: FromRequest<Error = ApiError> + 'static,
{
    let app = state(req);
    Box::pin(async move {
        let current = current(who.await?);
        let app = app?;
        Ok(vault::open_vault(&app, &current.user_id).await?)
    })
}

impl FromRequest for OwnVault {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let vault = own_vault::<Usager>(req, Usager::from_request(req, payload), |Usager(c)| c);
        Box::pin(async move { vault.await.map(OwnVault) })
    }
}

impl FromRequest for FreshOwnVault {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let who = FreshUsager::from_request(req, payload);
        let vault = own_vault::<FreshUsager>(req, who, |FreshUsager(c)| c);
        Box::pin(async move { vault.await.map(FreshOwnVault) })
    }
}
