//! The world the matrix runs in, built through the real HTTP flows (the organisations created by
//! the operator's domain function, as `consigne organisation create` does; B invited into P by the
//! operator, as `consigne aidant invite` does):
//!
//! - U (angela) with a vault, `D_in` (`identite`) and `D_out` (`sante`), a share link of `D_in`;
//!   V (karim) with a vault;
//! - O (référent F, marie) with A (sophie), N, S, R and X (invited by F); P with B (invited by
//!   the operator), who holds a mandate from V;
//! - M: U's mandate naming A, S and R (`identite`, 31 days), in force; `M_exp` naming A
//!   (`identite domicile`, 1 day), consented a day before the matrix runs, so expired; `M_rev`
//!   naming A (`identite famille`), revoked by U; P: a proposal of O to U, claimed, unanswered;
//!   an invitation into O pending;
//! - E, a usager enrolled in person by A (identity read on a document), signed in with the
//!   one-time link, with a vault of their own;
//! - then F suspends S and removes R.
//!
//! The clock moves a day forward between `M_exp`'s consent and the rest: everyone logs in again
//! after it (sessions do not last a day), so the matrix runs with fresh sessions.

use super::people::{person, token, usager_again, Professional};
use crate::client::VaultClient;
use crate::db::TestDb;
use crate::enrolment::{by_document, by_knowledge, claim as claim_link, token_of as link_token};
use crate::mandate_setup::consent_for;
use crate::organisations::{self as orgs, create_organisation, siret, Pro};
use crate::vault::{Store, VaultEnv};
use consigne_crypto::Identity;
use consigne_server::clock::TestClock;
use consigne_server::ids::OrganisationId;
use consigne_server::organisations::MemberRole;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

const DAY: i64 = 86_400;

/// The people the development provider does not list: (identity, given name, family name, e-mail).
const PEOPLE: [(&str, &str, &str, &str); 5] = [
    ("nadia", "Nadia", "HADDAD", "nadia.haddad@ccas.example.fr"),
    ("samir", "Samir", "BENSAID", "samir.bensaid@ccas.example.fr"),
    ("remi", "Rémi", "FAURE", "remi.faure@ccas.example.fr"),
    ("xavier", "Xavier", "LEMOINE", "xavier.lemoine@ccas.example.fr"),
    ("bruno", "Bruno", "CARRE", "bruno.carre@fs-beta.example.fr"),
];

pub struct World {
    /// The server, provider and database, and U's client (`v.client`).
    pub v: VaultEnv,
    pub clock: Arc<TestClock>,
    /// V, another usager.
    pub other: VaultClient,
    /// E, a usager enrolled in person (issue 15), with a vault.
    pub enrolled: VaultClient,
    /// An enrolment by A of a "personne connue du service", awaiting a référent's confirmation.
    pub enrolment: String,
    pub a: Professional,
    pub b: Professional,
    pub n: Professional,
    pub s: Professional,
    pub r: Professional,
    pub f: Professional,
    pub anon: reqwest::Client,
    pub o: OrganisationId,
    pub m: String,
    /// M's key (its recipient goes on every upload in `identite`).
    pub m_key: Identity,
    pub m_exp: String,
    pub m_rev: String,
    /// P, and the token of its link.
    pub proposal: String,
    pub proposal_token: String,
    /// The first attestation of M, `M_exp` and `M_rev`, by mandate.
    pub attestations: HashMap<String, String>,
    pub d_in: String,
    pub d_out: String,
    pub envelope: String,
    pub share: String,
    pub invitation: String,
    /// X's user id.
    pub member: String,
    /// Numbers the fresh objects (names, categories).
    pub(super) counter: AtomicUsize,
}

