//! Scenario 3b: an aidant's read of one document under a mandate
//! (`GET /api/v1/mandates/{id}/documents/{document_id}`: session, second factor, membership,
//! mandate in force covering the category, journal entry) against the owner's read of the same
//! document (`GET /api/v1/documents/{id}`), on the same server, turns alternated.

use crate::http::{errors, Load};
use crate::load::{self, Target};
use crate::report::{Goal, Row};
use anyhow::{bail, Context, Result};
use consigne_server::roles::Role;
use consigne_tests::db::TestDb;
use consigne_tests::mandate_access::{consent, organisation, Aidant};
use consigne_tests::vault::{Store, VaultEnv};

/// One request of `target`'s first session, which must succeed: a side answering only refusals
/// would be measured as fast as it refuses.
async fn check(http: &reqwest::Client, target: &Target) -> Result<()> {
    let mut request = http.get(&target.url);
    if let Some(session) = target.sessions.first() {
        request = request.header("cookie", format!("consigne_session={session}"));
    }
    let res = request.send().await.with_context(|| format!("GET {}", target.url))?;
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    if status != 200 {
        bail!("GET {}: {status} {body}", target.url);
    }
    Ok(())
}

pub async fn scenario(load: Load) -> Result<Vec<Row>> {
    eprintln!("[PostgreSQL] scenario 3b: starting Consigne, a usager, an organisation and its aidant");
    let settings: Vec<(&str, String)> =
        load.db_connections.map(|n| ("database.max_connections", n.to_string())).into_iter().collect();
    let v = VaultEnv::start(TestDb::postgres(), Store::Fs, &settings).await;
    let document = v.client.upload("domicile", "quittance.pdf", b"quittance de loyer").await;
    let document = document["id"].as_str().context("uploaded document id")?.to_owned();
    let org = organisation(&v.env, "CCAS du banc d'essai");
    let aidant = Aidant::join(&v.env, "sophie", &org).await;
    let mandate = consent(&v.env, &v.client, &aidant, &[&aidant], &["domicile"]).await;

    // One session per connection on each side, as in the other HTTP scenarios.
    let state = &v.env.server.state;
    let owner = crate::sessions::create(state, &v.client.account_id, load.connections).await?;
    let acting =
        crate::sessions::create_as(state, &aidant.user_id, Role::Aidant, Some(&org), load.connections)
            .await?;

    let http = load::client(load.connections)?;
    let url = |path: &str| v.env.server.at(path);
    let own = Target::new(url(&format!("/api/v1/documents/{document}")), owner)?;
    let under_mandate =
        Target::new(url(&format!("/api/v1/mandates/{}/documents/{document}", mandate.id)), acting)?;
    check(&http, &own).await?;
    check(&http, &under_mandate).await?;

    eprintln!("[PostgreSQL] scenario 3b: the mandate-checked read");
    let (base, meas) =
        load::side_by_side(&http, &own, &under_mandate, load.connections, load.duration, load.rounds).await?;
    let (p50, p99) = (meas.quantile_ms(0.5), meas.quantile_ms(0.99));
    let rows = vec![
        Row::new(
            "3b mandate read rate (PostgreSQL)",
            format!(
                "aidant, GET /api/v1/mandates/…/documents/…: {:.0} req/s{}",
                meas.per_second(),
                errors(&meas)
            ),
            format!("owner, GET /api/v1/documents/…: {:.0} req/s{}", base.per_second(), errors(&base)),
            meas.per_second() / base.per_second(),
            Goal::AtLeast(0.9),
        ),
        Row::new(
            "3b mandate read tail (PostgreSQL)",
            format!("aidant's read p99: {p99:.1} ms"),
            format!(
                "p50: {p50:.1} ms (owner's read p50 {:.1}, p99 {:.1} ms)",
                base.quantile_ms(0.5),
                base.quantile_ms(0.99)
            ),
            if p50 > 0.0 { p99 / p50 } else { f64::INFINITY },
            Goal::AtMost(10.0),
        ),
    ];
    v.env.server.stop().await;
    Ok(rows)
}
