//! An HTTP receiver for the journal shipping and SMS tests: a real HTTP server on a loopback port
//! that records every request, whatever its path, and can be told to answer another status
//! instead (the sink or the SMS provider being down).

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use consigne_storage::journal::Entry;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// One request the sink received.
#[derive(Debug, Clone)]
pub struct Received {
    pub status: u16,
    pub content_type: Option<String>,
    pub authorization: Option<String>,
    pub body: String,
}

#[derive(Default)]
struct Inner {
    answer: u16,
    received: Vec<Received>,
}

pub struct SinkReceiver {
    /// The URL to give as `journal.sink_url`.
    pub url: String,
    /// `http://127.0.0.1:PORT`, for other paths (`{base}/sms` as `notices.sms_url`).
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    handle: ServerHandle,
}

async fn receive(req: HttpRequest, body: web::Bytes, inner: web::Data<Arc<Mutex<Inner>>>) -> HttpResponse {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut inner = inner.lock().unwrap();
    let status = inner.answer;
    inner.received.push(Received {
        status,
        content_type: header("content-type"),
        authorization: header("authorization"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl SinkReceiver {
    /// Listens on a free loopback port, answering 200.
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner { answer: 200, received: Vec::new() }));
        let data = web::Data::new(inner.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                .default_service(web::to(receive))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .unwrap();
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { url: format!("http://{addr}/journal"), base: format!("http://{addr}"), inner, handle }
    }

    /// From now on, answers `status` (and keeps recording).
    pub fn answer(&self, status: u16) {
        self.inner.lock().unwrap().answer = status;
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// How many requests were answered other than 2xx.
    pub fn refused(&self) -> usize {
        self.received().iter().filter(|r| !(200..300).contains(&r.status)).count()
    }

    /// The bodies of the requests answered 2xx, as JSON.
    pub fn accepted_json(&self) -> Vec<Value> {
        self.received()
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect()
    }

    /// Every entry accepted (answered 2xx), in the order received, repeats included.
    pub fn accepted(&self) -> Vec<Value> {
        self.received()
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .flat_map(|r| r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect::<Vec<Value>>())
            .collect()
    }

    /// Sequence numbers accepted, de-duplicated, ascending.
    pub fn seqs(&self) -> Vec<i64> {
        let mut seqs: Vec<i64> = self.accepted().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        seqs.sort_unstable();
        seqs.dedup();
        seqs
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

/// A shipped entry read back as the stored row, to recompute its hash.
pub fn entry_from_json(v: &Value) -> Entry {
    let text = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("{k} missing: {v}")).to_owned();
    let opt = |k: &str| {
        assert!(v.get(k).is_some(), "{k} missing: {v}");
        v[k].as_str().map(str::to_owned)
    };
    Entry {
        seq: v["seq"].as_i64().unwrap(),
        at: v["at"].as_i64().unwrap(),
        actor_user_id: opt("actor_user_id"),
        actor_organisation_id: opt("actor_organisation_id"),
        actor_role: opt("actor_role"),
        action: text("action"),
        subject_usager_id: opt("subject_usager_id"),
        subject_document_id: opt("subject_document_id"),
        subject_mandate_id: opt("subject_mandate_id"),
        subject_share_id: opt("subject_share_id"),
        outcome: text("outcome"),
        details: text("details"),
        prev_hash: text("prev_hash"),
        hash: text("hash"),
        commitments: opt("commitments"),
        personal_details: opt("personal_details"),
        request_id: opt("request_id"),
    }
}

/// The shipping cursor of the sink at `url`, as the database `db` holds it.
pub fn cursor(db: &consigne_storage::db::Db, url: &str) -> Option<i64> {
    use consigne_storage::journal::shipping;
    let mut conn = db.get().unwrap();
    shipping::read(&mut conn, &shipping::sink_key(url)).unwrap()
}
