use civic_domain::values::CommunityId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use civic_domain::account::Role;

/// Who is acting: a token's subject, role and community scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The subject (user id).
    pub id: String,
    /// The role.
    pub role: Role,
    /// Communities the actor belongs to (ignored for street admins and auditors).
    pub communities: Vec<CommunityId>,
}

impl Actor {
    /// Whether the actor may see the given community's data.
    pub fn can_read(&self, community: &CommunityId) -> bool {
        match self.role {
            Role::StreetAdmin | Role::Auditor => true,
            Role::CommunityStaff | Role::GridWorker => self.communities.contains(community),
        }
    }

    /// The system itself (demo loader, imports).
    pub fn system(id: &str) -> Actor {
        Actor {
            id: id.to_owned(),
            role: Role::StreetAdmin,
            communities: Vec::new(),
        }
    }
}

/// One command's envelope: who, which command id, which request.
#[derive(Debug, Clone)]
pub struct CommandContext {
    /// Who acts.
    pub actor: Actor,
    /// Idempotency key: a retry with the same id returns the first result.
    pub command_id: Uuid,
    /// The request this command belongs to.
    pub correlation_id: Uuid,
    /// What caused it, if anything.
    pub causation_id: Option<Uuid>,
}

impl CommandContext {
    /// A context with fresh ids.
    pub fn new(actor: Actor) -> Self {
        CommandContext {
            actor,
            command_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
        }
    }
}
