//! A heating project (供暖): planned, then milestones in a fixed order with partial progress.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::aggregate::{Aggregate, EventCodec};
use crate::happened::Happened;
use crate::values::{CommunityId, CompoundId, Count, Name, ProjectId};

/// The milestones of a heating installation, in the only order they can happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// 楼栋主管道打眼.
    MainPipesDrilled,
    /// 管道铺设.
    PipesLaid,
    /// 入户暖气片安装.
    RadiatorsInstalled,
    /// 打压试验.
    PressureTested,
    /// 通暖.
    HeatingCommissioned,
}

impl Milestone {
    /// Every milestone in order.
    pub const ALL: [Milestone; 5] = [
        Milestone::MainPipesDrilled,
        Milestone::PipesLaid,
        Milestone::RadiatorsInstalled,
        Milestone::PressureTested,
        Milestone::HeatingCommissioned,
    ];

    /// The milestone after this one.
    pub fn next(self) -> Option<Milestone> {
        let i = Milestone::ALL.iter().position(|m| *m == self)?;
        Milestone::ALL.get(i + 1).copied()
    }
}

/// Commands on a heating project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HeatingCommand {
    /// Plan a project.
    Plan {
        /// Its id.
        id: ProjectId,
        /// Community.
        community: CommunityId,
        /// Compound.
        compound: CompoundId,
        /// The heat company doing the work.
        contractor: Name,
        /// Households to connect.
        households: Count,
        /// When heat should be on.
        target_date: Date,
    },
    /// Record progress on a milestone; `completed` marks it done.
    RecordProgress {
        /// The project.
        id: ProjectId,
        /// Which milestone.
        milestone: Milestone,
        /// Households done so far on it.
        households_done: Count,
        /// Whether the milestone is now complete.
        completed: bool,
        /// As of.
        on: Date,
    },
}

/// Events of a heating project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum HeatingEvent {
    /// Planned.
    HeatingProjectPlanned {
        /// Id.
        id: ProjectId,
        /// Community.
        community: CommunityId,
        /// Compound.
        compound: CompoundId,
        /// Contractor.
        contractor: Name,
        /// Households.
        households: Count,
        /// Target.
        target_date: Date,
    },
    /// Progress on (or completion of) a milestone.
    HeatingMilestone {
        /// Milestone.
        milestone: Milestone,
        /// Households done on it so far.
        households_done: Count,
        /// Whether it is complete.
        completed: bool,
        /// As of.
        on: Date,
        /// Set when heating was commissioned after the target date.
        late: bool,
    },
}

impl EventCodec for HeatingEvent {}

/// What a heating project's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HeatingState {
    /// Id, once planned.
    pub id: Option<ProjectId>,
    /// Community.
    pub community: Option<CommunityId>,
    /// Planned households.
    pub households: u32,
    /// Target date.
    pub target_date: Option<Date>,
    /// Milestones completed, in order.
    pub completed: Vec<Milestone>,
    /// Households done on the milestone in progress.
    pub progress: u32,
}

impl HeatingState {
    /// The milestone now being worked on (`None` once commissioned).
    pub fn current(&self) -> Option<Milestone> {
        match self.completed.last() {
            None => Some(Milestone::MainPipesDrilled),
            Some(m) => m.next(),
        }
    }
}

/// The rules a heating command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeatingError {
    /// Planning twice.
    #[error("the heating project is already planned")]
    ProjectAlreadyPlanned,
    /// Recording on an unplanned project.
    #[error("no such heating project is planned")]
    ProjectNotPlanned,
    /// A plan with no households.
    #[error("a heating project must connect at least one household")]
    NoHouseholds,
    /// Recording a milestone before the one in progress is complete.
    #[error("milestone {got:?} is out of order: {expected:?} comes first")]
    MilestoneOutOfOrder {
        /// The milestone in progress.
        expected: Milestone,
        /// The one given.
        got: Milestone,
    },
    /// Recording a milestone that is already complete.
    #[error("milestone {0:?} is already complete")]
    MilestoneAlreadyCompleted(Milestone),
    /// Recording anything after commissioning.
    #[error("heating is already commissioned")]
    AlreadyCommissioned,
    /// More households done than planned.
    #[error("{done} households done is more than the {planned} planned")]
    ProgressAbovePlan {
        /// Given.
        done: u32,
        /// Planned.
        planned: u32,
    },
    /// Fewer households done than already recorded.
    #[error("progress cannot go back from {before} to {after} households")]
    ProgressDecreased {
        /// Recorded before.
        before: u32,
        /// Given now.
        after: u32,
    },
}

