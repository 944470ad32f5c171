//! The HTTP routes: GraphQL over POST and WebSocket, GraphiQL, health, readiness, metrics;
//! and the layers every request passes (request id and tracing, timeout, compression,
//! security headers, and CORS when origins are configured).

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::http::WebSocketProtocols as Protocols;
use axum::body::Bytes;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::auth::TokenKey;
use crate::error::Code;
use crate::schema::{CivicSchema, Limits, RequestContext};

/// The GraphQL-over-HTTP media type; a client that accepts it gets 4xx for requests that
/// could not be executed, as the specification asks.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// How long a request with the token of an account not yet known waits for the accounts
/// view to catch up with the log.
pub(crate) const ACCOUNT_WAIT: Duration = Duration::from_secs(2);

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: CivicSchema,
    /// Verifies tokens.
    pub key: TokenKey,
    /// The database (for readiness).
    pub pool: sqlx::PgPool,
    /// Limits on requests and sessions.
    pub limits: Limits,
    /// Renders the metrics.
    pub metrics: PrometheusHandle,
    /// Origins other than the server's own that browsers may call it from.
    pub cors_origins: Vec<HeaderValue>,
    /// Whether `/metrics` is served here (not when it has an address of its own).
    pub metrics_here: bool,
    /// What each account may do now.
    pub accounts: crate::accounts::AccountView,
    /// Sign-in and sessions.
    pub signin: crate::signin::SignIn,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("limits", &self.limits)
            .field("cors_origins", &self.cors_origins)
            .finish_non_exhaustive()
    }
}

/// The router with every layer.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_millis(state.limits.request_timeout_ms);
    let cors = cors(&state.cors_origins);
    let mut routes = Router::new()
        .route("/graphiql", get(crate::app::graphiql))
        .route("/assets/{*path}", get(crate::app::asset))
        .route("/graphql", get(to_graphiql).post(graphql))
        .route("/graphql/ws", get(websocket))
        .route("/audit/export", get(crate::export::export))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    if state.metrics_here {
        routes = routes.route("/metrics", get(metrics));
    }
    let request_id = HeaderName::from_static("x-request-id");
    let signin = state.signin.routes();
    let routes = routes
        .fallback(crate::app::fallback)
        // Shared behind one `Arc`: axum clones the state for every request, and a clone of
        // `AppState` itself would bump a dozen reference counts and copy the CORS origins.
        .with_state(Arc::new(state))
        .merge(signin);
    let routes = match cors {
        Some(cors) => routes.layer(cors),
        None => routes,
    };
    // One layer of the whole stack, outermost first: `Router::layer` boxes every route
    // once more for each layer it is given, and each box is an allocation and an indirect
    // call on every request.
    let layers = tower::ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                // Debug level: the GraphQL handler's own span carries the request at info.
                tracing::debug_span!("http", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        // Security headers on every answer, unless a handler set its own.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CompressionLayer::new());
    routes.layer(layers)
}

/// `/metrics` alone, for `CIVIC_METRICS_LISTEN`.
pub fn metrics_router(handle: PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(metrics_only))
        .with_state(handle)
}

/// Same-origin by default: with no configured origins there is no CORS layer and no CORS
/// header, so browsers let only pages of the server's own origin read its answers (and
/// requests do not pay for a layer that would allow nothing).
fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600));
    Some(layer)
}

/// A browser opening the endpoint gets GraphiQL.
async fn to_graphiql() -> Redirect {
    Redirect::to("/graphiql")
}

fn envelope(status: StatusCode, code: Code, message: &str, correlation: Uuid) -> Response {
    envelope_with(status, code, None, message, correlation)
}

/// An error envelope; `reason` names why for a client to put in its own words.
fn envelope_with(
    status: StatusCode,
    code: Code,
    reason: Option<&str>,
    message: &str,
    correlation: Uuid,
) -> Response {
    let mut extensions = serde_json::json!({ "code": code.as_str() });
    if let Some(reason) = reason {
        extensions["reason"] = reason.into();
    }
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (status, axum::Json(body)).into_response();
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

pub(crate) async fn authenticate(
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
    let verified = state.key.verify(token.trim())?;
    // The token names the account; what it may do is what the log says now.
    Ok(state
        .accounts
        .current_actor(&verified.actor.id, ACCOUNT_WAIT)
        .await?)
}

/// Whether the client asked for `application/graphql-response+json`.
fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
}

