//! Erasing a person's personal data (crypto-shredding), recorded in the log.

use civic_store::{AppendResult, EventStore, ExpectedVersion, Metadata, NewEvent, PersonalData};
use uuid::Uuid;

use crate::actor::{Actor, Role};
use crate::error::CommandError;

/// Records `PersonalDataErased` on stream `person-{id}` with the actor; the statement that
/// appends it destroys the person's key (a trigger on `events`), so the erasure and its
/// record are one outcome. Only the street office may do it. Erasing a person whose key is
/// already gone still records the request.
pub async fn erase_person(
    store: &EventStore,
    actor: &Actor,
    person: &str,
    correlation_id: Uuid,
) -> Result<AppendResult, CommandError> {
    if actor.role != Role::StreetAdmin {
        return Err(CommandError::Forbidden(
            "only the street office may erase personal data".into(),
        ));
    }
    let had_key = PersonalData::new(store.pool().clone())
        .has_key(person)
        .await?;
    let event = NewEvent {
        event_type: "PersonalDataErased".into(),
        schema_version: 1,
        payload: serde_json::json!({ "person": person, "key_existed": had_key }),
    };
    let metadata = Metadata {
        actor_id: actor.id.clone(),
        actor_role: actor.role.as_str().to_owned(),
        correlation_id,
        causation_id: None,
        command_id: Some(Uuid::now_v7()),
        command_fingerprint: None,
    };
    Ok(store
        .append(
            &format!("person-{person}"),
            ExpectedVersion::Any,
            vec![event],
            metadata,
        )
        .await?)
}
