//! The browsers a usager already logged in from with their kit, remembered in the browser only:
//! a long-lived cookie `<device>~<mac>~<mac>…`, where `device` is random to the browser and each
//! `mac` is a keyed hash (`Keys::known_device`) of an account and that device. No table: a
//! browser without the mark of the account (new, cleared, or another person's) is a new device,
//! and the usager is told (`auth::kit`). The marks cannot be forged without the server's key,
//! nor moved to another browser's device id; a copied cookie is the price of no server state,
//! and only spares a notice.

use crate::ids::UserId;
use crate::keys::Keys;
use crate::tokens::{is_token, random_token, same};

/// Accounts remembered by one browser (the oldest mark is dropped beyond).
const MAX_ACCOUNTS: usize = 4;
/// A mark: the first 32 hex digits (128 bits) of the keyed hash.
const MARK_LEN: usize = 32;
const DEVICE_BYTES: usize = 16;

fn mark(keys: &Keys, user: &UserId, device: &str) -> String {
    let mut mac = keys.known_device(user.as_str(), device);
    mac.truncate(MARK_LEN);
    mac
}

/// The device id and marks of a cookie value, if it has the right shape.
fn parse(cookie: &str) -> Option<(&str, Vec<&str>)> {
    let mut parts = cookie.split('~');
    let device = parts.next().filter(|d| is_token(d, DEVICE_BYTES))?;
    let marks: Vec<&str> = parts.filter(|m| m.len() == MARK_LEN).take(MAX_ACCOUNTS).collect();
    Some((device, marks))
}

/// Whether the browser's cookie marks it as one `user` already logged in from.
pub fn is_known(keys: &Keys, user: &UserId, cookie: Option<&str>) -> bool {
    let Some((device, marks)) = cookie.and_then(parse) else { return false };
    let expected = mark(keys, user, device);
    marks.iter().any(|m| same(m, &expected))
}

/// The cookie value to set after `user`'s login: the browser's marks with this account's
/// (added, or moved to the end as the most recent).
pub fn remember(keys: &Keys, user: &UserId, cookie: Option<&str>) -> String {
    let (device, marks) = match cookie.and_then(parse) {
        Some((device, marks)) => (device.to_owned(), marks),
        None => (random_token(DEVICE_BYTES), Vec::new()),
    };
    let mine = mark(keys, user, &device);
    let mut kept: Vec<&str> = marks.into_iter().filter(|m| !same(m, &mine)).collect();
    let drop = (kept.len() + 1).saturating_sub(MAX_ACCOUNTS);
    kept.drain(..drop);
    let mut out = device;
    for m in kept.into_iter().chain(std::iter::once(mine.as_str())) {
        out.push('~');
        out.push_str(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::new("subject-key-for-tests", &"11".repeat(32))
    }

    #[test]
    fn a_browser_is_known_only_to_the_accounts_it_logged_in_as() {
        let (keys, alice, bob) = (keys(), UserId::new(), UserId::new());
        assert!(!is_known(&keys, &alice, None));
        let cookie = remember(&keys, &alice, None);
        assert!(is_known(&keys, &alice, Some(&cookie)));
        assert!(!is_known(&keys, &bob, Some(&cookie)));
        let both = remember(&keys, &bob, Some(&cookie));
        assert!(is_known(&keys, &alice, Some(&both)) && is_known(&keys, &bob, Some(&both)));
        assert!(both.starts_with(cookie.split('~').next().unwrap_or_default()));
        // Another key (another installation) knows nothing; junk is no mark.
        let other = Keys::new("another-subject-key", &"22".repeat(32));
        assert!(!is_known(&other, &alice, Some(&cookie)));
        assert!(!is_known(&keys, &alice, Some("junk~junk")));
        // A mark moved onto another device id is worth nothing.
        let stranger = remember(&keys, &bob, None);
        let moved = format!("{}~{}", stranger.split('~').next().unwrap_or_default(), &cookie[23..]);
        assert!(!is_known(&keys, &alice, Some(&moved)));
    }

    #[test]
    fn at_most_four_accounts_are_remembered() {
        let keys = keys();
        let people: Vec<UserId> = (0..6).map(|_| UserId::new()).collect();
        let mut cookie: Option<String> = None;
        for p in &people {
            cookie = Some(remember(&keys, p, cookie.as_deref()));
        }
        let cookie = cookie.unwrap_or_default();
        assert_eq!(cookie.split('~').count(), 1 + MAX_ACCOUNTS);
        assert!(!is_known(&keys, &people[0], Some(&cookie)) && is_known(&keys, &people[5], Some(&cookie)));
        // Logging in again does not add a second mark.
        assert_eq!(remember(&keys, &people[5], Some(&cookie)), cookie);
    }
}
