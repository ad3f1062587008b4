//! Security issue 9, finding 14: session hygiene. The token changes when the second factor is
//! given; a new login ends the browser's older session; the sweep purges dead sessions; the share
//! page drops its secret from the address bar; only invited aidants get an account.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_crypto::mandate::share_link_fragment;
use consigne_server::auth::totp;
use consigne_storage::db::auth::sessions::{self, Session};
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::browser;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// `GET /auth/session` with only this session cookie, as someone who copied it would.
async fn session_with(env: &AuthEnv, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(env.server.at("/auth/session"))
        .header("cookie", format!("consigne_session={token}"))
        .send()
        .await
        .unwrap()
}

both_backends!(
    /// The second factor rotates the session token: the answer sets a new session cookie and the
    /// token the browser had before (which may have been seen before the second factor) no
    /// longer opens anything; again at a re-authentication.
    the_second_factor_rotates_the_session_token,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let browser = env.browser();
        browser.login("aidant", "sophie").await;
        let secret = browser.enrol_totp().await;
        let step = totp::step_at(now());
        for (round, code) in [totp::code_at(&secret, step), totp::code_at(&secret, step + 1)].iter().enumerate() {
            let before = browser.session_cookie().unwrap();
            let res = browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
            assert_eq!(res.status(), 200, "round {round}");
            let set: Vec<String> = res
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .filter(|c| c.starts_with("consigne_session="))
                .collect();
            assert_eq!(set.len(), 1, "round {round}: the answer sets no new session cookie");
            let after = browser.session_cookie().unwrap();
            assert_ne!(before, after, "round {round}: the token did not change");
            let old = session_with(&env, &before).await;
            assert_eq!(old.status(), 401, "round {round}: the token from before the second factor still works");
            let info: Value = browser.session().await.json().await.unwrap();
            assert_eq!(info["second_factor"], true, "round {round}");
        }
    }
);

/// The callback's `Cookie` header without the session cookie, as a real browser sends it: the
/// provider's redirect is a cross-site navigation, so the `SameSite=Strict` session cookie stays
/// behind (only the `SameSite=Lax` login cookie goes).
fn callback_cookies_without_session(browser: &Browser, url: &str) -> String {
    use reqwest::cookie::CookieStore;
    let header = browser.jar.cookies(&url.parse().unwrap()).unwrap();
    header
        .to_str()
        .unwrap()
        .split("; ")
        .filter(|c| !c.starts_with("consigne_session="))
        .collect::<Vec<_>>()
        .join("; ")
}

both_backends!(
    /// A new login in a browser ends the session that browser still had, in the login's
    /// transaction: on a shared computer, the previous person's session does not outlive the
    /// next login. Whether the session cookie comes with the login start (a same-site
    /// navigation) or with the provider's return.
    a_new_login_ends_the_older_session_of_the_same_browser,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let browser = env.browser();
        browser.login("usager", "angela").await;
        let first = browser.session_cookie().unwrap();
        assert_eq!(session_with(&env, &first).await.status(), 200);

        // A new login on the same browser; the cookie goes with both requests.
        browser.login("usager", "angela").await;
        let second = browser.session_cookie().unwrap();
        assert_ne!(first, second);
        let res = session_with(&env, &first).await;
        assert_eq!(res.status(), 401, "the older session is still live after a new login");
        assert_eq!(error_code(res).await, "session_invalid");
        assert_eq!(session_with(&env, &second).await.status(), 200);

        // As a browser does it: the session cookie goes with the start, not with the return.
        let ret = browser.login_until_return("usager", "angela").await;
        let cookies = callback_cookies_without_session(&browser, &ret);
        let res = reqwest::Client::new().get(&ret).header("cookie", cookies).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(session_with(&env, &second).await.status(), 401, "ended through the login start");

        let mut conn = env.db.pool().get().unwrap();
        let ended = sessions::all(&mut conn).unwrap().iter().filter(|s| s.ended_at.is_some()).count();
        assert_eq!(ended, 2);
    }
);

fn session_row(
    id: &str,
    user_id: &str,
    created: i64,
    last_seen: i64,
    expires: i64,
    ended: Option<i64>,
) -> Session {
    Session {
        id: id.to_owned(),
        token_hash: format!("hash-{id}"),
        user_id: user_id.to_owned(),
        created_at: created,
        last_seen_at: last_seen,
        expires_at: expires,
        second_factor_at: None,
        ended_at: ended,
        provider: "usager".into(),
        id_token_enc: None,
        organisation_id: None,
    }
}

