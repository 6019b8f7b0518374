//! `curia version ID` and `curia position VERSION [ADDRESS]`.

use anyhow::Result;
use clap::Args;

use super::chain::{version_id, ChainArgs, Output};
use crate::UserError;

/// Arguments of `curia version`.
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// The version id.
    pub id: String,
}

/// Arguments of `curia position`.
#[derive(Debug, Args)]
pub struct PositionArgs {
    /// The version id.
    pub version: String,
    /// The curator (default: the signer's address).
    pub address: Option<String>,
}

/// Runs `curia version`.
pub async fn version(args: &VersionArgs, chain: &ChainArgs) -> Result<()> {
    let id = version_id(&args.id)?;
    let client = chain.connect().await?;
    let v = client.version(id).await?;
    let pool = client.pool(id).await?;
    let bond = client.required_bond(id).await?;
    Output::new(client.token())
        .text("versionId", "version id", v.version_id)
        .text("modelId", "model id", v.model_id)
        .text("contentRoot", "content root", v.content_root)
        .num("numChunks", "chunks", v.num_chunks)
        .text("publisher", "publisher", v.publisher)
        .text("status", "status", v.status)
        .time("publishedAt", "published", v.published_at)
        .amount("bond", "publisher bond", v.bond)
        .time("thawEnd", "bond thaws until", v.thaw_end)
        .num("termsId", "terms id", u64::from(v.terms_id))
        .shares("poolShares", "curator shares", pool.shares)
        .amount("poolThawing", "curator stake thawing", pool.thawing)
        .amount("poolTokens", "curator stake", pool.tokens)
        .amount("challengeBond", "challenge bond now", bond)
        .print(chain.json)
}

/// Runs `curia position`.
pub async fn position(args: &PositionArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let account = args
        .address
        .as_deref()
        .map(curia_sdk::parse_address)
        .transpose()?;
    let client = chain.connect().await?;
    let account = match account.or(client.address()) {
        Some(a) => a,
        None => {
            return Err(UserError(
                "whose position? pass ADDRESS, or a signer (--private-key or --keystore)".into(),
            )
            .into())
        }
    };
    let p = client.position(v, account).await?;
    Output::new(client.token())
        .text("versionId", "version id", v)
        .text("account", "account", account)
        .shares("shares", "shares", p.shares)
        .amount("thawing", "thawing", p.thawing)
        .amount("thawingValue", "thawing pays out", p.thawing_value)
        .time("thawEnd", "withdrawable from", p.thaw_end)
        .amount("pendingRewards", "pending rewards", p.pending_rewards)
        .print(chain.json)
}