async fn graphql(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let correlation = correlation_of(&headers);
    let max_body = state.limits.max_body_bytes;
    if body.len() > max_body {
        return envelope(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::Validation,
            &format!(
                "request body of {} bytes exceeds the limit of {max_body} bytes",
                body.len(),
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
    // Parsed once here (or taken from the documents kept) and checked, so that malformed,
    // oversized or unstorable input is a 400, not a 200 with errors.
    let passed = match crate::boundary::check(&mut request, state.limits.max_expanded_fields) {
        Ok(passed) => passed,
        Err(e) => {
            return envelope(
                StatusCode::BAD_REQUEST,
                Code::Validation,
                &e.message,
                correlation,
            )
        }
    };
    let actor = match authenticate(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => {
            return envelope_with(
                StatusCode::UNAUTHORIZED,
                Code::Unauthenticated,
                Some(e.reason()),
                &e.to_string(),
                correlation,
            )
        }
    };
    let operation = crate::metrics::operation_label(
        &passed.checked.document,
        request.operation_name.as_deref(),
    );
    let span =
        tracing::info_span!("graphql", operation, correlation_id = %correlation, actor = %actor.id);
    let graphql_response = wants_graphql_response(&headers);
    let content_type = if graphql_response {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let direct = match &passed.checked.board {
        Some(plan) => {
            let direct = crate::direct::answer(&state.pool, &state.limits, &actor, plan, &request);
            tracing::Instrument::instrument(direct, span.clone()).await
        }
        None => None,
    };
    let (status, body) = match direct {
        Some(Ok(body)) => {
            crate::metrics::record(operation, started.elapsed(), false);
            crate::metrics::record_direct();
            (StatusCode::OK, body)
        }
        Some(Err(error)) => answered(
            async_graphql::Response::from_errors(vec![error]),
            operation,
            started,
            graphql_response,
        ),
        None => {
            passed.attach(&mut request);
            let request = request
                .data(RequestContext {
                    actor,
                    correlation_id: correlation,
                })
                .data(crate::loaders::loaders(state.pool.clone()));
            let response =
                tracing::Instrument::instrument(state.schema.execute(request), span).await;
            answered(response, operation, started, graphql_response)
        }
    };
    let mut http = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    insert_correlation(http.headers_mut(), correlation);
    http
}

/// The status and body of a GraphQL response for `operation`, recorded in the metrics:
/// 503 when the database could not answer, 400 for a request never executed when the
/// client asked for `application/graphql-response+json`, else 200.
fn answered(
    mut response: async_graphql::Response,
    operation: &'static str,
    started: Instant,
    graphql_response: bool,
) -> (StatusCode, Vec<u8>) {
    crate::boundary::stamp(&mut response);
    crate::metrics::record(operation, started.elapsed(), response.is_err());
    let has_code = |code: Code| {
        response.errors.iter().any(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .is_some_and(|c| *c == async_graphql::Value::from(code.as_str()))
        })
    };
    let status = if has_code(Code::Unavailable) {
        StatusCode::SERVICE_UNAVAILABLE
    } else if graphql_response && response.data == async_graphql::Value::Null && response.is_err() {
        // Not executed at all (invalid document, over a limit): a request error.
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, serde_json::to_vec(&response).unwrap_or_default())
}

async fn websocket(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let protocol = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|protocols| {
            protocols
                .split(',')
                .find_map(|p| Protocols::from_str(p.trim()).ok())
        });
    let Some(protocol) = protocol else {
        return (
            StatusCode::BAD_REQUEST,
            "use the graphql-transport-ws (or graphql-ws) subprotocol",
        )
            .into_response();
    };
    let session = crate::websocket::Session {
        schema: state.schema.clone(),
        key: state.key.clone(),
        pool: state.pool.clone(),
        accounts: state.accounts.clone(),
        init_timeout: Duration::from_millis(state.limits.ws_init_timeout_ms),
        max_expanded_fields: state.limits.max_expanded_fields,
    };
    upgrade
        .protocols([protocol.sec_websocket_protocol()])
        .max_message_size(state.limits.max_body_bytes)
        .max_frame_size(state.limits.max_body_bytes)
        .on_upgrade(move |socket| crate::websocket::serve(socket, protocol, session))
}

/// Ready when the database answers within a second, every migration is applied and no
/// projector is far behind.
async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let check = async {
        let applied = civic_store::MIGRATOR.iter().count() as i64;
        let found: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.pool)
            .await
            .map_err(|_| "database unreachable")?;
        if found < applied {
            return Err("migrations pending");
        }
        let all = civic_projections::status(&state.pool)
            .await
            .map_err(|_| "database unreachable")?;
        if all.iter().any(|s| s.lag_events > 1_000) {
            return Err("projectors catching up");
        }
        Ok(())
    };
    match tokio::time::timeout(Duration::from_millis(900), check).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(reason)) => (StatusCode::SERVICE_UNAVAILABLE, reason).into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    metrics_only(State(state.metrics.clone())).await
}

async fn metrics_only(State(handle): State<PrometheusHandle>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}
