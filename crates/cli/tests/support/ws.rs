//! A graphql-transport-ws client over a real WebSocket, for the tests that subscribe.

// Each test binary includes this file and uses only part of it.
#![allow(dead_code)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/graphql/ws` of the server at `base` (`http://…`) with the graphql-transport-ws
/// subprotocol.
pub async fn connect(base: &str) -> Socket {
    let url = format!("{}/graphql/ws", base.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

/// Sends `connection_init` with the token and waits for the acknowledgement.
pub async fn init(socket: &mut Socket, token: &str) {
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    socket
        .send(Message::Text(init.to_string().into()))
        .await
        .unwrap();
    let ack = next_json(socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
}

/// Starts the subscription `query` under `id`.
pub async fn subscribe(socket: &mut Socket, id: &str, query: &str) {
    let start = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
    socket
        .send(Message::Text(start.to_string().into()))
        .await
        .unwrap();
}

/// A session of `token` running `query` as subscription `1`.
pub async fn open(base: &str, token: &str, query: &str) -> Socket {
    let mut socket = connect(base).await;
    init(&mut socket, token).await;
    subscribe(&mut socket, "1", query).await;
    socket
}

/// The next text message as JSON (a close fails the test).
pub async fn next_json(socket: &mut Socket) -> Value {
    loop {
        match next_message(socket).await {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
}

/// The next message of any kind.
pub async fn next_message(socket: &mut Socket) -> Message {
    tokio::time::timeout(Duration::from_secs(20), socket.next())
        .await
        .expect("a message within 20 s")
        .unwrap()
        .unwrap()
}

/// The frame the server closes the session with (skipping other messages).
pub async fn close_frame(socket: &mut Socket) -> Option<CloseFrame> {
    loop {
        if let Message::Close(frame) = next_message(socket).await {
            return frame;
        }
    }
}

/// The close code the server ends the session with (1005: none given).
pub async fn close_code(socket: &mut Socket) -> u16 {
    close_frame(socket)
        .await
        .map_or(1005, |frame| u16::from(frame.code))
}
