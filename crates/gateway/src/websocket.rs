//! GraphQL over WebSocket: async-graphql's protocol engine behind a session guard.
//!
//! The guard reads every client message before the engine does and enforces what the
//! engine leaves open (codes from the graphql-transport-ws protocol):
//! - no `connection_init` within the init timeout: close 4408;
//! - a token that does not verify: close 4403; a second `connection_init`: 4429;
//! - `subscribe` before the connection is acknowledged: 4401;
//! - a `subscribe` whose id is still running: 4409 (the engine would silently replace it);
//! - a message that is not JSON of the protocol: 4400;
//! - the token expires: close 4403, ending every subscription of the session.
//!
//! Frame and message sizes are bounded by the upgrade (see the server).

use std::collections::HashSet;
use std::time::Duration;

use async_graphql::http::{
    ClientMessage, WebSocket as Engine, WebSocketProtocols as Protocols, WsMessage,
};
use async_graphql::Data;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::auth::TokenKey;
use crate::schema::{CivicSchema, RequestContext};

/// What a session needs.
#[derive(Clone)]
pub(crate) struct Session {
    pub schema: CivicSchema,
    pub key: TokenKey,
    pub pool: sqlx::PgPool,
    pub accounts: crate::accounts::AccountView,
    pub init_timeout: Duration,
    pub max_expanded_fields: u64,
}

/// Runs one WebSocket session to its end.
pub(crate) async fn serve(socket: WebSocket, protocol: Protocols, session: Session) {
    let (mut sink, mut incoming) = socket.split();
    let (to_engine, engine_input) = mpsc::channel::<serde_json::Result<ClientMessage>>(16);
    let (ready, acknowledged) = oneshot::channel::<Data>();
    let engine = Engine::from_message_stream(
        session.schema.clone(),
        tokio_stream_of(engine_input),
        protocol,
    )
    .on_connection_init(move |_payload| async move {
        acknowledged
            .await
            .map_err(|_| async_graphql::Error::new("the session ended"))
    });
    let mut engine = Box::pin(engine);
    let mut ready = Some(ready);
    let mut running: HashSet<String> = HashSet::new();
    let mut expires_at: Option<tokio::time::Instant> = None;
    // The session's account, once initialised: a change to it that refuses it ends the session.
    let mut login: Option<String> = None;
    let mut account_changes = session.accounts.changes();
    let init_deadline = tokio::time::Instant::now() + session.init_timeout;

    let close = loop {
        let deadline = expires_at.unwrap_or(init_deadline);
        tokio::select! {
            frame = incoming.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text.as_bytes().to_vec(),
                    Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => break None,
                    // The upgrade bounds frames and messages; tungstenite reports one over
                    // the bound as a capacity error, which closes with 1009.
                    Some(Err(error)) if error.to_string().contains("Space limit exceeded") => {
                        break Some((1009, "message too big".to_owned()));
                    }
                    Some(Err(_)) => break None,
                };
                let mut message = match ClientMessage::from_bytes(text) {
                    Ok(message) => message,
                    Err(_) => break Some((4400, "invalid message".to_owned())),
                };
                match &message {
                    ClientMessage::ConnectionInit { payload } => {
                        let Some(ready) = ready.take() else {
                            break Some((4429, "too many initialisation requests".to_owned()));
                        };
                        match verify(&session, payload.as_ref()).await {
                            Ok((data, expiry, account)) => {
                                expires_at = Some(expiry);
                                login = Some(account);
                                let _ = ready.send(data);
                            }
                            Err(reason) => break Some((4403, format!("forbidden: {reason}"))),
                        }
                    }
                    ClientMessage::Start { id, .. } => {
                        if expires_at.is_none() {
                            break Some((4401, "unauthorized".to_owned()));
                        }
                        if !running.insert(id.clone()) {
                            break Some((4409, format!("subscriber for {id} already exists")));
                        }
                    }
                    ClientMessage::Stop { id } => {
                        running.remove(id);
                    }
                    _ => {}
                }
                // The same checks as over HTTP; a refused operation ends with an `error`
                // message and never reaches the engine.
                if let ClientMessage::Start { id, payload } = &mut message {
                    match crate::boundary::check(payload, session.max_expanded_fields) {
                        Ok(passed) => passed.attach(payload),
                        Err(error) => {
                            running.remove(id.as_str());
                            let refusal = serde_json::json!({ "id": id, "type": "error", "payload": [error] });
                            if sink.send(Message::Text(refusal.to_string().into())).await.is_err() {
                                break None;
                            }
                            continue;
                        }
                    }
                }
                if to_engine.send(Ok(message)).await.is_err() {
                    break None;
                }
            }
            out = engine.next() => {
                match out {
                    Some(WsMessage::Text(text)) => {
                        if let Some(id) = finished(&text) {
                            running.remove(&id);
                        }
                        let text = with_codes(text);
                        if sink.send(Message::Text(text.into())).await.is_err() {
                            break None;
                        }
                    }
                    Some(WsMessage::Close(code, reason)) => break Some((code, reason)),
                    None => break None,
                }
            }
            changed = account_changes.changed() => {
                if changed.is_err() {
                    break Some((1011, "the server is stopping".to_owned()));
                }
                if let Some(account) = &login {
                    if let Err(refused) = session.accounts.actor(account) {
                        break Some((4403, format!("forbidden: {refused}")));
                    }
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                break Some(match expires_at {
                    None => (4408, "connection initialisation timeout".to_owned()),
                    Some(_) => (4403, "forbidden: token expired".to_owned()),
                });
            }
        }
    };
    if let Some((code, reason)) = close {
        let _ = sink
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
    }
    let _ = sink.close().await;
}

