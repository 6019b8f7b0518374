//! Curia indexer: follows the chain, mirrors every Curia event into SQL and serves the curation API.
//!
//! Not built yet: this crate is a placeholder until the indexer issue lands.
