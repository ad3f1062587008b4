//! The login tables on both backends: sessions by token hash, pending logins consumed once, TOTP
//! steps accepted once, attempt counters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::auth::logins::{self, Consumed, LoginRequest};
use consigne_storage::db::auth::sessions::{self, Session};
use consigne_storage::db::auth::users::{self, Claims};
use consigne_storage::db::auth::{rate_limits, totp};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;

fn claims() -> Claims {
    Claims { given_name: "Angela Claire Louise".into(), family_name: "DUBOIS".into(), ..Claims::default() }
}

both_backends!(sessions_are_found_by_hash_touched_and_ended, |db: TestDb| async move {
    let mut conn = db.pool().get().unwrap();
    let user = users::create(&mut conn, "u1", "usager", "hash-1", &claims(), 100).unwrap();
    let session = Session {
        id: "s1".into(),
        token_hash: "th".into(),
        user_id: user.id.clone(),
        created_at: 100,
        last_seen_at: 100,
        expires_at: 1000,
        second_factor_at: None,
        ended_at: None,
        provider: "usager".into(),
        id_token_enc: None,
        organisation_id: None,
    };
    sessions::insert(&mut conn, &session).unwrap();
    assert_eq!(sessions::by_token_hash(&mut conn, "th").unwrap().unwrap(), session);
    assert!(sessions::by_token_hash(&mut conn, "other").unwrap().is_none());
    assert!(sessions::touch(&mut conn, "s1", 150).unwrap());
    sessions::set_second_factor(&mut conn, "s1", 160).unwrap();
    sessions::end(&mut conn, "s1", 170).unwrap();
    assert!(!sessions::touch(&mut conn, "s1", 180).unwrap(), "an ended session stays ended");
    let stored = sessions::by_token_hash(&mut conn, "th").unwrap().unwrap();
    assert_eq!((stored.last_seen_at, stored.second_factor_at, stored.ended_at), (160, Some(160), Some(170)));

    let mut changed = claims();
    changed.preferred_username = Some("PETIT".into());
    users::update_claims(&mut conn, "u1", &changed, 200).unwrap();
    assert_eq!(users::by_subject(&mut conn, "hash-1").unwrap().unwrap().claims(), changed);
});

both_backends!(a_pending_login_is_consumed_once, |db: TestDb| async move {
    let mut conn = db.pool().get().unwrap();
    let request = LoginRequest {
        id: "l1".into(),
        state_hash: "sh".into(),
        provider: "usager".into(),
        nonce: "n".repeat(43),
        pkce_verifier: "v".repeat(43),
        created_at: 100,
        expires_at: 700,
        consumed_at: None,
        invitation_hash: None,
        previous_session_hash: None,
        link_user_id: None,
    };
    logins::insert(&mut conn, &request).unwrap();
    assert_eq!(logins::consume(&mut conn, "sh", "aidant", 200).unwrap(), Consumed::Unknown, "other provider");
    assert!(
        matches!(logins::consume(&mut conn, "sh", "usager", 200).unwrap(), Consumed::Fresh(r) if r.nonce == request.nonce)
    );
    assert_eq!(logins::consume(&mut conn, "sh", "usager", 201).unwrap(), Consumed::Replayed);
    let late = LoginRequest { id: "l2".into(), state_hash: "sh2".into(), ..request };
    logins::insert(&mut conn, &late).unwrap();
    assert_eq!(logins::consume(&mut conn, "sh2", "usager", 700).unwrap(), Consumed::Expired);
});

both_backends!(a_totp_step_is_accepted_once_and_counters_add_up, |db: TestDb| async move {
    let mut conn = db.pool().get().unwrap();
    users::create(&mut conn, "a1", "aidant", "hash-a", &claims(), 100).unwrap();
    totp::start_enrolment(&mut conn, "a1", "v1.sealed", 100).unwrap();
    totp::start_enrolment(&mut conn, "a1", "v1.sealed-again", 101).unwrap();
    assert!(totp::use_step(&mut conn, "a1", 50, 110).unwrap());
    assert!(!totp::use_step(&mut conn, "a1", 50, 111).unwrap(), "same step");
    assert!(!totp::use_step(&mut conn, "a1", 49, 112).unwrap(), "earlier step");
    assert!(totp::use_step(&mut conn, "a1", 51, 113).unwrap());
    let stored = totp::get(&mut conn, "a1").unwrap().unwrap();
    assert_eq!((stored.confirmed_at, stored.last_used_step), (Some(110), Some(51)));
    assert!(totp::start_enrolment(&mut conn, "a1", "v1.x", 120).is_err(), "confirmed secret kept");

    for expected in 1..=3 {
        assert_eq!(rate_limits::hit(&mut conn, "login-client:x", 900).unwrap(), expected);
    }
    assert_eq!(rate_limits::count(&mut conn, "login-client:x", 900).unwrap(), 3);
    assert_eq!(rate_limits::count(&mut conn, "login-client:x", 1800).unwrap(), 0);
    assert_eq!(rate_limits::purge(&mut conn, 1000).unwrap(), 1);
});
