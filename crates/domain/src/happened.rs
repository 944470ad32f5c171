//! When what an event records happened in the world, as the event itself says: a report's
//! moment, a vote's date, a milestone's day. This is the "happened" time axis of the log,
//! beside the "recorded" axis (the commit time): a fact of July 2023 recorded in 2026
//! happened in 2023. An event with no date of its own happened when it was recorded.

use time::{Date, OffsetDateTime, UtcOffset};

/// The offset of the street office's calendar dates (China Standard Time).
pub const LOCAL_OFFSET: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// When an event says it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happened {
    /// On a calendar day (a vote, a meeting, a milestone).
    On(Date),
    /// At a moment (an issue's report or resolution).
    At(OffsetDateTime),
}

impl Happened {
    /// The moment: a day's start in China time, or the moment itself.
    pub fn moment(self) -> OffsetDateTime {
        match self {
            Happened::On(day) => day.midnight().assume_offset(LOCAL_OFFSET),
            Happened::At(at) => at,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn a_day_starts_at_midnight_in_china() {
        assert_eq!(
            Happened::On(date!(2023 - 08 - 04)).moment(),
            datetime!(2023-08-03 16:00 UTC)
        );
        let at = datetime!(2023-07-03 09:30 +08:00);
        assert_eq!(Happened::At(at).moment(), at);
    }
}
