//! Invitations of future aidants. Until organisations exist, an aidant account comes only from
//! an invitation: an operator runs `consigne aidant invite EMAIL`, which prints a link carrying a
//! random token (only its SHA-256 is stored) valid [`INVITATION_DAYS`] days. The login started
//! from that link carries the token in its pending login; at the provider's return, an identity
//! with no account gets an aidant account only if the invitation is unused, unexpired and made
//! out to its e-mail claim (compared in lower case), and the invitation is used up in the login's
//! transaction ([`login`](super::login)).

use super::Error;
use crate::ids::InvitationId;
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::auth::invitations::{self, Invitation};
use consigne_storage::Secret;
use serde_json::json;

/// How long an invitation can be used.
pub const INVITATION_DAYS: i64 = 7;

/// An e-mail address as invitations compare it: trimmed, in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// `None` unless it looks like an address (`local@domain`, no spaces, at most 254 characters).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        let (local, domain) = text.split_once('@')?;
        let plausible = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        plausible.then_some(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the operator hands over: the link (the token travels in it and nowhere else).
pub struct Issued {
    pub id: InvitationId,
    pub link: Secret,
    pub expires_at: i64,
}

/// Invites `email` to become an aidant; journaled (the invitation's id, not the address).
pub async fn invite(app: &AppState, email: &Email) -> Result<Issued, Error> {
    let token = Secret::new(random_token(32));
    let (id, at) = (InvitationId::new(), app.now());
    let expires_at = at + INVITATION_DAYS * 86_400;
    let row = Invitation {
        id: id.as_str().to_owned(),
        token_hash: sha256_hex(token.expose()),
        email: email.as_str().to_owned(),
        created_at: at,
        expires_at,
        used_at: None,
        account_id: None,
    };
    let entry = Entry::new(Action::AidantInvited)
        .details(json!({"invitation_id": id.as_str(), "expires_at": expires_at}));
    app.db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                invitations::insert(conn, &row)?;
                journal::strict(conn, at, &entry)
            })
        })
        .await?;
    let public_url = app.config.public_url.trim_end_matches('/');
    let link = Secret::new(format!("{public_url}/auth/aidant/login?invitation={}", token.expose()));
    Ok(Issued { id, link, expires_at })
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn addresses_are_compared_in_lower_case() {
        assert_eq!(
            Email::parse(" Sophie.Leroy@CCAS.example.fr ").unwrap().as_str(),
            "sophie.leroy@ccas.example.fr"
        );
        for bad in
            ["", "sophie", "@example.fr", "sophie@", "sophie@example", "so phie@example.fr", "a@b@c.fr"]
        {
            assert_eq!(Email::parse(bad), None, "{bad}");
        }
    }
}
