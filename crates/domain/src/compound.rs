//! A compound (小区): its property company, residents' deliberations, appreciation.
//!
//! 居民事居民议、居民事居民定: a property company is replaced only after a deliberation whose
//! vote approves it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::aggregate::{Aggregate, EventCodec};
use crate::happened::Happened;
use crate::values::{CommunityId, CompoundId, Count, DeliberationId, LongText, Name};

/// Commands on a compound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CompoundCommand {
    /// Register a compound of a community.
    Register {
        /// Its id.
        id: CompoundId,
        /// Its community.
        community: CommunityId,
        /// Name, e.g. 龙和华府.
        name: Name,
    },
    /// Appoint a property company where there is none.
    AppointPropertyManager {
        /// The compound.
        id: CompoundId,
        /// The company.
        company: Name,
        /// Since.
        appointed_on: Date,
    },
    /// Open a deliberation.
    OpenDeliberation {
        /// The compound.
        id: CompoundId,
        /// The deliberation.
        deliberation: DeliberationId,
        /// What is to be decided.
        topic: Name,
        /// When.
        opened_on: Date,
    },
    /// Record a meeting of a deliberation.
    HoldMeeting {
        /// The compound.
        id: CompoundId,
        /// The deliberation.
        deliberation: DeliberationId,
        /// When.
        held_on: Date,
        /// Who attended (groups, e.g. 物业、居民代表).
        attendees: Name,
        /// What was said and agreed.
        summary: LongText,
    },
    /// Record the vote that ends a deliberation.
    RecordVote {
        /// The compound.
        id: CompoundId,
        /// The deliberation.
        deliberation: DeliberationId,
        /// For.
        in_favour: Count,
        /// Against.
        against: Count,
        /// Abstained.
        abstained: Count,
        /// When.
        voted_on: Date,
    },
    /// Replace the property company as a deliberation decided.
    ReplaceProperty {
        /// The compound.
        id: CompoundId,
        /// The deliberation whose vote approved it.
        deliberation: DeliberationId,
        /// The new company.
        to: Name,
        /// When.
        decided_on: Date,
    },
    /// Record an appreciation received (e.g. a banner, 锦旗).
    ReceiveAppreciation {
        /// The compound.
        id: CompoundId,
        /// What, e.g. 锦旗.
        item: Name,
        /// The words on it.
        words: LongText,
        /// From whom.
        from: Name,
        /// When.
        received_on: Date,
    },
}

/// A vote tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// For.
    pub in_favour: Count,
    /// Against.
    pub against: Count,
    /// Abstained.
    pub abstained: Count,
}

impl Tally {
    /// A simple majority of the votes cast approves.
    pub fn approves(&self) -> bool {
        self.in_favour.get() > self.against.get() + self.abstained.get()
    }
}

/// Events of a compound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CompoundEvent {
    /// Registered.
    CompoundRegistered {
        /// Id.
        id: CompoundId,
        /// Community.
        community: CommunityId,
        /// Name.
        name: Name,
    },
    /// A property company was appointed.
    PropertyManagerAppointed {
        /// Company.
        company: Name,
        /// Since.
        appointed_on: Date,
    },
    /// A deliberation was opened.
    DeliberationOpened {
        /// Id.
        deliberation: DeliberationId,
        /// Topic.
        topic: Name,
        /// When.
        opened_on: Date,
    },
    /// A meeting was held.
    DeliberationMeetingHeld {
        /// Deliberation.
        deliberation: DeliberationId,
        /// When.
        held_on: Date,
        /// Who.
        attendees: Name,
        /// Summary.
        summary: LongText,
    },
    /// A vote was recorded.
    DeliberationVoted {
        /// Deliberation.
        deliberation: DeliberationId,
        /// Tally.
        tally: Tally,
        /// Whether it approves.
        approved: bool,
        /// When.
        voted_on: Date,
    },
    /// The property company was replaced.
    PropertyReplaced {
        /// Old company, if any.
        from: Option<Name>,
        /// New company.
        to: Name,
        /// When.
        decided_on: Date,
        /// The deliberation behind it.
        deliberation: DeliberationId,
        /// Its tally.
        tally: Tally,
    },
    /// An appreciation was received.
    AppreciationReceived {
        /// What.
        item: Name,
        /// Words.
        words: LongText,
        /// From.
        from: Name,
        /// When.
        received_on: Date,
    },
}

impl EventCodec for CompoundEvent {}

