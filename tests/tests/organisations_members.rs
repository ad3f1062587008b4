//! Members of an organisation (issue 11): suspension and reinstatement take effect on the very
//! next request, removal deletes the person's grants on this organisation's mandates at once, and
//! the organisation never loses its last active référent, even under parallel requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::ids::{MandateId, OrganisationId};
use consigne_server::AppState;
use consigne_storage::db::mandates::{self, Mandate, MandateAidant};
use consigne_storage::db::organisations::memberships::{self, Membership};
use consigne_storage::db::organisations::organisation::{self, Organisation};
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::organisations::{self as orgs, create_organisation, siret, Pro};
use reqwest::Method;
use serde_json::{json, Value};

async fn status_and_code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, if status >= 400 { error_code(res).await } else { String::new() })
}

fn member_path(user: &str, suspension: bool) -> String {
    let tail = if suspension { "/suspension" } else { "" };
    format!("/api/v1/organisation/members/{user}{tail}")
}

both_backends!(
    /// A suspended aidant is refused on their next request, and acts again once reinstated; a
    /// removed one is refused from their next request on. The last active référent can neither be
    /// suspended nor removed. Each change is journaled with the organisation and the référent.
    suspension_and_removal_take_effect_on_the_next_request,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let state = &env.server.state;
        let (org, token) = create_organisation(state, "CCAS de Lille", &siret(31), "marie.petit@example.fr").await;
        let marie = Pro::join(&env, &clock, "marie", &token).await;
        marie.choose(&org).await;
        let sophie = Pro::join(&env, &clock, "sophie", &marie.invite("sophie.leroy@ccas.example.fr", "aidant").await).await;
        assert_eq!(sophie.choose(&org).await.status(), 200);
        let members = "/api/v1/organisation/members";
        assert_eq!(sophie.get(members).await.status(), 200);

        let suspend = member_path(&sophie.user_id, true);
        assert_eq!(marie.send(Method::POST, &suspend, None).await.status(), 204);
        assert_eq!(status_and_code(sophie.get(members).await).await, (403, "organisation_member_suspended".into()));
        // Already suspended: nothing more to do, nothing journaled.
        assert_eq!(marie.send(Method::POST, &suspend, None).await.status(), 204);
        // She cannot lift it herself.
        let res = sophie.send(Method::DELETE, &suspend, None).await;
        assert_eq!(status_and_code(res).await, (403, "organisation_member_suspended".into()));
        let listed: Value = marie.get(members).await.json().await.unwrap();
        let her = listed.as_array().unwrap().iter().find(|m| m["user_id"] == sophie.user_id.as_str()).unwrap().clone();
        assert_eq!(her["suspended"], true);
        assert_eq!(marie.send(Method::DELETE, &suspend, None).await.status(), 204);
        assert_eq!(sophie.get(members).await.status(), 200);

        // The last active référent stays.
        let mine = member_path(&marie.user_id, true);
        let res = marie.send(Method::POST, &mine, None).await;
        assert_eq!(status_and_code(res).await, (409, "organisation_last_referent".into()));
        let res = marie.send(Method::DELETE, &member_path(&marie.user_id, false), None).await;
        assert_eq!(status_and_code(res).await, (409, "organisation_last_referent".into()));
        assert!(env.journaled("organisation_last_referent"));
        // An aidant manages nobody.
        let res = sophie.send(Method::POST, &mine, None).await;
        assert_eq!(status_and_code(res).await, (403, "organisation_not_referent".into()));
        // Unknown or malformed member: not found.
        let nobody = consigne_server::ids::UserId::new();
        let res = marie.send(Method::POST, &member_path(nobody.as_str(), true), None).await;
        assert_eq!(res.status(), 404);
        let res = marie.send(Method::DELETE, &member_path("pas-un-id", false), None).await;
        assert_eq!(res.status(), 404);

        let res = marie.send(Method::DELETE, &member_path(&sophie.user_id, false), None).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"grants_deleted": 0}));
        assert_eq!(status_and_code(sophie.get(members).await).await, (403, "organisation_not_member".into()));
        assert_eq!(status_and_code(sophie.choose(&org).await).await, (403, "organisation_not_member".into()));
        let res = marie.send(Method::DELETE, &member_path(&sophie.user_id, false), None).await;
        assert_eq!(res.status(), 404, "removed already");
        let listed: Value = marie.get(members).await.json().await.unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1);

        let journal = env.journal();
        let actions: Vec<&str> = journal
            .iter()
            .filter(|e| e.action.starts_with("organisation.member_") && e.action != "organisation.member_joined"
                && e.action != "organisation.member_invited")
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(
            actions,
            ["organisation.member_suspended", "organisation.member_reinstated", "organisation.member_removed"]
        );
        for e in journal.iter().filter(|e| actions.contains(&e.action.as_str())) {
            assert_eq!(e.actor_user_id.as_deref(), Some(marie.user_id.as_str()));
            assert_eq!(e.actor_organisation_id.as_deref(), Some(org.as_str()));
            assert_eq!(e.actor_role.as_deref(), Some("referent"));
            assert!(e.details.contains(&sophie.user_id));
        }
    }
);

