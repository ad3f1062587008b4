//! The HTML of the attestation pages: the printable A4 page of the parties and the public
//! verification page. Static words are in the templates (like the share page's); labels of
//! categories, démarches, kinds and statuses come from the catalogue. No inline script or style
//! (the Content-Security-Policy forbids them): the layout and print rules are in
//! `web/attestation.css`, the QR code is inline SVG with presentation attributes only.

use crate::attestations::{Content, Document, Ending, HolderView, Kind, Person, Status, StatusView};
use crate::journal::view::when;
use crate::messages::{self, Lang};
use qrcode::render::svg;
use qrcode::QrCode;

const LANG: Lang = Lang::Fr;

/// Text made safe to place in HTML text or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fills `{{name}}` slots in one pass (a value is never read as a slot). Values are HTML already.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The QR code of `url` as inline SVG (no XML declaration), or nothing if it cannot be made.
fn qr_svg(url: &str) -> String {
    let Ok(code) = QrCode::new(url.as_bytes()) else { return String::new() };
    let image = code.render::<svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build();
    let svg = image.find("<svg").map_or("", |at| &image[at..]);
    let label = escape(messages::ATTESTATION_QR_LABEL.text(LANG));
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}\" "), 1)
}

fn full_name(p: &Person) -> String {
    escape(&format!("{} {}", p.given_name, p.family_name))
}

/// Given name and the initial of the family name: enough to match a paper in hand.
fn partial_name(p: &Person) -> String {
    let initial = p.family_name.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
    escape(&format!("{}{initial}", p.given_name))
}

fn items(values: impl Iterator<Item = String>) -> String {
    values.map(|v| format!("<li>{v}</li>")).collect()
}

fn categories(c: &Content) -> String {
    items(c.input.categories.iter().map(|k| escape(messages::category_label(k).text(LANG))))
}

fn purposes(c: &Content) -> String {
    items(c.input.purposes.iter().map(|k| escape(messages::purpose_label(k).text(LANG))))
}

fn duration(days: i32) -> String {
    if days == 1 {
        messages::ATTESTATION_ONE_DAY.text(LANG).to_owned()
    } else {
        messages::ATTESTATION_DAYS.text(LANG).replace("{n}", &days.to_string())
    }
}

fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Creation => messages::ATTESTATION_TITLE_CREATION.text(LANG),
        Kind::Revocation => messages::ATTESTATION_TITLE_REVOCATION.text(LANG),
    }
}

/// The status in a sentence, and the class that colours it.
fn status_line(s: &StatusView) -> (String, &'static str) {
    let date = s.since.map(|at| when(at, LANG)).unwrap_or_default();
    let message = match s.status {
        Status::Valid => messages::ATTESTATION_VALID,
        Status::Revoked => messages::ATTESTATION_REVOKED,
        Status::Superseded => messages::ATTESTATION_SUPERSEDED,
        Status::Expired => messages::ATTESTATION_EXPIRED,
    };
    (escape(&message.text(LANG).replace("{date}", &date)), s.status.as_str())
}

/// How the mandate ended, in a sentence (revocation attestations).
fn ending(end: Option<&Ending>, name: fn(&Person) -> String) -> String {
    let Some(end) = end else { return String::new() };
    let how = match (end.how.as_str(), end.by_role.as_deref(), &end.by) {
        ("superseded", _, _) => escape(messages::ATTESTATION_ENDED_SUPERSEDED.text(LANG)),
        (_, Some("usager"), _) => escape(messages::ATTESTATION_ENDED_BY_USAGER.text(LANG)),
        (_, _, Some(p)) => {
            escape(messages::ATTESTATION_ENDED_BY_AIDANT.text(LANG)).replace("{qui}", &name(p))
        }
        _ => escape(messages::ATTESTATION_ENDED_REVOKED.text(LANG)),
    };
    let sentence = escape(messages::ATTESTATION_ENDED.text(LANG))
        .replace("{date}", &escape(&when(end.at, LANG)))
        .replace("{how}", &how);
    format!("<p class=\"ending\">{sentence}</p>")
}

/// How the usager's identity was established, under their name (nothing on older attestations).
fn identity(sentence: Option<&str>) -> String {
    sentence.map(|s| format!("<br><span class=\"identity\">{}</span>", escape(s))).unwrap_or_default()
}

fn common(c: &Content, name: fn(&Person) -> String) -> Vec<(&'static str, String)> {
    let i = &c.input;
    vec![
        ("title", escape(title(c.kind))),
        ("id", escape(c.id.as_str())),
        ("issued", escape(&when(c.issued_at, LANG))),
        ("usager", name(&i.usager)),
        ("usager_identity", identity(i.usager_identity.as_deref())),
        ("organisation", escape(&i.organisation.name)),
        ("organisation_kind", escape(messages::organisation_kind_label(&i.organisation.kind).text(LANG))),
        ("siret", escape(&i.organisation.siret)),
        ("aidants", items(i.aidants.iter().map(name))),
        ("categories", categories(c)),
        ("purposes", purposes(c)),
        ("start", escape(&when(i.starts_at, LANG))),
        ("end", escape(&when(i.expires_at, LANG))),
        ("duration", duration(i.duration_days)),
        ("ending", ending(i.ending.as_ref(), name)),
    ]
}

/// The printable A4 page of a party.
pub fn print(d: &Document) -> String {
    let (status, class) = status_line(&d.status);
    let mut values = common(&d.content, full_name);
    values.extend([
        ("status", status),
        ("status_class", class.to_owned()),
        ("qr", qr_svg(&d.verification_url)),
        ("url", escape(&d.verification_url)),
        ("sha256", escape(&d.sha256)),
        ("signature", escape(&d.signature)),
        ("text", escape(&d.text)),
    ]);
    fill(include_str!("print.html"), &values)
}

/// The verification page of the holder of the QR code.
pub fn verification(v: &HolderView) -> String {
    let (status, class) = status_line(&v.status);
    let mut values = common(&v.content, partial_name);
    values.extend([("status", status), ("status_class", class.to_owned()), ("sha256", escape(&v.sha256))]);
    fill(include_str!("verifier.html"), &values)
}

/// The verification page when the code matches no attestation.
pub fn unknown() -> String {
    include_str!("unknown.html").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_filled_once_and_text_is_escaped() {
        let values = [("a", escape("<b>{{b}}</b> & \"x\"")), ("b", "B".to_owned())];
        assert_eq!(
            fill("[{{a}}|{{b}}|{{c}}]", &values),
            "[&lt;b&gt;{{b}}&lt;/b&gt; &amp; &quot;x&quot;|B|{{c}}]"
        );
        assert_eq!(fill("open {{a", &values), "open {{a");
        let svg = qr_svg("https://consigne.example.fr/attestations/verifier/abc");
        assert!(svg.starts_with("<svg role=\"img\"") && !svg.contains("style") && !svg.contains("<?xml"));
        let p = Person { given_name: "Marie".into(), family_name: "Élise-Dupont".into() };
        assert_eq!(partial_name(&p), "Marie É.");
        assert_eq!(duration(1), "1 jour");
    }
}
