//! Errors as the client sees them: a message and a stable `extensions.code`.

use async_graphql::ErrorExtensions;
use civic_commands::CommandError;
use civic_projections::ProjectionError;
use civic_store::StoreError;

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
    /// The database cannot be reached or has no connection to give (HTTP 503).
    Unavailable,
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
            Code::Unavailable => "UNAVAILABLE",
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
        CommandError::Store(StoreError::CommandIdReused { .. }) => {
            async_graphql::Error::new(e.to_string()).extend_with(|_, x| {
                x.set("code", Code::Conflict.as_str());
                x.set(
                    "reason",
                    "the command id was already used for another request; send a new id",
                );
            })
        }
        CommandError::Store(store) => from_store_write(store),
        // Nothing was appended: the command can be sent again, like any read.
        CommandError::Read(store) => from_store(store),
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
        ProjectionError::Database(ref source) if unavailable(source).is_some() => {
            unavailable_error(source, true)
        }
        ProjectionError::Store(store) => from_store(store),
        ProjectionError::WaitTimeout { .. } => error(
            Code::Conflict,
            format!("the read model is not yet that new: {e}"),
        ),
        other => internal(&other),
    }
}

/// Maps a store error of a read: database trouble is `UNAVAILABLE` and always safe to retry,
/// anything else internal.
pub fn from_store(e: StoreError) -> async_graphql::Error {
    match &e {
        StoreError::Database(source) if unavailable(source).is_some() => {
            unavailable_error(source, true)
        }
        _ => internal(&e),
    }
}

/// Maps a store error of a write: database trouble is `UNAVAILABLE`, `retryable` only when the
/// statement is known not to have run; anything else internal.
pub fn from_store_write(e: StoreError) -> async_graphql::Error {
    match &e {
        StoreError::Database(source) => match unavailable(source) {
            Some(retryable) => unavailable_error(source, retryable),
            None => internal(&e),
        },
        _ => internal(&e),
    }
}

/// Maps a database error.
pub fn from_sql(e: sqlx::Error) -> async_graphql::Error {
    match unavailable(&e) {
        // A read changes nothing: always safe to retry.
        Some(_) => unavailable_error(&e, true),
        None => internal(&e),
    }
}

/// Whether `e` means the database cannot serve now (unreachable, restarting, out of
/// connections), and if so whether the statement is known not to have run: the error came
/// before a connection was had, or the server refused the connection itself.
pub fn unavailable(e: &sqlx::Error) -> Option<bool> {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => Some(true),
        // A connection lost mid-statement: the outcome is unknown (a retry under the same
        // command id is still safe: it gets the first result if the write did commit).
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) => Some(false),
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or_default();
            // 53300 too many connections, 57P01-03 shutting down or starting up,
            // class 08 connection exceptions, 57014 a statement cancelled (one that ran past
            // a request's statement timeout: its transaction is rolled back, so it did not
            // run).
            (matches!(code, "53300" | "57P01" | "57P02" | "57P03" | "57014")
                || code.starts_with("08"))
            .then_some(code != "57P01" && code != "57P02")
        }
        _ => None,
    }
}

fn unavailable_error(source: &sqlx::Error, retryable: bool) -> async_graphql::Error {
    let message = if cancelled(source) {
        tracing::warn!(retryable, "a statement ran past the statement timeout");
        "the query took longer than the server allows; try again shortly, or ask for less"
    } else {
        tracing::warn!(retryable, "database unavailable");
        "the database is unavailable; try again shortly"
    };
    async_graphql::Error::new(message).extend_with(|_, x| {
        x.set("code", Code::Unavailable.as_str());
        if retryable {
            x.set("retryable", true);
        }
    })
}

/// Whether PostgreSQL cancelled the statement (`query_canceled`): one of a request's that
/// ran past the statement timeout its connection carries (`civic serve
/// --statement-timeout-ms`).
fn cancelled(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("57014"))
}

/// Maps a value that failed to parse.
pub fn invalid(e: civic_domain::values::ValueError) -> async_graphql::Error {
    error(Code::Validation, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `extensions.code` and `extensions.retryable` of an error.
    fn code_and_retryable(e: &async_graphql::Error) -> (String, bool) {
        let extensions = e.extensions.as_ref().expect("extensions");
        let code = match extensions.get("code") {
            Some(async_graphql::Value::String(code)) => code.clone(),
            other => panic!("no code: {other:?}"),
        };
        let retryable = extensions.get("retryable") == Some(&async_graphql::Value::from(true));
        (code, retryable)
    }

    fn lost() -> StoreError {
        StoreError::from(sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )))
    }

    #[test]
    fn a_lost_connection_is_retryable_unless_a_write_may_have_committed() {
        let unavailable = || (Code::Unavailable.as_str().to_owned(), true);
        // Reading the command's stream: nothing was appended.
        assert_eq!(
            code_and_retryable(&from_command(CommandError::Read(lost()))),
            unavailable()
        );
        // Any read.
        assert_eq!(code_and_retryable(&from_store(lost())), unavailable());
        // The append itself: it may have committed.
        assert_eq!(
            code_and_retryable(&from_command(CommandError::Store(lost()))),
            (Code::Unavailable.as_str().to_owned(), false)
        );
        assert_eq!(
            code_and_retryable(&from_store_write(lost())),
            (Code::Unavailable.as_str().to_owned(), false)
        );
        // A pool that timed out never ran the statement, read or write.
        let timed_out = || StoreError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(
            code_and_retryable(&from_command(CommandError::Store(timed_out()))),
            unavailable()
        );
    }
}
