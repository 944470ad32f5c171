//! What a command asked, as one hash: the fingerprint its idempotency key is bound to.
//!
//! A retry carries the same fingerprint and gets the first result; another request under the
//! same command id (another actor, command, stream or input) is refused. The input is the
//! command as the domain sees it before personal data is sealed: sealing draws a fresh nonce,
//! and a hash of a person's name or phone in the log would outlive their erasure. A contact
//! therefore does not enter the fingerprint; everything else the caller sent does.

use civic_domain::Aggregate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::actor::Actor;

/// Bumped if the canonical form below ever changes (a fingerprint must stay comparable with
/// the ones recorded before).
const DOMAIN: &[u8] = b"civic-command-fingerprint-v1\n";

/// SHA-256 of the actor, the target stream and the command in canonical JSON (object keys
/// sorted; the variant name is part of it, so the command type is too).
pub fn fingerprint<A: Aggregate>(actor: &Actor, stream: &str, command: &A::Command) -> [u8; 32] {
    let input = serde_json::to_value(command).unwrap_or(serde_json::Value::Null);
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN);
    hasher.update(canonical(&(
        &actor.id,
        actor.role.as_str(),
        stream,
        A::PREFIX,
        input,
    )));
    hasher.finalize().into()
}

fn canonical(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use civic_domain::issue::{Issue, IssueCommand};
    use civic_domain::values::IssueId;

    use super::*;
    use crate::Role;

    fn actor(id: &str) -> Actor {
        Actor {
            id: id.into(),
            role: Role::CommunityStaff,
            communities: Vec::new(),
        }
    }

    fn close(id: &str) -> IssueCommand {
        IssueCommand::Close {
            id: IssueId::parse(id).unwrap_or_else(|e| panic!("{e}")),
        }
    }

    #[test]
    fn the_same_request_has_the_same_fingerprint() {
        let a = fingerprint::<Issue>(&actor("张文博"), "issue-a", &close("a"));
        let b = fingerprint::<Issue>(&actor("张文博"), "issue-a", &close("a"));
        assert_eq!(a, b);
    }

    #[test]
    fn another_actor_stream_or_input_changes_the_fingerprint() {
        let first = fingerprint::<Issue>(&actor("张文博"), "issue-a", &close("a"));
        assert_ne!(
            first,
            fingerprint::<Issue>(&actor("赵利艳"), "issue-a", &close("a"))
        );
        assert_ne!(
            first,
            fingerprint::<Issue>(&actor("张文博"), "issue-b", &close("b"))
        );
        let reopen = IssueCommand::Reopen {
            id: IssueId::parse("a").unwrap_or_else(|e| panic!("{e}")),
            reason: civic_domain::values::LongText::parse("reason", "居民不满意")
                .unwrap_or_else(|e| panic!("{e}")),
        };
        assert_ne!(
            first,
            fingerprint::<Issue>(&actor("张文博"), "issue-a", &reopen)
        );
    }
}
