//! The authorisation matrix of issue 11: every route of the vault, mandate and organisation APIs
//! called by each of thirteen callers ([`Column`]) in one world ([`World`]), each answer compared
//! with the exact status (and refusal code) the table expects. The table itself lives in
//! `tests/tests/authorization_matrix.rs`, one line per route; this module builds the world, fills
//! each cell's path and body ([`cells`]), checks that the table and the server's route table match
//! ([`coverage`]), checks the world's shared objects before and after ([`facts`]), runs the cells
//! and prints the result ([`run`], [`render`]).

mod cells;
pub mod facts;
mod people;
mod world;

pub use people::Professional;
pub use world::World;

use std::collections::BTreeSet;

/// Who calls. The four `A…` columns are the same aidant A, with the mandate (and document) of
/// the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// U, the usager whose vault and mandates these are.
    U,
    /// V, another usager (with a vault of their own).
    V,
    /// A, aidant of organisation O named on U's mandate M, in force, on an in-scope document.
    A,
    /// A on U's document out of M's scope (or, uploading, in a category M does not cover).
    AOut,
    /// A under `M_exp`, which named A and has expired.
    AExp,
    /// A under `M_rev`, which named A and U revoked.
    ARev,
    /// B, aidant of another organisation P (with a mandate of V's there).
    B,
    /// N, aidant of O not named on M.
    N,
    /// S, aidant of O named on M, then suspended.
    S,
    /// R, aidant of O named on M, then removed from O.
    R,
    /// F, référent of O (not named on M).
    F,
    /// Nobody signed in.
    Anon,
    /// E, a usager enrolled in person by A (issue 15: no FranceConnect identity), the owner of a
    /// vault of their own: expected to get exactly what V, the FranceConnect owner of a vault,
    /// gets (the table's V column, unless a line says otherwise with [`Row::in_person`]).
    E,
}

/// How many callers.
pub const CALLERS: usize = 13;

pub const COLUMNS: [Column; CALLERS] = [
    Column::U,
    Column::V,
    Column::A,
    Column::AOut,
    Column::AExp,
    Column::ARev,
    Column::B,
    Column::N,
    Column::S,
    Column::R,
    Column::F,
    Column::Anon,
    Column::E,
];

impl Column {
    pub fn label(self) -> &'static str {
        match self {
            Column::U => "U",
            Column::V => "V",
            Column::A => "A",
            Column::AOut => "A-out",
            Column::AExp => "A-exp",
            Column::ARev => "A-rev",
            Column::B => "B",
            Column::N => "N",
            Column::S => "S",
            Column::R => "R",
            Column::F => "F",
            Column::Anon => "anon",
            Column::E => "E",
        }
    }
}

/// An expected answer: the status, and for a refusal its stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect(pub u16, pub &'static str);

impl Expect {
    pub fn succeeds(self) -> bool {
        (200..300).contains(&self.0)
    }
}

/// How a row's path parameters are filled, per column (see [`World`] for the objects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// No path parameter.
    Nothing,
    /// `{id}`: the column's mandate (M; `M_exp` for A-exp, `M_rev` for A-rev).
    Mandate,
    /// As `Mandate`, and A-out lists with `?category=sante` (a category M does not cover).
    MandateListing,
    /// `{id}` and `{document_id}`: the column's mandate and document (U's `D_in`, in every
    /// mandate's scope; `D_out`, out of M's, for A-out).
    MandateDocument,
    /// `{id}`: the proposal P of O to U, claimed by U and unanswered (`M_exp`, `M_rev` for
    /// A-exp, A-rev: what is left of their mandates).
    Proposal,
    /// No path parameter; `?mandate=` the column's mandate.
    MandateQuery,
    /// `{id}`: the first attestation of the column's mandate (the one issued at its consent).
    Attestation,
    /// `{id}`: U's document of the column (`D_in`; `D_out` for A-out).
    Document,
    /// `{id}`: one of U's envelopes.
    Envelope,
    /// `{id}`: a share link of U's.
    Share,
    /// `{id}`: a pending invitation into O.
    Invitation,
    /// `{user_id}`: a member of O (X, an aidant nobody else uses).
    Member,
    /// `{id}`: a well-formed id that names nothing (a recovery request nobody made).
    Unknown,
    /// `{id}`: an enrolment by A in O of a "personne connue du service", awaiting a référent.
    Enrolment,
}

