//! The canonical content of an attestation: what is signed, printed and compared.
//!
//! Format `consigne-attestation/1`: UTF-8, a header line, then one `key: value` line per field in
//! a fixed order, each line ending with `\n`. Times are RFC 3339 in UTC to the second. Values are
//! escaped so that a value is always one line: `\` → `\\`, line feed → `\n`, carriage return →
//! `\r`, any other control character → `\u{hex}`. Text is accepted back ([`Content::parse`])
//! only if writing it again gives the same bytes: one content, one text.
//!
//! ```text
//! consigne-attestation/1
//! kind: creation | revocation
//! attestation: <attestation id>
//! mandate: <mandate id>
//! organisation-name / organisation-siret / organisation-kind
//! usager-given-name / usager-family-name
//! usager-identity: <how the usager's identity was established>   (attestations issued since
//!                  issue 15; older ones have no such line and still verify)
//! aidant-given-name / aidant-family-name     (a pair per named aidant)
//! categories: <keys, space-separated>
//! purposes: <démarches, space-separated>
//! duration-days / starts-at / expires-at
//! ended / ended-at / ended-by [/ ended-by-given-name / ended-by-family-name]   (revocation only)
//! issued-at: <time>
//! ```

use crate::ids::{AttestationId, MandateId};
use crate::macros::text_enum;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub const FORMAT: &str = "consigne-attestation/1";

text_enum! {
    /// What an attestation attests.
    pub enum Kind {
        /// The mandate was given (issued at consent).
        Creation => "creation",
        /// The mandate ended before its term (revoked, or replaced by a newer one).
        Revocation => "revocation",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub given_name: String,
    pub family_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub siret: String,
    /// `ccas`, `france_services`, `association` or `autre`.
    pub kind: String,
}

/// How a mandate ended, for a revocation attestation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    /// `revoked` or `superseded`.
    pub how: String,
    pub at: i64,
    /// `usager` or `aidant`; `None` when nobody in particular ended it (a newer mandate).
    pub by_role: Option<String>,
    /// Who ended it, when an aidant did (the usager is already named).
    pub by: Option<Person>,
}

/// What an attestation says of its mandate: plain data, loaded from the mandate's rows by
/// [`AttestationInput::load`](super::AttestationInput::load) or built by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationInput {
    pub mandate_id: MandateId,
    pub organisation: Organisation,
    pub usager: Person,
    /// How the usager's identity was established ("FranceConnect", "identité vérifiée en
    /// présence par …"); `None` in attestations issued before it was recorded.
    pub usager_identity: Option<String>,
    pub aidants: Vec<Person>,
    /// Category keys and démarches, sorted.
    pub categories: Vec<String>,
    pub purposes: Vec<String>,
    pub duration_days: i32,
    /// Consent.
    pub starts_at: i64,
    pub expires_at: i64,
    /// Set for a revocation attestation.
    pub ending: Option<Ending>,
}

/// A whole attestation's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub kind: Kind,
    pub id: AttestationId,
    pub issued_at: i64,
    pub input: AttestationInput,
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn unescape(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `at` as written in the content (RFC 3339, UTC, seconds).
pub fn time_text(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at).ok().and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default()
}

fn parse_time(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text, &Rfc3339).ok().map(OffsetDateTime::unix_timestamp)
}

impl Content {
    /// The canonical text.
    pub fn render(&self) -> String {
        let i = &self.input;
        let mut lines: Vec<(&str, String)> = vec![
            ("kind", self.kind.as_str().to_owned()),
            ("attestation", self.id.to_string()),
            ("mandate", i.mandate_id.to_string()),
            ("organisation-name", i.organisation.name.clone()),
            ("organisation-siret", i.organisation.siret.clone()),
            ("organisation-kind", i.organisation.kind.clone()),
            ("usager-given-name", i.usager.given_name.clone()),
            ("usager-family-name", i.usager.family_name.clone()),
        ];
        if let Some(identity) = &i.usager_identity {
            lines.push(("usager-identity", identity.clone()));
        }
        for aidant in &i.aidants {
            lines.push(("aidant-given-name", aidant.given_name.clone()));
            lines.push(("aidant-family-name", aidant.family_name.clone()));
        }
        lines.extend([
            ("categories", i.categories.join(" ")),
            ("purposes", i.purposes.join(" ")),
            ("duration-days", i.duration_days.to_string()),
            ("starts-at", time_text(i.starts_at)),
            ("expires-at", time_text(i.expires_at)),
        ]);
        if let Some(end) = &i.ending {
            lines.push(("ended", end.how.clone()));
            lines.push(("ended-at", time_text(end.at)));
            if let Some(role) = &end.by_role {
                lines.push(("ended-by", role.clone()));
            }
            if let Some(by) = &end.by {
                lines.push(("ended-by-given-name", by.given_name.clone()));
                lines.push(("ended-by-family-name", by.family_name.clone()));
            }
        }
        lines.push(("issued-at", time_text(self.issued_at)));
        let mut text = format!("{FORMAT}\n");
        for (key, value) in lines {
            text.push_str(key);
            text.push_str(": ");
            text.push_str(&escape(&value));
            text.push('\n');
        }
        text
    }