/// Where a deliberation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deliberation {
    /// Opened on.
    pub opened_on: Date,
    /// The vote, once taken.
    pub tally: Option<Tally>,
    /// Whether a replacement already used it.
    pub acted_on: bool,
}

/// What a compound's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CompoundState {
    /// Id, once registered.
    pub id: Option<CompoundId>,
    /// Community.
    pub community: Option<CommunityId>,
    /// Current property company.
    pub company: Option<Name>,
    /// Deliberations by id.
    pub deliberations: BTreeMap<DeliberationId, Deliberation>,
}

/// The rules a compound command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompoundError {
    /// Registering twice.
    #[error("the compound is already registered")]
    CompoundAlreadyRegistered,
    /// Acting on an unregistered compound.
    #[error("the compound is not registered")]
    CompoundNotRegistered,
    /// Appointing where a company already serves (replace it through a deliberation).
    #[error("the compound already has a property company; replace it through a deliberation")]
    PropertyManagerAlreadyAppointed,
    /// Opening a deliberation id twice.
    #[error("deliberation {0} already exists")]
    DeliberationAlreadyOpened(String),
    /// Using a deliberation that was never opened.
    #[error("deliberation {0} was never opened")]
    DeliberationNotOpened(String),
    /// Dating a meeting or vote before the deliberation opened.
    #[error("the date is before deliberation {0} opened")]
    DatedBeforeDeliberation(String),
    /// Voting twice.
    #[error("deliberation {0} has already voted")]
    DeliberationAlreadyVoted(String),
    /// Replacing before the vote.
    #[error("deliberation {0} has not voted yet")]
    DeliberationNotVoted(String),
    /// Replacing against the vote.
    #[error("the vote of deliberation {0} did not approve a replacement")]
    ReplacementNotApproved(String),
    /// Using one deliberation for two replacements.
    #[error("deliberation {0} was already acted on")]
    DeliberationAlreadyActedOn(String),
    /// Replacing a company by itself.
    #[error("{0} already manages the compound")]
    SamePropertyCompany(String),
}

/// The compound aggregate.
#[derive(Debug)]
pub struct Compound;

impl Aggregate for Compound {
    type State = CompoundState;
    type Command = CompoundCommand;
    type Event = CompoundEvent;
    type Error = CompoundError;
    const PREFIX: &'static str = "compound";

    fn target(command: &CompoundCommand) -> &str {
        use CompoundCommand::*;
        match command {
            Register { id, .. }
            | AppointPropertyManager { id, .. }
            | OpenDeliberation { id, .. }
            | HoldMeeting { id, .. }
            | RecordVote { id, .. }
            | ReplaceProperty { id, .. }
            | ReceiveAppreciation { id, .. } => id.as_str(),
        }
    }

    fn creates(command: &CompoundCommand) -> bool {
        matches!(command, CompoundCommand::Register { .. })
    }

    fn community(command: &CompoundCommand, state: &CompoundState) -> Option<CommunityId> {
        match command {
            CompoundCommand::Register { community, .. } => {
                state.community.clone().or_else(|| Some(community.clone()))
            }
            _ => state.community.clone(),
        }
    }