both_backends!(
    /// The maintenance sweep deletes sessions that ended, expired or went idle more than the
    /// retention (7 days) ago, and keeps the live ones and those that ended recently (an ended
    /// session's cookie presented again is recognised and journaled as such meanwhile).
    the_sweep_purges_dead_sessions,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[("vault.sweep_interval_seconds", "0".into())]).await;
        let browser = env.browser();
        browser.login("usager", "angela").await;
        let info: Value = browser.session().await.json().await.unwrap();
        let user_id = info["user"]["id"].as_str().unwrap().to_owned();
        let t = now();
        let rows = [
            session_row("ended-long-ago", &user_id, t - 9 * DAY, t - 9 * DAY, t - 8 * DAY, Some(t - 8 * DAY)),
            session_row("expired-long-ago", &user_id, t - 9 * DAY, t - 9 * DAY, t - 8 * DAY, None),
            session_row("idle-long-ago", &user_id, t - 8 * DAY, t - 8 * DAY, t + 3600, None),
            session_row("ended-yesterday", &user_id, t - 2 * DAY, t - 2 * DAY, t + DAY, Some(t - DAY)),
        ];
        {
            let mut conn = env.db.pool().get().unwrap();
            for row in &rows {
                sessions::insert(&mut conn, row).unwrap();
            }
        }
        consigne_server::vault::sweep(&env.server.state).await.unwrap();
        let mut conn = env.db.pool().get().unwrap();
        let left: Vec<String> = sessions::all(&mut conn).unwrap().into_iter().map(|s| s.id).collect();
        let stale: Vec<&str> =
            ["ended-long-ago", "expired-long-ago", "idle-long-ago"].into_iter().filter(|id| left.iter().any(|l| l == id)).collect();
        assert!(stale.is_empty(), "{} of 3 dead sessions are still stored after the sweep: {stale:?}", stale.len());
        assert!(left.iter().any(|l| l == "ended-yesterday"), "an ended session within the retention was purged");
        assert_eq!(left.len(), 2, "the live session is kept: {left:?}");
        assert_eq!(browser.session().await.status(), 200);
    }
);

/// The share page reads the secret from the link's fragment, then removes it from the address
/// bar and the history entry, so that it is not left for the next person at the computer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_page_removes_the_secret_from_the_address_bar() {
    let v = browser::web_vault_env().await;
    let c = &v.client;
    let doc = c.upload("domicile", "avis-imposition.pdf", b"%PDF-1.4 avis").await;
    let _id = doc["id"].as_str().unwrap();
    let link = c.share(&doc, json!({})).await;
    let fragment = share_link_fragment(&link.identity);
    let url = link.url();

    let seen = browser::run("share_page.mjs", &url);
    assert_eq!(seen["file_name"], "avis-imposition.pdf", "the page decrypted the document: {seen}");
    assert_eq!(seen["hash"], "", "the secret is still in the address bar: {seen}");
    assert!(!seen.to_string().contains(&*fragment), "{seen}");
}

both_backends!(
    /// No aidant account is created from a bare provider login (no invitation): refused 403
    /// `aidant_not_invited`, journaled, no account, no session.
    a_bare_provider_login_creates_no_aidant_account,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let bare = Browser::new(&env.server.url);
        let ret = bare.login_until_return("aidant", "sophie").await;
        let res = bare.open(&ret).await;
        let status = res.status().as_u16();
        let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
        let code = body["error"]["code"].as_str().unwrap_or("-").to_owned();
        use consigne_storage::db::schema::users;
        use diesel::prelude::*;
        let mut conn = env.db.pool().get().unwrap();
        let aidants: i64 = users::table.filter(users::role.eq("aidant")).count().get_result(&mut *conn).unwrap();
        assert_eq!((status, code.as_str(), aidants), (403, "aidant_not_invited", 0), "a bare login made an aidant");
        assert!(bare.session_cookie().is_none());
        assert!(env.journaled("aidant_not_invited"));
    }
);

fn invitation_token(link: &str) -> String {
    link.split("invitation=").nth(1).unwrap().to_owned()
}

/// A first aidant login started from an invitation link; returns the provider's return answer.
async fn login_invited(env: &AuthEnv, identity: &str, token: &str) -> reqwest::Response {
    let browser = Browser::new(&env.server.url);
    let ret = login_through(&browser, &format!("/auth/aidant/login?invitation={token}"), identity).await;
    browser.open(&ret).await
}

/// As `Browser::login_until_return`, from another start URL.
async fn login_through(browser: &Browser, start: &str, identity: &str) -> String {
    let page = browser.http.get(browser.at(start)).send().await.unwrap();
    assert_eq!(page.status(), 200, "provider login page");
    let page_url = page.url().clone();
    let html = page.text().await.unwrap();
    let from = html.find("action=\"").unwrap() + "action=\"".len();
    let action = html[from..from + html[from..].find('"').unwrap()].replace("&amp;", "&");
    let res = browser
        .http
        .post(page_url.join(&action).unwrap())
        .form(&[("identity", identity)])
        .send()
        .await
        .unwrap();
    let loc = res.headers().get("location").unwrap().to_str().unwrap();
    res.url().join(loc).unwrap().to_string()
}

fn aidants(env: &AuthEnv) -> i64 {
    use consigne_storage::db::schema::users;
    use diesel::prelude::*;
    let mut conn = env.db.pool().get().unwrap();
    users::table.filter(users::role.eq("aidant")).count().get_result(&mut *conn).unwrap()
}

