//! The JSON body and query string extractors of every handler: as actix's, with our error
//! answers (JSON, with a code) and the one text rule of [`crate::text`] (no NUL).

use super::{ApiError, HttpRefusal};
use crate::text;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use std::ops::Deref;

fn nul() -> ApiError {
    ApiError::Http(HttpRefusal::BadRequest, Some("text must not contain a NUL character".into()))
}

/// A JSON body (limits and content type from `web::JsonConfig`).
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let value = value.await?.into_inner();
            if text::has_nul(&value) {
                return Err(nul().into());
            }
            serde_json::from_value(value)
                .map(Json)
                .map_err(|e| ApiError::Http(HttpRefusal::InvalidJson, Some(e.to_string())).into())
        })
    }
}

/// A query string.
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let query = req.query_string();
        let parsed = if text::query_has_nul(query) {
            Err(nul())
        } else {
            web::Query::<T>::from_query(query)
                .map(|q| Query(q.into_inner()))
                .map_err(|e| ApiError::Http(HttpRefusal::BadRequest, Some(e.to_string())))
        };
        std::future::ready(parsed)
    }
}