/// A mandate of `organisation` naming these aidants, each with a grant (a wrapped key).
async fn mandate_naming(
    state: &AppState,
    organisation: &OrganisationId,
    by: &str,
    aidants: &[&str],
) -> String {
    let id = MandateId::new().into_string();
    let mandate = Mandate {
        id: id.clone(),
        organisation_id: organisation.as_str().to_owned(),
        proposed_by: by.to_owned(),
        usager_id: None,
        claim_hash: format!("claim-{id}"),
        categories: "identite".into(),
        purposes: "papiers".into(),
        duration_days: 31,
        state: "active".into(),
        recipient: None,
        proposed_at: 0,
        consented_at: Some(0),
        expires_at: Some(i64::MAX / 2),
        ended_at: None,
        ended_by: None,
        keys_cleared_at: None,
    };
    let named: Vec<MandateAidant> = aidants
        .iter()
        .map(|a| MandateAidant {
            mandate_id: id.clone(),
            aidant_id: (*a).to_owned(),
            wrapped_key: Some(format!("age file for {a}").into_bytes()),
        })
        .collect();
    state.db.run(move |conn| mandates::insert(conn, &mandate, &named)).await.unwrap();
    id
}

async fn grant(state: &AppState, mandate: &str, aidant: &str) -> Option<Vec<u8>> {
    let (mandate, aidant) = (mandate.to_owned(), aidant.to_owned());
    state.db.run(move |conn| mandates::aidant(conn, &mandate, &aidant)).await.unwrap().unwrap().wrapped_key
}

both_backends!(
    /// Removing an aidant deletes, in the same transaction, their grants on every mandate of this
    /// organisation, and none of another organisation's, nor another aidant's.
    removal_deletes_the_grants_of_this_organisation_only,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let state = &env.server.state;
        let (lille, t1) = create_organisation(state, "CCAS de Lille", &siret(41), "marie.petit@example.fr").await;
        let (roubaix, t2) = create_organisation(state, "CCAS de Roubaix", &siret(42), "karim.benali@example.fr").await;
        let marie = Pro::join(&env, &clock, "marie", &t1).await;
        let karim = Pro::join(&env, &clock, "karim", &t2).await;
        marie.choose(&lille).await;
        karim.choose(&roubaix).await;
        let sophie = Pro::join(&env, &clock, "sophie", &marie.invite("sophie.leroy@ccas.example.fr", "aidant").await).await;
        let token = karim.invite("sophie.leroy@ccas.example.fr", "aidant").await;
        let sophie = Pro::sign_in(&env, &clock, "sophie", Some(&token), &sophie.totp).await;
        let angela = Pro::join(&env, &clock, "angela", &marie.invite("angela.dubois@example.fr", "aidant").await).await;
        let (s, a) = (sophie.user_id.as_str(), angela.user_id.as_str());
        let first = mandate_naming(state, &lille, &marie.user_id, &[s, a]).await;
        let second = mandate_naming(state, &lille, &marie.user_id, &[s]).await;
        let theirs = mandate_naming(state, &roubaix, &karim.user_id, &[s]).await;

        let res = marie.send(Method::DELETE, &member_path(s, false), None).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"grants_deleted": 2}));
        assert_eq!(grant(state, &first, s).await, None);
        assert_eq!(grant(state, &second, s).await, None);
        assert_eq!(grant(state, &first, a).await, Some(format!("age file for {a}").into_bytes()), "Angela's stays");
        assert_eq!(grant(state, &theirs, s).await, Some(format!("age file for {s}").into_bytes()), "Roubaix's stays");
        let removed: Vec<_> = env.journal().into_iter().filter(|e| e.action == "organisation.member_removed").collect();
        assert_eq!(removed.len(), 1);
        let details: Value = serde_json::from_str(&removed[0].details).unwrap();
        assert_eq!(details, json!({"user_id": s, "grants_deleted": 2}));
        // Still Roubaix's aidant.
        assert_eq!(sophie.choose(&roubaix).await.status(), 200);
        assert_eq!(sophie.get("/api/v1/organisation/members").await.status(), 200);
    }
);

