//! The one error type every server function returns. Its variants say what the *user* can act
//! on; infrastructure failures become `Internal` with a request id after being logged here.

use crate::domain::validation::{ErrorCode, FieldError};
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What went wrong, as far as the caller may know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The caller must sign in first (HTTP 401).
    #[error("sign-in required")]
    Unauthenticated,
    /// The caller is signed in but their role does not allow this (HTTP 403).
    #[error("not allowed")]
    Forbidden,
    /// Nothing the caller may see exists under that id (HTTP 404).
    #[error("not found")]
    NotFound,
    /// Some fields are invalid; nothing was saved (HTTP 422).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A business rule refuses the request; nothing was saved (HTTP 409).
    #[error("refused: {0:?}")]
    Refused(ErrorCode),
    /// Someone else changed the record first; reload and try again (HTTP 409).
    #[error("conflicting change")]
    Conflict,
    /// Submission is blocked: these answers or evidence are missing (HTTP 422).
    #[error("incomplete")]
    Incomplete(Vec<crate::domain::answer::Missing>),
    /// An uploaded file is invalid; each problem carries its line (HTTP 422).
    #[error("invalid file")]
    FileInvalid(Vec<LineError>),
    /// The e-mail and password do not match an active account (HTTP 401).
    #[error("wrong e-mail or password")]
    BadCredentials,
    /// Too many attempts; try again after this many seconds (HTTP 429).
    #[error("too many attempts")]
    RateLimited {
        /// Seconds until another attempt is accepted.
        retry_after_secs: u64,
    },
    /// A certificate of the organisation was revoked within the cool-off period: a new AEO
    /// application is accepted from `until` (days since 1970-01-01) (HTTP 409).
    #[error("cooling off until day {until}")]
    CoolingOff {
        /// The first day a new application is accepted.
        until: i64,
    },
    /// The request could not be read (HTTP 400).
    #[error("malformed request")]
    BadRequest,
    /// The request body is larger than this endpoint accepts; nothing was saved (HTTP 413).
    #[error("request too large")]
    TooLarge,
    /// A file upload's multipart body could not be read (interrupted or not multipart at all);
    /// nothing was saved (HTTP 400).
    #[error("malformed upload")]
    MalformedUpload,
    /// The server could not be reached (raised in the browser only).
    #[error("server unreachable")]
    Unreachable,
    /// The database cannot take or answer the request right now (disk full, I/O error, server
    /// unreachable or saturated); nothing was saved and what the user typed is kept (HTTP 503).
    /// Details are in the server log under this request id.
    #[error("service unavailable, request {request_id}")]
    Unavailable {
        /// The request id to quote to support.
        request_id: String,
    },
    /// Something failed on the server; details are in its log under this request id (HTTP 500).
    #[error("internal error, request {request_id}")]
    Internal {
        /// The request id to quote to support.
        request_id: String,
    },
}

impl AppError {
    /// A single-field validation failure.
    pub fn invalid(field: &str, code: ErrorCode) -> Self {
        Self::Invalid(vec![FieldError::new(field, code)])
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthenticated | Self::BadCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Invalid(_) | Self::FileInvalid(_) | Self::Incomplete(_) => 422,
            Self::Refused(_) | Self::Conflict | Self::CoolingOff { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::BadRequest | Self::MalformedUpload => 400,
            Self::TooLarge => 413,
            Self::Unreachable | Self::Unavailable { .. } => 503,
            Self::Internal { .. } => 500,
        }
    }

    /// The field errors, if this is a validation failure.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

/// A problem at a line of an uploaded text file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl AppError {
    /// The one refusal for a lifecycle step that is not allowed in the record's status, whether the
    /// transition function said so or the compare-and-set inside the write found the status moved.
    pub const WRONG_STATE: AppError = AppError::Refused(ErrorCode::WrongState);
}

impl From<crate::domain::assessment::AssessmentTransitionError> for AppError {
    fn from(_: crate::domain::assessment::AssessmentTransitionError) -> Self {
        Self::WRONG_STATE
    }
}

impl From<crate::domain::questionnaire::TemplateTransitionError> for AppError {
    fn from(_: crate::domain::questionnaire::TemplateTransitionError) -> Self {
        Self::WRONG_STATE
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::Invalid(errors)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Request(_) => Self::Unreachable,
            _ => Self::BadRequest,
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    /// Logs an infrastructure failure with the current request id and hides it from the caller.
    pub(crate) fn internal(context: &str, error: &dyn std::fmt::Display) -> AppError {
        let request_id = crate::server::request::current_request_id();
        tracing::error!(%request_id, error = %error, "{context}");
        AppError::Internal { request_id }
    }

    /// Logs a database failure under `request_id` and maps it to what the user can act on:
    /// [`AppError::Unavailable`] when the database cannot work right now (it will recover by
    /// itself), [`AppError::Internal`] for anything else (a bug).
    pub(crate) fn database(error: &sqlx::Error, request_id: String) -> AppError {
        if is_unavailable(error) {
            tracing::error!(%request_id, %error, "database unavailable");
            AppError::Unavailable { request_id }
        } else {
            tracing::error!(%request_id, %error, "database error");
            AppError::Internal { request_id }
        }
    }

    /// Whether a database error is about the database's condition (space, disk, connection,
    /// capacity) rather than about the statement: those pass once the cause is gone.
    pub(crate) fn is_unavailable(error: &sqlx::Error) -> bool {
        use sqlx::Error;
        match error {
            Error::Io(_)
            | Error::Tls(_)
            | Error::Protocol(_)
            | Error::PoolTimedOut
            | Error::PoolClosed
            | Error::WorkerCrashed => true,
            Error::Database(e) => {
                let code = e.code().map(|c| c.into_owned()).unwrap_or_default();
                if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLite extended result codes; the primary code is the low byte: BUSY,
                    // LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN.
                    code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6 | 7 | 8 | 10 | 13 | 14))
                } else {
                    // PostgreSQL SQLSTATE: connection exceptions (08), insufficient resources
                    // such as disk full (53), operator intervention such as shutdown (57P0x),
                    // system and I/O errors (58).
                    ["08", "53", "57P", "58"].iter().any(|class| code.starts_with(class))
                }
            }
            _ => false,
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            database(&error, crate::server::request::current_request_id())
        }
    }

    impl From<tokio::task::JoinError> for AppError {
        fn from(error: tokio::task::JoinError) -> Self {
            internal("background task failed", &error)
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) use ssr::{database, internal};