/// The body each cell sends (built for the caller; a caller refused by role sends what the
/// owner's client would, so that only the caller differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Empty,
    /// A vault (recipient, device and kit envelopes).
    Vault,
    /// A new device envelope.
    Envelope,
    /// The caller's signing key again, with its proof.
    SigningKey,
    /// The caller's account key again.
    AccountKey,
    /// The login key of a new recovery kit of the caller's (usager's) account, with its proof.
    KitLogin,
    /// A new document in the caller's vault (category `sante`, which no mandate covers).
    Upload,
    /// Version 2 of the target document (a new file key: also a re-encryption's body).
    Version,
    /// A share link's slot for the target document.
    Share,
    /// The caller's organisation.
    Choose,
    /// An invitation for a new address.
    Invitation,
    /// A proposal naming the caller (A for callers who are no member).
    Proposal,
    /// The token of P.
    Claim,
    /// U's consent to the target proposal (its grants and slots made by U's client).
    Consent,
    /// Notices by e-mail to the address the provider gives, no SMS.
    Contact,
    /// A new document under the mandate, signed by the caller, for U and every mandate in force
    /// covering its category (`identite`; `sante` for A-out).
    MandateUpload,
    /// A new device's ephemeral recipient, asking for an assisted recovery.
    RecoveryRequest,
    /// A new recovery key for the caller's organisation, with the caller's own wrapped copy.
    RecoveryKey,
    /// An organisation's share re-encrypted to a recovery request's recipient (an age file).
    RecoveryRelease,
    /// An in-person enrolment of a new person (a document seen).
    Enrolment,
    /// The passkey purpose of the caller's role (`login` for usagers, `second_factor` for aidants).
    PasskeyPurpose,
    /// A registration answer of the right shape for a ceremony nobody started.
    PasskeyAnswer,
}

/// What a cell expected to succeed gets instead of the shared object, so that its success
/// changes nothing later cells rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fresh {
    /// Nothing shared changes (a read, something of the caller's own, or a new object).
    No,
    /// A new mandate of U in force, naming A (categories of its own: nothing is superseded).
    Mandate,
    /// A new proposal of O to U, not claimed.
    Proposal,
    /// A new proposal of O, claimed by U.
    ClaimedProposal,
    /// A new document of U (`sante`).
    Document,
    /// A new document of U, in the bin.
    BinnedDocument,
    Envelope,
    Share,
    Invitation,
    /// A new member of O.
    Member,
    /// A new member of O, suspended.
    SuspendedMember,
    /// The caller's vault is set closing before the cell.
    Closing,
    /// The caller's closure is cancelled after the cell.
    Reopen,
    /// A new enrolment by A in O (a document seen): its link can be made again.
    Enrolment,
    /// A new enrolment by A in O of a "personne connue du service", awaiting a référent.
    KnownEnrolment,
}

/// One line of the table: a route, how to call it, and the thirteen expected answers in the
/// order of [`COLUMNS`].
#[derive(Debug, Clone)]
pub struct Row {
    pub method: &'static str,
    pub path: &'static str,
    pub fill: Fill,
    pub body: Body,
    pub fresh: Fresh,
    pub expect: [Expect; CALLERS],
}

