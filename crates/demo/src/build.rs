//! Short constructors for the story's literal values (they are known to be valid).

use civic_domain::values::{Count, Fen, LongText, Name};
use time::Date;

pub fn name(s: &str) -> Name {
    Name::parse("name", s).unwrap_or_else(|e| panic!("demo value {s:?}: {e}"))
}

pub fn text(s: &str) -> LongText {
    LongText::parse("text", s).unwrap_or_else(|e| panic!("demo value {s:?}: {e}"))
}

pub fn count(n: u32) -> Count {
    Count::parse("count", n.into(), u32::MAX).unwrap_or_else(|e| panic!("demo count {n}: {e}"))
}

pub fn fen(n: i64) -> Fen {
    Fen::parse("price", n).unwrap_or_else(|e| panic!("demo price {n}: {e}"))
}

pub fn id<T>(parse: fn(&str) -> Result<T, civic_domain::values::ValueError>, s: &str) -> T {
    parse(s).unwrap_or_else(|e| panic!("demo id {s:?}: {e}"))
}

pub fn date(y: i32, m: u8, d: u8) -> Date {
    time::Month::try_from(m)
        .ok()
        .and_then(|month| Date::from_calendar_date(y, month, d).ok())
        .unwrap_or_else(|| panic!("demo date {y}-{m}-{d}"))
}
