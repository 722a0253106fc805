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
    /// The request could not be read (HTTP 400).
    #[error("malformed request")]
    BadRequest,
    /// The server could not be reached (raised in the browser only).
    #[error("server unreachable")]
    Unreachable,
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
            Self::Refused(_) | Self::Conflict => 409,
            Self::RateLimited { .. } => 429,
            Self::BadRequest => 400,
            Self::Unreachable => 503,
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

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            internal("database error", &error)
        }
    }

    impl From<tokio::task::JoinError> for AppError {
        fn from(error: tokio::task::JoinError) -> Self {
            internal("background task failed", &error)
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) use ssr::internal;
