//! The login flow. Start: a pending login (hash of `state`, nonce, PKCE verifier, and what the
//! start carried: an aidant's invitation, the browser's older session) goes to the database and
//! the browser to the provider. Return: `state` is compared with the browser's login-state
//! cookie, then the pending login is consumed once, the provider's answer verified, then in one
//! transaction the account is created (an aidant's only from an invitation) or its claims
//! updated, the invitation's membership recorded, the browser's older session ended, the new one
//! opened, and all of it journaled.
//!
//! Every refusal is journaled best effort: the caller is not authenticated yet.

use super::invitation::Email;
use super::session::new_session;
use super::{rate_limit, refuse_anonymous, AuthRefusal, Error, Providers};
use crate::ids::{LoginId, OrganisationId, UserId};
use crate::journal::{self, Action, Actor, Entry};
use crate::organisations::MemberRole;
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{same, sha256_hex};
use consigne_storage::db::auth::invitations::{self, Used};
use consigne_storage::db::auth::logins::{self, Consumed, LoginRequest};
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::auth::sessions;
use consigne_storage::db::auth::users::{self, Claims, User};
use consigne_storage::db::organisations::memberships::{self, Membership};
use consigne_storage::db::{DbConnection, DbError};
use consigne_storage::Secret;
use serde::Deserialize;
use serde_json::json;

/// How long a pending login waits for the provider's return.
pub const PENDING_SECONDS: i64 = 600;

/// Where to send the browser, and the `state` to bind to it (the HTTP layer puts it in a
/// `SameSite=Lax` cookie).
pub struct Started {
    pub url: String,
    pub state: String,
}

/// One login attempt, for journaling its refusals.
struct Attempt<'a> {
    app: &'a AppState,
    role: Role,
    client: &'a str,
}

impl Attempt<'_> {
    async fn refuse(&self, refusal: AuthRefusal) -> Error {
        let details = json!({"provider": self.role.as_str()});
        refuse_anonymous(self.app, self.client, None, Action::Login, refusal, details).await
    }

    /// Passes a value through, or journals the refusal.
    async fn check<T>(&self, result: Result<T, AuthRefusal>) -> Result<T, Error> {
        match result {
            Ok(value) => Ok(value),
            Err(refusal) => Err(self.refuse(refusal).await),
        }
    }
}

/// A login start, as the HTTP layer saw it.
pub struct StartRequest<'a> {
    /// The client address attempts count against.
    pub client: &'a str,
    /// Whether the browser opened the page as a top-level navigation (or did not say, as older
    /// browsers do). Anything else (an image, a script, a frame of another site) is refused
    /// before it is counted: it would let any page lock out its visitors' network.
    pub navigation: bool,
    /// The invitation token of the link an aidant was sent (kept for an aidant's login only).
    pub invitation: Option<&'a str>,
    /// The session cookie the browser still has (a same-site navigation carries it): that
    /// session is ended when this login completes.
    pub previous_session: Option<&'a str>,
}

/// Starts a login for `role`, counting the attempt against the client address.
pub async fn start(
    app: &AppState,
    providers: &Providers,
    role: Role,
    request: StartRequest<'_>,
) -> Result<Started, Error> {
    let client = request.client;
    let attempt = Attempt { app, role, client };
    if !request.navigation {
        return Err(attempt.refuse(AuthRefusal::LoginNotNavigation).await);
    }
    let bucket = vec![app.keys.bucket("login-client", client)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        return Err(attempt.refuse(AuthRefusal::RateLimited).await);
    }
    let provider = attempt.check(providers.get(role)).await?;
    let start = attempt.check(provider.start().await).await?;
    let at = app.now();
    let request = LoginRequest {
        id: LoginId::new().into_string(),
        state_hash: sha256_hex(&start.state),
        provider: role.as_str().to_owned(),
        nonce: start.nonce,
        pkce_verifier: start.pkce_verifier,
        created_at: at,
        expires_at: at + PENDING_SECONDS,
        consumed_at: None,
        invitation_hash: request.invitation.filter(|_| role == Role::Aidant).map(sha256_hex),
        previous_session_hash: request.previous_session.map(sha256_hex),
    };
    app.db
        .run(move |conn| {
            // Pending logins are kept a day after expiry to recognise replays, then dropped;
            // attempt counters of windows older than a day too.
            logins::purge(conn, at - 86_400)?;
            rate_limits::purge(conn, at - 86_400)?;
            logins::insert(conn, &request)
        })
        .await?;
    Ok(Started { url: start.url, state: start.state })
}

