//! Given / when / then for every decider's tests: the commands (or events) that happened,
//! the command under test, and what it must decide.
//!
//! ```text
//! given::<Issue>([report(), assign()])
//!     .when(resolve())
//!     .then_events(|events| assert!(matches!(events[..], [IssueEvent::Resolved { .. }])));
//! given::<Issue>([report()]).when(resolve()).then_rejected(IssueError::IssueNotAssigned);
//! ```

use crate::Aggregate;

/// What happened before the command under test.
pub(crate) struct Given<A: Aggregate> {
    state: A::State,
}

/// The history of accepted commands, each decided and applied in order; a refused one
/// fails the test, since a history must be possible.
pub(crate) fn given<A: Aggregate>(commands: impl IntoIterator<Item = A::Command>) -> Given<A> {
    let state =
        commands
            .into_iter()
            .enumerate()
            .fold(A::State::default(), |state, (n, command)| {
                let events = A::decide(&command, &state)
                    .unwrap_or_else(|e| panic!("given command {n} ({command:?}) was refused: {e}"));
                A::fold_from(state, &events)
            });
    Given { state }
}

impl<A: Aggregate> Given<A> {
    /// The state the history folds to.
    pub(crate) fn state(&self) -> &A::State {
        &self.state
    }

    /// Decides `command` against the history.
    pub(crate) fn when(self, command: A::Command) -> Then<A> {
        let decided = A::decide(&command, &self.state);
        Then {
            state: self.state,
            decided,
        }
    }
}

/// What the command under test decided.
pub(crate) struct Then<A: Aggregate> {
    state: A::State,
    decided: Result<Vec<A::Event>, A::Error>,
}

impl<A: Aggregate> Then<A> {
    /// The command was accepted with exactly these events.
    pub(crate) fn then(self, expected: &[A::Event]) -> A::State {
        let events = self.accepted();
        assert_eq!(events, expected);
        A::fold_from(self.state, &events)
    }

    /// The command was accepted; `check` looks at its events. Returns the state after them.
    pub(crate) fn then_events(self, check: impl FnOnce(&[A::Event])) -> A::State {
        let events = self.accepted();
        check(&events);
        A::fold_from(self.state, &events)
    }

    /// The command was refused for breaking `rule`.
    pub(crate) fn then_rejected(self, rule: A::Error) {
        match self.decided {
            Ok(events) => panic!("expected {rule:?}, but the command was accepted: {events:?}"),
            Err(error) => assert_eq!(error, rule),
        }
    }

    fn accepted(&self) -> Vec<A::Event> {
        match &self.decided {
            Ok(events) => events.clone(),
            Err(error) => panic!("expected the command to be accepted, it was refused: {error}"),
        }
    }
}
