//! The notices tables on both backends: the queue (dedup inside a caller's transaction, one
//! claim wins, failures pushed back, sent notices emptied), contacts, and the uses awaiting
//! their digest.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::ids::{DocumentId, UserId};
use consigne_server::notices::{self, Channel, Kind, Outgoing, Use};
use consigne_storage::db::auth::users::{self, Claims};
use consigne_storage::db::notices::contacts::{self, Contact};
use consigne_storage::db::notices::queue;
use consigne_storage::db::notices::uses;
use consigne_storage::db::DbError;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;

fn email<'a>(to: &'a str, key: Option<&'a str>, not_before: i64) -> Outgoing<'a> {
    Outgoing {
        kind: Kind::Invitation,
        channel: Channel::Email,
        recipient: to,
        subject: "Sujet",
        body: "Corps du message",
        dedup_key: key,
        not_before,
    }
}

both_backends!(
    /// A dedup key queues a notice once, and the refused duplicate does not abort the caller's
    /// transaction (on PostgreSQL a failed INSERT would): what follows it still commits.
    a_dedup_key_queues_once_without_breaking_the_transaction,
    |db: TestDb| async move {
        let mut conn = db.pool().get().unwrap();
        let outcome = conn
            .write_transaction(|conn| {
                let first = notices::enqueue(conn, &email("a@example.fr", Some("k1"), 100), 100)?;
                let again = notices::enqueue(conn, &email("b@example.fr", Some("k1"), 100), 100)?;
                let other = notices::enqueue(conn, &email("c@example.fr", None, 100), 100)?;
                let unkeyed = notices::enqueue(conn, &email("c@example.fr", None, 100), 100)?;
                Ok::<_, DbError>((first, again, other, unkeyed))
            })
            .unwrap();
        assert_eq!(outcome, (true, false, true, true));
        let stored = queue::all(&mut conn).unwrap();
        let recipients: Vec<&str> = stored.iter().map(|n| n.recipient.as_str()).collect();
        assert_eq!(recipients, ["a@example.fr", "c@example.fr", "c@example.fr"]);
        let n = &stored[0];
        assert_eq!((n.kind.as_str(), n.channel.as_str(), n.attempts, n.next_attempt_at), ("account.invitation", "email", 0, 100));
        assert!(n.sent_at.is_none() && n.claimed_until.is_none() && n.last_error.is_none());
        // A rolled back transaction leaves nothing queued.
        let rolled_back: Result<(), DbError> = conn.write_transaction(|conn| {
            notices::enqueue(conn, &email("d@example.fr", Some("k2"), 100), 100)?;
            Err(DbError::Internal("the change failed".into()))
        });
        assert!(rolled_back.is_err());
        assert_eq!(queue::all(&mut conn).unwrap().len(), 3);
    }
);

both_backends!(
    /// Only unsent, due and unclaimed notices are offered; one claim wins; a failure releases the
    /// notice for later; a sent notice keeps no subject or body.
    claims_are_won_once_and_failures_come_back_later,
    |db: TestDb| async move {
        let mut conn = db.pool().get().unwrap();
        notices::enqueue(&mut conn, &email("now@example.fr", None, 1000), 1000).unwrap();
        notices::enqueue(&mut conn, &email("later@example.fr", None, 5000), 1000).unwrap();
        let due = queue::due(&mut conn, &["email"], 1000, 10).unwrap();
        assert_eq!(due.len(), 1, "the later one is not due");
        assert!(queue::due(&mut conn, &["sms"], 1000, 10).unwrap().is_empty());
        assert!(queue::due(&mut conn, &[], 1000, 10).unwrap().is_empty());
        let id = due[0].0.clone();

        let won = queue::claim(&mut conn, &id, 1000, 1060).unwrap().unwrap();
        assert_eq!((won.recipient.as_str(), won.claimed_until), ("now@example.fr", Some(1060)));
        assert!(queue::claim(&mut conn, &id, 1000, 1060).unwrap().is_none(), "claimed twice");
        assert!(queue::due(&mut conn, &["email"], 1030, 10).unwrap().is_empty(), "offered while claimed");
        // A claim whose holder vanished expires.
        assert!(queue::claim(&mut conn, &id, 1061, 1121).unwrap().is_some());

        assert!(queue::failed(&mut conn, &id, 1091, "smtp: connection failed").unwrap());
        assert!(queue::due(&mut conn, &["email"], 1090, 10).unwrap().is_empty());
        assert_eq!(queue::due(&mut conn, &["email"], 1091, 10).unwrap().len(), 1);
        let n = queue::claim(&mut conn, &id, 1091, 1151).unwrap().unwrap();
        assert_eq!((n.attempts, n.last_error.as_deref()), (1, Some("smtp: connection failed")));

        assert!(queue::sent(&mut conn, &id, 1100).unwrap());
        assert!(!queue::sent(&mut conn, &id, 1101).unwrap(), "sent twice");
        assert!(queue::claim(&mut conn, &id, 2000, 2060).unwrap().is_none(), "a sent notice is claimed again");
        let n = queue::all(&mut conn).unwrap().into_iter().find(|n| n.id == id).unwrap();
        assert_eq!((n.sent_at, n.attempts, n.claimed_until), (Some(1100), 2, None));
        assert_eq!((n.subject.as_str(), n.body.as_str(), n.last_error), ("", "", None));

        assert_eq!(queue::purge_sent(&mut conn, 1100).unwrap(), 0);
        assert_eq!(queue::purge_sent(&mut conn, 1101).unwrap(), 1);
        assert_eq!(queue::all(&mut conn).unwrap().len(), 1, "the unsent one is never purged");
    }
);

