//! The text of each kind of notice, from the catalogue (`crate::messages`): one function per
//! kind, taking plain values (names, an organisation's name, dates as Unix seconds, counts, a
//! link) and giving the subject, the e-mail body and the SMS. Never a document's name: a notice
//! says who did what and when, and the person reads the details in Consigne.

use super::french;
use crate::journal::view::when;
use crate::messages::{self as m, Lang, Message};

/// A notice's words, for either channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    /// The e-mail body, footer included.
    pub email: String,
    pub sms: String,
}

/// Fills `{name}` placeholders in one pass, so that a value holding braces (a name) is never
/// read as a placeholder itself.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let found = after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(k, _)| *k == name).map(|(_, v)| (close, *v))
        });
        match found {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn render(lang: Lang, parts: (Message, Message, Message), values: &[(&str, &str)]) -> Rendered {
    let (subject, email, sms) = parts;
    Rendered {
        subject: fill(subject.text(lang), values),
        email: format!("{}{}", fill(email.text(lang), values), m::NOTICE_FOOTER.text(lang)),
        sms: fill(sms.text(lang), values),
    }
}

/// To the usager: `aidant_name`, of `organisation`, proposes a mandate; `link` opens the
/// proposal, where the usager consents (or not) in their own session.
pub fn mandate_proposed(aidant_name: &str, organisation: &str, link: &str, lang: Lang) -> Rendered {
    let parts = (m::NOTICE_PROPOSED_SUBJECT, m::NOTICE_PROPOSED_EMAIL, m::NOTICE_PROPOSED_SMS);
    render(lang, parts, &[("aidant", aidant_name), ("structure", organisation), ("lien", link)])
}

/// To the usager: their mandate with `organisation` started; it ends at `ends_at`.
pub fn mandate_started(organisation: &str, ends_at: i64, lang: Lang) -> Rendered {
    let date = french::date(ends_at, lang);
    let parts = (m::NOTICE_STARTED_SUBJECT, m::NOTICE_STARTED_EMAIL, m::NOTICE_STARTED_SMS);
    render(lang, parts, &[("structure", organisation), ("date", &date)])
}

/// One aidant's line of the daily digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedBy {
    pub aidant_name: String,
    pub organisation: String,
    /// Distinct documents opened that day.
    pub documents: usize,
}

/// To the usager: who opened how many of their documents on the day of `day` (one line per
/// aidant), "Sophie Leroy, CCAS d'Alpha, a ouvert 2 de vos documents le 3 mars 2026."
pub fn mandate_used(day: i64, uses: &[UsedBy], lang: Lang) -> Rendered {
    let date = french::date(day, lang);
    let lines: Vec<String> = uses
        .iter()
        .map(|u| {
            let n = u.documents.to_string();
            let count = match u.documents {
                1 => m::NOTICE_USED_ONE.text(lang).to_owned(),
                _ => fill(m::NOTICE_USED_MANY.text(lang), &[("n", &n)]),
            };
            let values = [
                ("aidant", u.aidant_name.as_str()),
                ("structure", &u.organisation),
                ("nombre", &count),
                ("date", &date),
            ];
            fill(m::NOTICE_USED_LINE.text(lang), &values)
        })
        .collect();
    let (email_lines, sms_lines) = (lines.join("\n"), lines.join(" "));
    Rendered {
        subject: fill(m::NOTICE_USED_SUBJECT.text(lang), &[("date", &date)]),
        email: format!(
            "{}{}",
            fill(m::NOTICE_USED_EMAIL.text(lang), &[("lignes", &email_lines)]),
            m::NOTICE_FOOTER.text(lang)
        ),
        sms: fill(m::NOTICE_USED_SMS.text(lang), &[("lignes", &sms_lines)]),
    }
}

