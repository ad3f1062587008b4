//! The authorisation matrix of issue 11: every route of the vault, mandate and organisation APIs
//! (attestations, contacts and in-person enrolment included) × thirteen callers, each cell
//! asserting the exact status and refusal code, on both databases. The thirteenth caller, E (issue
//! 15), is a usager enrolled in person: the owner of a vault of their own, expected to get exactly
//! what V (a FranceConnect owner) gets, so each line writes twelve answers and E's is V's.
//!
//! The table below has one line per route of the server's route table (or the route is in
//! [`EXCLUDED`], with why): a new route without its line fails this test, and so does a line for
//! a route that is gone. Each line: method, path, how its path is filled per column (`P::`, see
//! `consigne_tests::matrix::Fill`), the body (`B::`), what a cell expected to succeed acts on so
//! that nothing later cells rely on changes (`X::`, see `Fresh`), and the twelve expected answers.
//! The world (who U, V, A, B, N, S, R, F are, which mandates and documents) is described in
//! `tests/src/matrix/world.rs`. Cells run in the table's order. Run with `-- --nocapture` to see
//! the matrix printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::matrix::{self, facts, row, Body as B, Expect, Fill as P, Fresh as X, Row, World};
use std::time::Instant;

// The answers. Successes are checked by status; refusals by status and code.
const OK: Expect = Expect(200, "");
const CRTD: Expect = Expect(201, "");
const ACPT: Expect = Expect(202, "");
const DONE: Expect = Expect(204, "");
/// Nobody signed in.
const ANON: Expect = Expect(401, "not_authenticated");
/// A usager's route called by an aidant, or the other way round.
const ROLE: Expect = Expect(403, "wrong_role");
/// Nothing of that id for this caller: not theirs, or not their organisation's (nothing leaks).
const NFND: Expect = Expect(404, "not_found");
const UNNM: Expect = Expect(403, "mandate_not_named");
const ENDD: Expect = Expect(403, "mandate_not_in_force");
const SCOP: Expect = Expect(403, "mandate_out_of_scope");
const SUSP: Expect = Expect(403, "organisation_member_suspended");
/// Removed from the organisation their session acts for.
const EXMB: Expect = Expect(403, "organisation_not_member");
const NREF: Expect = Expect(403, "organisation_not_referent");
const INAC: Expect = Expect(409, "mandate_not_active");
const ANSW: Expect = Expect(409, "mandate_already_answered");
const EXST: Expect = Expect(409, "vault_exists");
/// The vault has no assisted envelope.
const UNAV: Expect = Expect(409, "recovery_unavailable");
/// No recovery request in the state the step needs.
const NPND: Expect = Expect(409, "recovery_not_pending");
/// E asks for notices by e-mail without an address: no provider gave one.
const NOML: Expect = Expect(400, "contact_email_missing");
/// No passkey of the caller's has that id.
const NOPK: Expect = Expect(404, "passkey_not_found");
/// A passkey ceremony nobody started.
const CERM: Expect = Expect(400, "passkey_challenge_unknown");

