//! openapi.yaml documents exactly the routes the server serves, and every error code it can send.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::http::error_message;
use consigne_tests::repo_root;
use std::collections::BTreeSet;

/// `(METHOD, path)` pairs of openapi.yaml's `paths` (paths at two spaces, methods at four).
fn documented() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(repo_root().join("openapi.yaml")).unwrap();
    let mut out = BTreeSet::new();
    let (mut in_paths, mut path) = (false, None::<String>);
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_paths = line.trim_end() == "paths:";
            continue;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /") {
            path = Some(format!("/{}", p.trim_end().trim_end_matches(':')));
        } else if let Some(m) = line.strip_prefix("    ").filter(|m| !m.starts_with(' ')) {
            let m = m.trim_end().trim_end_matches(':');
            if ["get", "post", "put", "patch", "delete", "head"].contains(&m) {
                out.insert((m.to_uppercase(), path.clone().unwrap()));
            }
        }
    }
    out
}

#[test]
fn every_served_route_is_documented_and_every_documented_route_is_served() {
    let served: BTreeSet<(String, String)> = consigne_server::http::route_table()
        .into_iter()
        // actix's tail-match syntax is `{path:.*}`; OpenAPI names the parameter only.
        .map(|(m, p)| (m.to_owned(), p.replace(":.*}", "}")))
        .collect();
    let documented = documented();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let missing: Vec<_> = documented.difference(&served).collect();
    assert!(undocumented.is_empty(), "served but not in openapi.yaml: {undocumented:?}");
    assert!(missing.is_empty(), "in openapi.yaml but not served: {missing:?}");
    assert!(served.len() > 30);
}

#[test]
fn every_vault_error_code_is_documented_and_has_a_french_message() {
    let text = std::fs::read_to_string(repo_root().join("openapi.yaml")).unwrap();
    for refusal in consigne_server::vault::VaultRefusal::ALL {
        let code = refusal.code();
        assert!(text.contains(code), "{code} is not in openapi.yaml");
        let message = error_message(code, Default::default());
        assert!(!message.contains("inattendue"), "{code} has no message of its own");
    }
}