both_backends!(
    /// A contact row is written whole and replaced; without one, notices go to the identity's
    /// address.
    contacts_are_replaced_and_the_identity_address_is_the_default,
    |db: TestDb| async move {
        let mut conn = db.pool().get().unwrap();
        let claims = Claims { given_name: "Angela".into(), family_name: "DUBOIS".into(), email: Some("angela.dubois@example.fr".into()), ..Claims::default() };
        let user = UserId::new();
        users::create(&mut conn, user.as_str(), "usager", "hash-1", &claims, 100).unwrap();
        let to: Vec<(String, String)> = notices::contact_of(&mut conn, &user)
            .unwrap()
            .into_iter()
            .map(|d| (d.channel.to_string(), d.address))
            .collect();
        assert_eq!(to, [("email".to_owned(), "angela.dubois@example.fr".to_owned())]);

        let mut row = Contact {
            user_id: user.as_str().into(),
            email: Some("angela@perso.example.fr".into()),
            phone: Some("+33612345678".into()),
            accept_email: true,
            accept_sms: true,
            updated_at: 200,
        };
        contacts::put(&mut conn, &row).unwrap();
        row.email = None;
        row.accept_email = false;
        row.updated_at = 300;
        contacts::put(&mut conn, &row).unwrap();
        assert_eq!(contacts::of_user(&mut conn, user.as_str()).unwrap(), Some(row));
        let to: Vec<(String, String)> = notices::contact_of(&mut conn, &user)
            .unwrap()
            .into_iter()
            .map(|d| (d.channel.to_string(), d.address))
            .collect();
        assert_eq!(to, [("sms".to_owned(), "+33612345678".to_owned())]);
    }
);

both_backends!(
    /// A document opened again the same day by the same aidant is one use; days are kept apart.
    uses_count_distinct_documents_per_day,
    |db: TestDb| async move {
        let mut conn = db.pool().get().unwrap();
        let (usager, sophie, marc) = (UserId::new(), UserId::new(), UserId::new());
        let (d1, d2) = (DocumentId::new(), DocumentId::new());
        // 2026-03-03 10:00 in France, then the next day.
        let day1 = 1_772_528_400;
        let used = |aidant: &UserId, name: &str, doc: &DocumentId, at: i64, conn: &mut consigne_storage::db::DbConnection| {
            let u = Use { usager: &usager, aidant, aidant_name: name, organisation: "CCAS d'Alpha", document: doc };
            conn.write_transaction(|conn| notices::record_use(conn, &u, at)).unwrap();
        };
        used(&sophie, "Sophie Leroy", &d1, day1, &mut conn);
        used(&sophie, "Sophie Leroy", &d1, day1 + 60, &mut conn);
        used(&sophie, "Sophie Leroy", &d2, day1 + 120, &mut conn);
        used(&marc, "Marc Petit", &d1, day1 + 180, &mut conn);
        used(&sophie, "Sophie Leroy", &d1, day1 + 86_400, &mut conn);
        let start1 = notices::french::day_start(day1);
        assert_eq!(uses::day_of(&mut conn, usager.as_str(), start1).unwrap().len(), 3);
        assert_eq!(uses::day_of(&mut conn, usager.as_str(), start1 + 86_400).unwrap().len(), 1);
        assert_eq!(uses::days_before(&mut conn, start1 + 86_400, 10).unwrap(), [(usager.as_str().to_owned(), start1)]);
        assert_eq!(uses::forget(&mut conn, usager.as_str(), start1).unwrap(), 3);
        assert!(uses::days_before(&mut conn, start1 + 86_400, 10).unwrap().is_empty());
    }
);