/// The provider's return, as query parameters.
#[derive(Debug, Deserialize)]
pub struct Return {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// A login that succeeded: the session token for the cookie, and who signed in.
pub struct Finished {
    pub token: Secret,
    pub user: User,
}

/// Finishes a login. Attempts were counted per client address at the start; here they are
/// counted per account. The browser's older session (its cookie at the start, or here as
/// `previous_session`) is ended in the login's transaction.
pub async fn finish(
    app: &AppState,
    providers: &Providers,
    role: Role,
    ret: Return,
    browser_state: Option<String>,
    client: &str,
    previous_session: Option<String>,
) -> Result<Finished, Error> {
    let attempt = Attempt { app, role, client };
    let provider = attempt.check(providers.get(role)).await?;
    let Some(state) = ret.state.filter(|s| !s.is_empty()) else {
        return Err(attempt.refuse(AuthRefusal::BadState).await);
    };
    let (hash, at) = (sha256_hex(&state), app.now());
    // The state must be the one this browser started with (no login forced on someone), checked
    // before the pending login is consumed: a return opened elsewhere must not burn it.
    if !browser_state.is_some_and(|b| same(&b, &state)) {
        let used = app.db.run(move |conn| logins::consumed(conn, &hash, role.as_str())).await?;
        let refusal = if used { AuthRefusal::CodeReplayed } else { AuthRefusal::BadState };
        return Err(attempt.refuse(refusal).await);
    }
    let consumed = app.db.run(move |conn| logins::consume(conn, &hash, role.as_str(), at)).await?;
    let pending = match consumed {
        Consumed::Fresh(pending) => pending,
        Consumed::Replayed => return Err(attempt.refuse(AuthRefusal::CodeReplayed).await),
        Consumed::Expired | Consumed::Unknown => return Err(attempt.refuse(AuthRefusal::BadState).await),
    };
    let code = match (ret.error, ret.code.filter(|c| !c.is_empty())) {
        (None, Some(code)) => code,
        _ => return Err(attempt.refuse(AuthRefusal::ProviderError).await),
    };
    let identity =
        attempt.check(provider.finish(&code, &pending.pkce_verifier, &pending.nonce).await).await?;
    let subject_hash = app.keys.subject_hash(role.as_str(), provider.issuer(), &identity.sub);
    let bucket = vec![app.keys.bucket("login-account", &subject_hash)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        return Err(attempt.refuse(AuthRefusal::RateLimited).await);
    }
    let (keys, absolute) = (app.keys.clone(), app.config.auth.session_absolute.as_secs() as i64);
    let invitation = pending.invitation_hash;
    let older: Vec<String> = pending
        .previous_session_hash
        .into_iter()
        .chain(previous_session.as_deref().map(sha256_hex))
        .collect();
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let new = NewAccount { invitation_hash: invitation.as_deref(), at };
                let Some((user, user_id, entries)) =
                    upsert_user(conn, role, subject_hash, identity.claims, new)?
                else {
                    return Ok(None);
                };
                end_older_sessions(conn, &older, at)?;
                let (token, session) = new_session(&keys, absolute, &user_id, role, &identity.id_token, at);
                sessions::insert(conn, &session)?;
                for entry in &entries {
                    journal::strict(conn, at, entry)?;
                }
                let login = Entry::new(Action::Login)
                    .by(Actor::new(user_id, role))
                    .details(json!({"provider": role.as_str(), "acr": identity.acr}));
                journal::strict(conn, at, &login)?;
                Ok::<_, DbError>(Some((user, token)))
            })
        })
        .await?;
    match done {
        Some((user, token)) => Ok(Finished { token, user }),
        None => Err(attempt.refuse(AuthRefusal::AidantNotInvited).await),
    }
}

/// Ends the live sessions of these token hashes (the browser's older session), each journaled
/// as a logout.
pub(crate) fn end_older_sessions(
    conn: &mut DbConnection,
    token_hashes: &[String],
    at: i64,
) -> Result<(), DbError> {
    if token_hashes.is_empty() {
        return Ok(());
    }
    for old in sessions::end_by_token_hashes(conn, token_hashes, at)? {
        let mut entry =
            Entry::new(Action::Logout).details(json!({"provider": old.provider, "reason": "new_login"}));
        if let Some(role) = Role::parse(&old.provider) {
            entry = entry.by(Actor::new(UserId::from_row(&old.user_id), role));
        }
        journal::strict(conn, at, &entry)?;
    }
    Ok(())
}

