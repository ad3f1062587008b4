//! Notices: e-mail and SMS to people (issue 11). A mandate proposed, started, used (one daily
//! digest at most), ending soon (to the aidants named on it), ended; an invitation; a change of
//! the person's own contact. Nothing here knows HTTP.
//!
//! - **Queue** ([`enqueue`], [`notify`]): a notice is inserted in the caller's transaction, so a
//!   change and its notice commit together; the insert is the only thing done there. A dedup key
//!   makes the same notice impossible to queue twice.
//! - **Texts** ([`templates`]): plain French from the catalogue (`crate::messages`), never a
//!   document's name, never a secret; at most the link the notice is about.
//! - **Where** ([`contact_of`]): the person's contact row (`/api/v1/account/contact`) first, else
//!   the e-mail address of their identity.
//! - **Digest** ([`record_use`]): each document opened under a mandate is recorded in the caller's
//!   transaction; one message per usager and day is queued once the day is over.
//! - **Delivery** ([`worker`]): a background task claims due notices one by one with a conditional
//!   update (two servers never send the same one), sends them by SMTP or to the SMS provider, and
//!   retries failures with a pause that doubles from 30 s to an hour. Nothing is dropped unsent.

mod contact;
mod digest;
mod email;
mod events;
pub mod french;
mod queue;
mod recovery;
mod refusal;
mod sms;
pub mod templates;
pub mod worker;

pub use contact::{contact, contact_of, parse_phone, set_contact, ContactInput, ContactView, Destination};
pub use digest::{close_due_days, record_use, Use};
pub use events::{
    ending_soon_at, invitation, mandate_ended, mandate_ending_soon, mandate_proposed, mandate_started, About,
    EndReason, Ended, Invite, InvitedRole, ENDING_SOON_DAYS,
};
pub use queue::{enqueue, notify, Channel, Kind, Outgoing};
pub use recovery::{recovery_released, recovery_requested, Recovery};
pub use refusal::NoticeRefusal;
pub use templates::Rendered;
pub use worker::{Tick, Worker};

use consigne_storage::db::DbError;

/// Why one notice was not sent: a short text (stored and logged; never an address, number,
/// password, token or server answer), and whether the whole channel seems down (then its other
/// notices wait for the next look) or only this message was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub text: String,
    pub channel_down: bool,
}

impl Failure {
    fn down(text: impl Into<String>) -> Self {
        Self { text: text.into(), channel_down: true }
    }

    fn refused(text: impl Into<String>) -> Self {
        Self { text: text.into(), channel_down: false }
    }
}

/// What a notices rule can fail with; `http::error` maps it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] NoticeRefusal),
    #[error(transparent)]
    Db(#[from] DbError),
}