/// A new organisation whose référents are exactly these accounts (written as the storage layer
/// does, so that many rounds need no new logins).
async fn organisation_of(env: &AuthEnv, n: u64, referents: &[&str]) -> OrganisationId {
    let id = OrganisationId::new();
    let row = Organisation {
        id: id.as_str().to_owned(),
        siret: siret(1000 + n),
        name: format!("Structure {n}"),
        recovery_recipient: None,
        created_at: 0,
        kind: "ccas".into(),
    };
    let members: Vec<Membership> = referents
        .iter()
        .map(|u| Membership {
            organisation_id: id.as_str().to_owned(),
            user_id: (*u).to_owned(),
            role: "referent".into(),
            created_at: 0,
            suspended_at: None,
        })
        .collect();
    env.server
        .state
        .db
        .run(move |conn| {
            organisation::insert(conn, &row)?;
            members.iter().try_for_each(|m| memberships::insert(conn, m))
        })
        .await
        .unwrap();
    id
}

async fn active_referents(env: &AuthEnv, org: &OrganisationId) -> Vec<String> {
    let org = org.as_str().to_owned();
    let rows = env.server.state.db.run(move |conn| memberships::of_organisation(conn, &org)).await.unwrap();
    rows.into_iter()
        .filter(|m| m.membership.role == "referent" && m.membership.suspended_at.is_none())
        .map(|m| m.membership.user_id)
        .collect()
}

const PARALLEL: usize = 20;

both_backends!(
    /// The last-référent rule is a check-then-act: run without the organisation's lock, two
    /// référents removing (or suspending) each other in parallel could both pass the check and
    /// leave the organisation with none. Expected, every round: exactly one active référent left,
    /// and for removals exactly one request served; the others refused with a stable code.
    the_last_referent_survives_parallel_removals_and_suspensions,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let (first, token) = create_organisation(&env.server.state, "CCAS", &siret(51), "marie.petit@example.fr").await;
        let marie = Pro::join(&env, &clock, "marie", &token).await;
        let token = orgs::invite(&env.server.state, &first, "karim.benali@example.fr", consigne_server::organisations::MemberRole::Referent).await;
        let karim = Pro::join(&env, &clock, "karim", &token).await;
        let pair = [&marie, &karim];
        for round in 0..12u64 {
            let org = organisation_of(&env, round, &[&marie.user_id, &karim.user_id]).await;
            for p in pair {
                assert_eq!(p.choose(&org).await.status(), 200);
            }
            let suspending = round % 2 == 1;
            let requests = (0..PARALLEL).map(|i| {
                let (me, other) = (pair[i % 2], pair[(i + 1) % 2]);
                let (method, path) = if suspending {
                    (Method::POST, member_path(&other.user_id, true))
                } else {
                    (Method::DELETE, member_path(&other.user_id, false))
                };
                async move { status_and_code(me.send(method, &path, None).await).await }
            });
            let answers = futures::future::join_all(requests).await;
            let left = active_referents(&env, &org).await;
            assert_eq!(left.len(), 1, "round {round}: {} active référents left: {answers:?}", left.len());
            let allowed = [
                (404, "not_found"),
                (403, "organisation_not_member"),
                (403, "organisation_member_suspended"),
                (409, "organisation_last_referent"),
            ];
            let odd: Vec<_> = answers
                .iter()
                .filter(|(s, c)| !(*s == 200 || *s == 204 || allowed.contains(&(*s, c.as_str()))))
                .collect();
            assert!(odd.is_empty(), "round {round}: unexpected answers {odd:?}");
            if !suspending {
                let served = answers.iter().filter(|(s, _)| *s == 200).count();
                assert_eq!(served, 1, "round {round}: {served} removals served: {answers:?}");
            }
        }
    }
);
