//! Which actions an actor may take on a stream now: those whose probe command passes both
//! the command authorization and the aggregate's own decider on the stream's state. The
//! same two checks a handler makes before appending, so what a screen offers is what would
//! be accepted.

use crate::actor::Actor;
use crate::authorize::{authorize, Authorize};

/// The keys of the `candidates` (an action and its probe command) that `actor` may issue to
/// a stream in `state` and that the state allows.
pub fn available<A: Authorize, K>(
    actor: &Actor,
    state: &A::State,
    candidates: impl IntoIterator<Item = (K, A::Command)>,
) -> Vec<K> {
    candidates
        .into_iter()
        .filter(|(_, command)| {
            authorize::<A>(actor, command, state).is_ok() && A::decide(command, state).is_ok()
        })
        .map(|(key, _)| key)
        .collect()
}
