//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the response types.

use utoipa::OpenApi;

use super::{challenges, curators, events, models, status, versions};

/// The API's OpenAPI document (served at `/openapi.json`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Curia curation API",
        description = "Read-only API of the Curia indexer: models, versions, curation, challenges and events. \
                       Amounts are decimal strings of token base units, addresses are EIP-55 checksummed, \
                       lists are cursor-paginated (`limit`, `cursor`, `nextCursor`). See docs/api.md."
    ),
    paths(
        models::list_models,
        models::get_model,
        models::model_versions,
        models::resolve,
        versions::list_versions,
        versions::get_version,
        versions::lineage,
        curators::version_curators,
        curators::curator_positions,
        curators::get_account,
        curators::leaderboard,
        challenges::list_challenges,
        challenges::get_challenge,
        events::list_events,
        events::stream,
        status::status,
        status::healthz,
        status::readyz,
        status::metrics,
    ),
    tags(
        (name = "models", description = "Models and resolution to the best-curated version"),
        (name = "versions", description = "Versions and their lineage"),
        (name = "curators", description = "Curation positions, accounts, leaderboard"),
        (name = "challenges", description = "Availability challenges and disputes"),
        (name = "events", description = "Raw events and their live stream"),
        (name = "status", description = "Progress, health, readiness, metrics"),
    )
)]
pub struct ApiDoc;
