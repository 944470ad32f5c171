#![doc = include_str!("../README.md")]

mod as_of;
mod checkpoint;
mod error;
pub mod happened;
mod lag;
pub mod models;
mod projector;
pub mod queries;
mod rebuild;
mod runtime;
mod status;
pub mod timeline;
mod wait;

pub use as_of::{happened_positions, replay_report, Cut};
pub use error::ProjectionError;
pub use projector::{all_projectors, Projector, Replay, Shard};
pub use rebuild::{rebuild, replay_all, RebuildReport};
pub use runtime::Runtime;
pub use status::{status, ProjectorState, ProjectorStatus};
pub use wait::{wait_for, wait_for_all, Reached};

/// The schema of the live read models.
pub const LIVE_SCHEMA: &str = "read";
