#![doc = include_str!("../README.md")]

mod build;
pub mod story;

use civic_commands::{Actor, CommandContext, CommandError, CommandHandler, Role};
use civic_domain::activity::Activity;
use civic_domain::charity::{Charity, CharityCommand};
use civic_domain::community::{Community, CommunityCommand};
use civic_domain::compound::{Compound, CompoundCommand};
use civic_domain::heating::{Heating, HeatingCommand};
use civic_domain::issue::{Issue, IssueCommand};
use civic_domain::newsroom::{Newsroom, NewsroomCommand};
use uuid::Uuid;

pub use story::{story, Chapter};

/// One command of the story, with the actor who gives it.
#[derive(Debug, Clone)]
pub enum Step {
    /// A community command.
    Community(CommunityCommand),
    /// A compound command.
    Compound(CompoundCommand),
    /// An issue command.
    Issue(IssueCommand),
    /// A heating command.
    Heating(HeatingCommand),
    /// A newsroom command.
    Newsroom(NewsroomCommand),
    /// An activity.
    Activity(civic_domain::activity::HoldActivity),
    /// A charity command.
    Charity(CharityCommand),
}

/// What loading the story did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Commands sent.
    pub commands: usize,
    /// Commands that appended events.
    pub applied: usize,
    /// Commands already applied by an earlier load (nothing appended).
    pub already_applied: usize,
    /// Events appended.
    pub events: usize,
    /// Last log position written or confirmed.
    pub position: i64,
}

/// Why the story could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("demo step {step} ({chapter}) failed: {source}")]
pub struct DemoError {
    /// Index of the failing step.
    pub step: usize,
    /// Its chapter.
    pub chapter: &'static str,
    /// The handler's error.
    #[source]
    pub source: CommandError,
}

/// Who gives the story's commands: the street office (街道) itself.
pub fn demo_actor() -> Actor {
    Actor {
        id: "杜甫路街道".to_owned(),
        role: Role::StreetAdmin,
        communities: Vec::new(),
    }
}

/// The fixed command id of step `n`, so that a second load is a no-op.
pub fn command_id(n: usize) -> Uuid {
    Uuid::from_u128(0x0c1c_1ed9_e700_7000_8000_0000_0000_0000 | n as u128)
}

/// Sends every step of the story through `handler`, calling `progress(done, total)`.
pub async fn load(
    handler: &CommandHandler,
    mut progress: impl FnMut(usize, usize),
) -> Result<Summary, DemoError> {
    let chapters = story();
    let total: usize = chapters.iter().map(|c| c.steps.len()).sum();
    let correlation = Uuid::now_v7();
    let mut summary = Summary::default();
    let mut n = 0;
    for chapter in chapters {
        let actor = step_actor(&chapter);
        for step in chapter.steps {
            let ctx = CommandContext {
                actor: actor.clone(),
                command_id: command_id(n),
                correlation_id: correlation,
                causation_id: None,
            };
            let (position, events, duplicate) =
                send(handler, &ctx, step)
                    .await
                    .map_err(|source| DemoError {
                        step: n,
                        chapter: chapter.title,
                        source,
                    })?;
            summary.commands += 1;
            summary.events += events;
            summary.position = summary.position.max(position);
            if duplicate {
                summary.already_applied += 1;
            } else {
                summary.applied += 1;
            }
            n += 1;
            progress(n, total);
        }
    }
    Ok(summary)
}

fn step_actor(chapter: &Chapter) -> Actor {
    Actor {
        id: chapter.actor.to_owned(),
        ..demo_actor()
    }
}

async fn send(
    handler: &CommandHandler,
    ctx: &CommandContext,
    step: Step,
) -> Result<(i64, usize, bool), CommandError> {
    macro_rules! run {
        ($aggregate:ty, $command:expr) => {{
            let outcome = handler.handle::<$aggregate>(ctx, $command).await?;
            Ok((outcome.position, outcome.events.len(), outcome.duplicate))
        }};
    }
    match step {
        Step::Community(c) => run!(Community, c),
        Step::Compound(c) => run!(Compound, c),
        Step::Issue(c) => run!(Issue, c),
        Step::Heating(c) => run!(Heating, c),
        Step::Newsroom(c) => run!(Newsroom, c),
        Step::Activity(c) => run!(Activity, c),
        Step::Charity(c) => run!(Charity, c),
    }
}
