//! Putting notices in the delivery queue, inside the caller's transaction.

use super::contact::{contact_of, Destination};
use super::templates::Rendered;
use crate::ids::{NoticeId, UserId};
use crate::macros::text_enum;
use consigne_storage::db::notices::queue::{self, NewNotice};
use consigne_storage::db::{DbConnection, DbError};

text_enum! {
    /// How a notice travels.
    pub enum Channel {
        Email => "email",
        Sms => "sms",
    }
}

text_enum! {
    /// What a notice tells about (stored with it, for the logs and the operators).
    pub enum Kind {
        MandateProposed => "mandate.proposed",
        MandateStarted => "mandate.started",
        /// The daily digest of documents opened under mandates.
        MandateUsed => "mandate.used",
        MandateEndingSoon => "mandate.ending_soon",
        MandateEnded => "mandate.ended",
        Invitation => "account.invitation",
        ContactChanged => "account.contact_changed",
        /// An assisted recovery was asked for (to the usager and the organisation's référents).
        RecoveryRequested => "recovery.requested",
        /// Its shares were released (to the usager).
        RecoveryReleased => "recovery.released",
        /// A login with the recovery kit from a browser not seen before (to the usager).
        KitNewDevice => "account.kit_new_device",
    }
}

/// One notice to one address.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub kind: Kind,
    pub channel: Channel,
    /// An e-mail address, or a number in E.164.
    pub recipient: &'a str,
    /// Ignored for an SMS.
    pub subject: &'a str,
    pub body: &'a str,
    /// At most one notice with this key is ever queued (whatever its recipient).
    pub dedup_key: Option<&'a str>,
    /// Not sent before this time (Unix seconds); `now` to send as soon as possible.
    pub not_before: i64,
}

/// Queues one notice; `false` if one with the same dedup key exists already. Only inserts (one
/// statement that never aborts the transaction), so it runs inside the caller's transaction.
pub fn enqueue(conn: &mut DbConnection, notice: &Outgoing<'_>, now: i64) -> Result<bool, DbError> {
    let subject = match notice.channel {
        Channel::Email => notice.subject.to_owned(),
        Channel::Sms => String::new(),
    };
    let row = NewNotice {
        id: NoticeId::new().into_string(),
        kind: notice.kind.as_str().to_owned(),
        channel: notice.channel.as_str().to_owned(),
        recipient: notice.recipient.to_owned(),
        subject,
        body: notice.body.to_owned(),
        dedup_key: notice.dedup_key.map(str::to_owned),
        created_at: now,
        not_before: notice.not_before,
        next_attempt_at: notice.not_before,
    };
    queue::insert(conn, &row)
}

/// Queues `rendered` to each of `destinations` (the e-mail text by e-mail, the SMS text by SMS).
/// With a dedup key, each channel and address gets `{key}:{channel}:{address}`, so that the same
/// notice never reaches the same address twice. Returns how many were queued.
pub fn send_to(
    conn: &mut DbConnection,
    destinations: &[Destination],
    kind: Kind,
    rendered: &Rendered,
    dedup_key: Option<&str>,
    now: i64,
) -> Result<usize, DbError> {
    let mut queued = 0;
    for to in destinations {
        let body = match to.channel {
            Channel::Email => &rendered.email,
            Channel::Sms => &rendered.sms,
        };
        let key = dedup_key.map(|k| format!("{k}:{}:{}", to.channel, to.address));
        let notice = Outgoing {
            kind,
            channel: to.channel,
            recipient: &to.address,
            subject: &rendered.subject,
            body,
            dedup_key: key.as_deref(),
            not_before: now,
        };
        if enqueue(conn, &notice, now)? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues `rendered` to wherever `user` wants their notices ([`contact_of`]). Returns how many
/// were queued (none when the person gave no way to reach them).
pub fn notify(
    conn: &mut DbConnection,
    user: &UserId,
    kind: Kind,
    rendered: &Rendered,
    dedup_key: Option<&str>,
    now: i64,
) -> Result<usize, DbError> {
    let destinations = contact_of(conn, user)?;
    send_to(conn, &destinations, kind, rendered, dedup_key, now)
}
