use std::fmt;
use std::str::FromStr;

use civic_domain::values::CommunityId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an actor may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 街道: every community of the street.
    StreetAdmin,
    /// 社区工作人员: their own communities.
    CommunityStaff,
    /// 网格员: reports and surveys in their own communities.
    GridWorker,
    /// 审计: reads everything, changes nothing.
    Auditor,
}

impl Role {
    /// The role's name as stored in event metadata and tokens.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::StreetAdmin => "street_admin",
            Role::CommunityStaff => "community_staff",
            Role::GridWorker => "grid_worker",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "street_admin" => Ok(Role::StreetAdmin),
            "community_staff" => Ok(Role::CommunityStaff),
            "grid_worker" => Ok(Role::GridWorker),
            "auditor" => Ok(Role::Auditor),
            other => Err(format!(
                "unknown role {other:?}: use street_admin, community_staff, grid_worker or auditor"
            )),
        }
    }
}

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
