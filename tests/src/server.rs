//! Consigne booted in-process on a free loopback port, driven over real HTTP.

use consigne_server::clock::{Clock, SystemClock};
use consigne_server::config::Source;
use consigne_server::{AppState, Config, RunningServer};
use std::sync::Arc;

pub struct TestServer {
    pub url: String,
    pub http: reqwest::Client,
    /// The server's state, for tests that run maintenance or inspect it directly.
    pub state: AppState,
    running: RunningServer,
}

impl TestServer {
    /// Starts a server with the embedded defaults overridden by `settings` (dotted keys).
    pub async fn start(settings: &[(&str, String)]) -> Self {
        Self::start_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// As [`TestServer::start`], with the server's time taken from `clock` (a
    /// `consigne_server::clock::TestClock` that the test sets and moves forward).
    pub async fn start_with_clock(settings: &[(&str, String)], clock: Arc<dyn Clock>) -> Self {
        let mut source = Source::default().with("server.listen", "127.0.0.1:0").unwrap();
        for (key, value) in settings {
            source = source.with(key, value.clone()).unwrap();
        }
        let config = Config::from_source(&source).unwrap();
        let state = AppState::with_clock(config, clock).await.unwrap();
        let running = consigne_server::start(state.clone()).unwrap();
        let url = format!("http://{}", running.addr);
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap();
        Self { url, http, state, running }
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.at(path)).send().await.unwrap()
    }

    pub async fn stop(self) {
        self.running.handle.stop(true).await;
    }
}
