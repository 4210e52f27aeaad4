//! One error type for every use case, without HTTP: what went wrong, naming each bad field
//! and what is allowed. The server answers it as `application/problem+json` (RFC 9457) or an
//! HTML page; the command line prints it. The cause of an internal error is logged, never
//! shown, and nothing sensitive goes into either.

use serde::Serialize;
use utoipa::ToSchema;

/// One bad field of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// Where in the request, e.g. `you.pain_type` or `symptoms[1]`.
    pub field: String,
    /// What is wrong, naming the value given and what is allowed.
    pub detail: String,
}

impl FieldError {
    /// A bad field.
    pub fn new(field: impl Into<String>, detail: impl ToString) -> FieldError {
        FieldError {
            field: field.into(),
            detail: detail.to_string(),
        }
    }
}

/// How much a journal holds, or may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = JournalUsage)]
pub struct JournalUsageDto {
    /// Entries.
    pub entries: u64,
    /// Bytes of entries as stored (sealed, padded).
    pub bytes: u64,
}

impl From<spinewise_store::JournalUsage> for JournalUsageDto {
    fn from(u: spinewise_store::JournalUsage) -> Self {
        JournalUsageDto {
            entries: u.entries,
            bytes: u.bytes,
        }
    }
}

impl From<spinewise_store::JournalQuota> for JournalUsageDto {
    fn from(q: spinewise_store::JournalQuota) -> Self {
        JournalUsageDto {
            entries: q.entries,
            bytes: q.bytes,
        }
    }
}

/// What a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request cannot be read at all (not JSON, wrong shape).
    #[error("{0}")]
    Malformed(String),
    /// The body is larger than the server accepts.
    #[error("the request body is larger than {}, the most this takes", size_words(*limit))]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body is not in a format this endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request has bad values.
    #[error("{detail}")]
    Invalid {
        /// A summary.
        detail: String,
        /// Each bad field.
        errors: Vec<FieldError>,
    },
    /// The request needs a signed-in user (or a valid API token).
    #[error("sign in first")]
    Unauthorized,
    /// The user is signed in, but their data key is not unlocked in this session (a session
    /// begun before journals existed, or a token made before): the journal and the saved
    /// profile, both under that key, cannot be read or written. Signing in again unlocks it.
    #[error(
        "your journal and saved profile are locked in this session; sign out and sign in again (or create a new API token) to open them"
    )]
    Locked,
    /// The CSRF token is missing or wrong.
    #[error("the form has expired or did not come from this site; reload the page and try again")]
    Forbidden,
    /// Nothing here.
    #[error("{0}")]
    NotFound(String),
    /// Something that was here has ended, such as an expired link.
    #[error("{0}")]
    Gone(String),
    /// A shared link needs its PIN, or was given a wrong one.
    #[error("{0}")]
    PinNeeded(String),
    /// The endpoint does not take this method.
    #[error("this endpoint does not take this method; see /api/v1/openapi.json")]
    MethodNotAllowed,
    /// Too many attempts.
    #[error("{detail}")]
    TooManyRequests {
        /// What was done too often and when it can be done again, in words.
        detail: String,
        /// How long to wait.
        retry_after_secs: u64,
    },
    /// A conflict with existing data, such as a taken username.
    #[error("{detail}")]
    Conflict {
        /// A summary.
        detail: String,
        /// The field in conflict.
        errors: Vec<FieldError>,
    },
    /// The journal has no room for a write: it would pass the entries or the bytes an
    /// account may keep. Nothing was written.
    #[error("{detail}")]
    JournalFull {
        /// What the journal holds, what it may hold and the way out, in words.
        detail: String,
        /// What the journal holds.
        usage: JournalUsageDto,
        /// What it may hold.
        limit: JournalUsageDto,
    },
    /// Something failed on our side. The cause is logged, not shown.
    #[error("something went wrong on our side")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// A request with one bad field.
    pub fn field(field: impl Into<String>, detail: impl ToString) -> AppError {
        let e = FieldError::new(field, detail);
        AppError::Invalid {
            detail: format!("{}: {}", e.field, e.detail),
            errors: vec![e],
        }
    }

    /// A request with several bad fields.
    pub fn fields(errors: Vec<FieldError>) -> AppError {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.detail),
            _ => format!("{} fields are not valid", errors.len()),
        };
        AppError::Invalid { detail, errors }
    }

    /// Logs a server error's cause (other errors are the client's and not logged).
    pub fn log(&self) {
        if let AppError::Internal(cause) = self {
            // Only the top-level message: a database error's inner message can quote values.
            tracing::error!(error = %cause, "request failed");
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

/// A size as a person reads it: "64 KiB", "16 MiB", or bytes below a KiB.
pub fn size_words(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod size_tests {
    use super::size_words;

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(size_words(64 * 1024), "64 KiB");
        assert_eq!(size_words(16 * 1024 * 1024), "16 MiB");
        assert_eq!(size_words(1500), "1500 bytes");
    }
}
