#![doc = include_str!("../README.md")]

pub mod accounts;
mod actor;
pub mod authorize;
mod available;
mod erase;
mod error;
mod fingerprint;
mod handler;
mod load;

pub use actor::{Actor, CommandContext, Role};
pub use authorize::Authorize;
pub use available::{available, available_unless};
pub use erase::erase_person;
pub use error::CommandError;
pub use fingerprint::fingerprint;
pub use handler::{CommandHandler, Outcome};
pub use load::{fold_recorded, load, Loaded};