    fn decide(
        command: &CompoundCommand,
        state: &CompoundState,
    ) -> Result<Vec<CompoundEvent>, CompoundError> {
        use CompoundCommand as C;
        use CompoundError as E;
        use CompoundEvent as V;
        let deliberation = |id: &DeliberationId| {
            state
                .deliberations
                .get(id)
                .ok_or_else(|| E::DeliberationNotOpened(id.to_string()))
        };
        match command {
            C::Register {
                id,
                community,
                name,
            } => match state.id {
                Some(_) => Err(E::CompoundAlreadyRegistered),
                None => Ok(vec![V::CompoundRegistered {
                    id: id.clone(),
                    community: community.clone(),
                    name: name.clone(),
                }]),
            },
            _ if state.id.is_none() => Err(E::CompoundNotRegistered),
            C::AppointPropertyManager {
                company,
                appointed_on,
                ..
            } => match state.company {
                Some(_) => Err(E::PropertyManagerAlreadyAppointed),
                None => Ok(vec![V::PropertyManagerAppointed {
                    company: company.clone(),
                    appointed_on: *appointed_on,
                }]),
            },
            C::OpenDeliberation {
                deliberation: d,
                topic,
                opened_on,
                ..
            } => {
                if state.deliberations.contains_key(d) {
                    return Err(E::DeliberationAlreadyOpened(d.to_string()));
                }
                Ok(vec![V::DeliberationOpened {
                    deliberation: d.clone(),
                    topic: topic.clone(),
                    opened_on: *opened_on,
                }])
            }
            C::HoldMeeting {
                deliberation: d,
                held_on,
                attendees,
                summary,
                ..
            } => {
                let found = deliberation(d)?;
                if *held_on < found.opened_on {
                    return Err(E::DatedBeforeDeliberation(d.to_string()));
                }
                if found.tally.is_some() {
                    return Err(E::DeliberationAlreadyVoted(d.to_string()));
                }
                Ok(vec![V::DeliberationMeetingHeld {
                    deliberation: d.clone(),
                    held_on: *held_on,
                    attendees: attendees.clone(),
                    summary: summary.clone(),
                }])
            }
            C::RecordVote {
                deliberation: d,
                in_favour,
                against,
                abstained,
                voted_on,
                ..
            } => {
                let found = deliberation(d)?;
                if found.tally.is_some() {
                    return Err(E::DeliberationAlreadyVoted(d.to_string()));
                }
                if *voted_on < found.opened_on {
                    return Err(E::DatedBeforeDeliberation(d.to_string()));
                }
                let tally = Tally {
                    in_favour: *in_favour,
                    against: *against,
                    abstained: *abstained,
                };
                Ok(vec![V::DeliberationVoted {
                    deliberation: d.clone(),
                    tally,
                    approved: tally.approves(),
                    voted_on: *voted_on,
                }])
            }
            C::ReplaceProperty {
                deliberation: d,
                to,
                decided_on,
                ..
            } => {
                let found = deliberation(d)?;
                let tally = found
                    .tally
                    .ok_or_else(|| E::DeliberationNotVoted(d.to_string()))?;
                if !tally.approves() {
                    return Err(E::ReplacementNotApproved(d.to_string()));
                }
                if found.acted_on {
                    return Err(E::DeliberationAlreadyActedOn(d.to_string()));
                }
                if state.company.as_ref() == Some(to) {
                    return Err(E::SamePropertyCompany(to.to_string()));
                }
                Ok(vec![V::PropertyReplaced {
                    from: state.company.clone(),
                    to: to.clone(),
                    decided_on: *decided_on,
                    deliberation: d.clone(),
                    tally,
                }])
            }
            C::ReceiveAppreciation {
                item,
                words,
                from,
                received_on,
                ..
            } => Ok(vec![V::AppreciationReceived {
                item: item.clone(),
                words: words.clone(),
                from: from.clone(),
                received_on: *received_on,
            }]),
        }
    }

    fn happened(event: &CompoundEvent) -> Option<Happened> {
        use CompoundEvent as E;
        Some(Happened::On(match event {
            E::PropertyManagerAppointed { appointed_on, .. } => *appointed_on,
            E::DeliberationOpened { opened_on, .. } => *opened_on,
            E::DeliberationMeetingHeld { held_on, .. } => *held_on,
            E::DeliberationVoted { voted_on, .. } => *voted_on,
            E::PropertyReplaced { decided_on, .. } => *decided_on,
            E::AppreciationReceived { received_on, .. } => *received_on,
            E::CompoundRegistered { .. } => return None,
        }))
    }

