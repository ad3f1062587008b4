//! Route registration that also records what it registers, so that a test can compare the served
//! routes with openapi.yaml: [`crate::http::register`] is the single list, used both to serve
//! and to produce [`crate::http::route_table`].

use actix_web::http::Method;
use actix_web::{web, FromRequest, Handler, Responder};

pub struct Router<'a> {
    cfg: Option<&'a mut web::ServiceConfig>,
    table: Vec<(&'static str, &'static str)>,
}

impl<'a> Router<'a> {
    pub fn serving(cfg: &'a mut web::ServiceConfig) -> Self {
        Self { cfg: Some(cfg), table: Vec::new() }
    }

    pub fn recording() -> Self {
        Self { cfg: None, table: Vec::new() }
    }

    /// `method` in upper case (`GET`, `POST`, `DELETE`…), `path` as in openapi.yaml.
    pub fn route<F, Args>(&mut self, method: &'static str, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.table.push((method, path));
        if let Some(cfg) = self.cfg.as_deref_mut() {
            let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
            cfg.route(path, web::method(method).to(handler));
        }
        self
    }

    pub fn into_table(self) -> Vec<(&'static str, &'static str)> {
        self.table
    }
}