/// A line: the twelve answers of the table's columns, E's taken from V's (an owner enrolled in
/// person gets what an owner signed in with FranceConnect gets).
pub fn row(
    method: &'static str,
    path: &'static str,
    fill: Fill,
    body: Body,
    fresh: Fresh,
    twelve: [Expect; 12],
) -> Row {
    let mut expect = [twelve[1]; CALLERS];
    expect[..12].copy_from_slice(&twelve);
    Row { method, path, fill, body, fresh, expect }
}

impl Row {
    /// E's answer where it is not V's.
    pub fn in_person(mut self, expect: Expect) -> Row {
        expect_e(&mut self.expect, expect);
        self
    }
}

fn expect_e(row: &mut [Expect; CALLERS], expect: Expect) {
    row[CALLERS - 1] = expect;
}

/// What disagrees between the table, the exclusions and the server's routes: a route with
/// neither a row nor an exclusion, one with both, a row or an exclusion for no route, a route
/// with two rows.
pub fn coverage(rows: &[Row], excluded: &[(&str, &str)]) -> Vec<String> {
    let routes: BTreeSet<(&str, &str)> = consigne_server::http::route_table().into_iter().collect();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rows {
        if !seen.insert((r.method, r.path)) {
            problems.push(format!("two rows for {} {}", r.method, r.path));
        }
        if !routes.contains(&(r.method, r.path)) {
            problems.push(format!("a row for {} {}, which the server no longer serves", r.method, r.path));
        }
    }
    for (method, path) in excluded {
        if !routes.contains(&(*method, *path)) {
            problems.push(format!("an exclusion for {method} {path}, which the server no longer serves"));
        }
        if seen.contains(&(*method, *path)) {
            problems.push(format!("{method} {path} is both excluded and in the table"));
        }
    }
    for (method, path) in &routes {
        if !seen.contains(&(*method, *path)) && !excluded.contains(&(*method, *path)) {
            problems.push(format!("no row for {method} {path}: add its line to the table (or exclude it)"));
        }
    }
    problems
}

/// One cell's answer.
#[derive(Debug, Clone)]
pub struct Cell {
    pub column: Column,
    pub expected: Expect,
    pub status: u16,
    pub code: String,
}

impl Cell {
    pub fn matches(&self) -> bool {
        self.status == self.expected.0 && (self.expected.succeeds() || self.code == self.expected.1)
    }
}

/// Every row's cells, in the table's order (which is also the order they run in).
pub async fn run(world: &World, rows: &[Row]) -> Vec<(Row, Vec<Cell>)> {
    let mut out = Vec::new();
    for r in rows {
        let mut cells = Vec::new();
        for (column, expected) in COLUMNS.iter().zip(r.expect) {
            let (status, code) = world.call(r, *column, expected).await;
            cells.push(Cell { column: *column, expected, status, code });
        }
        out.push((r.clone(), cells));
    }
    out
}

/// Every cell that differs from the table, named by route and column.
pub fn mismatches(results: &[(Row, Vec<Cell>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (r, cells) in results {
        for c in cells.iter().filter(|c| !c.matches()) {
            out.push(format!(
                "{} {} × {}: expected {} {}, got {} {}",
                r.method,
                r.path,
                c.column.label(),
                c.expected.0,
                c.expected.1,
                c.status,
                c.code
            ));
        }
    }
    out
}

/// The matrix as a table: one line per route, the status of each column (`!` after a status
/// that differs from the table).
pub fn render(results: &[(Row, Vec<Cell>)]) -> String {
    let width = results.iter().map(|(r, _)| r.method.len() + r.path.len() + 1).max().unwrap_or(0);
    let mut out = format!("{:width$}", "route");
    for c in COLUMNS {
        out.push_str(&format!(" {:>6}", c.label()));
    }
    out.push('\n');
    for (r, cells) in results {
        out.push_str(&format!("{:width$}", format!("{} {}", r.method, r.path)));
        for c in cells {
            let mark = if c.matches() { " " } else { "!" };
            out.push_str(&format!(" {:>5}{mark}", c.status));
        }
        out.push('\n');
    }
    out
}
