//! A community activity: a workshop (手工坊) or painting hall (书绘堂) session.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::aggregate::{Aggregate, EventCodec};
use crate::happened::Happened;
use crate::values::{ActivityId, CommunityId, Count, LongText, Name};

/// Where an activity took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Venue {
    /// 手工坊.
    Workshop,
    /// 书绘堂.
    PaintingHall,
}

/// The one command of an activity: record that it was held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldActivity {
    /// Its id.
    pub id: ActivityId,
    /// Community.
    pub community: CommunityId,
    /// Venue.
    pub venue: Venue,
    /// Title, e.g. 清廉豆贴画.
    pub title: Name,
    /// Theme, e.g. 清廉 or 扫黄打非·护苗.
    pub theme: Name,
    /// When.
    pub held_on: Date,
    /// Participants.
    pub participants: Count,
    /// Volunteers.
    pub volunteers: Count,
    /// Duration in minutes.
    pub duration_minutes: u32,
    /// Works made.
    pub works_made: Count,
    /// What happened.
    pub summary: LongText,
}

/// Events of an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ActivityEvent {
    /// Held.
    ActivityHeld {
        /// Id.
        id: ActivityId,
        /// Community.
        community: CommunityId,
        /// Venue.
        venue: Venue,
        /// Title.
        title: Name,
        /// Theme.
        theme: Name,
        /// When.
        held_on: Date,
        /// Participants.
        participants: Count,
        /// Volunteers.
        volunteers: Count,
        /// Minutes.
        duration_minutes: u32,
        /// Works made.
        works_made: Count,
        /// Summary.
        summary: LongText,
    },
}

impl EventCodec for ActivityEvent {}

/// What an activity's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ActivityState {
    /// Community, once held.
    pub community: Option<CommunityId>,
}

/// The rules an activity command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityError {
    /// Recording the same activity twice.
    #[error("the activity was already recorded")]
    ActivityAlreadyRecorded,
    /// No time at all, or more than a day.
    #[error("a duration of {0} minutes is not plausible for one activity")]
    ImplausibleDuration(u32),
    /// Nobody took part.
    #[error("an activity needs at least one participant")]
    NoParticipants,
}

/// The activity aggregate.
#[derive(Debug)]
pub struct Activity;

impl Aggregate for Activity {
    type State = ActivityState;
    type Command = HoldActivity;
    type Event = ActivityEvent;
    type Error = ActivityError;
    const PREFIX: &'static str = "activity";

    fn target(command: &HoldActivity) -> &str {
        command.id.as_str()
    }

    fn creates(_command: &HoldActivity) -> bool {
        true
    }

    fn community(command: &HoldActivity, state: &ActivityState) -> Option<CommunityId> {
        state
            .community
            .clone()
            .or_else(|| Some(command.community.clone()))
    }

    fn decide(
        c: &HoldActivity,
        state: &ActivityState,
    ) -> Result<Vec<ActivityEvent>, ActivityError> {
        if state.community.is_some() {
            return Err(ActivityError::ActivityAlreadyRecorded);
        }
        if !(1..=24 * 60).contains(&c.duration_minutes) {
            return Err(ActivityError::ImplausibleDuration(c.duration_minutes));
        }
        if c.participants.get() == 0 {
            return Err(ActivityError::NoParticipants);
        }
        Ok(vec![ActivityEvent::ActivityHeld {
            id: c.id.clone(),
            community: c.community.clone(),
            venue: c.venue,
            title: c.title.clone(),
            theme: c.theme.clone(),
            held_on: c.held_on,
            participants: c.participants,
            volunteers: c.volunteers,
            duration_minutes: c.duration_minutes,
            works_made: c.works_made,
            summary: c.summary.clone(),
        }])
    }

    fn happened(event: &ActivityEvent) -> Option<Happened> {
        match event {
            ActivityEvent::ActivityHeld { held_on, .. } => Some(Happened::On(*held_on)),
        }
    }

    fn evolve(mut state: ActivityState, event: &ActivityEvent) -> ActivityState {
        let ActivityEvent::ActivityHeld { community, .. } = event;
        state.community = Some(community.clone());
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;
    use time::macros::date;

    fn hold(minutes: u32, participants: i64) -> HoldActivity {
        HoldActivity {
            id: ActivityId::parse("bean-mosaic").unwrap(),
            community: CommunityId::parse("hemei").unwrap(),
            venue: Venue::Workshop,
            title: Name::parse("t", "清廉豆贴画").unwrap(),
            theme: Name::parse("t", "清廉").unwrap(),
            held_on: date!(2023 - 09 - 15),
            participants: Count::parse("p", participants, 1000).unwrap(),
            volunteers: Count::parse("v", 3, 1000).unwrap(),
            duration_minutes: minutes,
            works_made: Count::parse("w", 12, 1000).unwrap(),
            summary: LongText::parse("s", "绿豆粘贴成的荷叶、红豆粘贴成的莲花").unwrap(),
        }
    }

    #[test]
    fn an_activity_cannot_be_recorded_twice() {
        given::<Activity>([hold(130, 15)])
            .when(hold(130, 15))
            .then_rejected(ActivityError::ActivityAlreadyRecorded);
    }

    #[test]
    fn an_activity_of_zero_minutes_is_rejected() {
        given::<Activity>([])
            .when(hold(0, 15))
            .then_rejected(ActivityError::ImplausibleDuration(0));
    }

    #[test]
    fn an_activity_without_participants_is_rejected() {
        given::<Activity>([])
            .when(hold(120, 0))
            .then_rejected(ActivityError::NoParticipants);
    }
}
