//! What the shared objects of the world are, read over HTTP by their owners: checked before the
//! cells run (the columns mean what the table says) and after (no cell changed what later cells
//! relied on: the succeeding ones acted on fresh objects).

use super::World;
use reqwest::Method;
use serde_json::Value;

/// The facts of a world just built, in the order [`World::facts`] reads them.
pub const EXPECTED: [(&str, &str); 14] = [
    ("M", "active, granted to A, S"),
    // Not swept yet: what refuses A under it is the per-request check, not a missing key.
    ("M_exp", "expired, granted to A"),
    ("M_rev", "revoked, granted to nobody"),
    ("P", "proposed, granted to nobody"),
    ("D_in", "live, version 1"),
    ("D_out", "live, version 1"),
    ("U's share of D_in", "live"),
    ("U's envelope", "present"),
    ("the invitation into O", "pending"),
    ("O's members", "A, F, N, S (suspended), X"),
    ("R", "in no organisation"),
    ("U's vault", "open"),
    ("V's vault", "open"),
    ("E's vault", "open"),
];

impl World {
    /// The facts of [`EXPECTED`], as they are now.
    pub async fn facts(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (name, id) in
            [("M", &self.m), ("M_exp", &self.m_exp), ("M_rev", &self.m_rev), ("P", &self.proposal)]
        {
            let m = self.as_u(&format!("/api/v1/mandates/{id}")).await;
            let granted: Vec<&str> = m["aidants"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["granted"] == true)
                .map(|a| self.letter(a["id"].as_str().unwrap()))
                .collect();
            let granted = if granted.is_empty() { "nobody".to_owned() } else { granted.join(", ") };
            out.push((name, format!("{}, granted to {granted}", m["status"].as_str().unwrap())));
        }
        for (name, id) in [("D_in", &self.d_in), ("D_out", &self.d_out)] {
            let d = self.as_u(&format!("/api/v1/documents/{id}")).await;
            let place = if d["binned_at"].is_null() { "live" } else { "binned" };
            out.push((name, format!("{place}, version {}", d["version"]["number"])));
        }
        let shares = self.as_u(&format!("/api/v1/documents/{}/shares", self.d_in)).await;
        let share = shares["shares"].as_array().unwrap().iter().find(|s| s["id"] == self.share.as_str());
        let live = share.is_some_and(|s| s["revoked_at"].is_null());
        out.push(("U's share of D_in", if live { "live" } else { "revoked or gone" }.to_owned()));
        let envelopes = self.as_u("/api/v1/vault/envelopes").await;
        let present =
            envelopes["envelopes"].as_array().unwrap().iter().any(|e| e["id"] == self.envelope.as_str());
        out.push(("U's envelope", if present { "present" } else { "gone" }.to_owned()));
        let invitations = self.f.expect(Method::GET, "/api/v1/organisation/invitations", None, 200).await;
        let pending = invitations.as_array().unwrap().iter().any(|i| i["id"] == self.invitation.as_str());
        out.push(("the invitation into O", if pending { "pending" } else { "gone" }.to_owned()));
        let members = self.f.expect(Method::GET, "/api/v1/organisation/members", None, 200).await;
        let mut names: Vec<String> = members
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| {
                // Members made for the cells of the member routes are not the world's.
                let who = self.letter(m["user_id"].as_str().unwrap());
                let suspended = if m["suspended"] == true { " (suspended)" } else { "" };
                (who != "?").then(|| format!("{who}{suspended}"))
            })
            .collect();
        names.sort();
        out.push(("O's members", names.join(", ")));
        let r = self.r.expect(Method::GET, "/api/v1/account/organisations", None, 200).await;
        let none = r.as_array().unwrap().is_empty();
        out.push(("R", if none { "in no organisation" } else { "a member somewhere" }.to_owned()));
        for (name, client) in
            [("U's vault", self.u()), ("V's vault", &self.other), ("E's vault", &self.enrolled)]
        {
            let vault: Value = client.get("/api/v1/vault").await.json().await.unwrap();
            out.push((
                name,
                if vault["closure_requested_at"].is_null() { "open" } else { "closing" }.to_owned(),
            ));
        }
        out
    }

    /// The facts that differ from `expected`, each named.
    pub async fn differences(&self, expected: &[(&str, String)]) -> Vec<String> {
        let now = self.facts().await;
        let mut out = Vec::new();
        for ((name, want), (_, got)) in expected.iter().zip(&now) {
            if want != got {
                out.push(format!("{name}: expected \"{want}\", found \"{got}\""));
            }
        }
        out
    }

    async fn as_u(&self, path: &str) -> Value {
        let res = self.u().get(path).await;
        assert_eq!(res.status(), 200, "U reads {path}");
        res.json().await.unwrap()
    }

    /// The letter of a professional of the world (`?` for one made for a cell).
    fn letter(&self, user_id: &str) -> &'static str {
        let people =
            [(&self.a, "A"), (&self.b, "B"), (&self.n, "N"), (&self.s, "S"), (&self.r, "R"), (&self.f, "F")];
        match people.iter().find(|(p, _)| p.user_id() == user_id) {
            Some((_, letter)) => letter,
            None if user_id == self.member => "X",
            None => "?",
        }
    }
}
