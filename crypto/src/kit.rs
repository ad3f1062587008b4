//! The recovery-kit code: 128 random bits the usager prints (or keeps as a QR code) to recover
//! the identity if every device is lost.
//!
//! Human form: 28 characters of Crockford base32 (`0-9 A-Z` minus `I L O U`) in 7 groups of 4,
//! e.g. `7K3M-...`. The first 26 characters carry the 128 bits (the last 2 bits are zero), the
//! last 2 are check symbols of a Reed-Solomon code over GF(32): every codeword `c` satisfies
//! `sum c_i a^i = 0` and `sum c_i a^(2i) = 0` for a primitive `a`. Its minimum distance is 3, so
//! any one or two wrong characters are detected, including any swap of two characters.
//!
//! Parsing ignores case, spaces, dashes and dots, reads `O` as `0` and `I`/`L` as `1`, and
//! accepts the QR payload form `CONSIGNE-KIT:1:<code>`.

use std::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};
use crate::primitives::{hkdf32, random_array};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const DATA_SYMBOLS: usize = 26;
/// Total characters in a code (data + 2 check symbols).
pub const CODE_SYMBOLS: usize = 28;
const GROUP: usize = 4;
/// Prefix of the QR payload; the number is the kit format version.
pub const QR_PREFIX: &str = "CONSIGNE-KIT:1:";

/// Multiplication in GF(2^5) modulo x^5 + x^2 + 1 (a primitive polynomial, so x generates).
fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0u8;
    while b != 0 {
        if b & 1 == 1 {
            r ^= a;
        }
        b >>= 1;
        a <<= 1;
        if a & 0x20 != 0 {
            a ^= 0x25;
        }
    }
    r
}

fn gf_pow(a: u8, e: usize) -> u8 {
    (0..e % 31).fold(1u8, |acc, _| gf_mul(acc, a))
}

fn gf_inv(a: u8) -> u8 {
    // a^30 = a^-1 in a field of 32 elements.
    gf_pow(a, 30)
}

/// The two syndromes of a sequence of symbols.
fn syndromes(symbols: &[u8]) -> (u8, u8) {
    let mut s1 = 0;
    let mut s2 = 0;
    for (i, &c) in symbols.iter().enumerate() {
        s1 ^= gf_mul(c, gf_pow(2, i));
        s2 ^= gf_mul(c, gf_pow(2, 2 * i));
    }
    (s1, s2)
}

/// Computes the two check symbols that make `data` (26 symbols) a codeword.
fn check_symbols(data: &[u8]) -> (u8, u8) {
    let (s1, s2) = syndromes(data);
    let (p, q) = (DATA_SYMBOLS, DATA_SYMBOLS + 1);
    // Solve x*a^p + y*a^q = s1 and x*a^2p + y*a^2q = s2 (Cramer's rule; char 2, so - is +).
    let (a, b, c, d) = (gf_pow(2, p), gf_pow(2, q), gf_pow(2, 2 * p), gf_pow(2, 2 * q));
    let det_inv = gf_inv(gf_mul(a, d) ^ gf_mul(b, c));
    let x = gf_mul(gf_mul(s1, d) ^ gf_mul(b, s2), det_inv);
    let y = gf_mul(gf_mul(a, s2) ^ gf_mul(c, s1), det_inv);
    (x, y)
}

/// The 128-bit recovery code. Zeroized on drop, redacted in `Debug`, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RecoveryCode([u8; 16]);

impl ConstantTimeEq for RecoveryCode {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for RecoveryCode {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for RecoveryCode {}

impl RecoveryCode {
    /// Draws a new random code.
    pub fn generate() -> Result<Self> {
        Ok(RecoveryCode(random_array::<16>()?))
    }

    /// Wraps known bytes (tests, fixed vectors).
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        RecoveryCode(bytes)
    }

