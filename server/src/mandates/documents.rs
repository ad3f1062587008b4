//! An aidant's work in a usager's vault under a mandate: list, read and download the documents of
//! the mandate's categories, and add new ones there. Each call goes through the vault's own read
//! and upload functions with the mandate's context ([`MandateAccess::reader`]): what is visible,
//! whose slot is returned, who is journaled and under which mandate are decided there, once.

use super::access::refuse;
use super::{Error, MandateAccess, MandateRefusal};
use crate::ids::DocumentId;
use crate::state::AppState;
use crate::vault::{self, DocumentView, HistoryPage, Listing, Page, Payload, Target, UploadDescriptor};
use consigne_storage::blob::ByteStream;

/// The in-scope documents, with the mandate key's slot (journaled).
pub async fn list(app: &AppState, access: &MandateAccess, listing: Listing) -> Result<Page, Error> {
    Ok(vault::list(app, &access.reader(), listing).await?)
}

/// One in-scope document (404 out of scope), journaled.
pub async fn document(
    app: &AppState,
    access: &MandateAccess,
    id: &DocumentId,
    page: HistoryPage,
) -> Result<DocumentView, Error> {
    Ok(vault::document(app, &access.reader(), id, page).await?)
}

/// An in-scope document's payload, journaled before it is served.
pub async fn payload(
    app: &AppState,
    access: &MandateAccess,
    id: &DocumentId,
    number: Option<i32>,
    range: Option<&str>,
) -> Result<Payload, Error> {
    let payload = vault::payload(app, &access.reader(), id, number, range).await?;
    // The usager's daily digest counts it. Its failure is logged and never refuses a read that
    // is already journaled.
    let current = &access.acting.current;
    let name = format!("{} {}", current.user.given_name, current.user.family_name);
    let (at, row, aidant, document) =
        (app.now(), access.mandate.clone(), current.user_id.clone(), id.clone());
    let recorded = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| super::notify::used(conn, at, &row, &aidant, &name, &document))
        })
        .await;
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "the use of a document was not recorded for the daily digest");
    }
    Ok(payload)
}

/// A new document in a category of the mandate, signed by the aidant, encrypted to the usager
/// and to every mandate in force covering the category.
pub async fn upload(
    app: &AppState,
    access: &MandateAccess,
    descriptor: UploadDescriptor,
    payload: ByteStream,
) -> Result<DocumentView, Error> {
    if let Some(category) = &descriptor.category {
        vault::validate::category(category).map_err(vault::Error::from)?;
        if !access.mandate.covers(category) {
            return Err(refuse(app, &access.acting, &access.mandate.id, MandateRefusal::OutOfScope).await);
        }
    }
    Ok(vault::upload(app, &access.reader(), Target::NewDocument, descriptor, payload).await?)
}
