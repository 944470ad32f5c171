#![doc = include_str!("../README.md")]

pub mod account;
pub mod actions;
pub mod activity;
mod aggregate;
pub mod charity;
pub mod community;
pub mod compound;
pub mod happened;
#[cfg(test)]
mod harness;
pub mod heating;
pub mod issue;
pub mod newsroom;
pub mod values;

pub use aggregate::{split_stream_id, stream_id_of, Aggregate, EventCodec, UpcastError};
