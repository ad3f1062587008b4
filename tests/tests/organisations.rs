//! Organisations (issue 11): created with their first référent's invitation, the invitation
//! binding the provider identity at first login (never a bare login), one account in several
//! organisations choosing the one it acts for, référents inviting and revoking, and every action
//! journaled with the organisation acted for. Members and keys: `organisations_members.rs`,
//! `organisations_keys.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::organisations::MemberRole;
use consigne_storage::db::notices::queue;
use consigne_storage::journal::Entry;
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::organisations::{self as orgs, create_organisation, siret, Pro};
use reqwest::Method;
use serde_json::{json, Value};

async fn status_and_code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, if status >= 400 { error_code(res).await } else { String::new() })
}

fn entries(env: &AuthEnv, action: &str) -> Vec<Entry> {
    env.journal().into_iter().filter(|e| e.action == action).collect()
}

fn aidant_accounts(env: &AuthEnv, email: &str) -> i64 {
    use consigne_storage::db::schema::users;
    use diesel::prelude::*;
    let mut conn = env.db.pool().get().unwrap();
    let aidants = users::table.filter(users::role.eq("aidant"));
    aidants.filter(users::email.eq(email)).count().get_result(&mut *conn).unwrap()
}

both_backends!(
    /// The operator's organisation invites its first référent; a bare provider login makes no
    /// account; the invitation's login creates the account and the référent membership in one
    /// transaction, journaled with the organisation; it is used once.
    the_first_login_binds_the_identity_and_makes_the_referent,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let state = &env.server.state;
        let (org, token) = create_organisation(state, "CCAS de Lille", &siret(1), "sophie.leroy@ccas.example.fr").await;

        // Without the invitation: no account.
        let bare = Browser::new(&env.server.url);
        let ret = bare.login_until_return("aidant", "sophie").await;
        let (status, code) = status_and_code(bare.open(&ret).await).await;
        assert_eq!((status, code.as_str()), (403, "aidant_not_invited"));
        assert_eq!(aidant_accounts(&env, "sophie.leroy@ccas.example.fr"), 0);

        let sophie = Pro::join(&env, &clock, "sophie", &token).await;
        let listed: Value = sophie.get("/api/v1/account/organisations").await.json().await.unwrap();
        assert_eq!(
            listed,
            json!([{"organisation_id": org.as_str(), "name": "CCAS de Lille", "role": "referent",
                    "suspended": false, "chosen": false}])
        );
        // Nothing is done for an organisation before one is chosen.
        let res = sophie.get("/api/v1/organisation/members").await;
        assert_eq!(status_and_code(res).await, (409, "organisation_not_chosen".into()));
        let res = sophie.choose(&org).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["role"], "referent");
        let members: Value = sophie.get("/api/v1/organisation/members").await.json().await.unwrap();
        assert_eq!(members.as_array().unwrap().len(), 1);
        assert_eq!(members[0]["user_id"], sophie.user_id.as_str());
        assert_eq!((members[0]["given_name"].as_str(), members[0]["family_name"].as_str()), (Some("Sophie"), Some("LEROY")));
        assert_eq!((&members[0]["role"], &members[0]["suspended"]), (&json!("referent"), &json!(false)));
        assert_eq!(members[0]["account_key_recipient"], Value::Null);

        let created = entries(&env, "organisation.created");
        assert_eq!(created.len(), 1);
        assert!(created[0].details.contains(org.as_str()) && created[0].actor_user_id.is_none());
        let joined = entries(&env, "organisation.member_joined");
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].actor_user_id.as_deref(), Some(sophie.user_id.as_str()));
        assert_eq!(joined[0].actor_organisation_id.as_deref(), Some(org.as_str()));
        assert_eq!(joined[0].actor_role.as_deref(), Some("referent"));
        let account = entries(&env, "auth.account_created");
        assert_eq!(account.len(), 1);
        // The account and its membership are written in the login's transaction: one `at`.
        assert_eq!(account[0].at, joined[0].at);
        let chosen = entries(&env, "organisation.chosen");
        assert_eq!(chosen[0].actor_organisation_id.as_deref(), Some(org.as_str()));

        // Used: another identity carrying the same address cannot use it again.
        env.idp.set_claims("karim", json!({"email": "sophie.leroy@ccas.example.fr"})).await;
        let res = Browser::new(&env.server.url).login_invited("karim", &token).await;
        assert_eq!(status_and_code(res).await, (403, "aidant_not_invited".into()));
    }
);