both_backends!(
    /// An invitation makes exactly one aidant account: only for the e-mail address it was made
    /// out to (in any case), only before it expires, only once; the aidant then logs in as before
    /// without one. Every refusal is `403 aidant_not_invited`.
    an_invitation_makes_one_aidant_account_for_its_address,
    |db: TestDb| async move {
        use consigne_server::auth::invitation::Email;
        use consigne_server::organisations::invitations::invite_by_operator;
        use consigne_server::organisations::MemberRole::Aidant;
        use consigne_storage::db::auth::invitations::{self, Invitation};
        let env = AuthEnv::start(db, &[]).await;
        let state = &env.server.state;
        let org = &consigne_tests::organisations::harness_organisation(state).await;
        let invite = |email: Email| async move { invite_by_operator(state, org, &email, Aidant).await };

        // Made out to another address: refused.
        let other = invite(Email::parse("quelquun@ccas.example.fr").unwrap()).await.unwrap();
        let res = login_invited(&env, "sophie", &invitation_token(other.link.expose())).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (403, "aidant_not_invited"));
        // Expired: refused.
        {
            let mut conn = env.db.pool().get().unwrap();
            let expired = Invitation {
                id: "expired".into(),
                token_hash: consigne_server::tokens::sha256_hex("expired-token"),
                email: "sophie.leroy@ccas.example.fr".into(),
                created_at: now() - 8 * DAY,
                expires_at: now() - DAY,
                used_at: None,
                account_id: None,
                organisation_id: None,
                role: "aidant".into(),
                invited_by: None,
            };
            invitations::insert(&mut conn, &expired).unwrap();
        }
        let res = login_invited(&env, "sophie", "expired-token").await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (403, "aidant_not_invited"));
        // An unknown token: refused.
        let res = login_invited(&env, "sophie", "no-such-invitation").await;
        assert_eq!(res.status(), 403);
        assert_eq!(aidants(&env), 0);

        // Made out to her address, written in capitals: her account.
        let mine = invite(Email::parse("Sophie.LEROY@ccas.example.fr").unwrap()).await.unwrap();
        let token = invitation_token(mine.link.expose());
        assert!(mine.link.expose().starts_with(&env.server.at("/auth/aidant/login?invitation=")));
        let res = login_invited(&env, "sophie", &token).await;
        assert_eq!(res.status(), 200, "the invited aidant could not log in");
        assert_eq!(aidants(&env), 1);
        {
            let mut conn = env.db.pool().get().unwrap();
            let stored = invitations::all(&mut conn).unwrap();
            assert!(stored.iter().all(|i| i.token_hash != token), "the token is stored in clear");
            let used = stored.iter().find(|i| i.id == mine.id.as_str()).unwrap();
            assert!(used.used_at.is_some() && used.account_id.is_some());
        }

        // Used: another identity with the same address cannot use it again.
        env.idp.set_claims("karim", json!({"email": "sophie.leroy@ccas.example.fr"})).await;
        let res = login_invited(&env, "karim", &token).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (403, "aidant_not_invited"));
        assert_eq!(aidants(&env), 1);

        // The aidant who has an account logs in as before, without an invitation.
        Browser::new(&env.server.url).login("aidant", "sophie").await;
        assert!(env.journaled("aidant_not_invited"));
        assert!(env.journal().iter().any(|e| e.action == "organisation.member_invited"));
    }
);

both_backends!(
    /// Of 20 parallel first logins with one invitation, by identities that all carry its address,
    /// exactly one gets an aidant account (the invitation is used by one conditional statement).
    an_invitation_is_used_once_under_parallel_logins,
    |db: TestDb| async move {
        use consigne_server::auth::invitation::Email;
        use consigne_server::organisations::{invitations::invite_by_operator, MemberRole};
        let env = AuthEnv::start(db, &[]).await;
        let org = consigne_tests::organisations::harness_organisation(&env.server.state).await;
        let shared = "partagee@ccas.example.fr";
        let identities = ["angela", "karim", "marie", "sophie"];
        for id in identities {
            env.idp.set_claims(id, json!({"email": shared})).await;
        }
        let email = Email::parse(shared).unwrap();
        let issued = invite_by_operator(&env.server.state, &org, &email, MemberRole::Aidant).await.unwrap();
        let token = invitation_token(issued.link.expose());
        let mut returns = Vec::new();
        for i in 0..20 {
            let browser = Browser::new(&env.server.url);
            let start = format!("/auth/aidant/login?invitation={token}");
            let ret = login_through(&browser, &start, identities[i % identities.len()]).await;
            returns.push((browser, ret));
        }
        let answers = futures::future::join_all(returns.iter().map(|(b, r)| b.open(r))).await;
        let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(aidants(&env), 1, "one invitation made several aidant accounts: {statuses:?}");
        // The winner's identity may log in again (its account exists); every other login is refused.
        assert!(statuses.iter().all(|s| *s == 200 || *s == 403), "{statuses:?}");
        assert!(statuses.iter().filter(|s| **s == 200).count() <= 20 / identities.len(), "{statuses:?}");
    }
);
