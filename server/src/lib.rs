//! The Consigne server: configuration, HTTP API and domain rules. The `consigne` binary
//! (src/main.rs) is a thin command line over this library, which the end-to-end tests also boot.
//! ARCHITECTURE.md, at the root of the repository, maps the layers:
//!
//! `main` → [`app`] (assembly) → [`http`] → domain ([`auth`], [`vault`], [`organisations`],
//! [`mandates`], [`notices`], [`attestations`]) → [`state`], [`clock`], [`ids`], [`client_address`], [`journal`] (the writer), [`keys`], [`tokens`],
//! [`roles`], [`messages`], [`refusal`], [`config`] → `consigne_storage`.

pub mod app;
pub mod attestations;
pub mod auth;
pub mod client_address;
pub mod clock;
pub mod config;
pub mod enrolment;
pub mod http;
pub mod ids;
pub mod journal;
pub mod keys;
mod macros;
pub mod mandates;
pub mod messages;
pub mod notices;
pub mod organisations;
pub mod recovery;
pub mod refusal;
pub mod roles;
pub mod state;
pub mod telemetry;
pub mod text;
pub mod tokens;
pub mod vault;

pub use app::{start, RunningServer};
pub use config::Config;
pub use http::ApiError;
pub use state::AppState;
