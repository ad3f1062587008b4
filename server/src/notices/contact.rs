//! Where a person wants their notices: `GET`/`PUT /api/v1/account/contact` and [`contact_of`].
//!
//! Without a contact row, notices go to the e-mail address of the person's identity
//! (`users.email`, from the identity provider). With one: to the address given there (else the
//! identity's) when e-mail is accepted, and to the mobile number when SMS is accepted. A change
//! is told to the old and the new destinations alike: someone who took over a session cannot
//! silently divert the notices.

use super::queue::{send_to, Channel, Kind};
use super::{templates, Error, NoticeRefusal};
use crate::auth::invitation::Email;
use crate::ids::UserId;
use crate::journal::{self, Action, Actor, Entry};
use crate::state::AppState;
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::notices::contacts::{self, Contact};
use consigne_storage::db::{DbConnection, DbError};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Changes of contact one person may make per day (each one writes to the old and the new
/// destinations).
pub const CHANGES_PER_DAY: i64 = 10;

/// One place to send a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destination {
    pub channel: Channel,
    /// An e-mail address, or a number in E.164.
    pub address: String,
}

/// `PUT /api/v1/account/contact`. Empty texts count as absent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub accept_email: bool,
    pub accept_sms: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    /// The address given here, if any (else notices go to `identity_email`).
    pub email: Option<String>,
    /// E.164 (`+336…`).
    pub phone: Option<String>,
    pub accept_email: bool,
    pub accept_sms: bool,
    /// The address known from the identity provider.
    pub identity_email: Option<String>,
    /// Where notices go now.
    pub destinations: Vec<Destination>,
    /// `None` until the person sets their contact.
    pub updated_at: Option<i64>,
}

/// An e-mail address the server accepts and can write to: in lower case, trimmed.
pub fn parse_email(text: &str) -> Option<String> {
    let email = Email::parse(text)?;
    email.as_str().parse::<lettre::Address>().ok()?;
    Some(email.as_str().to_owned())
}

/// A French mobile number in E.164 (`+336…` or `+337…`), from the ways people write it:
/// `06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`, `+33 (0)6…`, `0033 6…`.
pub fn parse_phone(text: &str) -> Option<String> {
    let compact: String =
        text.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}')).collect();
    let national = if let Some(rest) = compact.strip_prefix("+33").or_else(|| compact.strip_prefix("0033")) {
        // `+33 (0)6…` writes the trunk zero too.
        if rest.len() == 10 {
            rest.strip_prefix('0')?
        } else {
            rest
        }
    } else if compact.len() == 10 {
        compact.strip_prefix('0')?
    } else {
        return None;
    };
    let mobile = national.len() == 9
        && national.bytes().all(|b| b.is_ascii_digit())
        && matches!(national.as_bytes().first(), Some(b'6' | b'7'));
    mobile.then(|| format!("+33{national}"))
}

/// Where `user`'s notices go, in the caller's transaction (or none).
pub fn contact_of(conn: &mut DbConnection, user: &UserId) -> Result<Vec<Destination>, DbError> {
    let row = contacts::of_user(conn, user.as_str())?;
    let identity = contacts::identity_email(conn, user.as_str())?;
    Ok(destinations(row.as_ref(), identity.as_deref()))
}

fn destinations(row: Option<&Contact>, identity: Option<&str>) -> Vec<Destination> {
    let identity = identity.and_then(parse_email);
    let mut out = Vec::new();
    let (accept_email, email) = match row {
        Some(c) => (c.accept_email, c.email.clone().or(identity)),
        None => (true, identity),
    };
    if let (true, Some(address)) = (accept_email, email) {
        out.push(Destination { channel: Channel::Email, address });
    }
    if let Some(Contact { accept_sms: true, phone: Some(phone), .. }) = row {
        out.push(Destination { channel: Channel::Sms, address: phone.clone() });
    }
    out
}

fn view(row: Option<Contact>, identity: Option<String>) -> ContactView {
    let destinations = destinations(row.as_ref(), identity.as_deref());
    match row {
        Some(c) => ContactView {
            email: c.email,
            phone: c.phone,
            accept_email: c.accept_email,
            accept_sms: c.accept_sms,
            identity_email: identity,
            destinations,
            updated_at: Some(c.updated_at),
        },
        None => ContactView {
            email: None,
            phone: None,
            accept_email: true,
            accept_sms: false,
            identity_email: identity,
            destinations,
            updated_at: None,
        },
    }
}

/// The caller's contact, as `GET /api/v1/account/contact` shows it.
pub async fn contact(app: &AppState, user: &UserId) -> Result<ContactView, Error> {
    let user = user.as_str().to_owned();
    let (row, identity) = app
        .db
        .run(move |conn| {
            Ok::<_, DbError>((contacts::of_user(conn, &user)?, contacts::identity_email(conn, &user)?))
        })
        .await?;
    Ok(view(row, identity))
}