    fn evolve(mut state: CompoundState, event: &CompoundEvent) -> CompoundState {
        use CompoundEvent as V;
        match event {
            V::CompoundRegistered { id, community, .. } => {
                state.id = Some(id.clone());
                state.community = Some(community.clone());
            }
            V::PropertyManagerAppointed { company, .. } => state.company = Some(company.clone()),
            V::DeliberationOpened {
                deliberation,
                opened_on,
                ..
            } => {
                state.deliberations.insert(
                    deliberation.clone(),
                    Deliberation {
                        opened_on: *opened_on,
                        tally: None,
                        acted_on: false,
                    },
                );
            }
            V::DeliberationMeetingHeld { .. } | V::AppreciationReceived { .. } => {}
            V::DeliberationVoted {
                deliberation,
                tally,
                ..
            } => {
                if let Some(d) = state.deliberations.get_mut(deliberation) {
                    d.tally = Some(*tally);
                }
            }
            V::PropertyReplaced {
                to, deliberation, ..
            } => {
                state.company = Some(to.clone());
                if let Some(d) = state.deliberations.get_mut(deliberation) {
                    d.acted_on = true;
                }
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;
    use time::macros::date;

    fn id() -> CompoundId {
        CompoundId::parse("longhe-huafu").unwrap()
    }
    fn d() -> DeliberationId {
        DeliberationId::parse("property-2023").unwrap()
    }
    fn name(s: &str) -> Name {
        Name::parse("name", s).unwrap()
    }
    fn count(n: i64) -> Count {
        Count::parse("votes", n, 100_000).unwrap()
    }
    fn register() -> CompoundCommand {
        CompoundCommand::Register {
            id: id(),
            community: CommunityId::parse("guangsha").unwrap(),
            name: name("龙和华府"),
        }
    }
    fn appoint() -> CompoundCommand {
        CompoundCommand::AppointPropertyManager {
            id: id(),
            company: name("原物业公司"),
            appointed_on: date!(2020 - 01 - 01),
        }
    }
    fn open() -> CompoundCommand {
        CompoundCommand::OpenDeliberation {
            id: id(),
            deliberation: d(),
            topic: name("龙和华府物业问题"),
            opened_on: date!(2023 - 07 - 05),
        }
    }
    fn vote(for_: i64, against: i64) -> CompoundCommand {
        CompoundCommand::RecordVote {
            id: id(),
            deliberation: d(),
            in_favour: count(for_),
            against: count(against),
            abstained: count(0),
            voted_on: date!(2023 - 08 - 01),
        }
    }
    fn replace() -> CompoundCommand {
        CompoundCommand::ReplaceProperty {
            id: id(),
            deliberation: d(),
            to: name("新物业公司"),
            decided_on: date!(2023 - 08 - 02),
        }
    }

    #[test]
    fn replacing_without_a_vote_is_rejected() {
        given::<Compound>([register(), appoint(), open()])
            .when(replace())
            .then_rejected(CompoundError::DeliberationNotVoted("property-2023".into()));
    }

    #[test]
    fn replacing_against_the_vote_is_rejected() {
        given::<Compound>([register(), appoint(), open(), vote(10, 30)])
            .when(replace())
            .then_rejected(CompoundError::ReplacementNotApproved(
                "property-2023".into(),
            ));
    }

    #[test]
    fn replacing_through_an_unopened_deliberation_is_rejected() {
        given::<Compound>([register(), appoint()])
            .when(replace())
            .then_rejected(CompoundError::DeliberationNotOpened("property-2023".into()));
    }

    #[test]
    fn an_approving_vote_replaces_the_company() {
        let after = given::<Compound>([register(), appoint(), open(), vote(120, 8)])
            .when(replace())
            .then_events(|events| {
                assert!(
                    matches!(events, [CompoundEvent::PropertyReplaced { from: Some(f), to, .. }] if f.as_str() == "原物业公司" && to.as_str() == "新物业公司")
                );
            });
        assert_eq!(after.company.unwrap().as_str(), "新物业公司");
    }

    #[test]
    fn one_deliberation_cannot_replace_twice() {
        given::<Compound>([register(), appoint(), open(), vote(120, 8), replace()])
            .when(CompoundCommand::ReplaceProperty {
                id: id(),
                deliberation: d(),
                to: name("第三家物业"),
                decided_on: date!(2023 - 09 - 01),
            })
            .then_rejected(CompoundError::DeliberationAlreadyActedOn(
                "property-2023".into(),
            ));
    }

    #[test]
    fn voting_twice_is_rejected() {
        given::<Compound>([register(), open(), vote(120, 8)])
            .when(vote(1, 0))
            .then_rejected(CompoundError::DeliberationAlreadyVoted(
                "property-2023".into(),
            ));
    }

    #[test]
    fn a_meeting_before_the_deliberation_opened_is_rejected() {
        given::<Compound>([register(), open()])
            .when(CompoundCommand::HoldMeeting {
                id: id(),
                deliberation: d(),
                held_on: date!(2023 - 07 - 01),
                attendees: name("物业、居民代表"),
                summary: LongText::parse("s", "商讨").unwrap(),
            })
            .then_rejected(CompoundError::DatedBeforeDeliberation(
                "property-2023".into(),
            ));
    }

    #[test]
    fn appointing_over_a_serving_company_is_rejected() {
        given::<Compound>([register(), appoint()])
            .when(appoint())
            .then_rejected(CompoundError::PropertyManagerAlreadyAppointed);
    }

    #[test]
    fn a_command_on_an_unregistered_compound_is_rejected() {
        given::<Compound>([])
            .when(open())
            .then_rejected(CompoundError::CompoundNotRegistered);
    }

    #[test]
    fn a_tie_does_not_approve() {
        let tally = Tally {
            in_favour: count(10),
            against: count(5),
            abstained: count(5),
        };
        assert!(!tally.approves());
    }
}
