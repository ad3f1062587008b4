use super::Referent;
use crate::http::{input, ApiError};
use crate::journal::view::UsagerQuery;
use crate::organisations::audit;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// `GET /api/v1/organisation/journal?before=&limit=&actor=&from=&to=`: what the members of the
/// organisation did, newest first (référents only).
pub async fn journal(
    app: web::Data<AppState>,
    Referent(acting): Referent,
    query: input::Query<UsagerQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(audit::journal(&app, &acting, query.into_inner()).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsQuery {
    months: Option<u32>,
}

/// `GET /api/v1/organisation/indicators?months=`: the monthly indicators (référents only).
pub async fn indicators(
    app: web::Data<AppState>,
    Referent(acting): Referent,
    query: input::Query<IndicatorsQuery>,
) -> Result<HttpResponse, ApiError> {
    let months = query.into_inner().months.unwrap_or(12);
    Ok(HttpResponse::Ok().json(audit::indicators(&app, &acting, months).await?))
}