both_backends!(
    /// The functions the mandates code calls queue to wherever the person wants, once per
    /// mandate and person, whatever the number of calls; an invitation once per invitation.
    events_are_queued_once_per_mandate_and_person,
    |db: TestDb| async move {
        use consigne_server::ids::MandateId;
        use consigne_server::notices::{About, EndReason, Ended, Invite, InvitedRole};
        let mut conn = db.pool().get().unwrap();
        let claims = Claims { given_name: "Angela".into(), family_name: "DUBOIS".into(), email: Some("angela.dubois@example.fr".into()), ..Claims::default() };
        let usager = UserId::new();
        users::create(&mut conn, usager.as_str(), "usager", "hash-u", &claims, 100).unwrap();
        let aidant = UserId::new();
        let aidant_claims = Claims { email: Some("sophie.leroy@ccas.example.fr".into()), ..claims.clone() };
        users::create(&mut conn, aidant.as_str(), "aidant", "hash-a", &aidant_claims, 100).unwrap();
        let contact = Contact { user_id: usager.as_str().into(), email: None, phone: Some("+33612345678".into()), accept_email: true, accept_sms: true, updated_at: 100 };
        contacts::put(&mut conn, &contact).unwrap();
        let mandate = MandateId::new();
        let about = About { mandate: &mandate, organisation: "CCAS d'Alpha" };
        let counts = conn
            .write_transaction(|conn| {
                let proposed = notices::mandate_proposed(conn, &usager, about, "Sophie Leroy", "https://c.test/m/1", 200)?;
                let again = notices::mandate_proposed(conn, &usager, about, "Sophie Leroy", "https://c.test/m/1", 201)?;
                let started = notices::mandate_started(conn, &usager, about, 200 + 365 * 86_400, 300)?;
                let ending = notices::mandate_ending_soon(conn, &aidant, about, "Angela Dubois", 400 + 30 * 86_400, 400)?;
                let ending_again = notices::mandate_ending_soon(conn, &aidant, about, "Angela Dubois", 400 + 30 * 86_400, 86_800)?;
                let ended = Ended { usager_name: Some("Angela Dubois"), reason: EndReason::Revoked, at: 500 };
                let ended = notices::mandate_ended(conn, &aidant, about, ended, 500)?;
                Ok::<_, DbError>((proposed, again, started, ending, ending_again, ended))
            })
            .unwrap();
        assert_eq!(counts, (2, 0, 2, 1, 0, 1));
        let invite = Invite {
            email: "Nouvel.Aidant@ccas.example.fr",
            invitation: "inv-1",
            role: InvitedRole::Aidant,
            organisation: "CCAS d'Alpha",
            link: "https://c.test/i/secret",
            expires_at: 700,
        };
        assert!(notices::invitation(&mut conn, &invite, 600).unwrap());
        assert!(!notices::invitation(&mut conn, &invite, 601).unwrap(), "the same invitation twice");
        assert!(!notices::invitation(&mut conn, &Invite { email: "pas une adresse", invitation: "inv-2", ..invite }, 602).unwrap());
        let all = queue::all(&mut conn).unwrap();
        let summary: Vec<(&str, &str, &str)> =
            all.iter().map(|n| (n.kind.as_str(), n.channel.as_str(), n.recipient.as_str())).collect();
        assert_eq!(summary, [
            ("mandate.proposed", "email", "angela.dubois@example.fr"),
            ("mandate.proposed", "sms", "+33612345678"),
            ("mandate.started", "email", "angela.dubois@example.fr"),
            ("mandate.started", "sms", "+33612345678"),
            ("mandate.ending_soon", "email", "sophie.leroy@ccas.example.fr"),
            ("mandate.ended", "email", "sophie.leroy@ccas.example.fr"),
            ("account.invitation", "email", "nouvel.aidant@ccas.example.fr"),
        ]);
        assert!(all[0].body.contains("https://c.test/m/1") && all[6].body.contains("https://c.test/i/secret"));
        assert_eq!(all[6].subject, "Consigne : invitation à rejoindre CCAS d'Alpha");
        assert!(all[5].body.contains("Le mandat de Angela Dubois avec CCAS d'Alpha a été arrêté"));
    }
);
