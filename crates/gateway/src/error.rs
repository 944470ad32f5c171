//! Errors as the client sees them: a message and a stable `extensions.code`.

use async_graphql::ErrorExtensions;
use civic_commands::CommandError;
use civic_projections::ProjectionError;

/// The stable error codes of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// No valid token.
    Unauthenticated,
    /// The token's role or scope does not allow it.
    Forbidden,
    /// No such thing (or not visible to the caller).
    NotFound,
    /// Concurrent change; retry.
    Conflict,
    /// Invalid input or a broken domain rule.
    Validation,
    /// Our fault; details are in the server log only.
    Internal,
}

impl Code {
    /// The code as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::Conflict => "CONFLICT",
            Code::Validation => "VALIDATION",
            Code::Internal => "INTERNAL",
        }
    }
}

/// A client-facing error with its code.
pub fn error(code: Code, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code.as_str()))
}

/// An internal error: logged once here, returned without details.
pub fn internal(source: &dyn std::fmt::Display) -> async_graphql::Error {
    tracing::error!(error = %source, "internal error");
    error(Code::Internal, "internal error")
}

/// Maps a command error to its client-facing form; rule violations name the rule.
pub fn from_command(e: CommandError) -> async_graphql::Error {
    match e {
        CommandError::Rejected { rule, message } => {
            async_graphql::Error::new(message).extend_with(|_, x| {
                x.set("code", Code::Validation.as_str());
                x.set("rule", rule.clone());
            })
        }
        CommandError::Forbidden(message) => error(Code::Forbidden, message),
        CommandError::Conflict { .. } => error(Code::Conflict, e.to_string()),
        other => internal(&other),
    }
}

/// Maps a projection error (timeouts are the client's to see).
pub fn from_projection(e: ProjectionError) -> async_graphql::Error {
    match e {
        ProjectionError::WaitTimeout { .. } => error(
            Code::Conflict,
            format!("the read model is not yet that new: {e}"),
        ),
        other => internal(&other),
    }
}

/// Maps a database error.
pub fn from_sql(e: sqlx::Error) -> async_graphql::Error {
    internal(&e)
}

/// Maps a value that failed to parse.
pub fn invalid(e: civic_domain::values::ValueError) -> async_graphql::Error {
    error(Code::Validation, e.to_string())
}