/// Checks the token of a `connection_init` payload (`{"Authorization": "Bearer …"}`) and
/// builds the session's data; the deadline is when the token expires.
async fn verify(
    session: &Session,
    payload: Option<&serde_json::Value>,
) -> Result<(Data, tokio::time::Instant, String), String> {
    let payload = payload.cloned().unwrap_or_default();
    let token = payload["Authorization"]
        .as_str()
        .or(payload["authorization"].as_str())
        .unwrap_or_default();
    let token = token.strip_prefix("Bearer ").unwrap_or(token);
    let verified = session.key.verify(token).map_err(|e| e.to_string())?;
    let actor = session
        .accounts
        .current_actor(&verified.actor.id, crate::server::ACCOUNT_WAIT)
        .await
        .map_err(|e| e.to_string())?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let left = u64::try_from(verified.expires_at.saturating_sub(now)).unwrap_or(0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(left);
    let mut data = Data::default();
    let login = actor.id.clone();
    data.insert(RequestContext {
        actor,
        correlation_id: Uuid::now_v7(),
    });
    data.insert(crate::loaders::loaders(session.pool.clone()));
    Ok((data, deadline, login))
}

/// Gives every error in a server message a code, as HTTP answers do (async-graphql's own
/// errors come without one). Messages without errors pass untouched.
fn with_codes(text: String) -> String {
    if !text.contains("\"errors\"") && !text.contains("\"error\"") {
        return text;
    }
    let Ok(mut message) = serde_json::from_str::<serde_json::Value>(&text) else {
        return text;
    };
    let errors = match message["type"].as_str() {
        Some("error") => message.get_mut("payload"),
        _ => message.get_mut("payload").and_then(|p| p.get_mut("errors")),
    };
    if let Some(errors) = errors.and_then(|e| e.as_array_mut()) {
        errors.iter_mut().for_each(crate::boundary::stamp_json);
    }
    message.to_string()
}

/// The id of an operation that a server message ends (`complete`, or `error` in
/// graphql-transport-ws, after which the id may be used again).
fn finished(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        #[serde(rename = "type")]
        kind: String,
        id: Option<String>,
    }
    let envelope: Envelope = serde_json::from_str(text).ok()?;
    matches!(envelope.kind.as_str(), "complete" | "error")
        .then_some(envelope.id)
        .flatten()
}

fn tokio_stream_of<T: Send + 'static>(
    mut receiver: mpsc::Receiver<T>,
) -> impl futures_util::Stream<Item = T> + Send {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}
