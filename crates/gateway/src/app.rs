//! The admin app and GraphiQL, from the files `civic-web` embeds: hashed bundles under
//! `/assets/` are cached for good; every other `GET` that no route claims answers the app's
//! `index.html`, whose router shows the screen (history-API fallback).

use axum::extract::Path;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// What the app's pages may load: their own origin only (no CDN), inline styles (Ant
/// Design writes its styles at run time), and the WebSocket of their own host.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

fn page(name: &str) -> Response {
    let Some(file) = civic_web::get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

/// `/graphiql`: GraphiQL, self-hosted.
pub(crate) async fn graphiql() -> Response {
    page("graphiql.html")
}

/// `/assets/{*path}`: a bundle, named by its content's hash.
pub(crate) async fn asset(Path(path): Path<String>) -> Response {
    let Some(file) = civic_web::get(&format!("assets/{path}")) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = HeaderValue::from_str(&file.mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

/// Paths of the server itself: one that no route answered (`/metrics` served on an
/// address of its own, a misspelt `/auth/…`) is a 404, never the app.
const SERVER_PATHS: &[&str] = &[
    "/graphql", "/auth/", "/audit/", "/assets/", "/metrics", "/healthz", "/readyz",
];

/// Any other path: the app for `GET` and `HEAD`, else 404.
pub(crate) async fn fallback(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if SERVER_PATHS.iter().any(|p| path.starts_with(p)) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if method == Method::GET || method == Method::HEAD {
        page("index.html")
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}