    /// The content a text is the canonical form of, if it is one.
    pub fn parse(text: &str) -> Option<Content> {
        let body = text.strip_prefix(FORMAT)?.strip_prefix('\n')?.strip_suffix('\n')?;
        let mut fields = Fields { lines: body.split('\n').peekable() };
        let kind = Kind::parse(&fields.take("kind")?)?;
        let id = AttestationId::parse(&fields.take("attestation")?)?;
        let mandate_id = MandateId::parse(&fields.take("mandate")?)?;
        let organisation = Organisation {
            name: fields.take("organisation-name")?,
            siret: fields.take("organisation-siret")?,
            kind: fields.take("organisation-kind")?,
        };
        let usager = fields.person("usager")?;
        let usager_identity =
            if fields.next_is("usager-identity") { Some(fields.take("usager-identity")?) } else { None };
        let mut aidants = Vec::new();
        while fields.next_is("aidant-given-name") {
            aidants.push(fields.person("aidant")?);
        }
        let words = |text: String| text.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let categories = words(fields.take("categories")?);
        let purposes = words(fields.take("purposes")?);
        let duration_days = fields.take("duration-days")?.parse().ok()?;
        let starts_at = parse_time(&fields.take("starts-at")?)?;
        let expires_at = parse_time(&fields.take("expires-at")?)?;
        let ending = if fields.next_is("ended") {
            let how = fields.take("ended")?;
            let at = parse_time(&fields.take("ended-at")?)?;
            let by_role = if fields.next_is("ended-by") { Some(fields.take("ended-by")?) } else { None };
            let by =
                if fields.next_is("ended-by-given-name") { Some(fields.person("ended-by")?) } else { None };
            Some(Ending { how, at, by_role, by })
        } else {
            None
        };
        let issued_at = parse_time(&fields.take("issued-at")?)?;
        if fields.lines.next().is_some() {
            return None;
        }
        let input = AttestationInput {
            mandate_id,
            organisation,
            usager,
            usager_identity,
            aidants,
            categories,
            purposes,
            duration_days,
            starts_at,
            expires_at,
            ending,
        };
        let content = Content { kind, id, issued_at, input };
        (content.render() == text).then_some(content)
    }
}

struct Fields<'a> {
    lines: std::iter::Peekable<std::str::Split<'a, char>>,
}

impl Fields<'_> {
    fn next_is(&mut self, key: &str) -> bool {
        self.lines.peek().is_some_and(|l| l.split_once(": ").is_some_and(|(k, _)| k == key))
    }

    fn take(&mut self, key: &str) -> Option<String> {
        let (k, value) = self.lines.next()?.split_once(": ")?;
        (k == key).then(|| unescape(value)).flatten()
    }

    fn person(&mut self, prefix: &str) -> Option<Person> {
        Some(Person {
            given_name: self.take(&format!("{prefix}-given-name"))?,
            family_name: self.take(&format!("{prefix}-family-name"))?,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample(kind: Kind) -> Content {
        let person = |g: &str, f: &str| Person { given_name: g.into(), family_name: f.into() };
        let ending = (kind == Kind::Revocation).then(|| Ending {
            how: "revoked".into(),
            at: 1_790_000_000,
            by_role: Some("aidant".into()),
            by: Some(person("Sophie", "Martin")),
        });
        Content {
            kind,
            id: AttestationId::new(),
            issued_at: 1_790_000_100,
            input: AttestationInput {
                mandate_id: MandateId::new(),
                organisation: Organisation {
                    name: "CCAS de Lille".into(),
                    siret: "21590350100017".into(),
                    kind: "ccas".into(),
                },
                usager: person("Marie", "Dupont\nkind: revocation"),
                usager_identity: Some(
                    "identité vérifiée en présence par Sophie Martin, CCAS de Lille, le 3 mars 2026".into(),
                ),
                aidants: vec![person("Sophie", "Martin"), person("Jean-Luc", "N'Diaye \\ Petit")],
                categories: vec!["identite".into(), "logement".into()],
                purposes: vec!["logement".into(), "social".into()],
                duration_days: 182,
                starts_at: 1_780_000_000,
                expires_at: 1_780_000_000 + 182 * 86_400,
                ending,
            },
        }
    }

    #[test]
    fn content_round_trips_and_is_canonical() {
        for kind in Kind::ALL {
            let content = sample(*kind);
            let text = content.render();
            assert!(text.starts_with("consigne-attestation/1\nkind: "));
            // A line break in a name cannot forge a field.
            assert!(text.contains("usager-family-name: Dupont\\nkind: revocation\n"));
            assert_eq!(Content::parse(&text), Some(content.clone()));
            // Any other spelling of the same content is refused.
            assert_eq!(Content::parse(&text.replace("Z\n", "+00:00\n")), None);
            assert_eq!(Content::parse(&format!("{text}extra: 1\n")), None);
            assert_eq!(Content::parse(text.trim_end()), None);
        }
        let text = sample(Kind::Creation).render();
        assert!(text.contains("starts-at: 2026-05-28T20:26:40Z\n"), "{text}");
        assert!(!text.contains("ended"));
        assert_eq!(escape("a\u{7}b"), "a\\u{7}b");
        assert_eq!(unescape("a\\u{7}b").as_deref(), Some("a\u{7}b"));
        assert_eq!(unescape("a\\qb"), None);
    }

    #[test]
    fn attestations_without_the_identity_line_still_parse() {
        let mut content = sample(Kind::Creation);
        content.input.usager_identity = None;
        let text = content.render();
        assert!(!text.contains("usager-identity"));
        assert_eq!(Content::parse(&text), Some(content));
        let with = sample(Kind::Creation).render();
        assert!(with
            .contains("usager-family-name: Dupont\\nkind: revocation\nusager-identity: identité vérifiée"));
    }
}
