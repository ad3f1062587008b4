//! The SIRET, the identifier of an organisation's establishment: 14 digits (the SIREN of the
//! legal unit, then the establishment's number) whose last digit is a Luhn check digit over all
//! fourteen. One documented exception: La Poste's establishments all share the SIREN 356000000 and
//! are too many for the Luhn digit, so theirs is valid when the sum of the 14 digits is a multiple
//! of 5 (its head office, 356 000 000 00048, passes Luhn as well).

use serde::Serialize;
use std::fmt;

/// La Poste's SIREN, whose establishments follow the sum-of-digits rule.
const LA_POSTE_SIREN: &str = "356000000";

/// A SIRET whose check digit is right: 14 digits, without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Siret(String);

impl Siret {
    /// The SIRET of `text`, as written by people (spaces between the groups are ignored), if its
    /// check digit is right.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text.chars().filter(|c| *c != ' ').collect();
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let la_poste = digits.starts_with(LA_POSTE_SIREN) && digit_sum(&digits).is_multiple_of(5);
        (luhn(&digits) || la_poste).then_some(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Luhn check: from the right, every second digit doubled (less 9 past 9), the total a
/// multiple of 10. `digits` holds ASCII digits only.
fn luhn(digits: &str) -> bool {
    let total: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, twice) if twice > 9 => twice - 9,
                (true, twice) => twice,
            }
        })
        .sum();
    total.is_multiple_of(10)
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

#[cfg(test)]
mod tests {
    use super::Siret;

    #[test]
    fn the_check_digit_is_luhn_over_the_fourteen_digits() {
        for good in ["73282932000074", "732 829 320 00074", "21590350100017", "13002526500013"] {
            assert!(Siret::parse(good).is_some(), "{good}");
        }
        assert_eq!(Siret::parse("732 829 320 00074").unwrap().as_str(), "73282932000074");
        for bad in [
            "73282932000075",   // wrong check digit
            "73282932000047",   // two digits swapped
            "7328293200007",    // 13 digits
            "732829320000740",  // 15 digits
            "7328293200007a",   // a letter
            "73282932000074\n", // a control character
            "",
            "-3282932000074",
            "７3282932000074", // a full-width digit
        ] {
            assert!(Siret::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn la_poste_establishments_follow_the_sum_of_digits_rule() {
        // The head office passes Luhn.
        assert!(Siret::parse("35600000000048").is_some());
        // An establishment: fails Luhn, but its digits sum to 25.
        assert!(Siret::parse("35600000012341").is_some());
        // Neither rule: refused.
        assert!(Siret::parse("35600000012342").is_none());
        // The sum rule is La Poste's only: another SIREN whose digits sum to a multiple of 5
        // and that fails Luhn is refused.
        assert!(Siret::parse("26590001400017").is_none());
    }
}
