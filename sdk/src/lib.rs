//! Curia SDK: the MR1 content commitment of model weights, contract bindings and a typed
//! client of the protocol.
//!
//! - [`mr1`]: the content commitment that identifies a model version by the bytes of its
//!   weights: the Merkle root over 4 KiB chunks, the canonical manifest, the `versionId`
//!   registered on chain, chunk proofs and the outboard file that serves them.
//! - [`bindings`]: alloy `sol!` bindings of the contracts, from the committed artifacts.
//! - [`Deployment`] (the deployment JSON file), [`Terms`] and [`deploy`].
//! - [`Client`]: publish, signal, reward, claim, challenge, respond and settle, with balance
//!   checks, exact approvals, simulation before sending and reverts decoded into
//!   [`CuriaError`].
//! - [`devnet`]: anvil with Curia deployed, for tests and demos.
//! - [`logs`]: `eth_getLogs` over long ranges, split where the node refuses.
//! - [`parse_amount`] / [`format_amount`]: token amounts as people type and read them.
#![deny(missing_docs)]

pub mod amount;
pub mod bindings;
pub mod client;
pub mod deployment;
pub mod devnet;
pub mod error;
pub mod logs;
pub mod mr1;
pub mod types;

pub use alloy_primitives::B256;
pub use amount::{format_amount, parse_amount, TokenAmount, TokenInfo};
pub use client::{
    build_answer, parse_address, parse_challenge_id, parse_id, random_chunk_indices, Answer,
    Client, ClientBuilder, Progress, SignerSource,
};
pub use deployment::{deploy, Deployment, Terms};
pub use error::{CuriaError, Shortfall, Thawing};
pub use types::*;

/// Shorthand for results of this crate.
pub type Result<T, E = CuriaError> = std::result::Result<T, E>;
