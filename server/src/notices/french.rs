//! Days in France: the day a time falls on (for the daily digest) and dates in words.

use crate::journal::view::{france_date, france_midnight, france_offset};
use crate::messages::{self, Lang};
use time::OffsetDateTime;

/// The first second (Unix seconds) of the day in France that `at` falls on.
pub fn day_start(at: i64) -> i64 {
    france_date(at).and_then(france_midnight).unwrap_or(at)
}

/// The day of `at` in words, in France: "le 3 mars 2026".
pub fn date(at: i64, lang: Lang) -> String {
    let Ok(utc) = OffsetDateTime::from_unix_timestamp(at) else { return String::new() };
    let local = utc.to_offset(france_offset(utc));
    messages::NOTICE_DATE
        .text(lang)
        .replace("{jour}", &local.day().to_string())
        .replace("{mois}", messages::MONTHS[usize::from(u8::from(local.month())) - 1].text(lang))
        .replace("{annee}", &local.year().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_begin_at_midnight_in_france() {
        // 2026-03-03 13:05 UTC (winter, +1 h): the day began at 2026-03-02 23:00 UTC.
        assert_eq!(day_start(1_772_543_100), 1_772_492_400);
        // 2026-07-14 12:00 UTC (summer, +2 h): the day began at 2026-07-13 22:00 UTC.
        assert_eq!(day_start(1_784_030_400), 1_783_980_000);
        // 22:30 UTC on 2026-07-13 is already the 14th in France.
        assert_eq!(day_start(1_783_981_800), 1_783_980_000);
        assert_eq!(day_start(1_783_980_000), 1_783_980_000);
        assert_eq!(day_start(1_783_979_999), 1_783_980_000 - 86_400);
        assert_eq!(date(1_772_543_100, Lang::Fr), "le 3 mars 2026");
        assert_eq!(date(1_783_981_800, Lang::Fr), "le 14 juillet 2026");
    }
}
