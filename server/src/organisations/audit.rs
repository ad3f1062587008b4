//! What a référent audits: the journal of the organisation's members (who did what for which
//! usager, and which kind of document — never a title or content), and the monthly indicators
//! (usagers accompanied, mandates in force, documents accessed) that a CCAS reports.

use super::{Acting, Error};
use crate::journal::view::{day_start, france_date, france_midnight, when};
use crate::messages::{self, Lang};
use consigne_storage::db::DbError;
use consigne_storage::journal::indicators::{self, Activity};
use consigne_storage::journal::reading::{self, UsagerFilter};
use consigne_storage::journal::Entry;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

const PAGE: u32 = 50;
const PAGE_MAX: u32 = 200;
/// A CSV export holds at most this many entries (newest first; `before` continues it).
pub const CSV_MAX: u32 = 5_000;

/// The query of the organisation's journal (dates are days in France, `YYYY-MM-DD`, both
/// included); `format=csv` for a spreadsheet.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub before: Option<i64>,
    pub limit: Option<u32>,
    /// Only what this member did.
    pub actor: Option<String>,
    /// Only what was done for this usager.
    pub usager: Option<String>,
    /// Only this action (its stored text, e.g. `document.downloaded`).
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

impl AuditQuery {
    pub fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }
}
/// The indicators cover at most this many months back.
pub const MONTHS_MAX: u32 = 24;

#[derive(Debug, Serialize)]
pub struct Person {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub action: String,
    pub outcome: String,
    /// The sentence shown to the référent.
    pub text: String,
    pub actor: Option<Person>,
    pub role: Option<String>,
    pub usager: Option<Person>,
    pub document_id: Option<String>,
    /// `None` once the document was deleted.
    pub category: Option<String>,
    pub mandate_id: Option<String>,
    /// The HTTP request that wrote the entry (its `x-request-id`, also in every log line of it).
    pub request_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The `before` of the next (older) page.
    pub next: Option<i64>,
}

/// One page of what the organisation's members did, newest first.
pub async fn journal(
    app: &crate::state::AppState,
    acting: &Acting,
    query: AuditQuery,
) -> Result<AuditPage, Error> {
    let bad_date = |_| Error::Invalid("from and to are days, YYYY-MM-DD".into());
    if !matches!(query.format.as_deref(), None | Some("json") | Some("csv")) {
        return Err(Error::Invalid("format is json or csv".into()));
    }
    let limit = if query.csv() { CSV_MAX } else { query.limit.unwrap_or(PAGE).clamp(1, PAGE_MAX) };
    let filter = UsagerFilter {
        before: query.before,
        actor: query.actor,
        from: query.from.as_deref().map(day_start).transpose().map_err(bad_date)?,
        until: query.to.as_deref().map(|d| day_start(d).map(|t| t + 86_400)).transpose().map_err(bad_date)?,
        usager: query.usager,
        action: query.action,
        limit: i64::from(limit) + 1,
    };
    let org = acting.organisation.as_str().to_owned();
    let (mut entries, names, categories) = app
        .db
        .run(move |conn| {
            let entries = reading::by_organisation(conn, &org, &filter)?;
            let people: Vec<String> = entries
                .iter()
                .flat_map(|e| [e.actor_user_id.clone(), e.subject_usager_id.clone()])
                .flatten()
                .collect();
            let documents: Vec<String> =
                entries.iter().filter_map(|e| e.subject_document_id.clone()).collect();
            Ok::<_, DbError>((
                entries,
                reading::names(conn, &people)?,
                reading::categories(conn, &documents)?,
            ))
        })
        .await?;
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let next = if more { entries.last().map(|e| e.seq) } else { None };
    let name = |id: &str| {
        names.iter().find(|(uid, _, _)| uid == id).map(|(_, given, family)| format!("{given} {family}"))
    };
    let category = |id: &str| categories.iter().find(|(did, _)| did == id).map(|(_, c)| c.clone());
    let entries = entries
        .into_iter()
        .map(|e| {
            let actor = e.actor_user_id.as_deref().map(|id| Person { id: id.to_owned(), name: name(id) });
            let usager =
                e.subject_usager_id.as_deref().map(|id| Person { id: id.to_owned(), name: name(id) });
            let category = e.subject_document_id.as_deref().and_then(category);
            let text = sentence(&e, actor.as_ref(), usager.as_ref(), category.as_deref());
            AuditEntry {
                seq: e.seq,
                at: e.at,
                text,
                actor,
                role: e.actor_role,
                usager,
                document_id: e.subject_document_id,
                category,
                mandate_id: e.subject_mandate_id,
                request_id: e.request_id,
                action: e.action,
                outcome: e.outcome,
            }
        })
        .collect();
    Ok(AuditPage { entries, next })
}