/// The heating project aggregate.
#[derive(Debug)]
pub struct Heating;

impl Aggregate for Heating {
    type State = HeatingState;
    type Command = HeatingCommand;
    type Event = HeatingEvent;
    type Error = HeatingError;
    const PREFIX: &'static str = "heating";

    fn target(command: &HeatingCommand) -> &str {
        match command {
            HeatingCommand::Plan { id, .. } | HeatingCommand::RecordProgress { id, .. } => {
                id.as_str()
            }
        }
    }

    fn creates(command: &HeatingCommand) -> bool {
        matches!(command, HeatingCommand::Plan { .. })
    }

    fn community(command: &HeatingCommand, state: &HeatingState) -> Option<CommunityId> {
        match command {
            HeatingCommand::Plan { community, .. } => {
                state.community.clone().or_else(|| Some(community.clone()))
            }
            _ => state.community.clone(),
        }
    }

    fn decide(
        command: &HeatingCommand,
        state: &HeatingState,
    ) -> Result<Vec<HeatingEvent>, HeatingError> {
        use HeatingError as E;
        match command {
            HeatingCommand::Plan {
                id,
                community,
                compound,
                contractor,
                households,
                target_date,
            } => {
                if state.id.is_some() {
                    return Err(E::ProjectAlreadyPlanned);
                }
                if households.get() == 0 {
                    return Err(E::NoHouseholds);
                }
                Ok(vec![HeatingEvent::HeatingProjectPlanned {
                    id: id.clone(),
                    community: community.clone(),
                    compound: compound.clone(),
                    contractor: contractor.clone(),
                    households: *households,
                    target_date: *target_date,
                }])
            }
            HeatingCommand::RecordProgress {
                milestone,
                households_done,
                completed,
                on,
                ..
            } => {
                if state.id.is_none() {
                    return Err(E::ProjectNotPlanned);
                }
                let current = state.current().ok_or(E::AlreadyCommissioned)?;
                if *milestone < current {
                    return Err(E::MilestoneAlreadyCompleted(*milestone));
                }
                if *milestone > current {
                    return Err(E::MilestoneOutOfOrder {
                        expected: current,
                        got: *milestone,
                    });
                }
                let done = households_done.get();
                if done > state.households {
                    return Err(E::ProgressAbovePlan {
                        done,
                        planned: state.households,
                    });
                }
                if done < state.progress {
                    return Err(E::ProgressDecreased {
                        before: state.progress,
                        after: done,
                    });
                }
                let late = *completed
                    && *milestone == Milestone::HeatingCommissioned
                    && state.target_date.is_some_and(|t| *on > t);
                Ok(vec![HeatingEvent::HeatingMilestone {
                    milestone: *milestone,
                    households_done: *households_done,
                    completed: *completed,
                    on: *on,
                    late,
                }])
            }
        }
    }

    fn happened(event: &HeatingEvent) -> Option<Happened> {
        match event {
            HeatingEvent::HeatingMilestone { on, .. } => Some(Happened::On(*on)),
            HeatingEvent::HeatingProjectPlanned { .. } => None,
        }
    }

