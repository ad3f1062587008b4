//! Erasure of a closed vault's usager from the journal (issue 10), on both databases: after
//! `consigne vault erase`, the chain and the checkpoints made before still verify, verification
//! counts the erased entries, and the usager's ids and name are in no column of any journal row;
//! the other usager's entries and the aidant's identity stay. Erasing a vault not closed is
//! refused with its code; a plain UPDATE of a personal column is still refused; tampering after
//! an erasure (a value put back, a commitment changed) is reported with its sequence number.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::Identity;
use consigne_server::clock::TestClock;
use consigne_server::ids::VaultId;
use consigne_server::journal::checkpoint;
use consigne_server::journal::note::Verifier;
use consigne_server::vault::{self, VaultRefusal};
use consigne_server::AppState;
use consigne_storage::db::{Backend, Db, DbConnection};
use consigne_storage::journal::{self, erasure, NewEntry, Verification};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::mandate_access::{self as ma, Aidant};
use consigne_tests::vault::{Store, VaultEnv};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

/// Journal rows (any column, as text) that contain `needle`; the columns are read from the
/// database's catalogue, so that a column added later is scanned too.
fn rows_containing(db: &TestDb, needle: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = db.pool().get().unwrap();
    let catalogue = match db.backend {
        Backend::Postgres => {
            "SELECT column_name::text AS name FROM information_schema.columns WHERE table_name = 'journal'"
        }
        Backend::Sqlite => "SELECT name FROM pragma_table_info('journal')",
    };
    let columns: Vec<Column> = match &mut *conn {
        DbConnection::Postgres(c) => diesel::sql_query(catalogue).load(c).unwrap(),
        DbConnection::Sqlite(c) => diesel::sql_query(catalogue).load(c).unwrap(),
    };
    assert!(columns.len() >= 16, "every column of the journal: {}", columns.len());
    let pattern = format!("'%{}%'", needle.replace('\'', "''"));
    let any = columns
        .iter()
        .map(|c| format!("CAST({} AS TEXT) LIKE {pattern}", c.name))
        .collect::<Vec<_>>()
        .join(" OR ");
    let query = format!("SELECT COUNT(*) AS n FROM journal WHERE {any}");
    let count: Count = match &mut *conn {
        DbConnection::Postgres(c) => diesel::sql_query(query).get_result(c).unwrap(),
        DbConnection::Sqlite(c) => diesel::sql_query(query).get_result(c).unwrap(),
    };
    count.n
}

async fn verify_all(app: &AppState) -> checkpoint::Report {
    let key = checkpoint::signer(&app.config, &app.keys).unwrap().verifier_key();
    checkpoint::verify(&app.db, &Verifier::parse(&key).unwrap(), None).await.unwrap()
}