    /// The raw 128 bits.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    fn symbols(&self) -> Zeroizing<[u8; CODE_SYMBOLS]> {
        let mut out = Zeroizing::new([0u8; CODE_SYMBOLS]);
        let n = u128::from_be_bytes(self.0);
        for (i, slot) in out.iter_mut().take(DATA_SYMBOLS).enumerate() {
            // 130 bits of room: symbol i holds bits [125 - 5i + 2, ...], last one padded with 2 zeros.
            let shift = 5 * (DATA_SYMBOLS - 1 - i) as i32 - 2;
            *slot = if shift >= 0 { (n >> shift) as u8 & 31 } else { (n << 2) as u8 & 31 };
        }
        let (x, y) = check_symbols(&out[..DATA_SYMBOLS]);
        out[DATA_SYMBOLS] = x;
        out[DATA_SYMBOLS + 1] = y;
        out
    }

    /// The compact form: 28 characters, no separators.
    pub fn to_compact(&self) -> Zeroizing<String> {
        let s: String = self.symbols().iter().map(|&v| char::from(ALPHABET[usize::from(v)])).collect();
        Zeroizing::new(s)
    }

    /// The printed form: 7 groups of 4 characters separated by dashes.
    pub fn to_human(&self) -> Zeroizing<String> {
        let compact = self.to_compact();
        let groups: Vec<&str> =
            compact.as_bytes().chunks(GROUP).map(|g| std::str::from_utf8(g).unwrap_or_default()).collect();
        Zeroizing::new(groups.join("-"))
    }

    /// The string to put in the kit's QR code.
    pub fn to_qr_payload(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{QR_PREFIX}{}", self.to_compact().as_str()))
    }

    /// Parses the human or QR form, tolerant of case, separators and confusable characters.
    pub fn parse(input: &str) -> Result<Self> {
        let mut text = input.trim();
        let upper = Zeroizing::new(text.to_ascii_uppercase());
        if upper.starts_with("CONSIGNE-KIT:") {
            let rest = &text["CONSIGNE-KIT:".len()..];
            let Some(code) = rest.strip_prefix("1:") else {
                return Err(Error::Unsupported("recovery kit version"));
            };
            text = code;
        }
        let mut symbols = Zeroizing::new(Vec::with_capacity(CODE_SYMBOLS));
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '.' | '\t' | '\n' | '\r' | '\u{a0}' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            let v = ALPHABET
                .iter()
                .position(|&a| char::from(a) == c)
                .ok_or(Error::Encoding("recovery code: unexpected character"))?;
            symbols.push(v as u8);
        }
        if symbols.len() != CODE_SYMBOLS {
            return Err(Error::Encoding("recovery code: expected 28 characters"));
        }
        if syndromes(&symbols) != (0, 0) {
            return Err(Error::KitChecksum);
        }
        if symbols[DATA_SYMBOLS - 1] & 3 != 0 {
            // Padding bits must be zero; a valid codeword with non-zero padding needs 3 typos.
            return Err(Error::KitChecksum);
        }
        // 25 full symbols (125 bits), then the 3 high bits of the last data symbol.
        let mut n: u128 = 0;
        for &v in &symbols[..DATA_SYMBOLS - 1] {
            n = (n << 5) | u128::from(v);
        }
        n = (n << 3) | u128::from(symbols[DATA_SYMBOLS - 1] >> 2);
        Ok(RecoveryCode(n.to_be_bytes()))
    }

    /// The 256-bit key of a `kit` envelope: HKDF-SHA256 of the code with the envelope's salt
    /// (drawn when the kit is made) and a fixed context. The envelope's algorithm byte names it.
    pub fn kit_key(&self, salt: &[u8; 16]) -> Zeroizing<[u8; 32]> {
        hkdf32(&self.0, salt, b"consigne/v2/envelope/kit")
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_forms() {
        for _ in 0..50 {
            let code = RecoveryCode::generate().unwrap();
            let human = code.to_human();
            assert_eq!(human.len(), 34);
            assert_eq!(RecoveryCode::parse(&human).unwrap(), code);
            assert_eq!(RecoveryCode::parse(&code.to_qr_payload()).unwrap(), code);
            let sloppy = human.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
            assert_eq!(RecoveryCode::parse(&sloppy).unwrap(), code);
        }
    }

    #[test]
    fn extreme_values() {
        for b in [[0u8; 16], [0xff; 16]] {
            let c = RecoveryCode::from_bytes(b);
            assert_eq!(RecoveryCode::parse(&c.to_human()).unwrap(), c);
        }
    }
}
