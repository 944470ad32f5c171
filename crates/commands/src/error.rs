use civic_domain::UpcastError;
use civic_store::StoreError;

/// Why a command was not applied. Nothing was appended in every case.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CommandError {
    /// The command breaks a domain rule; `rule` is the rule's name (e.g. `IssueAlreadyClosed`).
    #[error("{message}")]
    Rejected {
        /// The rule's name.
        rule: String,
        /// What the rule says, for people.
        message: String,
    },
    /// The actor's role or community scope does not allow the command.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Other writers kept changing the stream; the command was given up after retries.
    #[error("the stream {stream} kept changing; gave up after {attempts} attempts")]
    Conflict {
        /// The stream.
        stream: String,
        /// Attempts made.
        attempts: u32,
    },
    /// A stored event could not be read back.
    #[error("stored event unreadable: {0}")]
    Upcast(#[from] UpcastError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store failed while the command's stream, or a prior result of its command id,
    /// was being read: before anything was appended, so the command can be sent again.
    #[error(transparent)]
    Read(StoreError),
}

impl CommandError {
    /// A domain rule violation, named after its variant.
    pub fn rejected<E: std::error::Error + std::fmt::Debug>(error: &E) -> Self {
        let debug = format!("{error:?}");
        let rule = debug
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or_default()
            .to_owned();
        CommandError::Rejected {
            rule,
            message: error.to_string(),
        }
    }
}
