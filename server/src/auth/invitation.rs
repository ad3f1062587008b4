//! Invitations of professionals, as the login sees them. A professional (aidant) account comes
//! only from an invitation into an organisation (`organisations::invitations`: an operator's
//! command, or a référent): its link carries a random token (only its SHA-256 is stored) valid
//! [`INVITATION_DAYS`] days. The login started from that link carries the token in its pending
//! login; at the provider's return the invitation is used up, once, if it is unexpired and made out
//! to the identity's e-mail claim (compared in lower case), in the login's transaction
//! ([`login`](super::login)): it creates the account if the identity has none, and the
//! membership.

use crate::ids::InvitationId;
use crate::state::AppState;
use consigne_storage::Secret;

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

/// What the inviter hands over: the link (the token travels in it and nowhere else).
pub struct Issued {
    pub id: InvitationId,
    pub link: Secret,
    pub expires_at: i64,
}

/// The link of an invitation token: the aidant login page of this installation.
pub fn link(app: &AppState, token: &Secret) -> Secret {
    let public_url = app.config.public_url.trim_end_matches('/');
    Secret::new(format!("{public_url}/auth/aidant/login?invitation={}", token.expose()))
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