both_backends!(
    /// One account, two organisations: an existing aidant who follows another organisation's
    /// invitation gets the membership, not a second account; after login they must choose, only
    /// among theirs; what they do carries the organisation chosen; an aidant cannot invite.
    an_aidant_of_two_organisations_chooses_the_one_they_act_for,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let state = &env.server.state;
        let (lille, t1) = create_organisation(state, "CCAS de Lille", &siret(11), "marie.petit@example.fr").await;
        let (roubaix, t2) = create_organisation(state, "France Services Roubaix", &siret(12), "karim.benali@example.fr").await;
        let (elsewhere, _) = create_organisation(state, "Association ailleurs", &siret(13), "angela.dubois@example.fr").await;
        let marie = Pro::join(&env, &clock, "marie", &t1).await;
        let karim = Pro::join(&env, &clock, "karim", &t2).await;
        assert_eq!(marie.choose(&lille).await.status(), 200);
        assert_eq!(karim.choose(&roubaix).await.status(), 200);

        // Marie invites Sophie into Lille: Sophie's account is made.
        let token = marie.invite("Sophie.Leroy@CCAS.example.fr", "aidant").await;
        let first = Pro::join(&env, &clock, "sophie", &token).await;
        // Karim invites her into Roubaix: her existing account joins (same identity, same address).
        let token = karim.invite("sophie.leroy@ccas.example.fr", "aidant").await;
        let sophie = Pro::sign_in(&env, &clock, "sophie", Some(&token), &first.totp).await;
        assert_eq!(sophie.user_id, first.user_id, "no second account");
        assert_eq!(aidant_accounts(&env, "sophie.leroy@ccas.example.fr"), 1);
        let joined = entries(&env, "organisation.member_joined");
        let sophie_joined: Vec<_> =
            joined.iter().filter(|e| e.actor_user_id.as_deref() == Some(sophie.user_id.as_str())).collect();
        let orgs_joined: Vec<_> = sophie_joined.iter().map(|e| e.actor_organisation_id.clone().unwrap()).collect();
        assert_eq!(orgs_joined, [lille.to_string(), roubaix.to_string()]);
        assert!(sophie_joined.iter().all(|e| e.actor_role.as_deref() == Some("aidant")));
        assert_eq!(entries(&env, "auth.account_created").len(), 3);

        // Choose first; an organisation not hers is refused, and journaled.
        let res = sophie.get("/api/v1/organisation/members").await;
        assert_eq!(status_and_code(res).await, (409, "organisation_not_chosen".into()));
        let res = sophie.choose(&elsewhere).await;
        assert_eq!(status_and_code(res).await, (403, "organisation_not_member".into()));
        assert!(env.journaled("organisation_not_member"));
        let res = sophie.choose(&roubaix).await;
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"organisation_id": roubaix.as_str(), "role": "aidant"}));
        let listed: Value = sophie.get("/api/v1/account/organisations").await.json().await.unwrap();
        let chosen: Vec<_> = listed.as_array().unwrap().iter().map(|o| (o["name"].clone(), o["chosen"].clone())).collect();
        assert_eq!(chosen, [(json!("CCAS de Lille"), json!(false)), (json!("France Services Roubaix"), json!(true))]);
        let members: Value = sophie.get("/api/v1/organisation/members").await.json().await.unwrap();
        let names: Vec<_> = members.as_array().unwrap().iter().map(|m| m["family_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["BENALI", "LEROY"], "Roubaix's members, not Lille's");

        // An aidant cannot invite; the refusal is journaled with the organisation acted for.
        let body = json!({"email": "quelquun@ccas.example.fr"});
        let res = sophie.send(Method::POST, "/api/v1/organisation/invitations", Some(body)).await;
        assert_eq!(status_and_code(res).await, (403, "organisation_not_referent".into()));
        let refused = env
            .journal()
            .into_iter()
            .filter(|e| e.outcome == "refused" && e.details.contains("organisation_not_referent"))
            .collect::<Vec<_>>();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].actor_organisation_id.as_deref(), Some(roubaix.as_str()));
        let res = sophie.get("/api/v1/organisation/invitations").await;
        assert_eq!(status_and_code(res).await, (403, "organisation_not_referent".into()));

        // The other session still acts for nothing: the choice is per session.
        let res = first.get("/api/v1/organisation/members").await;
        assert_eq!(status_and_code(res).await, (409, "organisation_not_chosen".into()));
        let chosen = entries(&env, "organisation.chosen");
        let by_sophie: Vec<_> = chosen.iter().filter(|e| e.actor_user_id.as_deref() == Some(sophie.user_id.as_str())).collect();
        assert_eq!(by_sophie.len(), 1);
        assert_eq!(by_sophie[0].actor_organisation_id.as_deref(), Some(roubaix.as_str()));
    }
);

