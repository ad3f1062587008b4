//! TOTP (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps, as every authenticator app expects;
//! the enrolment `otpauth://` URI and its QR code (SVG). Checking a code accepts the current step
//! and one step either side; the caller refuses a step already used (see `second_factor`).

use qrcode::render::svg;
use qrcode::QrCode;
use ring::hmac;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
/// Steps accepted either side of the current one (clock drift of the phone).
pub const DRIFT_STEPS: i64 = 1;

/// The step containing Unix time `now`.
pub fn step_at(now: i64) -> i64 {
    now.div_euclid(STEP_SECONDS)
}

/// The code of `secret` at `step`, zero-padded.
pub fn code_at(secret: &[u8], step: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = hmac::sign(&key, &step.to_be_bytes());
    let mac = tag.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let binary = (u32::from(mac[offset] & 0x7f) << 24)
        | (u32::from(mac[offset + 1]) << 16)
        | (u32::from(mac[offset + 2]) << 8)
        | u32::from(mac[offset + 3]);
    format!("{:0width$}", binary % 10u32.pow(DIGITS), width = DIGITS as usize)
}

/// The step a code matches within the drift window around `now`, if any.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = step_at(now);
    (current - DRIFT_STEPS..=current + DRIFT_STEPS)
        .find(|&step| crate::tokens::same(&code_at(secret, step), code))
}

/// RFC 4648 base32 without padding, as authenticator apps read secrets.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes [`base32`] (tests and tools read secrets back from the URI).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

fn percent(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>().replace('+', "%20")
}

/// The enrolment URI: `otpauth://totp/Consigne:<label>?secret=…&issuer=Consigne&…`.
pub fn otpauth_uri(secret: &[u8], label: &str) -> String {
    format!(
        "otpauth://totp/Consigne:{}?secret={}&issuer=Consigne&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent(label),
        base32(secret)
    )
}

/// The URI as a QR code, an SVG document.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(200, 200).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        // RFC 6238 appendix B, truncated to 6 digits.
        assert_eq!(code_at(secret, step_at(59)), "287082");
        assert_eq!(code_at(secret, step_at(1_111_111_109)), "081804");
        assert_eq!(code_at(secret, step_at(1_234_567_890)), "005924");
        assert_eq!(code_at(secret, step_at(20_000_000_000)), "353130");
    }

    #[test]
    fn drift_of_one_step_is_accepted_not_two() {
        let secret = b"12345678901234567890";
        let now = 1_234_567_890;
        let s = step_at(now);
        assert_eq!(matching_step(secret, &code_at(secret, s - 1), now), Some(s - 1));
        assert_eq!(matching_step(secret, &code_at(secret, s + 1), now), Some(s + 1));
        assert_eq!(matching_step(secret, &code_at(secret, s + 2), now), None);
        assert_eq!(matching_step(secret, "12a456", now), None);
    }

    #[test]
    fn base32_round_trips_and_uri_carries_the_secret() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        let uri = otpauth_uri(b"12345678901234567890", "Sophie Leroy");
        assert!(
            uri.starts_with("otpauth://totp/Consigne:Sophie%20Leroy?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        );
        assert!(qr_svg(&uri).unwrap().contains("<svg"));
    }
}