/// To an aidant named on the mandate: the mandate `usager_name` gave `organisation` ends at
/// `ends_at`.
pub fn mandate_ending_soon(usager_name: &str, organisation: &str, ends_at: i64, lang: Lang) -> Rendered {
    let date = french::date(ends_at, lang);
    let parts = (m::NOTICE_ENDING_SUBJECT, m::NOTICE_ENDING_EMAIL, m::NOTICE_ENDING_SMS);
    render(lang, parts, &[("usager", usager_name), ("structure", organisation), ("date", &date)])
}

/// To the usager (`usager_name` is `None`) or to an aidant: the mandate with `organisation`
/// expired or was revoked at `at`.
pub fn mandate_ended(
    usager_name: Option<&str>,
    organisation: &str,
    revoked: bool,
    at: i64,
    lang: Lang,
) -> Rendered {
    let date = french::date(at, lang);
    let how = if revoked { m::NOTICE_ENDED_REVOKED } else { m::NOTICE_ENDED_EXPIRED }.text(lang);
    let values = [
        ("usager", usager_name.unwrap_or_default()),
        ("structure", organisation),
        ("comment", how),
        ("date", &date),
    ];
    let parts = match usager_name {
        None => (m::NOTICE_ENDED_SUBJECT, m::NOTICE_ENDED_USAGER_EMAIL, m::NOTICE_ENDED_USAGER_SMS),
        Some(_) => (m::NOTICE_ENDED_SUBJECT, m::NOTICE_ENDED_AIDANT_EMAIL, m::NOTICE_ENDED_AIDANT_SMS),
    };
    render(lang, parts, &values)
}

/// To a future aidant or référent of `organisation`: the invitation `link`, valid until
/// `expires_at`, once.
pub fn invitation(referent: bool, organisation: &str, link: &str, expires_at: i64, lang: Lang) -> Rendered {
    let role = if referent { m::NOTICE_ROLE_REFERENT } else { m::NOTICE_ROLE_AIDANT }.text(lang);
    // "jusqu'au {date}": the day without its article.
    let date = french::date(expires_at, lang);
    let date = date.strip_prefix("le ").unwrap_or(&date);
    let parts = (m::NOTICE_INVITATION_SUBJECT, m::NOTICE_INVITATION_EMAIL, m::NOTICE_INVITATION_SMS);
    render(lang, parts, &[("role", role), ("structure", organisation), ("lien", link), ("date", date)])
}

/// To the usager (`usager_name` `None`) or to a référent of `organisation`: an assisted recovery
/// of the usager's vault was asked for; it can be released at `release_at`; `link` cancels it
/// ("ce n'est pas moi").
pub fn recovery_requested(
    usager_name: Option<&str>,
    organisation: &str,
    release_at: i64,
    link: &str,
    lang: Lang,
) -> Rendered {
    let quand = when(release_at, lang);
    let parts = match usager_name {
        None => (m::NOTICE_RECOVERY_SUBJECT, m::NOTICE_RECOVERY_EMAIL, m::NOTICE_RECOVERY_SMS),
        Some(_) => (
            m::NOTICE_RECOVERY_REFERENT_SUBJECT,
            m::NOTICE_RECOVERY_REFERENT_EMAIL,
            m::NOTICE_RECOVERY_REFERENT_SMS,
        ),
    };
    let usager = usager_name.unwrap_or_default();
    render(lang, parts, &[("usager", usager), ("structure", organisation), ("quand", &quand), ("lien", link)])
}

/// To the usager: `organisation` released the recovery of their vault at `at`.
pub fn recovery_released(organisation: &str, at: i64, lang: Lang) -> Rendered {
    let quand = when(at, lang);
    let parts = (
        m::NOTICE_RECOVERY_RELEASED_SUBJECT,
        m::NOTICE_RECOVERY_RELEASED_EMAIL,
        m::NOTICE_RECOVERY_RELEASED_SMS,
    );
    render(lang, parts, &[("structure", organisation), ("quand", &quand)])
}

/// To the old and new destinations of a person's notices: they changed at `at`.
pub fn contact_changed(at: i64, lang: Lang) -> Rendered {
    let quand = when(at, lang);
    let parts = (m::NOTICE_CONTACT_SUBJECT, m::NOTICE_CONTACT_EMAIL, m::NOTICE_CONTACT_SMS);
    render(lang, parts, &[("quand", &quand)])
}