/// Routes that are not part of the vault, mandate and organisation APIs.
const EXCLUDED: &[(&str, &str)] = &[
    // The home page, probes and static files: public, no data.
    ("GET", "/"),
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/assets/{path:.*}"),
    // The web application's page at its own paths, and its built files: public, no data.
    ("GET", "/app/{path:.*}"),
    ("GET", "/app/assets/{path:.*}"),
    // The link of a mandate proposal: the application's page; the claim is the API's
    // (`POST /api/v1/mandates/claim`, in the table).
    ("GET", "/mandat/{token}"),
    // The journal's public checkpoint and verifier key: public by design.
    ("GET", "/api/v1/public/journal/checkpoint"),
    ("GET", "/api/v1/public/journal/key"),
    // Login, callback, logout, the session and TOTP: authentication itself (tests/tests/auth_*.rs,
    // security_*.rs).
    ("GET", "/auth/session"),
    ("POST", "/auth/logout"),
    ("GET", "/auth/logged-out"),
    ("POST", "/auth/totp/enrol"),
    ("POST", "/auth/totp/verify"),
    ("GET", "/auth/{kind}/login"),
    ("GET", "/auth/{kind}/callback"),
    // The recovery kit's login: its challenge and the login itself, anonymous by nature
    // (tests/tests/auth_kit_login.rs, with every refusal).
    ("POST", "/auth/kit/challenge"),
    ("POST", "/auth/kit/login"),
    // Passkey login and second factor: anonymous (or before the second factor) ceremonies,
    // authentication itself (tests/tests/auth_passkeys.rs).
    ("POST", "/auth/passkey/challenge"),
    ("POST", "/auth/passkey/login"),
    ("POST", "/auth/passkey/second-factor/challenge"),
    ("POST", "/auth/passkey/second-factor"),
    // Share links: opened by whoever holds the link's token, signed in or not
    // (tests/tests/vault_shares.rs, security_share_downloads.rs).
    ("GET", "/api/v1/public/shares/{token}"),
    ("GET", "/api/v1/public/shares/{token}/payload"),
    ("GET", "/partage/{token}"),
    // Attestations checked by anyone: the page the QR code opens (its secret in the path), the
    // status by id, the check of a held text and signature, the verifier key
    // (tests/tests/mandate_attestations.rs).
    ("GET", "/attestations/verifier/{token}"),
    ("GET", "/api/v1/public/attestations/key"),
    ("GET", "/api/v1/public/attestations/{id}/status"),
    ("POST", "/api/v1/public/attestations/verify"),
    // The "ce n'est pas moi" link of an assisted recovery: whoever holds its token, signed in or
    // not (tests/tests/recovery.rs).
    ("POST", "/api/v1/public/recovery/cancellation"),
    // The claim of an in-person enrolment's one-time link: a login, by whoever holds the link's
    // token (tests/tests/enrolment.rs).
    ("POST", "/auth/enrolment/claim"),
];

