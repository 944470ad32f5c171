//! The HTTP server: GraphQL over POST and WebSocket, GraphiQL, health, readiness, metrics.

use std::time::Instant;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::GraphQLProtocol;
use axum::body::Bytes;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;

use crate::auth::TokenKey;
use crate::error::Code;
use crate::schema::{CivicSchema, RequestContext};

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: CivicSchema,
    /// Verifies tokens.
    pub key: TokenKey,
    /// The database (for readiness and metrics).
    pub pool: sqlx::PgPool,
    /// Largest request body.
    pub max_body_bytes: usize,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// The router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphiql).post(graphql))
        .route("/graphql/ws", get(websocket))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .finish(),
    )
}

fn envelope(status: StatusCode, code: Code, message: &str, correlation: Uuid) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    let mut response = (status, Json(body)).into_response();
    insert_correlation(response.headers_mut(), correlation);
    response
}

fn insert_correlation(headers: &mut HeaderMap, id: Uuid) {
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        headers.insert("x-correlation-id", value);
    }
}

fn correlation_of(headers: &HeaderMap) -> Uuid {
    headers
        .get("x-correlation-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::parse_str(v).ok())
        .unwrap_or_else(Uuid::now_v7)
}

fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<civic_commands::Actor, crate::auth::AuthError> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or(crate::auth::AuthError::Missing)?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or(crate::auth::AuthError::Malformed)?;
    state.key.verify(
        token.trim(),
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )
}

async fn graphql(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let correlation = correlation_of(&headers);
    if body.len() > state.max_body_bytes {
        return envelope(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::Validation,
            &format!(
                "request body of {} bytes exceeds the limit of {} bytes",
                body.len(),
                state.max_body_bytes
            ),
            correlation,
        );
    }
    let mut request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return envelope(
                StatusCode::BAD_REQUEST,
                Code::Validation,
                &format!("malformed JSON request: {e}"),
                correlation,
            )
        }
    };
    // Parsed once here (the request keeps the document for execution) so that malformed
    // GraphQL is a 400, not a 200 with errors.
    if let Err(e) = request.parsed_query() {
        return envelope(
            StatusCode::BAD_REQUEST,
            Code::Validation,
            &format!("malformed GraphQL: {e}"),
            correlation,
        );
    }
    let actor = match authenticate(&state, &headers) {
        Ok(actor) => actor,
        Err(e) => {
            return envelope(
                StatusCode::UNAUTHORIZED,
                Code::Unauthenticated,
                &e.to_string(),
                correlation,
            )
        }
    };
    let operation = request
        .operation_name
        .clone()
        .unwrap_or_else(|| "anonymous".to_owned());
    let span = tracing::info_span!("graphql", operation = %operation, correlation_id = %correlation, actor = %actor.id);
    let request = request
        .data(RequestContext {
            actor,
            correlation_id: correlation,
        })
        .data(crate::loaders::loaders(state.pool.clone()));
    let mut response = tracing::Instrument::instrument(state.schema.execute(request), span).await;
    // Errors raised by async-graphql itself (unknown fields, wrong argument types, depth and
    // complexity limits) carry no code of ours: they are all the client's input.
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Code::Validation.as_str());
        }
    }
    crate::metrics::record(
        &operation,
        started.elapsed().as_micros() as u64,
        response.is_err(),
    );
    let mut http = Json(response).into_response();
    insert_correlation(http.headers_mut(), correlation);
    http
}

async fn websocket(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let key = state.key.clone();
    let pool = state.pool.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let pool = pool.clone();
            async_graphql_axum::GraphQLWebSocket::new(socket, state.schema.clone(), protocol)
                .on_connection_init(move |payload: serde_json::Value| async move {
                    let token = payload["Authorization"]
                        .as_str()
                        .or(payload["authorization"].as_str())
                        .unwrap_or_default();
                    let token = token.strip_prefix("Bearer ").unwrap_or(token);
                    let actor = key
                        .verify(token, time::OffsetDateTime::now_utc().unix_timestamp())
                        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                    let mut data = async_graphql::Data::default();
                    data.insert(RequestContext {
                        actor,
                        correlation_id: Uuid::now_v7(),
                    });
                    data.insert(crate::loaders::loaders(pool));
                    Ok(data)
                })
                .serve()
        })
}

async fn readyz(State(state): State<AppState>) -> Response {
    let applied = civic_store::MIGRATOR.iter().count() as i64;
    let found: Result<i64, _> =
        sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.pool)
            .await;
    match found {
        Ok(n) if n >= applied => {}
        Ok(_) => return (StatusCode::SERVICE_UNAVAILABLE, "migrations pending").into_response(),
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
    match civic_projections::status(&state.pool).await {
        Ok(all) if all.iter().all(|s| s.lag_events <= 1_000) => {
            (StatusCode::OK, "ready").into_response()
        }
        Ok(_) => (StatusCode::SERVICE_UNAVAILABLE, "projectors catching up").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut response = crate::metrics::render(&state.pool).await.into_response();
    response.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}