fn sentence(e: &Entry, actor: Option<&Person>, usager: Option<&Person>, category: Option<&str>) -> String {
    let lang = Lang::Fr;
    let who =
        actor.and_then(|a| a.name.clone()).unwrap_or_else(|| messages::JOURNAL_SOMEONE.text(lang).into());
    let mut text = format!("{who} {}", messages::audit_action_label(&e.action).text(lang));
    if let Some(c) = category {
        let label = messages::category_label(c).text(lang);
        text = format!("{text} ({})", messages::AUDIT_DOCUMENT.text(lang).replace("{categorie}", label));
    }
    if let Some(name) =
        usager.filter(|u| Some(u.id.as_str()) != e.actor_user_id.as_deref()).and_then(|u| u.name.as_ref())
    {
        text = format!("{text} {}", messages::AUDIT_ABOUT_USAGER.text(lang).replace("{usager}", name));
    }
    format!("{text}, {}.", when(e.at, lang))
}

/// One month of the organisation's activity (a month in France's time).
#[derive(Debug, Serialize)]
pub struct MonthIndicators {
    /// `YYYY-MM`.
    pub month: String,
    #[serde(flatten)]
    pub activity: ActivityView,
}

#[derive(Debug, Serialize)]
pub struct ActivityView {
    pub usagers_accompanied: i64,
    pub mandates_created: i64,
    pub mandates_in_force: i64,
    pub mandates_revoked: i64,
    pub mandates_expired: i64,
    pub documents_uploaded: i64,
    pub documents_accessed: i64,
    pub aidants_active: i64,
    pub actions: i64,
}

impl From<Activity> for ActivityView {
    fn from(a: Activity) -> Self {
        Self {
            usagers_accompanied: a.usagers_accompanied,
            mandates_created: a.mandates_created,
            mandates_in_force: a.mandates_in_force,
            mandates_revoked: a.mandates_revoked,
            mandates_expired: a.mandates_expired,
            documents_uploaded: a.documents_uploaded,
            documents_accessed: a.documents_accessed,
            aidants_active: a.aidants_active,
            actions: a.actions,
        }
    }
}

/// The page as CSV (one line per entry, the columns of [`AuditEntry`]); cells are quoted, and a
/// cell a spreadsheet would run as a formula is prefixed with an apostrophe.
pub fn csv(page: &AuditPage) -> String {
    fn cell(text: &str) -> String {
        let safe = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
        format!("\"{}\"", safe.replace('"', "\"\""))
    }
    let mut out = String::from(
        "seq,at,action,outcome,actor_id,actor,role,usager_id,usager,document_id,category,mandate_id,request_id,text\n",
    );
    for e in &page.entries {
        let person = |p: &Option<Person>| {
            (
                p.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
                p.as_ref().and_then(|p| p.name.clone()).unwrap_or_default(),
            )
        };
        let ((actor_id, actor), (usager_id, usager)) = (person(&e.actor), person(&e.usager));
        let cells = [
            e.seq.to_string(),
            e.at.to_string(),
            e.action.clone(),
            e.outcome.clone(),
            actor_id,
            actor,
            e.role.clone().unwrap_or_default(),
            usager_id,
            usager,
            e.document_id.clone().unwrap_or_default(),
            e.category.clone().unwrap_or_default(),
            e.mandate_id.clone().unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
            e.text.clone(),
        ];
        out.push_str(&cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// The indicators of the last `months` months (the current one included), newest first.
pub async fn indicators(
    app: &crate::state::AppState,
    acting: &Acting,
    months: u32,
) -> Result<Vec<MonthIndicators>, Error> {
    let months = months.clamp(1, MONTHS_MAX);
    let today = france_date(app.now()).ok_or_else(|| Error::Internal("clock out of range".into()))?;
    let mut periods = Vec::new();
    let (mut year, mut month) = (today.year(), today.month());
    for _ in 0..months {
        let start = first_of(year, month)?;
        let (next_year, next_month) =
            if month == Month::December { (year + 1, Month::January) } else { (year, month.next()) };
        let end = first_of(next_year, next_month)?;
        periods.push((format!("{year:04}-{:02}", u8::from(month)), start, end));
        (year, month) =
            if month == Month::January { (year - 1, Month::December) } else { (year, month.previous()) };
    }
    let org = acting.organisation.as_str().to_owned();
    let counted = app
        .db
        .run(move |conn| {
            periods
                .into_iter()
                .map(|(label, from, until)| Ok((label, indicators::activity(conn, &org, from, until)?)))
                .collect::<Result<Vec<_>, DbError>>()
        })
        .await?;
    Ok(counted.into_iter().map(|(month, a)| MonthIndicators { month, activity: a.into() }).collect())
}

fn first_of(year: i32, month: Month) -> Result<i64, Error> {
    Date::from_calendar_date(year, month, 1)
        .ok()
        .and_then(france_midnight)
        .ok_or_else(|| Error::Internal("month out of range".into()))
}