/// `by` proposes (`days`, `categories`, naming `named`) for the usager who opens the link.
pub async fn propose(by: &Professional, categories: &[&str], named: &[&Professional], days: i32) -> Value {
    let body = json!({
        "categories": categories,
        "purposes": ["papiers"],
        "duration_days": days,
        "aidant_ids": named.iter().map(|p| p.user_id()).collect::<Vec<_>>(),
    });
    by.expect(Method::POST, "/api/v1/mandates", Some(body), 201).await
}

/// The usager opens the proposal's link; returns the recap.
pub async fn claim(usager: &VaultClient, proposed: &Value) -> Value {
    let body = json!({"token": proposed["claim_token"]});
    let res = usager.send(Method::POST, "/api/v1/mandates/claim", Some(body)).await;
    assert_eq!(res.status(), 200, "claim: {}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// Proposal by `by`, claim and consent by `usager` (their client makes the key, the grants and
/// the slots); returns the mandate's id and key.
pub async fn mandate(
    by: &Professional,
    usager: &VaultClient,
    categories: &[&str],
    named: &[&Professional],
    days: i32,
) -> (String, Identity) {
    let recap = claim(usager, &propose(by, categories, named, days).await).await;
    let consent = consent_for(usager, &recap["mandate"]).await;
    let id = recap["mandate"]["id"].as_str().unwrap().to_owned();
    let res = usager.send(Method::POST, &format!("/api/v1/mandates/{id}/consent"), Some(consent.body)).await;
    assert_eq!(res.status(), 200, "consent: {}", res.text().await.unwrap());
    (id, consent.key)
}

/// E: `by` enrols a usager in person (a document seen), who claims the link on `browser` and
/// makes a vault.
async fn enrolled_by(by: &Professional, browser: &crate::idp::Browser) -> VaultClient {
    let created =
        by.expect(Method::POST, "/api/v1/enrolments", Some(by_document("Yasmina", "HADDAD")), 201).await;
    let res = claim_link(browser, &link_token(created["link"].as_str().unwrap())).await;
    assert_eq!(res.status(), 200, "E claims the link: {}", res.text().await.unwrap());
    let client = VaultClient::new(browser).await;
    let res = client.create_vault().await;
    assert_eq!(res.status(), 201, "E's vault: {}", res.text().await.unwrap());
    client
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

impl World {
    pub async fn build(db: TestDb) -> Self {
        let clock = Arc::new(TestClock::now_stopped());
        // Many logins and second factors from one address; sessions idle while other cells run.
        let settings = [
            ("auth.login_attempts", "1000".to_owned()),
            ("auth.totp_attempts", "1000".to_owned()),
            ("auth.session_idle_seconds", "86400".to_owned()),
        ];
        let mut v = VaultEnv::start_with_clock(db, Store::Fs, &settings, clock.clone()).await;
        for (who, given, family, email) in PEOPLE {
            person(&v.env, who, given, family, email).await;
        }
        let state = v.env.server.state.clone();
        let env = &v.env;

        // A day before: U's documents, O with F and A, and M_exp.
        let d_in = id(&v.client.upload("identite", "cni.pdf", b"carte d'identite d'Angela").await);
        let d_out = id(&v.client.upload("sante", "ordonnance.pdf", b"ordonnance du Dr X").await);
        let (o, first) =
            create_organisation(&state, "CCAS d'Alpha", &siret(11), "marie.petit@example.fr").await;
        let mut f = Professional::join(env, &clock, "marie", &first, &o).await;
        let invited = token(&f.invite("sophie.leroy@ccas.example.fr", "aidant").await);
        let mut a = Professional::join(env, &clock, "sophie", &invited, &o).await;
        let (m_exp, _) = mandate(&a, &v.client, &["identite", "domicile"], &[&a], 1).await;

        // A day later (plus a minute): M_exp has ended; everyone logs in again.
        clock.advance(DAY + 60);
        f.login_again(env, &clock).await;
        a.login_again(env, &clock).await;
        let mut members = Vec::new();
        for (who, _, _, email) in &PEOPLE[..4] {
            let invited = token(&f.invite(email, "aidant").await);
            members.push(Professional::join(env, &clock, who, &invited, &o).await);
        }
        let [n, s, r, x]: [Professional; 4] = members.try_into().ok().unwrap();
        let (p, _) =
            create_organisation(&state, "France Services Beta", &siret(22), "ref.beta@example.fr").await;
        let invited = orgs::invite(&state, &p, PEOPLE[4].3, MemberRole::Aidant).await;
        let b = Professional::join(env, &clock, "bruno", &invited, &p).await;
        let other = v.other_usager("karim").await;
        let enrolled = enrolled_by(&a, &v.env.browser()).await;
        let known = by_knowledge("Jean", "VALJEAN");
        let enrolment = id(&a.expect(Method::POST, "/api/v1/enrolments", Some(known), 201).await);
        // U logs in again last, so that the matrix finds her login recent (consent, purge…).
        v.client = usager_again(&v.env, "angela", &v.client).await;
        let u = &v.client;

        let (m, m_key) = mandate(&a, u, &["identite"], &[&a, &s, &r], 31).await;
        let (m_rev, _) = mandate(&a, u, &["identite", "famille"], &[&a], 31).await;
        let res = u.send(Method::POST, &format!("/api/v1/mandates/{m_rev}/revocation"), None).await;
        assert_eq!(res.status(), 200, "U revokes M_rev: {}", res.text().await.unwrap());
        mandate(&b, &other, &["identite"], &[&b], 31).await;
        let proposed = propose(&a, &["autre"], &[&a], 31).await;
        claim(u, &proposed).await;

        let mut attestations = HashMap::new();
        for mandate in [&m, &m_exp, &m_rev] {
            let res = u.get(&format!("/api/v1/attestations?mandate={mandate}")).await;
            assert_eq!(res.status(), 200, "attestations of {mandate}");
            let found: Value = res.json().await.unwrap();
            attestations.insert(mandate.clone(), id(&found["attestations"][0]));
        }
        let doc: Value = u.get(&format!("/api/v1/documents/{d_in}")).await.json().await.unwrap();
        let share = id(&u.share(&doc, json!({})).await.share);
        let envelopes: Value = u.get("/api/v1/vault/envelopes").await.json().await.unwrap();
        let envelope = id(&envelopes["envelopes"][0]);
        let invitation = id(&f.invite("en.attente@example.fr", "aidant").await);
        let path = format!("/api/v1/organisation/members/{}/suspension", s.user_id());
        f.expect(Method::POST, &path, None, 204).await;
        let path = format!("/api/v1/organisation/members/{}", r.user_id());
        let removed = f.expect(Method::DELETE, &path, None, 200).await;
        assert_eq!(removed["grants_deleted"], 1, "R's grant on M is gone with the membership");

        World {
            other,
            enrolled,
            enrolment,
            clock,
            a,
            b,
            n,
            s,
            r,
            f,
            anon: reqwest::Client::new(),
            o,
            m,
            m_key,
            m_exp,
            m_rev,
            proposal: id(&proposed["mandate"]),
            attestations,
            proposal_token: proposed["claim_token"].as_str().unwrap().to_owned(),
            d_in,
            d_out,
            envelope,
            share,
            invitation,
            member: x.user_id().to_owned(),
            counter: AtomicUsize::new(0),
            v,
        }
    }

    /// U's client.
    pub fn u(&self) -> &VaultClient {
        &self.v.client
    }

    /// A new member of O (a new person, invited by F, signed in once); their user id.
    pub(super) async fn new_member(&self, n: usize) -> String {
        let who = format!("membre{n}");
        let email = format!("membre{n}@ccas.example.fr");
        person(&self.v.env, &who, "Membre", "TEMPORAIRE", &email).await;
        let invited = token(&self.f.invite(&email, "aidant").await);
        Pro::join(&self.v.env, &self.clock, &who, &invited).await.user_id
    }
}
