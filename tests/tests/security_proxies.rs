//! Security issue 9, finding 9: attempt limits counted against the right client. Behind a trusted
//! reverse proxy the client is read from `X-Forwarded-For` / `Forwarded`; nobody else can choose
//! their address with those headers; IPv6 clients count per /64; and a login start that is not a
//! top-level navigation (a cross-site `<img>`) counts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use diesel::prelude::*;

const LIMIT: usize = 2;

/// A client that does not follow the redirect to the provider, so that each request is one start.
fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Starts a usager login with these request headers; returns the status and the error code.
async fn start(env: &AuthEnv, headers: &[(&str, &str)]) -> (u16, String) {
    let mut req = client().get(env.server.at("/auth/usager/login"));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let code = if status >= 400 { error_code(res).await } else { String::new() };
    (status, code)
}

/// The statuses of `n` starts with these headers, in order.
async fn starts(env: &AuthEnv, n: usize, headers: &[(&str, &str)]) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(start(env, headers).await.0);
    }
    out
}

fn settings(proxies: Option<&str>) -> Vec<(&'static str, String)> {
    let mut s = vec![("auth.login_attempts", LIMIT.to_string())];
    if let Some(p) = proxies {
        s.push(("server.trusted_proxies", p.to_owned()));
    }
    s
}

fn pending_logins(env: &AuthEnv) -> i64 {
    use consigne_storage::db::schema::login_requests;
    let mut conn = env.db.pool().get().unwrap();
    login_requests::table.count().get_result(&mut *conn).unwrap()
}

both_backends!(
    /// With the test's loopback address as a trusted proxy, two clients behind it (different
    /// `X-Forwarded-For`) have their own limits; the address taken is the rightmost one that is not
    /// a trusted proxy, so a client cannot pick another by prepending addresses. `Forwarded:
    /// for=` is read as well.
    clients_behind_a_trusted_proxy_have_their_own_limits,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &settings(Some("127.0.0.0/8, ::1/128"))).await;
        let a = [("x-forwarded-for", "203.0.113.7")];
        assert_eq!(starts(&env, LIMIT, &a).await, vec![303; LIMIT], "client A within its limit");
        assert_eq!(start(&env, &a).await, (429, "rate_limited".into()), "client A over its limit");
        // Client A again, having prepended a made-up address: still client A.
        let spoofed = [("x-forwarded-for", "198.51.100.1, 203.0.113.7")];
        assert_eq!(start(&env, &spoofed).await.0, 429, "a prepended address is not believed");
        // Client A through two trusted hops: still client A.
        let chained = [("x-forwarded-for", "203.0.113.7, 127.0.0.2")];
        assert_eq!(start(&env, &chained).await.0, 429, "trusted hops are skipped");

        let b = [("x-forwarded-for", "203.0.113.8")];
        assert_eq!(starts(&env, LIMIT, &b).await, vec![303; LIMIT], "client B has its own limit");
        assert_eq!(start(&env, &b).await.0, 429);

        let c = [("forwarded", "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"")];
        assert_eq!(starts(&env, LIMIT, &c).await, vec![303; LIMIT], "Forwarded: for= is read");
        assert_eq!(start(&env, &c).await.0, 429);
    }
);

both_backends!(
    /// Without `server.trusted_proxies`, forwarding headers are ignored: changing them at every
    /// request does not escape the limit of the TCP peer.
    forwarding_headers_are_ignored_unless_the_peer_is_a_trusted_proxy,
    |db: TestDb| async move {
        let backend = db.backend;
        let env = AuthEnv::start(db, &settings(None)).await;
        let mut seen = Vec::new();
        for i in 0..LIMIT + 3 {
            let xff = format!("203.0.113.{i}");
            let fwd = format!("for=198.51.100.{i}");
            seen.push(start(&env, &[("x-forwarded-for", &xff), ("forwarded", &fwd)]).await.0);
        }
        assert_eq!(seen, [vec![303; LIMIT], vec![429; 3]].concat(), "spoofed headers escaped the limit");

        // A trusted list that does not hold the peer changes nothing either.
        let env = AuthEnv::start(TestDb::new(backend), &settings(Some("10.0.0.0/8"))).await;
        let mut seen = Vec::new();
        for i in 0..LIMIT + 1 {
            seen.push(start(&env, &[("x-forwarded-for", &format!("203.0.113.{i}"))]).await.0);
        }
        assert_eq!(seen, [vec![303; LIMIT], vec![429]].concat(), "an untrusted peer was believed");
    }
);

both_backends!(
    /// IPv6 clients are counted per /64: two addresses of one /64 share a limit, an address of
    /// the next /64 has its own. (The addresses come through the trusted proxy: the loopback has
    /// one IPv6 address only.)
    ipv6_addresses_of_one_slash_64_share_a_limit,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &settings(Some("127.0.0.1/32"))).await;
        let first = [("x-forwarded-for", "2001:db8:1:2::a")];
        let same_64 = [("x-forwarded-for", "2001:db8:1:2:ffff:ffff:ffff:ffff")];
        let next_64 = [("x-forwarded-for", "2001:db8:1:3::a")];
        assert_eq!(starts(&env, LIMIT, &first).await, vec![303; LIMIT]);
        assert_eq!(start(&env, &same_64).await.0, 429, "another address of the same /64");
        assert_eq!(start(&env, &next_64).await.0, 303, "the next /64 has its own limit");
    }
);

both_backends!(
    /// A login start that the browser says is not a top-level navigation (an `<img>`, a script,
    /// a frame) is refused `login_not_navigation`, is not counted and leaves no pending login: a
    /// page that embeds `/auth/usager/login` a hundred times cannot lock out its visitors'
    /// network. A real navigation, and a request that says nothing (older browsers), count.
    login_starts_that_are_not_navigations_count_nothing,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &settings(None)).await;
        let image = [("sec-fetch-dest", "image"), ("sec-fetch-mode", "no-cors"), ("sec-fetch-site", "cross-site")];
        let frame = [("sec-fetch-dest", "iframe"), ("sec-fetch-mode", "navigate")];
        let fetch = [("sec-fetch-mode", "cors")];
        for headers in [&image[..], &frame[..], &fetch[..]] {
            for _ in 0..LIMIT + 1 {
                assert_eq!(start(&env, headers).await, (400, "login_not_navigation".into()), "{headers:?}");
            }
        }
        assert_eq!(pending_logins(&env), 0, "no pending login for a non-navigation");
        let navigation = [("sec-fetch-dest", "document"), ("sec-fetch-mode", "navigate"), ("sec-fetch-site", "none")];
        assert_eq!(start(&env, &navigation).await.0, 303, "a navigation is not locked out");
        assert_eq!(start(&env, &[]).await.0, 303, "a browser that sends no Sec-Fetch headers");
        assert_eq!(start(&env, &navigation).await.0, 429, "navigations are counted");
        assert_eq!(pending_logins(&env), LIMIT as i64);
    }
);
