//! In-person enrolment from the tests' side (issue 15): an aidant's enrolment body, the claim of
//! the one-time link from a browser of our own origin, and a usager enrolled in person with a
//! vault, as the authorisation matrix and `tests/tests/enrolment.rs` use them.

use crate::client::VaultClient;
use crate::idp::Browser;
use crate::mandate_setup::Pro;
use serde_json::{json, Value};

/// The birth date and place every enrolment of the tests uses: no journal entry may hold them.
pub const BIRTHDATE: &str = "1961-04-12";
pub const BIRTHPLACE: &str = "Roubaix-sur-Lys";

/// An enrolment body: a new account, identity read on a national identity card.
pub fn by_document(given_name: &str, family_name: &str) -> Value {
    json!({
        "given_name": given_name,
        "family_name": family_name,
        "birthdate": BIRTHDATE,
        "birthplace": BIRTHPLACE,
        "method": "document",
        "document_kind": "cni",
        "usager_id": null,
    })
}

/// The same, "personne connue du service".
pub fn by_knowledge(given_name: &str, family_name: &str) -> Value {
    let mut body = by_document(given_name, family_name);
    body["method"] = json!("known");
    body["document_kind"] = Value::Null;
    body
}

/// `pro` enrols: the answer, after checking it is `201`.
pub async fn enrol(pro: &Pro, body: Value) -> Value {
    let res = pro.post("/api/v1/enrolments", body).await;
    assert_eq!(res.status(), 201, "enrolment: {}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The token of a link `/app/inscription#<token>`.
pub fn token_of(link: &str) -> String {
    link.split_once('#').map(|(_, t)| t.to_owned()).expect("a link with a fragment")
}

/// Claims `token` from `browser`, as the web application on our origin does.
pub async fn claim(browser: &Browser, token: &str) -> reqwest::Response {
    browser
        .http
        .post(browser.at("/auth/enrolment/claim"))
        .header("origin", &browser.consigne)
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
}

/// A usager enrolled in person by `pro` (identity read on a document), signed in on `browser`
/// with the link, vault created.
pub async fn enrolled_usager(
    pro: &Pro,
    browser: &Browser,
    given_name: &str,
    family_name: &str,
) -> VaultClient {
    let created = enrol(pro, by_document(given_name, family_name)).await;
    let res = claim(browser, &token_of(created["link"].as_str().unwrap())).await;
    assert_eq!(res.status(), 200, "claim: {}", res.text().await.unwrap());
    let client = VaultClient::new(browser).await;
    assert_eq!(client.account_id, created["usager_id"].as_str().unwrap());
    let res = client.create_vault().await;
    assert_eq!(res.status(), 201, "vault creation: {}", res.text().await.unwrap());
    client
}
