//! The documented PostgreSQL roles (deploy/postgres): the application's role can append to the
//! journal and serve, and cannot drop, alter, truncate or switch off what protects the journal
//! (issue 10).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::{run_migrations, Db, DbConnection, DbOptions};
use consigne_storage::journal::{self, NewEntry, Verification};
use consigne_tests::db::admin_url;
use consigne_tests::repo_root;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::Connection;

/// `admin_url` with another user and database.
fn url_as(user: &str, database: &str) -> String {
    let admin = url::Url::parse(&admin_url()).unwrap();
    let mut u = admin.clone();
    u.set_username(user).unwrap();
    u.set_path(&format!("/{database}"));
    u.to_string()
}

/// A deploy/postgres script with this test's own role names (roles are shared by the cluster).
fn script(name: &str, suffix: &str) -> String {
    std::fs::read_to_string(repo_root().join("deploy/postgres").join(name))
        .unwrap()
        .replace("consigne_owner", &format!("consigne_owner_{suffix}"))
        .replace("consigne_app", &format!("consigne_app_{suffix}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_role_cannot_undo_the_journal_protections() {
    let suffix = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    let database = format!("consigne_roles_{suffix}");
    let (owner, app) = (format!("consigne_owner_{suffix}"), format!("consigne_app_{suffix}"));
    let mut admin = PgConnection::establish(&admin_url()).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {database}")).unwrap();

    // The documented procedure: roles (superuser), migrations (owner), grants (owner).
    PgConnection::establish(&url_as("postgres", &database))
        .unwrap()
        .batch_execute(&script("roles.sql", &suffix))
        .unwrap();
    let mut as_owner = DbConnection::Postgres(PgConnection::establish(&url_as(&owner, &database)).unwrap());
    run_migrations(&mut as_owner).unwrap();
    if let DbConnection::Postgres(c) = &mut as_owner {
        c.batch_execute(&script("grants.sql", &suffix)).unwrap();
    }

    // The application appends and reads.
    let db = Db::new(&url_as(&app, &database), &DbOptions::default()).unwrap();
    db.run(|conn| {
        for i in 0..3 {
            let entry = NewEntry {
                action: format!("test.a{i}"),
                outcome: "ok".into(),
                details: "{}".into(),
                ..Default::default()
            };
            journal::append(conn, 1_700_000_000 + i, &entry)?;
        }
        Ok(())
    })
    .await
    .unwrap();
    assert!(matches!(db.run(journal::verify).await.unwrap(), Verification::Intact { entries: 3, .. }));

    // And cannot undo what protects the journal.
    let refused = [
        "UPDATE journal SET outcome = 'x'",
        "DELETE FROM journal",
        "TRUNCATE journal",
        "DROP TRIGGER journal_no_update ON journal",
        "ALTER TABLE journal DISABLE TRIGGER ALL",
        "DROP TABLE journal_checkpoints",
        "SET session_replication_role = replica",
        "CREATE TABLE journal_copy (seq BIGINT)",
        "UPDATE journal_checkpoints SET note = 'x'",
    ];
    let mut as_app = PgConnection::establish(&url_as(&app, &database)).unwrap();
    for sql in refused {
        assert!(as_app.batch_execute(sql).is_err(), "the application role could run: {sql}");
    }
    assert!(matches!(db.run(journal::verify).await.unwrap(), Verification::Intact { entries: 3, .. }));
    // Other tables stay writable, as serving needs.
    as_app.batch_execute("DELETE FROM rate_counters").unwrap();

    // The erasure of a person's fields works under this role (column grant and permit), and
    // nulling a personal column outside it is still refused.
    db.run(|conn| {
        let entry = NewEntry {
            actor_user_id: Some("user-erased".into()),
            subject_usager_id: Some("user-erased".into()),
            action: "test.person".into(),
            outcome: "ok".into(),
            details: "{}".into(),
            ..Default::default()
        };
        journal::append(conn, 1_700_000_010, &entry)
    })
    .await
    .unwrap();
    for sql in [
        "UPDATE journal SET actor_user_id = NULL WHERE seq = 4",
        "UPDATE journal SET commitments = NULL WHERE seq = 4",
    ] {
        assert!(as_app.batch_execute(sql).is_err(), "the application role could run: {sql}");
    }
    let erased = db
        .run(|conn| {
            conn.write_transaction(|conn| {
                let erased = journal::erasure::erase(conn, "user-erased")?;
                let record = NewEntry {
                    action: journal::erasure::ACTION.into(),
                    outcome: "ok".into(),
                    details: format!("{{\"entries\":{}}}", erased.entries),
                    ..Default::default()
                };
                journal::append(conn, 1_700_000_011, &record)?;
                Ok::<_, consigne_storage::db::DbError>(erased)
            })
        })
        .await
        .unwrap();
    assert_eq!(erased.entries, 1);
    assert!(matches!(
        db.run(journal::verify).await.unwrap(),
        Verification::Intact { entries: 5, erased: 1, .. }
    ));

    drop((db, as_app, as_owner));
    admin.batch_execute(&format!("DROP DATABASE {database} WITH (FORCE)")).unwrap();
    admin
        .batch_execute(&format!("DROP OWNED BY {app}, {owner} CASCADE; DROP ROLE {app}; DROP ROLE {owner}"))
        .ok();
}
