//! "Qui a vu mes papiers": a usager's journal in plain words, newest first, a page at a time,
//! filtered by who acted and by period. Built from the catalogue; never a title, file name,
//! token or secret (the journal holds none), only who, what kind of document and when.

use crate::ids::UserId;
use crate::journal::Action;
use crate::messages::{self, Lang, Message};
use consigne_storage::db::{Db, DbError};
use consigne_storage::journal::reading::{self, UsagerFilter};
use consigne_storage::journal::Entry;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset};

const PAGE: u32 = 50;
const PAGE_MAX: u32 = 200;

/// The query of the usager's journal (dates are days in France, `YYYY-MM-DD`, both included).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsagerQuery {
    pub before: Option<i64>,
    pub limit: Option<u32>,
    /// Only what this person (an aidant, or the usager) did.
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EntryView {
    pub seq: i64,
    pub at: i64,
    pub action: String,
    pub outcome: String,
    /// The sentence shown to the person.
    pub text: String,
    pub actor: Option<ActorView>,
    pub document: Option<DocumentView>,
}

#[derive(Debug, Serialize)]
pub struct ActorView {
    pub id: String,
    pub role: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DocumentView {
    pub id: String,
    /// `None` once the document was deleted.
    pub category: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Page {
    pub entries: Vec<EntryView>,
    /// The `before` of the next (older) page.
    pub next: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error("a date is not YYYY-MM-DD")]
    BadDate,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// One page of the entries about `usager`, as they read them.
pub async fn for_usager(db: &Db, usager: &UserId, query: UsagerQuery) -> Result<Page, ViewError> {
    let (rows, next) = rows_for_usager(db, usager, query).await?;
    Ok(Page { entries: rows.into_iter().map(|(_, view)| view).collect(), next })
}

/// As [`for_usager`], with each entry's stored row beside its view (for the export, where the
/// person gets what lets them recompute each entry's hash).
pub async fn rows_for_usager(
    db: &Db,
    usager: &UserId,
    query: UsagerQuery,
) -> Result<(Vec<(Entry, EntryView)>, Option<i64>), ViewError> {
    let limit = query.limit.unwrap_or(PAGE).clamp(1, PAGE_MAX);
    let filter = UsagerFilter {
        before: query.before,
        actor: query.actor,
        from: query.from.as_deref().map(day_start).transpose()?,
        until: query.to.as_deref().map(|d| day_start(d).map(|t| t + 86_400)).transpose()?,
        usager: None,
        action: None,
        limit: i64::from(limit) + 1,
    };
    let me = usager.as_str().to_owned();
    let (mut entries, names, categories, organisations) = db
        .run(move |conn| {
            let entries = reading::about_usager(conn, &me, &filter)?;
            let actors: Vec<String> = entries.iter().filter_map(|e| e.actor_user_id.clone()).collect();
            let documents: Vec<String> =
                entries.iter().filter_map(|e| e.subject_document_id.clone()).collect();
            let organisations: Vec<String> =
                entries.iter().filter_map(|e| e.actor_organisation_id.clone()).collect();
            Ok::<_, DbError>((
                entries,
                reading::names(conn, &actors)?,
                reading::categories(conn, &documents)?,
                consigne_storage::db::organisations::organisation::names(conn, &organisations)?,
            ))
        })
        .await?;
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let next = if more { entries.last().map(|e| e.seq) } else { None };
    let rows = entries
        .into_iter()
        .map(|e| {
            // An aidant is named with the organisation they acted for: "Sophie Leroy (CCAS d'Alpha)".
            let organisation = e
                .actor_organisation_id
                .as_ref()
                .and_then(|id| organisations.iter().find(|(oid, _)| oid == id).map(|(_, n)| n.clone()));
            let name = e.actor_user_id.as_ref().and_then(|id| {
                names.iter().find(|(uid, _, _)| uid == id).map(|(_, given, family)| match &organisation {
                    Some(org) => format!("{given} {family} ({org})"),
                    None => format!("{given} {family}"),
                })
            });
            let category = e
                .subject_document_id
                .as_ref()
                .and_then(|id| categories.iter().find(|(did, _)| did == id).map(|(_, c)| c.clone()));
            let view = render(e.clone(), usager, name, category);
            (e, view)
        })
        .collect();
    Ok((rows, next))
}

fn render(e: Entry, usager: &UserId, name: Option<String>, category: Option<String>) -> EntryView {
    let lang = Lang::Fr;
    let by_self = e.actor_user_id.as_deref() == Some(usager.as_str());
    let (own, other) = sentence(&e);
    let template = if by_self || e.actor_user_id.is_none() { own } else { other };
    let doc = match &category {
        Some(c) => messages::JOURNAL_DOCUMENT_OF
            .text(lang)
            .replace("{categorie}", messages::category_label(c).text(lang)),
        None => messages::JOURNAL_A_DOCUMENT.text(lang).to_owned(),
    };
    let who = name.clone().unwrap_or_else(|| messages::JOURNAL_SOMEONE.text(lang).to_owned());
    let text = template
        .text(lang)
        .replace("{qui}", &who)
        .replace("{doc}", &doc)
        .replace("{quand}", &when(e.at, lang));
    EntryView {
        seq: e.seq,
        at: e.at,
        text,
        actor: e.actor_user_id.map(|id| ActorView { id, role: e.actor_role, name }),
        document: e.subject_document_id.map(|id| DocumentView { id, category }),
        action: e.action,
        outcome: e.outcome,
    }
}

/// The pair of sentences (the usager acting, someone else acting) for an entry.
fn sentence(e: &Entry) -> (Message, Message) {
    use messages::*;
    if e.outcome != "ok" && !matches!(Action::parse(&e.action), Some(Action::IntegrityFailure)) {
        return JOURNAL_REFUSED;
    }
    match Action::parse(&e.action) {
        Some(Action::Login) => JOURNAL_LOGIN,
        Some(Action::Logout) => JOURNAL_LOGOUT,
        Some(Action::KitLogin) => JOURNAL_KIT_LOGIN,
        Some(Action::KitLoginRegistered) => JOURNAL_KIT_LOGIN_REGISTERED,
        Some(Action::PasskeyLogin) => JOURNAL_PASSKEY_LOGIN,
        Some(Action::PasskeyRegistered) => JOURNAL_PASSKEY_REGISTERED,
        Some(Action::PasskeyRemoved) => JOURNAL_PASSKEY_REMOVED,
        Some(Action::AccountCreated) => JOURNAL_ACCOUNT_CREATED,
        Some(Action::ClaimsUpdated) => JOURNAL_CLAIMS_UPDATED,
        Some(Action::VaultCreated) => JOURNAL_VAULT_CREATED,
        Some(Action::EnvelopeAdded) => JOURNAL_KEY_ADDED,
        Some(Action::EnvelopeRetired) => JOURNAL_KEY_RETIRED,
        Some(Action::SigningKeyRegistered) => JOURNAL_SIGNING_KEY,
        Some(Action::ContactUpdated) => JOURNAL_CONTACT_UPDATED,
        Some(Action::ClosureRequested) => JOURNAL_CLOSURE_REQUESTED,
        Some(Action::ClosureCancelled) => JOURNAL_CLOSURE_CANCELLED,
        Some(Action::VaultExported) => JOURNAL_EXPORTED,
        Some(Action::DocumentUploaded) => JOURNAL_UPLOADED,
        Some(Action::VersionAdded) => JOURNAL_VERSION_ADDED,
        Some(Action::DocumentDownloaded) => JOURNAL_DOWNLOADED,
        Some(Action::DocumentBinned) => JOURNAL_BINNED,
        Some(Action::DocumentRestored) => JOURNAL_RESTORED,
        Some(Action::DocumentPurged) => JOURNAL_PURGED,
        Some(Action::IntegrityFailure) => JOURNAL_INTEGRITY,
        Some(Action::ShareCreated) => JOURNAL_SHARE_CREATED,
        Some(Action::ShareRevoked) => JOURNAL_SHARE_REVOKED,
        Some(Action::ShareOpened) => JOURNAL_SHARE_OPENED,
        Some(Action::ShareDownloaded) => JOURNAL_SHARE_DOWNLOADED,
        Some(Action::DocumentReencrypted) => JOURNAL_REENCRYPTED,
        Some(Action::MandateProposed) => JOURNAL_MANDATE_PROPOSED,
        Some(Action::MandateClaimed) => JOURNAL_MANDATE_CLAIMED,
        Some(Action::MandateConsented) => JOURNAL_MANDATE_CONSENTED,
        Some(Action::MandateRefused) => JOURNAL_MANDATE_REFUSED,
        Some(Action::MandateWithdrawn) => JOURNAL_MANDATE_WITHDRAWN,
        Some(Action::MandateRevoked) => JOURNAL_MANDATE_REVOKED,
        Some(Action::MandateSuperseded) => JOURNAL_MANDATE_SUPERSEDED,
        Some(Action::MandateExpired) => JOURNAL_MANDATE_EXPIRED,
        Some(Action::MandateKeysCleared) => JOURNAL_MANDATE_KEYS_CLEARED,
        Some(Action::MandateGrantReleased) => JOURNAL_MANDATE_GRANT,
        Some(Action::MandateDocumentsListed) => JOURNAL_MANDATE_LISTED,
        Some(Action::AttestationRead) => JOURNAL_ATTESTATION_READ,
        Some(Action::AttestationVerified) => JOURNAL_ATTESTATION_VERIFIED,
        Some(Action::AttestationIssued) => JOURNAL_ATTESTATION_ISSUED,
        Some(Action::RecoveryRequested) => JOURNAL_RECOVERY_REQUESTED,
        Some(Action::RecoveryCancelled) => JOURNAL_RECOVERY_CANCELLED,
        Some(Action::RecoveryShareFetched) => JOURNAL_RECOVERY_SHARE_FETCHED,
        Some(Action::RecoveryReleased) => JOURNAL_RECOVERY_RELEASED,
        Some(Action::RecoveryCompleted) => JOURNAL_RECOVERY_COMPLETED,
        Some(Action::EnrolmentCreated) => JOURNAL_ENROLMENT_CREATED,
        Some(Action::EnrolmentConfirmed) => JOURNAL_ENROLMENT_CONFIRMED,
        Some(Action::EnrolmentLinkIssued) => JOURNAL_ENROLMENT_LINK,
        Some(Action::EnrolmentClaimed) => JOURNAL_ENROLMENT_CLAIMED,
        Some(Action::IdentityReproofed) => JOURNAL_IDENTITY_REPROOFED,
        Some(Action::FranceConnectLinked) => JOURNAL_FRANCECONNECT_LINKED,
        _ => JOURNAL_OTHER,
    }
}

/// France's offset from UTC at `at`: +2 h from the last Sunday of March to the last Sunday of
/// October (changes at 01:00 UTC), +1 h otherwise.
pub fn france_offset(at: OffsetDateTime) -> UtcOffset {
    let last_sunday = |month: Month, last_day: u8| -> Option<OffsetDateTime> {
        let day = Date::from_calendar_date(at.year(), month, last_day).ok()?;
        let back = i64::from(day.weekday().number_days_from_sunday());
        Some((day - Duration::days(back)).with_time(Time::from_hms(1, 0, 0).ok()?).assume_utc())
    };
    let summer = match (last_sunday(Month::March, 31), last_sunday(Month::October, 31)) {
        (Some(start), Some(end)) => at >= start && at < end,
        _ => false,
    };
    UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// `at` in words, in France's time.
pub fn when(at: i64, lang: Lang) -> String {
    let Ok(utc) = OffsetDateTime::from_unix_timestamp(at) else { return String::new() };
    let local = utc.to_offset(france_offset(utc));
    messages::JOURNAL_WHEN
        .text(lang)
        .replace("{jour}", &local.day().to_string())
        .replace("{mois}", messages::MONTHS[usize::from(u8::from(local.month())) - 1].text(lang))
        .replace("{annee}", &local.year().to_string())
        .replace("{heure}", &local.hour().to_string())
        .replace("{minute}", &format!("{:02}", local.minute()))
}

/// The first second of a day in France, from `YYYY-MM-DD`.
pub(crate) fn day_start(day: &str) -> Result<i64, ViewError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(day, format).map_err(|_| ViewError::BadDate)?;
    france_midnight(date).ok_or(ViewError::BadDate)
}

/// The first second of `date` in France.
pub fn france_midnight(date: Date) -> Option<i64> {
    let noon = date.with_time(Time::from_hms(12, 0, 0).ok()?).assume_utc();
    Some(date.midnight().assume_offset(france_offset(noon)).unix_timestamp())
}

/// The day `at` falls on, in France.
pub fn france_date(at: i64) -> Option<Date> {
    let utc = OffsetDateTime::from_unix_timestamp(at).ok()?;
    Some(utc.to_offset(france_offset(utc)).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_said_in_france() {
        // 2026-03-03 13:05 UTC is 14 h 05 in winter; 2026-07-14 12:00 UTC is 14 h 00 in summer.
        assert_eq!(when(1_772_543_100, Lang::Fr), "le 3 mars 2026 à 14 h 05");
        assert_eq!(when(1_784_030_400, Lang::Fr), "le 14 juillet 2026 à 14 h 00");
        assert_eq!(day_start("2026-07-14").unwrap(), 1_783_980_000);
        assert!(day_start("14/07/2026").is_err());
    }
}
