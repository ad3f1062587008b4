//! Minimal Bech32 (BIP 173 checksum, not Bech32m) as used by age for recipients (`age1...`) and
//! identities (`AGE-SECRET-KEY-1...`). Unlike BIP 173 there is no 90-character limit, and mixed
//! case is rejected.
//!
//! Identities go through here, so every intermediate copy (5-bit groups, the lowercase text, the
//! decoded bytes) is held in a zeroizing buffer; `encode` returns the text in one too.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];

fn polymod(values: impl Iterator<Item = u8>) -> u32 {
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn hrp_expand(hrp: &[u8]) -> impl Iterator<Item = u8> + '_ {
    hrp.iter().map(|c| c >> 5).chain(std::iter::once(0)).chain(hrp.iter().map(|c| c & 31))
}

/// Regroups bits from `from`-bit to `to`-bit groups. When decoding (`pad == false`) leftover bits
/// must be fewer than `from` and zero.
fn convert_bits(data: &[u8], from: u32, to: u32, pad: bool) -> Result<Zeroizing<Vec<u8>>> {
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let maxv: u32 = (1 << to) - 1;
    // Sized up front: the buffer never reallocates, so no copy is left behind.
    let mut out = Zeroizing::new(Vec::with_capacity(data.len() * from as usize / to as usize + 1));
    for &v in data {
        acc = (acc << from) | u32::from(v);
        bits += from;
        while bits >= to {
            bits -= to;
            out.push(((acc >> bits) & maxv) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if pad {
        if bits > 0 {
            out.push(((acc << (to - bits)) & maxv) as u8);
        }
    } else if bits >= from || acc != 0 {
        return Err(Error::Encoding("bech32 padding"));
    }
    Ok(out)
}

/// Encodes `data` with the lowercase human-readable part `hrp`; returns lowercase text.
pub fn encode(hrp: &str, data: &[u8]) -> Zeroizing<String> {
    let hrp_bytes = hrp.as_bytes();
    // Encoding 8-bit groups into 5-bit groups with padding cannot fail.
    let values = convert_bits(data, 8, 5, true).unwrap_or_default();
    let checksum = polymod(hrp_expand(hrp_bytes).chain(values.iter().copied()).chain([0u8; 6])) ^ 1;
    let mut out = Zeroizing::new(String::with_capacity(hrp.len() + 1 + values.len() + 6));
    out.push_str(hrp);
    out.push('1');
    for v in values.iter() {
        out.push(char::from(CHARSET[usize::from(*v)]));
    }
    for i in 0..6 {
        out.push(char::from(CHARSET[((checksum >> (5 * (5 - i))) & 31) as usize]));
    }
    out
}

/// Decodes a Bech32 string; returns the lowercase human-readable part and the data bytes.
pub fn decode(s: &str) -> Result<(String, Zeroizing<Vec<u8>>)> {
    let has_lower = s.bytes().any(|c| c.is_ascii_lowercase());
    let has_upper = s.bytes().any(|c| c.is_ascii_uppercase());
    if has_lower && has_upper {
        return Err(Error::Encoding("bech32 mixed case"));
    }
    if !s.bytes().all(|c| (33..=126).contains(&c)) {
        return Err(Error::Encoding("bech32 character"));
    }
    let lower = Zeroizing::new(s.to_ascii_lowercase());
    let sep = lower.rfind('1').ok_or(Error::Encoding("bech32 separator"))?;
    if sep == 0 || sep + 7 > lower.len() {
        return Err(Error::Encoding("bech32 length"));
    }
    let (hrp, rest) = lower.split_at(sep);
    let mut values = Zeroizing::new(Vec::with_capacity(rest.len() - 1));
    for c in rest.bytes().skip(1) {
        let v = CHARSET.iter().position(|&x| x == c).ok_or(Error::Encoding("bech32 character"))?;
        values.push(v as u8);
    }
    if polymod(hrp_expand(hrp.as_bytes()).chain(values.iter().copied())) != 1 {
        return Err(Error::Encoding("bech32 checksum"));
    }
    let data_len = values.len() - 6;
    values.truncate(data_len);
    let data = convert_bits(&values, 5, 8, false)?;
    Ok((hrp.to_string(), data))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_checksum() {
        let s = encode("age", &[7u8; 32]);
        assert!(s.starts_with("age1"));
        let (hrp, data) = decode(&s).unwrap();
        assert_eq!(hrp, "age");
        assert_eq!(*data, vec![7u8; 32]);
        assert_eq!(decode(&s.to_uppercase()).unwrap().1, data);
        assert!(decode("age1qqqq").is_err());
        let mut bad = s.as_bytes().to_vec();
        bad[10] = if bad[10] == b'q' { b'p' } else { b'q' };
        assert!(decode(std::str::from_utf8(&bad).unwrap()).is_err());
        assert!(decode("Age1qqqqqq").is_err());
    }

    /// Issue 16, item 4: identities pass through here, so every buffer handed back is zeroizing
    /// (checked by type: looking into freed memory would take `unsafe`, which the crate forbids).
    #[test]
    fn what_comes_out_is_wiped_on_drop() {
        let text: Zeroizing<String> = encode("age-secret-key-", &[5u8; 32]);
        let (_, data): (String, Zeroizing<Vec<u8>>) = decode(&text).unwrap();
        let groups: Zeroizing<Vec<u8>> = convert_bits(&data, 8, 5, true).unwrap();
        // Sized up front: the 5-bit groups never reallocate (which would leave a copy behind).
        assert!(groups.capacity() <= data.len() * 8 / 5 + 1);
    }

    #[test]
    fn bip173_vector() {
        // Valid BIP 173 test string.
        assert!(decode("A12UEL5L").is_ok());
        assert!(decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").is_ok());
    }
}
