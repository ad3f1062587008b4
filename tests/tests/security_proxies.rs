//! Security issue 9, finding 9: attempt limits count real clients (behind a trusted proxy, per
//! IPv6 /64) and only top-level navigations, so that neither a proxy nor a cross-site `<img>`
//! locks a whole network out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::config::Source;
use consigne_tests::auth::AuthEnv;
use consigne_tests::db::TestDb;

/// A forwarding header (name, value), if any.
type Forwarding = Option<(&'static str, &'static str)>;

/// A login start as a top-level navigation, from `client` as a proxy would forward it (`None`:
/// no forwarding header). Returns the status, any redirection (to the provider) as 303.
async fn navigate(env: &AuthEnv, forwarded: Forwarding) -> u16 {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = http
        .get(env.server.at("/auth/usager/login"))
        .header("sec-fetch-mode", "navigate")
        .header("sec-fetch-dest", "document")
        .header("sec-fetch-site", "none");
    if let Some((name, value)) = forwarded {
        req = req.header(name, value);
    }
    let status = req.send().await.unwrap().status().as_u16();
    if (300..400).contains(&status) {
        303
    } else {
        status
    }
}

/// Finding 9 (security issue 9): limits count the TCP peer only, so behind a proxy every
/// client shares one bucket, and a cross-site `<img src=…/auth/usager/login>` spends the
/// login attempts of a whole shared network. Expected: a `server.trusted_proxies` setting
/// (CIDR list) after which `X-Forwarded-For` / `Forwarded` name the client (the rightmost
/// address not in the list); only top-level navigations count as login starts; IPv6 clients
/// are counted per /64. Attempts per window: `auth.login_attempts` = 2 here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_count_real_clients_and_top_level_logins_only() {
    let mut faults = Vec::new();
    let limit = ("auth.login_attempts", "2".to_owned());

    // Without trusted proxies: forwarding headers are ignored; cross-site images do not count.
    let env = AuthEnv::start(TestDb::sqlite(), std::slice::from_ref(&limit)).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for _ in 0..5 {
        http.get(env.server.at("/auth/usager/login"))
            .header("sec-fetch-mode", "no-cors")
            .header("sec-fetch-dest", "image")
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
    }
    let status = navigate(&env, None).await;
    if status != 303 {
        faults.push(format!("after 5 cross-site image requests, a real login start answers {status}"));
    }
    navigate(&env, Some(("x-forwarded-for", "198.51.100.1"))).await;
    let status = navigate(&env, Some(("x-forwarded-for", "198.51.100.2"))).await;
    assert_eq!(status, 429, "X-Forwarded-For from an untrusted peer must not open a fresh bucket");
    drop(env);

    // Behind a trusted proxy (the test client, on loopback).
    if Source::default().with("server.trusted_proxies", "127.0.0.1/32").is_err() {
        faults.push("no setting server.trusted_proxies".to_owned());
    } else {
        let env =
            AuthEnv::start(TestDb::sqlite(), &[limit, ("server.trusted_proxies", "127.0.0.1/32".into())])
                .await;
        let xff = |v: &'static str| Some(("x-forwarded-for", v));
        let cases: [(&str, Forwarding, u16); 10] = [
            ("client A", xff("203.0.113.7"), 303),
            ("client A again", xff("203.0.113.7"), 303),
            ("client A over the limit", xff("203.0.113.7"), 429),
            ("client A with a spoofed left entry", xff("192.0.2.1, 203.0.113.7"), 429),
            ("client B", xff("198.51.100.9"), 303),
            ("client C by Forwarded", Some(("forwarded", "for=192.0.2.60;proto=https")), 303),
            ("IPv6 client", xff("2001:db8:1:2::1"), 303),
            ("IPv6 client again", xff("2001:db8:1:2::1"), 303),
            ("another address of the same /64", xff("2001:db8:1:2::ffff"), 429),
            ("another /64", xff("2001:db8:1:3::1"), 303),
        ];
        for (what, header, expected) in cases {
            let status = navigate(&env, header).await;
            if status != expected {
                faults.push(format!("{what} ({header:?}): {status}, expected {expected}"));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