/// One line per route.
#[rustfmt::skip]
fn table() -> Vec<Row> {
    vec![
        //                                                                                                                                U     V     A     A-out A-exp A-rev B     N     S     R     F     anon  (E = V)
        row("GET",    "/api/v1/journal",                                       P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // V reads V's own journal
        row("POST",   "/api/v1/vault",                                         P::Nothing,         B::Vault,         X::No,              [EXST, EXST, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // both usagers have a vault already
        row("GET",    "/api/v1/vault",                                         P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // V: V's own vault
        row("GET",    "/api/v1/vault/envelopes",                               P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("POST",   "/api/v1/vault/envelopes",                               P::Nothing,         B::Envelope,      X::No,              [CRTD, CRTD, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // a new envelope in the caller's own vault
        row("DELETE", "/api/v1/vault/envelopes/{id}",                          P::Envelope,        B::Empty,         X::Envelope,        [DONE, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // U retires a fresh envelope
        row("POST",   "/api/v1/vault/closure",                                 P::Nothing,         B::Empty,         X::Reopen,          [ACPT, ACPT, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // each usager's own vault, closure cancelled after the cell
        row("DELETE", "/api/v1/vault/closure",                                 P::Nothing,         B::Empty,         X::Closing,         [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // closure requested just before the cell
        row("GET",    "/api/v1/vault/export",                                  P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("GET",    "/api/v1/account/signing-key",                           P::Nothing,         B::Empty,         X::No,              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // one's own key: anyone who signs, whatever their memberships
        row("PUT",    "/api/v1/account/signing-key",                           P::Nothing,         B::SigningKey,    X::No,              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // the caller's own key again
        row("GET",    "/api/v1/account/kit-login",                             P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // whether one's own account logs in with a kit
        row("PUT",    "/api/v1/account/kit-login",                             P::Nothing,         B::KitLogin,      X::No,              [DONE, DONE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // a new kit of the caller's own account
        row("GET",    "/api/v1/documents",                                     P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("POST",   "/api/v1/documents",                                     P::Nothing,         B::Upload,        X::No,              [CRTD, CRTD, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // a new document in the caller's own vault
        row("GET",    "/api/v1/documents/{id}",                                P::Document,        B::Empty,         X::No,              [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("DELETE", "/api/v1/documents/{id}",                                P::Document,        B::Empty,         X::BinnedDocument,  [DONE, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // U purges a fresh binned document
        row("POST",   "/api/v1/documents/{id}/versions",                       P::Document,        B::Version,       X::Document,        [CRTD, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // on a fresh document
        row("POST",   "/api/v1/documents/{id}/reencryption",                   P::Document,        B::Version,       X::Document,        [CRTD, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // on a fresh document
        row("GET",    "/api/v1/documents/{id}/payload",                        P::Document,        B::Empty,         X::No,              [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("POST",   "/api/v1/documents/{id}/bin",                            P::Document,        B::Empty,         X::Document,        [DONE, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // on a fresh document
        row("POST",   "/api/v1/documents/{id}/restore",                        P::Document,        B::Empty,         X::BinnedDocument,  [DONE, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // on a fresh binned document
        row("GET",    "/api/v1/documents/{id}/shares",                         P::Document,        B::Empty,         X::No,              [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("POST",   "/api/v1/documents/{id}/shares",                         P::Document,        B::Share,         X::Document,        [CRTD, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // on a fresh document
        row("DELETE", "/api/v1/shares/{id}",                                   P::Share,           B::Empty,         X::Share,           [DONE, NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // U revokes a fresh share
        row("GET",    "/api/v1/account/organisations",                         P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // one's own memberships (S sees hers suspended, R none)
        row("PUT",    "/api/v1/session/organisation",                          P::Nothing,         B::Choose,        X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   SUSP, EXMB, OK,   ANON]), // the caller's own organisation, chosen again
        row("GET",    "/api/v1/organisation/journal",                          P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]),
        row("GET",    "/api/v1/organisation/indicators",                       P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]),
        row("GET",    "/api/v1/account/key",                                   P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // one's own account key
        row("PUT",    "/api/v1/account/key",                                   P::Nothing,         B::AccountKey,    X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // the caller's own key again
        row("GET",    "/api/v1/organisation/invitations",                      P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]),
        row("POST",   "/api/v1/organisation/invitations",                      P::Nothing,         B::Invitation,    X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, CRTD, ANON]), // a new address each time
        row("DELETE", "/api/v1/organisation/invitations/{id}",                 P::Invitation,      B::Empty,         X::Invitation,      [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, DONE, ANON]), // F revokes a fresh invitation
        row("GET",    "/api/v1/organisation/members",                          P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   SUSP, EXMB, OK,   ANON]), // B: P's members
        row("DELETE", "/api/v1/organisation/members/{user_id}",                P::Member,          B::Empty,         X::Member,          [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]), // F removes a fresh member
        row("POST",   "/api/v1/organisation/members/{user_id}/suspension",     P::Member,          B::Empty,         X::Member,          [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, DONE, ANON]), // F suspends a fresh member
        row("DELETE", "/api/v1/organisation/members/{user_id}/suspension",     P::Member,          B::Empty,         X::SuspendedMember, [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, DONE, ANON]), // F reinstates a fresh suspended member
        row("POST",   "/api/v1/mandates",                                      P::Nothing,         B::Proposal,      X::No,              [ROLE, ROLE, CRTD, CRTD, CRTD, CRTD, CRTD, CRTD, SUSP, EXMB, CRTD, ANON]), // a new proposal naming the caller, in their organisation
        row("GET",    "/api/v1/mandates",                                      P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   SUSP, EXMB, OK,   ANON]), // each member's own view of their organisation's
        row("POST",   "/api/v1/mandates/claim",                                P::Nothing,         B::Claim,         X::No,              [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // P is claimed by U already: claiming again changes nothing
        row("GET",    "/api/v1/mandates/{id}",                                 P::Mandate,         B::Empty,         X::No,              [OK,   NFND, OK,   OK,   OK,   OK,   NFND, OK,   SUSP, EXMB, OK,   ANON]), // any member of O sees O's mandates
        row("POST",   "/api/v1/mandates/{id}/withdrawal",                      P::Proposal,        B::Empty,         X::Proposal,        [ROLE, ROLE, OK,   OK,   ANSW, ANSW, NFND, OK,   SUSP, EXMB, OK,   ANON]), // a fresh proposal for each member who withdraws
        row("POST",   "/api/v1/mandates/{id}/consent",                         P::Proposal,        B::Consent,       X::ClaimedProposal, [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // U consents to a fresh claimed proposal
        row("POST",   "/api/v1/mandates/{id}/refusal",                         P::Proposal,        B::Empty,         X::ClaimedProposal, [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // U refuses a fresh claimed proposal
        row("POST",   "/api/v1/mandates/{id}/revocation",                      P::Mandate,         B::Empty,         X::Mandate,         [OK,   NFND, OK,   OK,   INAC, INAC, NFND, OK,   SUSP, EXMB, OK,   ANON]), // a fresh mandate for each who revokes
        row("GET",    "/api/v1/mandates/{id}/opened",                          P::Mandate,         B::Empty,         X::No,              [OK,   NFND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]),
        row("GET",    "/api/v1/vault/mandates",                                P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // V: V's own mandates
        row("GET",    "/api/v1/mandates/{id}/grant",                           P::Mandate,         B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   ENDD, ENDD, NFND, UNNM, SUSP, EXMB, UNNM, ANON]),
        row("GET",    "/api/v1/mandates/{id}/documents",                       P::MandateListing,  B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   ENDD, ENDD, NFND, UNNM, SUSP, EXMB, UNNM, ANON]), // A-out lists sante: nothing
        row("POST",   "/api/v1/mandates/{id}/documents",                       P::Mandate,         B::MandateUpload, X::No,              [ROLE, ROLE, CRTD, SCOP, ENDD, ENDD, NFND, UNNM, SUSP, EXMB, UNNM, ANON]), // a new document each time
        row("GET",    "/api/v1/mandates/{id}/documents/{document_id}",         P::MandateDocument, B::Empty,         X::No,              [ROLE, ROLE, OK,   NFND, ENDD, ENDD, NFND, UNNM, SUSP, EXMB, UNNM, ANON]),
        row("GET",    "/api/v1/mandates/{id}/documents/{document_id}/payload", P::MandateDocument, B::Empty,         X::No,              [ROLE, ROLE, OK,   NFND, ENDD, ENDD, NFND, UNNM, SUSP, EXMB, UNNM, ANON]),
        row("POST",   "/api/v1/account/passkeys/registration",                 P::Nothing,         B::PasskeyPurpose, X::No,             [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // the purpose of the caller's role; a ceremony only
        row("POST",   "/api/v1/account/passkeys",                              P::Nothing,         B::PasskeyAnswer, X::No,              [CERM, CERM, CERM, CERM, CERM, CERM, CERM, CERM, CERM, CERM, CERM, ANON]), // no ceremony of the caller's
        row("GET",    "/api/v1/account/passkeys",                              P::Nothing,         B::Empty,         X::No,              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // one's own passkeys
        row("DELETE", "/api/v1/account/passkeys/{id}",                         P::Unknown,         B::Empty,         X::No,              [NOPK, NOPK, NOPK, NOPK, NOPK, NOPK, NOPK, NOPK, NOPK, NOPK, NOPK, ANON]), // nobody's passkey
        row("GET",    "/api/v1/account/ways-in",                               P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // the usager's own
        row("GET",    "/api/v1/account/contact",                               P::Nothing,         B::Empty,         X::No,              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]), // one's own contact: usagers and aidants past the second factor
        row("PUT",    "/api/v1/account/contact",                               P::Nothing,         B::Contact,       X::No,              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   ANON]).in_person(NOML), // the caller's own contact (the same each time); E has no provider's address
        row("GET",    "/api/v1/attestations",                                  P::MandateQuery,    B::Empty,         X::No,              [OK,   NFND, OK,   OK,   OK,   OK,   NFND, OK,   SUSP, EXMB, OK,   ANON]), // the parties: U, and any member of O (as for the mandate)
        row("GET",    "/api/v1/attestations/{id}",                             P::Attestation,     B::Empty,         X::No,              [OK,   NFND, OK,   OK,   OK,   OK,   NFND, OK,   SUSP, EXMB, OK,   ANON]),
        row("GET",    "/attestations/{id}/print",                              P::Attestation,     B::Empty,         X::No,              [OK,   NFND, OK,   OK,   OK,   OK,   NFND, OK,   SUSP, EXMB, OK,   ANON]),
        row("GET",    "/api/v1/recovery",                                      P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // the caller's own vault's
        row("POST",   "/api/v1/recovery",                                      P::Nothing,         B::RecoveryRequest, X::No,            [UNAV, UNAV, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // neither vault has an assisted envelope
        row("DELETE", "/api/v1/recovery",                                      P::Nothing,         B::Empty,         X::No,              [NPND, NPND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // nothing open to cancel
        row("POST",   "/api/v1/recovery/completion",                           P::Nothing,         B::Empty,         X::No,              [NPND, NPND, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // nothing released to complete
        row("PUT",    "/api/v1/organisation/recovery-key",                     P::Nothing,         B::RecoveryKey,   X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]), // no assisted envelope depends on O's key: F may replace it
        row("GET",    "/api/v1/organisation/recovery-key",                     P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]), // F's own copy, registered by the row above
        row("GET",    "/api/v1/organisation/recovery/requests",                P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, OK,   ANON]), // O's requests due: none
        row("GET",    "/api/v1/organisation/recovery/requests/{id}/share",     P::Unknown,         B::Empty,         X::No,              [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, NFND, ANON]),
        row("POST",   "/api/v1/organisation/recovery/requests/{id}/release",   P::Unknown,         B::RecoveryRelease, X::No,            [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, NFND, ANON]),
        row("POST",   "/api/v1/enrolments",                                    P::Nothing,         B::Enrolment,     X::No,              [ROLE, ROLE, CRTD, CRTD, CRTD, CRTD, CRTD, CRTD, SUSP, EXMB, CRTD, ANON]), // a new person enrolled in the caller's organisation
        row("GET",    "/api/v1/enrolments",                                    P::Nothing,         B::Empty,         X::No,              [ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   OK,   SUSP, EXMB, OK,   ANON]), // F: O's; an aidant: their own
        row("POST",   "/api/v1/enrolments/{id}/confirmation",                  P::Enrolment,       B::Empty,         X::KnownEnrolment,  [ROLE, ROLE, NREF, NREF, NREF, NREF, NREF, NREF, SUSP, EXMB, DONE, ANON]), // F confirms a fresh one A made
        row("POST",   "/api/v1/enrolments/{id}/link",                          P::Enrolment,       B::Empty,         X::Enrolment,       [ROLE, ROLE, OK,   OK,   OK,   OK,   NFND, NFND, SUSP, EXMB, OK,   ANON]), // A made it, F is référent: a fresh one each; B: not P's, N: not N's
        row("GET",    "/api/v1/account/identity",                              P::Nothing,         B::Empty,         X::No,              [OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, ANON]), // the caller's own
    ]
}

/// What each column is, printed above the matrix.
const LEGEND: &str = "\
U: the usager (vault, D_in in identite, D_out in sante, mandates M, M_exp, M_rev, proposal P)
V: another usager, with a vault
A: aidant of O named on M (identite, in force), on D_in | A-out: on D_out (sante) or uploading in sante
A-exp: A under M_exp (expired) | A-rev: A under M_rev (revoked by U)
B: aidant of organisation P | N: aidant of O not named on M | S: named on M, suspended
R: named on M, removed from O | F: référent of O | anon: nobody signed in
E: a usager enrolled in person by A (no FranceConnect identity), with a vault of their own (expected as V)
(! after a status: not the expected one)";

both_backends!(
    /// Every route × every caller: the exact status (and refusal code) of each cell, only the
    /// expected cells succeed; the table covers the route table exactly.
    every_route_by_every_caller,
    |db: TestDb| async move {
        let rows = table();
        let mut problems = matrix::coverage(&rows, EXCLUDED);
        let started = Instant::now();
        let world = World::build(db).await;
        let built = started.elapsed();
        let expected: Vec<(&str, String)> = facts::EXPECTED.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let before = world.differences(&expected).await;
        assert!(before.is_empty(), "the world is not the one the table is written for:\n{}", before.join("\n"));
        let results = matrix::run(&world, &rows).await;
        let cells: usize = results.iter().map(|(_, c)| c.len()).sum();
        println!("{LEGEND}\n\n{}", matrix::render(&results));
        println!("{} routes × 13 columns = {cells} cells; world built in {built:.1?}, cells run in {:.1?}",
            results.len(), started.elapsed() - built);
        problems.extend(matrix::mismatches(&results));
        // The cells that succeeded acted on fresh objects: the shared ones are as they were.
        problems.extend(world.differences(&expected).await.into_iter().map(|d| format!("changed by a cell: {d}")));
        assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    }
);
