//! The log lines of the in-process server, captured for tests that search them (a secret must
//! never be logged). One capture per test process: put such a test in a file of its own.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

static BUFFER: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

/// The server's log filter of the tests: what production logs (`info`) and Consigne's own debug
/// lines, without the test client's.
pub const FILTER: &str = "info,consigne_server=debug,consigne_storage=debug";

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line written since the capture started, human format and JSON.
#[derive(Clone)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Starts capturing (once per process; later calls return the same capture). Each event is
/// written twice, as the server writes it with `log.format = "human"` and with `"json"`.
pub fn capture() -> Logs {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::EnvFilter;
    let buffer = BUFFER.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let (human, json) = (buffer.clone(), buffer.clone());
        let _ = tracing_subscriber::registry()
            .with(EnvFilter::new(FILTER))
            .with(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(move || Sink(human.clone())))
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(true)
                    .with_writer(move || Sink(json.clone())),
            )
            .try_init();
        buffer
    });
    Logs(buffer.clone())
}