    fn evolve(mut state: HeatingState, event: &HeatingEvent) -> HeatingState {
        match event {
            HeatingEvent::HeatingProjectPlanned {
                id,
                community,
                households,
                target_date,
                ..
            } => {
                state.id = Some(id.clone());
                state.community = Some(community.clone());
                state.households = households.get();
                state.target_date = Some(*target_date);
            }
            HeatingEvent::HeatingMilestone {
                milestone,
                households_done,
                completed,
                ..
            } => {
                if *completed {
                    state.completed.push(*milestone);
                    state.progress = 0;
                } else {
                    state.progress = households_done.get();
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
    use proptest::prelude::*;
    use time::macros::date;

    fn id() -> ProjectId {
        ProjectId::parse("changzhuang-2023").unwrap()
    }
    fn count(n: u32) -> Count {
        Count::parse("households", n.into(), u32::MAX).unwrap()
    }
    fn plan() -> HeatingCommand {
        HeatingCommand::Plan {
            id: id(),
            community: CommunityId::parse("guangsha").unwrap(),
            compound: CompoundId::parse("changzhuang").unwrap(),
            contractor: Name::parse("contractor", "热力公司").unwrap(),
            households: count(300),
            target_date: date!(2023 - 11 - 15),
        }
    }
    fn progress(milestone: Milestone, done: u32, completed: bool, on: Date) -> HeatingCommand {
        HeatingCommand::RecordProgress {
            id: id(),
            milestone,
            households_done: count(done),
            completed,
            on,
        }
    }

    #[test]
    fn laying_pipes_before_drilling_is_rejected() {
        given::<Heating>([plan()])
            .when(progress(
                Milestone::PipesLaid,
                10,
                false,
                date!(2023 - 09 - 01),
            ))
            .then_rejected(HeatingError::MilestoneOutOfOrder {
                expected: Milestone::MainPipesDrilled,
                got: Milestone::PipesLaid,
            });
    }

    #[test]
    fn progress_above_the_plan_is_rejected() {
        given::<Heating>([plan()])
            .when(progress(
                Milestone::MainPipesDrilled,
                301,
                false,
                date!(2023 - 09 - 01),
            ))
            .then_rejected(HeatingError::ProgressAbovePlan {
                done: 301,
                planned: 300,
            });
    }

    #[test]
    fn progress_going_back_is_rejected() {
        let drilled = |done, on| progress(Milestone::MainPipesDrilled, done, false, on);
        given::<Heating>([plan(), drilled(120, date!(2023 - 09 - 01))])
            .when(drilled(100, date!(2023 - 09 - 02)))
            .then_rejected(HeatingError::ProgressDecreased {
                before: 120,
                after: 100,
            });
    }

    #[test]
    fn a_completed_milestone_cannot_be_recorded_again() {
        let drilled = |on| progress(Milestone::MainPipesDrilled, 300, true, on);
        given::<Heating>([plan(), drilled(date!(2023 - 09 - 20))])
            .when(drilled(date!(2023 - 09 - 21)))
            .then_rejected(HeatingError::MilestoneAlreadyCompleted(
                Milestone::MainPipesDrilled,
            ));
    }

    #[test]
    fn commissioning_after_the_target_date_is_allowed_but_late() {
        let history = std::iter::once(plan()).chain(
            Milestone::ALL[..4]
                .iter()
                .map(|m| progress(*m, 300, true, date!(2023 - 11 - 01))),
        );
        let commission = |on| progress(Milestone::HeatingCommissioned, 300, true, on);
        let commissioned = given::<Heating>(history)
            .when(commission(date!(2023 - 11 - 20)))
            .then_events(|events| {
                assert!(matches!(
                    events,
                    [HeatingEvent::HeatingMilestone { late: true, .. }]
                ));
            });
        assert_eq!(
            Heating::decide(&commission(date!(2023 - 11 - 21)), &commissioned),
            Err(HeatingError::AlreadyCommissioned)
        );
    }

    #[test]
    fn progress_on_an_unplanned_project_is_rejected() {
        given::<Heating>([])
            .when(progress(
                Milestone::MainPipesDrilled,
                1,
                false,
                date!(2023 - 09 - 01),
            ))
            .then_rejected(HeatingError::ProjectNotPlanned);
    }

    #[test]
    fn a_plan_without_households_is_rejected() {
        let HeatingCommand::Plan {
            id,
            community,
            compound,
            contractor,
            target_date,
            ..
        } = plan()
        else {
            unreachable!("plan() is a plan")
        };
        given::<Heating>([])
            .when(HeatingCommand::Plan {
                id,
                community,
                compound,
                contractor,
                households: count(0),
                target_date,
            })
            .then_rejected(HeatingError::NoHouseholds);
    }

    proptest! {
        /// Whatever is asked, in whatever order, the accepted commands never make progress
        /// go back within a milestone, never exceed the plan, and complete milestones in order.
        #[test]
        fn no_accepted_sequence_breaks_the_heating_invariants(
            steps in proptest::collection::vec((0usize..5, 0u32..400, any::<bool>()), 0..60)
        ) {
            let mut state = given::<Heating>([plan()]).state().clone();
            let mut last_progress = 0;
            for (m, done, completed) in steps {
                let command = progress(Milestone::ALL[m], done, completed, date!(2023 - 10 - 01));
                if let Ok(events) = Heating::decide(&command, &state) {
                    let before = state.completed.len();
                    state = Heating::fold_from(state, &events);
                    prop_assert!(state.progress <= state.households);
                    if state.completed.len() == before {
                        prop_assert!(state.progress >= last_progress);
                    }
                    last_progress = state.progress;
                }
                prop_assert_eq!(&state.completed[..], &Milestone::ALL[..state.completed.len()]);
            }
        }
    }
}
