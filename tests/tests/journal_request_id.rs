//! Each journal entry written during an HTTP request carries that request's id, the one its
//! `x-request-id` header and every log line of it give (issue 10), on both databases: an
//! operator can go from a person's report, or a log line, to the entries, and back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::journal::checkpoint;
use consigne_server::journal::note::Verifier;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::Value;

fn header(res: &reqwest::Response) -> String {
    res.headers()["x-request-id"].to_str().unwrap().to_owned()
}

both_backends!(
    /// A download, a bin and a refusal each leave entries stamped with their own request's id,
    /// whether the entry was written before serving or inside the change's transaction.
    entries_carry_the_id_of_the_request_that_wrote_them,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let doc: Value = c.upload("domicile", "quittance.pdf", b"quittance de loyer").await;
        let id = doc["id"].as_str().unwrap().to_owned();

        let download = c.get(&format!("/api/v1/documents/{id}/payload")).await;
        assert_eq!(download.status(), 200);
        let download_id = header(&download);
        download.bytes().await.unwrap();
        let bin = c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await;
        assert_eq!(bin.status(), 204);
        let bin_id = header(&bin);
        // A usager on a professional's route: refused, and journaled as such (strict).
        let refused = c.get("/api/v1/organisation/members").await;
        assert_eq!(refused.status(), 403);
        let refused_id = header(&refused);
        assert!(download_id != bin_id && bin_id != refused_id);

        let journal = v.env.journal();
        let stamped = |action: &str| -> Vec<Option<String>> {
            journal.iter().filter(|e| e.action == action).map(|e| e.request_id.clone()).collect()
        };
        assert_eq!(stamped("document.downloaded"), [Some(download_id)]);
        assert_eq!(stamped("document.binned"), [Some(bin_id)]);
        let refusals: Vec<_> = journal.iter().filter(|e| e.outcome == "refused").collect();
        assert!(
            refusals.iter().any(|e| e.request_id.as_deref() == Some(refused_id.as_str())),
            "{refusals:#?}"
        );
        // Every entry here was written by a request, each with a 32-digit id.
        for e in &journal {
            let rid = e.request_id.as_deref().unwrap_or_else(|| panic!("no request id: {e:?}"));
            assert!(rid.len() == 32 && rid.chars().all(|c| c.is_ascii_hexdigit()), "{e:?}");
        }
        // The chain, request ids hashed, still verifies.
        let app = &v.env.server.state;
        let key = checkpoint::signer(&app.config, &app.keys).unwrap().verifier_key();
        let report = checkpoint::verify(&app.db, &Verifier::parse(&key).unwrap(), None).await.unwrap();
        assert_eq!((report.fault, report.entries), (None, journal.len() as u64));
    }
);
