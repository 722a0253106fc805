//! Server functions for customs staff management.

use crate::error::AppError;
use crate::organisation::TeamView;
use leptos::prelude::*;

/// All customs staff and open staff invitations. Customs administrators only.
#[server(endpoint = "staff/list")]
pub async fn get_staff() -> Result<TeamView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::CUSTOMS_ADMIN).await?;
    let state = crate::server::state::state()?;
    let link = crate::auth::service::take_flash(&state, &actor).await?;
    crate::organisation::service::team(&state, &actor, link).await
}
