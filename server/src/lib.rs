//! The Consigne server: configuration, HTTP API and domain rules. The `consigne` binary
//! (src/main.rs) is a thin command line over this library, which the end-to-end tests also boot.

pub mod app;
pub mod auth;
pub mod config;
pub mod error;
pub mod http;
pub mod messages;
pub mod telemetry;
pub mod vault;

pub use app::{start, AppState, RunningServer};
pub use config::Config;
pub use error::ApiError;
