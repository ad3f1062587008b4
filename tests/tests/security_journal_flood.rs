//! Security issue 9, finding 1: unauthenticated callers must not be able to write journal rows
//! without limit, nor block the journal for signed-in work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use futures::StreamExt;
use rand::RngCore;

/// Refusals of unauthenticated callers sent by the flood.
const RANDOM_COOKIES: usize = 1000;
const LOGIN_STARTS: usize = 200;
const BAD_STATES: usize = 200;
/// "A handful": at most one aggregated entry per client address, kind and window, with margin
/// for a window boundary falling inside the test.
const MAX_NEW_ENTRIES: usize = 10;

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Sends `n` requests built by `make`, 16 at a time; returns their statuses.
async fn flood<F>(n: usize, make: F) -> Vec<u16>
where
    F: Fn() -> reqwest::RequestBuilder,
{
    futures::stream::iter((0..n).map(|_| make().send()))
        .buffer_unordered(16)
        .map(|r| r.unwrap().status().as_u16())
        .collect()
        .await
}

both_backends!(
    /// Finding 1 (security issue 9): an unknown session cookie, a rate-limited login start and a
    /// callback with a bad `state` each append a journal row today, without limit. Expected: such
    /// refusals are counted and journaled at most once per client address and kind per window
    /// (an aggregated entry), and a concurrent upload by a signed-in usager succeeds.
    unauthenticated_refusals_are_aggregated_and_never_block_uploads,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[("auth.login_attempts", "2".into())]).await;
        let before = v.env.journal().len();
        let stranger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

        let uploads = async {
            let mut statuses = Vec::new();
            for i in 0..5 {
                let res = v.client.try_upload("autre", &format!("piece-{i}.pdf"), b"justificatif").await;
                statuses.push(res.status().as_u16());
            }
            statuses
        };
        let refusals = async {
            let session = flood(RANDOM_COOKIES, || {
                stranger
                    .get(v.env.server.at("/auth/session"))
                    .header("cookie", format!("consigne_session={}", random_hex(32)))
            });
            let logins = flood(LOGIN_STARTS, || stranger.get(v.env.server.at("/auth/usager/login")));
            let states = flood(BAD_STATES, || {
                let path = format!("/auth/usager/callback?code={}&state={}", random_hex(8), random_hex(16));
                stranger.get(v.env.server.at(&path))
            });
            let (a, b, c) = tokio::join!(session, logins, states);
            [a, b, c].concat()
        };
        let (upload_statuses, refusal_statuses) = tokio::join!(uploads, refusals);

        // Still refused (401, 400 or 429; one login start is allowed), never a server error.
        let odd: Vec<_> = refusal_statuses
            .iter()
            .filter(|s| !(300..400).contains(*s) && ![400, 401, 429].contains(*s))
            .collect();
        assert!(odd.is_empty(), "unexpected answers to the flood: {odd:?}");
        assert!(
            upload_statuses.iter().all(|s| *s == 201),
            "uploads during the flood of refusals must succeed, got {upload_statuses:?}"
        );

        let journal = v.env.journal();
        let new: Vec<_> = journal[before..].iter().filter(|e| !e.action.starts_with("document.")).collect();
        let mut kinds = std::collections::BTreeMap::<String, usize>::new();
        for e in &new {
            *kinds.entry(format!("{} {}", e.action, e.outcome)).or_default() += 1;
        }
        assert!(
            new.len() <= MAX_NEW_ENTRIES,
            "{} refusals of unauthenticated callers wrote {} journal rows (at most {MAX_NEW_ENTRIES} \
             expected): {kinds:?}",
            RANDOM_COOKIES + LOGIN_STARTS + BAD_STATES,
            new.len()
        );
        let uploaded = journal.iter().filter(|e| e.action == "document.uploaded").count();
        assert_eq!(uploaded, 5, "every upload journaled");
    }
);