/// To the usager: someone logged in with their recovery kit from a new device at `at`.
pub fn kit_new_device(at: i64, lang: Lang) -> Rendered {
    let quand = when(at, lang);
    let parts = (m::NOTICE_KIT_DEVICE_SUBJECT, m::NOTICE_KIT_DEVICE_EMAIL, m::NOTICE_KIT_DEVICE_SMS);
    render(lang, parts, &[("quand", &quand)])
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARCH_3: i64 = 1_772_543_100;

    #[test]
    fn placeholders_are_filled_once_and_names_stay_as_written() {
        assert_eq!(fill("{a} et {b}", &[("a", "{b}"), ("b", "x")]), "{b} et x");
        assert_eq!(fill("{inconnu} {a", &[("a", "x")]), "{inconnu} {a");
    }

    #[test]
    fn the_digest_counts_per_aidant_in_plain_words() {
        let uses = [
            UsedBy { aidant_name: "Sophie Leroy".into(), organisation: "CCAS d'Alpha".into(), documents: 2 },
            UsedBy { aidant_name: "Marc Petit".into(), organisation: "CCAS d'Alpha".into(), documents: 1 },
        ];
        let r = mandate_used(MARCH_3, &uses, Lang::Fr);
        assert_eq!(r.subject, "Consigne : vos papiers ouverts le 3 mars 2026");
        assert!(
            r.email.contains("Sophie Leroy, CCAS d'Alpha, a ouvert 2 de vos documents le 3 mars 2026.\n"),
            "{}",
            r.email
        );
        assert!(r.email.contains("Marc Petit, CCAS d'Alpha, a ouvert un de vos documents le 3 mars 2026."));
        assert!(r.sms.starts_with("Consigne : Sophie Leroy, CCAS d'Alpha, a ouvert 2 de vos documents"));
        assert!(r.email.ends_with(m::NOTICE_FOOTER.text(Lang::Fr)));
    }

    #[test]
    fn every_kind_has_its_words_and_no_placeholder_left() {
        let all = [
            mandate_proposed("Sophie Leroy", "CCAS d'Alpha", "https://c.example.fr/m/1", Lang::Fr),
            mandate_started("CCAS d'Alpha", MARCH_3, Lang::Fr),
            mandate_ending_soon("Angela Dubois", "CCAS d'Alpha", MARCH_3, Lang::Fr),
            mandate_ended(None, "CCAS d'Alpha", true, MARCH_3, Lang::Fr),
            mandate_ended(Some("Angela Dubois"), "CCAS d'Alpha", false, MARCH_3, Lang::Fr),
            invitation(true, "CCAS d'Alpha", "https://c.example.fr/i/2", MARCH_3, Lang::Fr),
            contact_changed(MARCH_3, Lang::Fr),
        ];
        for r in &all {
            for text in [&r.subject, &r.email, &r.sms] {
                assert!(!text.contains('{') && !text.contains('}'), "{text}");
                assert!(!text.is_empty());
            }
            assert!(r.sms.len() < 480, "an SMS of at most 3 parts: {}", r.sms);
        }
        assert!(
            all[0].sms.contains("https://c.example.fr/m/1")
                && all[0].email.contains("Sophie Leroy, de CCAS d'Alpha")
        );
        assert!(all[1].email.contains("Il prendra fin le 3 mars 2026."));
        assert!(all[3].email.contains("Votre mandat avec CCAS d'Alpha a été arrêté le 3 mars 2026"));
        assert!(all[4]
            .email
            .contains("Le mandat de Angela Dubois avec CCAS d'Alpha est arrivé à son terme le 3 mars 2026"));
        assert!(
            all[5].email.contains("en tant que référent de CCAS d'Alpha")
                && all[5].email.contains("jusqu'au 3 mars 2026")
        );
        assert!(all[6].email.contains("le 3 mars 2026 à 14 h 05"));
    }
}
