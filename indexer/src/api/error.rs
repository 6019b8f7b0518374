//! The API's errors: every failure is a JSON body `{"error": {"code": "...", "message": "..."}}` with a 4xx
//! status for bad input and unknown things, and a 500 (logged) for a database failure.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// An error the API answers with.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code (`invalid_parameter`, `invalid_cursor`, `invalid_limit`, `not_found`,
    /// `method_not_allowed`, `internal`).
    pub code: &'static str,
    /// A human-readable explanation.
    pub message: String,
}

/// The JSON body of an error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The detail of an error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code: `invalid_parameter`, `invalid_cursor`, `invalid_limit`, `not_found`,
    /// `method_not_allowed` or `internal`.
    #[schema(example = "not_found")]
    pub code: String,
    /// A human-readable explanation.
    #[schema(example = "no model 0x12…")]
    pub message: String,
}

impl ApiError {
    /// A 400 for a malformed query or path parameter.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: message.into(),
        }
    }

    /// A 400 for a cursor this API did not hand out (or for another route).
    pub fn invalid_cursor() -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_cursor",
            message:
                "malformed cursor: pass back the nextCursor of a previous page of the same route"
                    .into(),
        }
    }

    /// A 400 for a page size out of range.
    pub fn invalid_limit(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_limit",
            message: message.into(),
        }
    }

    /// A 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
        }
    }

    /// A 500: logs the cause, answers without it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "API request failed");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "internal error (logged by the server)".into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

impl From<crate::IndexerError> for ApiError {
    fn from(e: crate::IndexerError) -> Self {
        Self::internal(e)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        Self::invalid(e.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        Self::invalid(e.body_text())
    }
}
