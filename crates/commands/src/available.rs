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
    available_unless::<A, K>(actor, state, candidates, |_, _| false)
}

/// As [`available`], where `artifact(key, error)` names the rules a probe breaks by its own
/// arguments (not by the state), which do not count against the action.
pub fn available_unless<A: Authorize, K>(
    actor: &Actor,
    state: &A::State,
    candidates: impl IntoIterator<Item = (K, A::Command)>,
    artifact: impl Fn(&K, &A::Error) -> bool,
) -> Vec<K> {
    candidates
        .into_iter()
        .filter(|(key, command)| {
            authorize::<A>(actor, command, state).is_ok()
                && match A::decide(command, state) {
                    Ok(_) => true,
                    Err(error) => artifact(key, &error),
                }
        })
        .map(|(key, _)| key)
        .collect()
}