/// A share link of `document` made by the usager's client (a slot for a fresh identity).
async fn share(v: &VaultEnv, document: &str) {
    let c = &v.client;
    let full: Value = c.get(&format!("/api/v1/documents/{document}")).await.json().await.unwrap();
    let header = STANDARD.decode(full["version"]["slot"].as_str().unwrap()).unwrap();
    let key = open_slot(&header, &c.identity).unwrap();
    let holder = Identity::generate().unwrap();
    let header = add_slot(&key, &holder.to_recipient()).unwrap();
    let body = json!({"recipient": holder.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let res = c.send(Method::POST, &format!("/api/v1/documents/{document}/shares"), Some(body)).await;
    assert_eq!(res.status(), 201, "share: {}", res.text().await.unwrap());
}

both_backends!(
    /// Angela's full history (logins, uploads, reads, a share, a mandate under which Sophie opens
    /// a document, closure) interleaved with Marie's: erased, verified, scanned.
    a_closed_vaults_usager_is_erased_and_the_chain_still_verifies,
    |db: TestDb| async move {
        let clock = Arc::new(TestClock::now_stopped());
        let settings = [
            ("auth.session_idle_seconds", "86400".to_owned()),
            ("auth.session_absolute_seconds", "86400".to_owned()),
        ];
        let v = VaultEnv::start_with_clock(db, Store::Fs, &settings, clock.clone()).await;
        let app = &v.env.server.state;
        let angela = v.client.account_id.clone();
        let id = |d: Value| d["id"].as_str().unwrap().to_owned();
        let cni = id(v.client.upload("identite", "cni.pdf", b"carte d'identite d'Angela").await);
        let marie = v.other_usager("marie").await;
        let marie_doc = id(marie.upload("sante", "ordonnance.pdf", b"ordonnance de Marie").await);
        v.client.download(&cni).await;
        marie.download(&marie_doc).await;
        share(&v, &cni).await;
        let org = ma::organisation(&v.env, "CCAS d'Alpha");
        let sophie = Aidant::join(&v.env, "sophie", &org).await;
        let mandate = ma::consent(&v.env, &v.client, &sophie, &[&sophie], &["identite"]).await;
        ma::grant(&sophie, &mandate.id).await;
        let res = sophie.get(&format!("/api/v1/mandates/{}/documents/{cni}/payload", mandate.id)).await;
        assert_eq!(res.status(), 200, "the aidant opens the document");
        res.bytes().await.unwrap();
        assert_eq!(v.client.send(Method::POST, "/api/v1/vault/closure", None).await.status(), 202);

        // Not closed yet (notice running): refused, nothing changed.
        let vault_id = VaultId::parse(&v.vault_id).unwrap();
        let refused = vault::erase_from_journal(app, &vault_id).await.unwrap_err();
        assert!(
            matches!(refused, vault::Error::Refused(VaultRefusal::ErasureNotClosed)),
            "{refused:?}"
        );
        assert_eq!(VaultRefusal::ErasureNotClosed.code(), "vault_erasure_not_closed");
        let unknown = vault::erase_from_journal(app, &VaultId::new()).await.unwrap_err();
        assert!(matches!(unknown, vault::Error::Refused(VaultRefusal::ErasureUnknown)), "{unknown:?}");
        let n = rows_containing(&v.env.db, &angela);
        let direct = v.env.journal().iter().filter(|e| e.subject_usager_id.as_deref() == Some(angela.as_str())).count();
        assert!(n >= direct as i64 && direct >= 8, "{n} rows, {direct} about her");

        // The notice passes; the sweep erases the vault (closure done); a checkpoint is signed.
        clock.advance(366 * 86_400);
        assert_eq!(vault::sweep(app).await.unwrap().erased_vaults, 1);
        consigne_server::app::write_checkpoint(app).await.unwrap();
        let before = verify_all(app).await;
        assert_eq!((before.fault.clone(), before.erased), (None, 0), "{before:?}");
        let about_angela = v.env.journal().iter().filter(|e| {
            e.actor_user_id.as_deref() == Some(angela.as_str()) || e.subject_usager_id.as_deref() == Some(angela.as_str())
        }).count() as u64;
        assert!(about_angela >= 10, "{about_angela}");
        let sophie_entries = v.env.journal().iter().filter(|e| e.actor_user_id.as_deref() == Some(sophie.user_id.as_str())).count();
        let marie_entries = v.env.journal().iter().filter(|e| e.subject_usager_id.as_deref() == Some(marie.account_id.as_str())).count();

        let report = vault::erase_from_journal(app, &vault_id).await.unwrap();
        assert_eq!((report.entries, report.left_format_1), (about_angela, 0));

        // Verification passes, counts the erased entries, and the checkpoint made before holds.
        let after = verify_all(app).await;
        assert_eq!(after.fault, None, "{after:?}");
        assert_eq!(after.erased, about_angela);
        assert!(after.checkpoints >= 1);
        assert_eq!(after.entries, before.entries + 1, "one entry more: journal.erased");
        let last = v.env.journal().pop().unwrap();
        assert_eq!(last.action, "journal.erased");
        assert_eq!(serde_json::from_str::<Value>(&last.details).unwrap()["entries"], json!(about_angela));
        assert_eq!((last.actor_user_id, last.subject_usager_id, last.personal_details), (None, None, None));

        // Angela's ids and name are in no column of any row.
        for needle in [angela.as_str(), v.vault_id.as_str(), "Angela", "DUBOIS", "angela.dubois"] {
            assert_eq!(rows_containing(&v.env.db, needle), 0, "{needle} still in the journal");
        }
        // Her key is gone; Marie's entries and Sophie's identity stay.
        let rows = v.env.journal();
        assert_eq!(
            rows.iter().filter(|e| e.subject_usager_id.as_deref() == Some(marie.account_id.as_str())).count(),
            marie_entries
        );
        assert_eq!(
            rows.iter().filter(|e| e.actor_user_id.as_deref() == Some(sophie.user_id.as_str())).count(),
            sophie_entries
        );
        let opened = rows
            .iter()
            .find(|e| e.actor_user_id.as_deref() == Some(sophie.user_id.as_str()) && e.action == "document.downloaded")
            .expect("Sophie's opening of the document");
        assert_eq!((opened.subject_usager_id.as_deref(), opened.commitments().unwrap().subject.is_some()), (None, true));
        let mut conn = v.env.db.pool().get().unwrap();
        assert!(journal::commitment::keys_of(&mut conn, std::slice::from_ref(&angela)).unwrap().is_empty());
        assert_eq!(journal::commitment::keys_of(&mut conn, std::slice::from_ref(&marie.account_id)).unwrap().len(), 1);
        drop(conn);

        // Marie's view still works (signed in again: a year has passed); a second erasure finds
        // nothing to erase.
        let browser = v.env.browser();
        browser.login("usager", "marie").await;
        let res = browser.http.get(browser.at("/api/v1/journal")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        assert!(page["entries"].as_array().unwrap().len() >= 3, "{page}");
        let again = vault::erase_from_journal(app, &vault_id).await.unwrap_err();
        assert!(matches!(again, vault::Error::Refused(VaultRefusal::ErasureUnknown)), "{again:?}");
    }
);

fn person_entry(actor: &str, subject: Option<&str>, personal: Option<&str>) -> NewEntry {
    NewEntry {
        actor_user_id: Some(actor.into()),
        actor_role: Some(if subject == Some(actor) { "usager" } else { "aidant" }.into()),
        action: "test.action".into(),
        subject_usager_id: subject.map(str::to_owned),
        outcome: "ok".into(),
        details: "{}".into(),
        personal_details: personal.map(str::to_owned),
        ..NewEntry::default()
    }
}

/// The entry that records an erasure of `n` entries (as `consigne vault erase` appends it).
fn record(n: u64) -> NewEntry {
    NewEntry {
        action: erasure::ACTION.into(),
        outcome: "ok".into(),
        details: json!({"entries": n}).to_string(),
        ..NewEntry::default()
    }
}

/// Runs `sql` through the application's connection (the triggers apply).
fn exec(db: &TestDb, sql: &str) -> Result<(), String> {
    let mut conn = db.pool().get().unwrap();
    match &mut *conn {
        DbConnection::Postgres(c) => c.batch_execute(sql).map_err(|e| e.to_string()),
        DbConnection::Sqlite(c) => c.batch_execute(sql).map_err(|e| e.to_string()),
    }
}

/// Runs `sql` on a connection the caller holds (in its transaction).
fn raw(conn: &mut DbConnection, sql: &str) -> Result<(), consigne_storage::db::DbError> {
    match conn {
        DbConnection::Postgres(c) => c.batch_execute(sql)?,
        DbConnection::Sqlite(c) => c.batch_execute(sql)?,
    }
    Ok(())
}

/// Runs `sql` as a database superuser would: past the triggers.
fn bypass(db: &TestDb, sql: &str) {
    let script = match db.backend {
        Backend::Postgres => format!("BEGIN; SET LOCAL session_replication_role = replica; {sql}; COMMIT;"),
        Backend::Sqlite => format!("DROP TRIGGER IF EXISTS journal_no_update; {sql};"),
    };
    exec(db, &script).unwrap();
}

async fn chain(pool: &Db) -> Verification {
    pool.run(journal::verify).await.unwrap()
}

both_backends!(
    /// Outside the erasure the journal refuses every UPDATE, personal columns included; after an
    /// erasure, a value put back or a commitment changed is reported with its sequence number.
    tampering_after_an_erasure_is_reported,
    |db: TestDb| async move {
        let pool = db.pool();
        let (a, b, c) = ("user-angela", "user-marie", "user-carole");
        let vault = r#"{"vault_id":"vault-of-angela"}"#;
        pool.run(move |conn| {
            for (i, new) in [
                person_entry(a, Some(a), Some(vault)),           // 1
                person_entry(b, Some(b), None),                  // 2
                person_entry("aidant-sophie", Some(a), None),    // 3
                person_entry(b, Some(b), Some(r#"{"vault_id":"vault-of-marie"}"#)), // 4
                person_entry(a, Some(a), None),                  // 5
                person_entry(c, Some(c), None),                  // 6
            ]
            .iter()
            .enumerate()
            {
                journal::append(conn, 1_700_000_000 + i as i64, new)?;
            }
            Ok::<_, consigne_storage::db::DbError>(())
        })
        .await
        .unwrap();
        assert!(matches!(chain(&pool).await, Verification::Intact { entries: 6, erased: 0, .. }));

        // Plain UPDATEs are refused, personal columns included.
        for sql in [
            "UPDATE journal SET actor_user_id = NULL WHERE seq = 1",
            "UPDATE journal SET subject_usager_id = NULL WHERE seq = 3",
            "UPDATE journal SET personal_details = NULL WHERE seq = 1",
            "UPDATE journal SET outcome = 'refused' WHERE seq = 2",
            "DELETE FROM journal WHERE seq = 6",
        ] {
            assert!(exec(&db, sql).is_err(), "{sql} was accepted");
        }
        if db.backend == Backend::Postgres {
            // A permit left over from another transaction does not open the journal.
            exec(&db, "INSERT INTO journal_erasure_permits (usager_id) VALUES ('user-angela')").unwrap();
            assert!(exec(&db, "UPDATE journal SET actor_user_id = NULL WHERE seq = 1").is_err());
            exec(&db, "DELETE FROM journal_erasure_permits").unwrap();
        }
        // With a permit in the same transaction (as the erasure writes it), only nulling the
        // permitted person's fields passes: another column, another value, another person's
        // field are refused.
        for sql in [
            "UPDATE journal SET outcome = 'refused' WHERE seq = 5",
            "UPDATE journal SET actor_user_id = 'user-marie' WHERE seq = 5",
            "UPDATE journal SET actor_user_id = NULL WHERE seq = 2",
            "UPDATE journal SET actor_user_id = NULL, hash = 'x' WHERE seq = 5",
            "UPDATE journal SET actor_user_id = NULL, commitments = NULL WHERE seq = 5",
            "UPDATE journal SET actor_user_id = NULL, request_id = 'r' WHERE seq = 5",
        ] {
            let script = format!("INSERT INTO journal_erasure_permits (usager_id) VALUES ('user-angela'); {sql}");
            let done = pool.run(move |conn| conn.write_transaction(|conn| raw(conn, &script))).await;
            assert!(done.is_err(), "{sql} was accepted within a permit");
        }
        let script = "INSERT INTO journal_erasure_permits (usager_id) VALUES ('user-angela'); \
                      UPDATE journal SET actor_user_id = NULL WHERE seq = 5";
        let done = pool.run(move |conn| conn.write_transaction(|conn| raw(conn, script)));
        done.await.unwrap();
        // Allowed by the trigger, but not recorded: verification says so.
        assert_eq!(
            chain(&pool).await,
            Verification::Broken { seq: 5, reason: "erased entries not recorded by a journal.erased entry" }
        );
        bypass(&db, "UPDATE journal SET actor_user_id = 'user-angela' WHERE seq = 5; DELETE FROM journal_erasure_permits");
        assert!(matches!(chain(&pool).await, Verification::Intact { erased: 0, .. }), "put back");

        let erased = pool
            .run(move |conn| {
                conn.write_transaction(|conn| {
                    let erased = erasure::erase(conn, a)?;
                    journal::append(conn, 1_700_000_100, &record(erased.entries))?;
                    Ok::<_, consigne_storage::db::DbError>(erased)
                })
            })
            .await
            .unwrap();
        assert_eq!((erased.entries, erased.left_format_1), (3, 0));
        assert!(matches!(chain(&pool).await, Verification::Intact { entries: 7, erased: 3, .. }));

        // Angela's id put back into entry 3 (her key is gone).
        bypass(&db, "UPDATE journal SET subject_usager_id = 'user-angela' WHERE seq = 3");
        assert_eq!(
            chain(&pool).await,
            Verification::Broken { seq: 3, reason: "subject usager present but its person's key is gone" }
        );
        bypass(&db, "UPDATE journal SET subject_usager_id = NULL WHERE seq = 3");
        // Her personal details put back into entry 1.
        bypass(&db, &format!("UPDATE journal SET personal_details = '{vault}' WHERE seq = 1"));
        assert_eq!(chain(&pool).await, Verification::Broken { seq: 1, reason: "personal details of an erased person" });
        bypass(&db, "UPDATE journal SET personal_details = NULL WHERE seq = 1");
        // A commitment changed.
        let original = {
            use consigne_storage::db::schema::journal::dsl;
            let mut conn = pool.get().unwrap();
            let rows: Vec<journal::Entry> =
                dsl::journal.order(dsl::seq.asc()).select(journal::Entry::as_select()).load(&mut *conn).unwrap();
            rows[4].commitments.clone().unwrap()
        };
        let (_, rest) = original.split_once(':').unwrap();
        let changed = format!("{}:{rest}", "ab".repeat(32));
        bypass(&db, &format!("UPDATE journal SET commitments = '{changed}' WHERE seq = 5"));
        assert_eq!(chain(&pool).await, Verification::Broken { seq: 5, reason: "entry hash mismatch" });
        bypass(&db, &format!("UPDATE journal SET commitments = '{original}' WHERE seq = 5"));
        assert!(matches!(chain(&pool).await, Verification::Intact { erased: 3, .. }), "restored");
        // Marie's entry credited to Carole (who has a key), and her personal details changed.
        bypass(&db, "UPDATE journal SET actor_user_id = 'user-carole' WHERE seq = 2");
        assert_eq!(chain(&pool).await, Verification::Broken { seq: 2, reason: "actor does not match its commitment" });
        bypass(&db, "UPDATE journal SET actor_user_id = 'user-marie' WHERE seq = 2");
        bypass(&db, r#"UPDATE journal SET personal_details = '{"vault_id":"vault-of-carole"}' WHERE seq = 4"#);
        assert_eq!(
            chain(&pool).await,
            Verification::Broken { seq: 4, reason: "personal details do not match their commitment" }
        );
    }
);