/// Checks and records the caller's contact. A change is journaled and told to the old and new
/// destinations, in the same transaction; the same contact again changes nothing.
pub async fn set_contact(app: &AppState, actor: Actor, input: ContactInput) -> Result<ContactView, Error> {
    let present = |v: Option<String>| v.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let email =
        present(input.email).map(|e| parse_email(&e).ok_or(NoticeRefusal::InvalidEmail)).transpose()?;
    let phone =
        present(input.phone).map(|p| parse_phone(&p).ok_or(NoticeRefusal::InvalidPhone)).transpose()?;
    if input.accept_sms && phone.is_none() {
        return Err(NoticeRefusal::PhoneMissing.into());
    }
    let now = app.now();
    let row = Contact {
        user_id: actor.user_id.as_str().to_owned(),
        email,
        phone,
        accept_email: input.accept_email,
        accept_sms: input.accept_sms,
        updated_at: now,
    };
    // Counted before anything is checked against the stored contact (a refused change counts).
    let bucket = format!("notice-contact\n{}", actor.user_id);
    let window = now - now.rem_euclid(86_400);
    let changes = app.db.run(move |conn| rate_limits::hit(conn, &bucket, window)).await?;
    if changes > CHANGES_PER_DAY {
        return Err(NoticeRefusal::TooManyChanges.into());
    }
    let rendered = templates::contact_changed(now, crate::messages::Lang::Fr);
    let entry = Entry::new(Action::ContactUpdated).by(actor.clone()).details(json!({
        "email": row.email.is_some(),
        "phone": row.phone.is_some(),
        "accept_email": row.accept_email,
        "accept_sms": row.accept_sms,
    }));
    let user = actor.user_id.clone();
    let (stored, identity) = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                // Compared with what is stored, then written: under the person's lock.
                contacts::lock_person(conn, user.as_str())?;
                let before = contacts::of_user(conn, user.as_str())?;
                let identity = contacts::identity_email(conn, user.as_str())?;
                let same = before.as_ref().is_some_and(|b| {
                    (&b.email, &b.phone, b.accept_email, b.accept_sms)
                        == (&row.email, &row.phone, row.accept_email, row.accept_sms)
                });
                if same {
                    return Ok(Ok((before, identity)));
                }
                // Checked before anything is written: the refusal leaves the transaction empty.
                if row.accept_email
                    && row.email.is_none()
                    && identity.as_deref().and_then(parse_email).is_none()
                {
                    return Ok(Err(NoticeRefusal::EmailMissing));
                }
                let mut told = destinations(before.as_ref(), identity.as_deref());
                contacts::put(conn, &row)?;
                for d in destinations(Some(&row), identity.as_deref()) {
                    if !told.contains(&d) {
                        told.push(d);
                    }
                }
                send_to(conn, &told, Kind::ContactChanged, &rendered, None, now)?;
                journal::strict(conn, now, &entry)?;
                Ok::<_, DbError>(Ok((Some(row), identity)))
            })
        })
        .await??;
    Ok(view(stored, identity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_mobiles_in_the_ways_people_write_them() {
        for (text, want) in [
            ("06 12 34 56 78", "+33612345678"),
            ("07.12.34.56.78", "+33712345678"),
            ("+33 6 12 34 56 78", "+33612345678"),
            ("+33 (0)6 12 34 56 78", "+33612345678"),
            ("0033612345678", "+33612345678"),
            ("+33712345678", "+33712345678"),
        ] {
            assert_eq!(parse_phone(text).as_deref(), Some(want), "{text}");
        }
        for bad in [
            "01 23 45 67 89",
            "+33 1 23 45 67 89",
            "06 12 34 56",
            "+44 7700 900123",
            "06123456789",
            "0６12345678",
            "",
        ] {
            assert_eq!(parse_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn addresses_are_trimmed_and_in_lower_case() {
        assert_eq!(parse_email(" Angela.Dubois@Example.FR ").as_deref(), Some("angela.dubois@example.fr"));
        for bad in ["angela", "a@b", "a b@example.fr", "@example.fr", "a@@example.fr"] {
            assert_eq!(parse_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn without_a_row_the_identity_address_and_with_one_what_is_accepted() {
        let email = |a: &str| Destination { channel: Channel::Email, address: a.into() };
        let sms = |a: &str| Destination { channel: Channel::Sms, address: a.into() };
        assert_eq!(destinations(None, Some("id@example.fr")), [email("id@example.fr")]);
        assert!(destinations(None, None).is_empty());
        assert!(destinations(None, Some("not an address")).is_empty());
        let mut row = Contact {
            user_id: "u".into(),
            email: None,
            phone: Some("+33612345678".into()),
            accept_email: true,
            accept_sms: true,
            updated_at: 0,
        };
        assert_eq!(
            destinations(Some(&row), Some("id@example.fr")),
            [email("id@example.fr"), sms("+33612345678")]
        );
        row.email = Some("autre@example.fr".into());
        row.accept_sms = false;
        assert_eq!(destinations(Some(&row), Some("id@example.fr")), [email("autre@example.fr")]);
        row.accept_email = false;
        assert!(destinations(Some(&row), Some("id@example.fr")).is_empty());
    }
}