both_backends!(
    /// A référent invites (aidant by default, or référent), lists the pending invitations without
    /// their tokens, and revokes an unused one: its link stops working. Another organisation's
    /// invitation is not theirs to revoke.
    referents_invite_list_and_revoke,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let state = &env.server.state;
        let (lille, t1) = create_organisation(state, "CCAS de Lille", &siret(21), "marie.petit@example.fr").await;
        let (roubaix, t2) = create_organisation(state, "CCAS de Roubaix", &siret(22), "karim.benali@example.fr").await;
        let marie = Pro::join(&env, &clock, "marie", &t1).await;
        let karim = Pro::join(&env, &clock, "karim", &t2).await;
        marie.choose(&lille).await;
        karim.choose(&roubaix).await;

        let post = |body: Value| marie.send(Method::POST, "/api/v1/organisation/invitations", Some(body));
        let res = post(json!({"email": "pas-une-adresse"})).await;
        assert_eq!(status_and_code(res).await, (400, "bad_request".into()));
        let res = post(json!({"email": "a@ccas.example.fr", "role": "admin"})).await;
        assert_eq!(status_and_code(res).await, (400, "bad_request".into()));
        let res = post(json!({"email": "a@ccas.example.fr", "organisation_id": roubaix.as_str()})).await;
        assert_eq!(res.status(), 400, "the organisation is the session's, never the request's");

        let res = post(json!({"email": "Sophie.Leroy@ccas.example.fr"})).await;
        assert_eq!(res.status(), 201);
        let created: Value = res.json().await.unwrap();
        assert_eq!((&created["email"], &created["role"]), (&json!("sophie.leroy@ccas.example.fr"), &json!("aidant")));
        let link = created["link"].as_str().unwrap();
        assert!(link.starts_with(&env.server.at("/auth/aidant/login?invitation=")), "{link}");
        assert!(created["expires_at"].as_i64().unwrap() > clock_now(&marie));
        let res = post(json!({"email": "angela.dubois@example.fr", "role": "referent"})).await;
        assert_eq!(res.status(), 201);
        // Each invitation's e-mail is queued with it, carrying its link, once.
        let queued = queue::all(&mut env.db.pool().get().unwrap()).unwrap();
        let mails: Vec<_> = queued.iter().filter(|n| n.kind == "account.invitation" && n.channel == "email").collect();
        let to_sophie: Vec<_> = mails.iter().filter(|n| n.recipient == "sophie.leroy@ccas.example.fr").collect();
        assert_eq!(to_sophie.len(), 1, "{queued:?}");
        assert!(to_sophie[0].body.contains(link) && to_sophie[0].body.contains("CCAS de Lille"), "{}", to_sophie[0].body);
        assert!(to_sophie[0].subject.contains("CCAS de Lille"), "{}", to_sophie[0].subject);
        let to_angela = mails.iter().find(|n| n.recipient == "angela.dubois@example.fr").expect("the référent's invitation");
        assert!(to_angela.body.contains("référent"), "{}", to_angela.body);

        let pending: Value = marie.get("/api/v1/organisation/invitations").await.json().await.unwrap();
        let pending = pending.as_array().unwrap();
        assert_eq!(pending.len(), 2, "{pending:?}");
        assert_eq!((&pending[0]["email"], &pending[0]["role"]), (&json!("angela.dubois@example.fr"), &json!("referent")));
        assert_eq!(pending[1]["invited_by"], marie.user_id.as_str());
        let text = serde_json::to_string(pending).unwrap();
        assert!(!text.contains("token") && !text.contains("link") && !text.contains(&orgs::token_of(link)));
        // Karim's organisation has its own (its first référent's, used).
        let theirs: Value = karim.get("/api/v1/organisation/invitations").await.json().await.unwrap();
        assert_eq!(theirs, json!([]));

        let id = created["id"].as_str().unwrap();
        let path = format!("/api/v1/organisation/invitations/{id}");
        let res = karim.send(Method::DELETE, &path, None).await;
        assert_eq!(status_and_code(res).await, (404, "not_found".into()), "not Roubaix's to revoke");
        let res = marie.send(Method::DELETE, &path, None).await;
        assert_eq!(res.status(), 204);
        let res = marie.send(Method::DELETE, &path, None).await;
        assert_eq!(res.status(), 404);
        let res = marie.send(Method::DELETE, "/api/v1/organisation/invitations/pas-un-id", None).await;
        assert_eq!(res.status(), 404);
        let pending: Value = marie.get("/api/v1/organisation/invitations").await.json().await.unwrap();
        assert_eq!(pending.as_array().unwrap().len(), 1);
        let res = Browser::new(&env.server.url).login_invited("sophie", &orgs::token_of(link)).await;
        assert_eq!(status_and_code(res).await, (403, "aidant_not_invited".into()));

        let invited = entries(&env, "organisation.member_invited");
        assert_eq!(invited.len(), 4);
        let by_marie: Vec<_> = invited.iter().filter(|e| e.actor_user_id.as_deref() == Some(marie.user_id.as_str())).collect();
        assert_eq!(by_marie.len(), 2);
        assert!(by_marie.iter().all(|e| e.actor_organisation_id.as_deref() == Some(lille.as_str())
            && e.actor_role.as_deref() == Some("referent")));
        assert!(invited.iter().all(|e| !e.details.contains("@")), "addresses are not journaled");
        let revoked = entries(&env, "organisation.invitation_revoked");
        assert_eq!(revoked.len(), 1);
        assert_eq!(revoked[0].actor_organisation_id.as_deref(), Some(lille.as_str()));

        // An operator's invitation as référent makes a référent.
        let token = orgs::invite(state, &lille, "angela.dubois@example.fr", MemberRole::Referent).await;
        let angela = Pro::join(&env, &clock, "angela", &token).await;
        assert_eq!(angela.choose(&lille).await.json::<Value>().await.unwrap()["role"], "referent");
    }
);

fn clock_now(pro: &Pro) -> i64 {
    use consigne_server::clock::Clock;
    pro.clock().now()
}
