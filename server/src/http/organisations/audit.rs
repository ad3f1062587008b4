use super::Referent;
use crate::http::{input, ApiError};
use crate::organisations::audit::{self, AuditQuery};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// `GET /api/v1/organisation/journal?before=&limit=&actor=&usager=&action=&from=&to=&format=`:
/// what the members of the organisation did, newest first (référents only); `format=csv` for a
/// spreadsheet, as an attachment.
pub async fn journal(
    app: web::Data<AppState>,
    Referent(acting): Referent,
    query: input::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let csv = query.csv();
    let page = audit::journal(&app, &acting, query).await?;
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("content-disposition", "attachment; filename=\"journal-structure.csv\""))
            .body(audit::csv(&page)));
    }
    Ok(HttpResponse::Ok().json(page))
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