/// Names of the claims that differ (values are personal data: the journal records names only).
fn changed(old: &Claims, new: &Claims) -> Vec<&'static str> {
    let pairs: [(&'static str, Option<&String>, Option<&String>); 8] = [
        ("given_name", Some(&old.given_name), Some(&new.given_name)),
        ("family_name", Some(&old.family_name), Some(&new.family_name)),
        ("preferred_username", old.preferred_username.as_ref(), new.preferred_username.as_ref()),
        ("birthdate", old.birthdate.as_ref(), new.birthdate.as_ref()),
        ("gender", old.gender.as_ref(), new.gender.as_ref()),
        ("birthplace", old.birthplace.as_ref(), new.birthplace.as_ref()),
        ("birthcountry", old.birthcountry.as_ref(), new.birthcountry.as_ref()),
        ("email", old.email.as_ref(), new.email.as_ref()),
    ];
    pairs.into_iter().filter(|(_, a, b)| a != b).map(|(name, _, _)| name).collect()
}

/// What a login may create an account with, or add a membership to.
struct NewAccount<'a> {
    /// The hash of the invitation the pending login carried (an aidant's only way in, and the way
    /// an existing aidant joins another organisation).
    invitation_hash: Option<&'a str>,
    at: i64,
}

/// The account of a login, and the journal entries of what the login changed (account created
/// or claims updated, membership recorded); `None` for an aidant's first login without a usable
/// invitation for its e-mail address.
type Account = Option<(User, UserId, Vec<Entry>)>;

/// First login creates the account from the claims (an aidant's only with an invitation, used
/// up here by one conditional statement); later logins update changed claims. An aidant's login
/// with an invitation that names an organisation makes the account a member of it, with the
/// invitation's role (an existing account too: one account, several organisations).
fn upsert_user(
    conn: &mut DbConnection,
    role: Role,
    subject_hash: String,
    claims: Claims,
    new: NewAccount<'_>,
) -> Result<Account, DbError> {
    let at = new.at;
    let email = claims.email.as_deref().and_then(Email::parse);
    let invitation = match (role, new.invitation_hash, &email) {
        (Role::Aidant, Some(hash), Some(email)) => Some((hash, email)),
        _ => None,
    };
    if let Some(user) = users::by_subject(conn, &subject_hash)? {
        let user_id = UserId::from_row(&user.id);
        let mut entries = Vec::new();
        let fields = changed(&user.claims(), &claims);
        let user = if fields.is_empty() {
            user
        } else {
            users::update_claims(conn, &user.id, &claims, at)?;
            let actor = Actor::new(user_id.clone(), role);
            entries.push(Entry::new(Action::ClaimsUpdated).by(actor).details(json!({"fields": fields})));
            users::by_id(conn, &user.id)?.unwrap_or(user)
        };
        if let Some((hash, email)) = invitation {
            // An invitation that cannot be used (expired, used, another address) adds nothing;
            // the account logs in as before.
            if let Some(used) = invitations::consume(conn, hash, email.as_str(), user_id.as_str(), at)? {
                entries.extend(join(conn, &used, &user_id, at)?);
            }
        }
        return Ok(Some((user, user_id, entries)));
    }
    let user_id = UserId::new();
    let mut details = json!({"provider": role.as_str()});
    let mut used = None;
    if role == Role::Aidant {
        let Some((hash, email)) = invitation else { return Ok(None) };
        let Some(invitation) = invitations::consume(conn, hash, email.as_str(), user_id.as_str(), at)? else {
            return Ok(None);
        };
        details["invitation_id"] = json!(invitation.id);
        used = Some(invitation);
    }
    let user = users::create(conn, user_id.as_str(), role.as_str(), &subject_hash, &claims, at)?;
    let actor = Actor::new(user_id.clone(), role);
    let mut entries = vec![Entry::new(Action::AccountCreated).by(actor).details(details)];
    if let Some(used) = used {
        // An invitation from before organisations names none: an account without membership.
        entries.extend(join(conn, &used, &user_id, at)?);
    }
    Ok(Some((user, user_id, entries)))
}

/// Makes the account a member of the organisation the used invitation names, with its role,
/// unless it already is one (its membership then stays as it is); the journal entry of it.
fn join(conn: &mut DbConnection, used: &Used, user_id: &UserId, at: i64) -> Result<Option<Entry>, DbError> {
    let Some(organisation) = &used.organisation_id else { return Ok(None) };
    let membership = Membership {
        organisation_id: organisation.clone(),
        user_id: user_id.as_str().to_owned(),
        role: used.role.clone(),
        created_at: at,
        suspended_at: None,
    };
    if !memberships::insert_if_absent(conn, &membership)? {
        return Ok(None);
    }
    let as_referent = MemberRole::parse(&used.role) == Some(MemberRole::Referent);
    let actor = Actor::new(user_id.clone(), Role::Aidant)
        .for_organisation(OrganisationId::from_row(organisation), as_referent);
    let details = json!({"invitation_id": used.id, "role": used.role});
    Ok(Some(Entry::new(Action::MemberJoined).by(actor).details(details)))
}
