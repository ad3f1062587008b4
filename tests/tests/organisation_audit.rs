//! What a référent audits over HTTP (issue 10): the journal of the organisation's members in
//! plain words (who, for whom, which kind of document, never its name) and the month's
//! indicators; an aidant who is not référent reaches neither.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::mandate_setup::{answer, MandateEnv};
use serde_json::Value;

both_backends!(a_referent_reads_what_the_members_did, |db: TestDb| async move {
    let env = MandateEnv::start(db).await;
    let cni = env.usager().upload("identite", "cni-angela.pdf", b"carte d'identite").await;
    let cni = cni["id"].as_str().unwrap().to_owned();
    let sophie = env.professional("sophie", &env.org, "aidant", true).await;
    let karim = env.professional("karim", &env.org, "referent", true).await;
    let (mandate, _key) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
    let m = mandate["id"].as_str().unwrap();
    let path = format!("/api/v1/mandates/{m}/documents/{cni}/payload");
    assert_eq!(sophie.get(&path).await.status(), 200);

    let page: Value = karim.get("/api/v1/organisation/journal").await.json().await.unwrap();
    let entries = page["entries"].as_array().unwrap();
    let read = entries.iter().find(|e| e["action"] == "document.downloaded").expect("the read is listed");
    let text = read["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "Sophie LEROY a ouvert un document (document « Identité ») pour Angela Claire Louise DUBOIS"
        ),
        "{text}"
    );
    assert!(!text.contains("cni"), "never a file name: {text}");
    assert_eq!(read["mandate_id"], m);
    assert_eq!(read["category"], "identite");
    // Only this organisation's members: the usager's own consent is not in it.
    assert!(entries.iter().all(|e| e["role"] == "aidant" || e["role"] == "referent"), "{entries:#?}");
    // Filtered by member: Sophie's only.
    let only: Value = karim
        .get(&format!("/api/v1/organisation/journal?actor={}", sophie.user_id))
        .await
        .json()
        .await
        .unwrap();
    assert!(only["entries"].as_array().unwrap().iter().all(|e| e["actor"]["id"] == sophie.user_id.as_str()));

    // Filtered by usager and by action; and the same as CSV, an attachment a spreadsheet opens.
    let usager = env.usager().account_id.clone();
    let reads: Value = karim
        .get(&format!("/api/v1/organisation/journal?usager={usager}&action=document.downloaded"))
        .await
        .json()
        .await
        .unwrap();
    let reads = reads["entries"].as_array().unwrap();
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert_eq!(reads[0]["usager"]["id"], usager.as_str());
    // The request that wrote it, as the logs name it: a référent can match an entry to its logs.
    let request = reads[0]["request_id"].as_str().unwrap();
    assert_eq!(request.len(), 32, "{request}");
    let res = karim.get(&format!("/api/v1/organisation/journal?usager={usager}&format=csv")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("seq,at,action,outcome,actor_id,actor,role,usager_id,usager,"), "{csv}");
    assert!(lines[0].contains(",mandate_id,request_id,text"), "{csv}");
    assert!(csv.contains(&format!("\"{request}\"")), "{csv}");
    assert!(
        lines.iter().any(|l| l.contains("\"document.downloaded\"") && l.contains("\"Sophie LEROY\"")),
        "{csv}"
    );
    assert!(!csv.contains("cni"), "never a file name");
    assert_eq!(answer(karim.get("/api/v1/organisation/journal?format=pdf").await).await.0, 400);

    let months: Value = karim.get("/api/v1/organisation/indicators?months=2").await.json().await.unwrap();
    let months = months.as_array().unwrap();
    assert_eq!(months.len(), 2);
    let now = &months[0];
    assert_eq!(
        (&now["usagers_accompanied"], &now["mandates_in_force"], &now["documents_accessed"]),
        (&Value::from(1), &Value::from(1), &Value::from(1)),
        "{now}"
    );
    assert_eq!(
        (&now["mandates_created"], &now["aidants_active"]),
        (&Value::from(1), &Value::from(1)),
        "{now}"
    );
    assert_eq!(months[1]["documents_accessed"], 0);

    // An aidant who is not référent reaches neither; a bad date is a clear refusal.
    assert_eq!(
        answer(sophie.get("/api/v1/organisation/journal").await).await,
        (403, "organisation_not_referent".into())
    );
    assert_eq!(
        answer(sophie.get("/api/v1/organisation/indicators").await).await,
        (403, "organisation_not_referent".into())
    );
    assert_eq!(answer(karim.get("/api/v1/organisation/journal?from=01/12/2026").await).await.0, 400);
});
