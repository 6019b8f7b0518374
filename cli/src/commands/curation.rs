//! `curia signal`, `unsignal`, `withdraw`, `reward` and `claim`.

use anyhow::Result;
use clap::Args;
use serde_json::Value;

use super::chain::{amount, signer, version_id, ChainArgs, Output};

/// Arguments of `curia signal`.
#[derive(Debug, Args)]
pub struct SignalArgs {
    /// The version id.
    pub version: String,
    /// Tokens to stake, curation tax included: 10.5 (tokens) or 123wei.
    pub amount: String,
    /// Refuse if fewer shares would be minted (default: what the current tax gives).
    #[arg(long, value_name = "SHARES")]
    pub min_shares: Option<String>,
}

/// Arguments of `curia unsignal`.
#[derive(Debug, Args)]
pub struct UnsignalArgs {
    /// The version id.
    pub version: String,
    /// Shares to unsignal (one share per token signalled after tax), or `all`.
    pub shares: String,
}

/// Arguments of `curia withdraw`.
#[derive(Debug, Args)]
pub struct WithdrawArgs {
    /// The version id.
    pub version: String,
}

/// Arguments of `curia reward`.
#[derive(Debug, Args)]
pub struct RewardArgs {
    /// The version id.
    pub version: String,
    /// Tokens to pay into its rewards.
    pub amount: String,
}

/// Arguments of `curia claim`.
#[derive(Debug, Args)]
pub struct ClaimArgs {
    /// Versions whose rewards to settle (default: every version you signalled).
    pub versions: Vec<String>,
}

/// Runs `curia signal`.
pub async fn signal(args: &SignalArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let client = chain.connect().await?;
    let amt = amount(client.token(), &args.amount)?;
    let min = args
        .min_shares
        .as_deref()
        .map(|m| amount(client.token(), m))
        .transpose()?;
    let s = client.signal(v, amt, min).await?;
    Output::new(client.token())
        .text("versionId", "version id", v)
        .amount("amount", "amount", s.amount)
        .amount("tax", "curation tax", s.tax)
        .shares("shares", "shares minted", s.shares)
        .opt_tx("approvalTx", "approval", s.approval.as_ref())
        .tx("tx", "transaction", &s.tx)
        .print(chain.json)
}

/// Runs `curia unsignal`.
pub async fn unsignal(args: &UnsignalArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let client = chain.connect().await?;
    let shares = if args.shares.trim().eq_ignore_ascii_case("all") {
        client.position(v, signer(&client)?).await?.shares
    } else {
        amount(client.token(), &args.shares)?
    };
    let u = client.unsignal(v, shares).await?;
    Output::new(client.token())
        .text("versionId", "version id", v)
        .shares("shares", "shares unsignalled", u.shares)
        .amount("thawing", "thawing", u.thawing)
        .time("thawEnd", "withdrawable from", u.thaw_end)
        .tx("tx", "transaction", &u.tx)
        .print(chain.json)
}

/// Runs `curia withdraw`.
pub async fn withdraw(args: &WithdrawArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let client = chain.connect().await?;
    let w = client.withdraw(v).await?;
    Output::new(client.token())
        .text("versionId", "version id", v)
        .amount("nominal", "stake withdrawn", w.nominal)
        .amount("amount", "paid", w.amount)
        .tx("tx", "transaction", &w.tx)
        .print(chain.json)
}

/// Runs `curia reward`.
pub async fn reward(args: &RewardArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let client = chain.connect().await?;
    let amt = amount(client.token(), &args.amount)?;
    let r = client.reward(v, amt).await?;
    Output::new(client.token())
        .text("versionId", "version id", v)
        .amount("amount", "amount", r.amount)
        .amount("publisherShare", "to the publisher", r.publisher_share)
        .amount("curatorShare", "to the curators", r.curator_share)
        .opt_tx("approvalTx", "approval", r.approval.as_ref())
        .tx("tx", "transaction", &r.tx)
        .print(chain.json)
}

/// Runs `curia claim`.
pub async fn claim(args: &ClaimArgs, chain: &ChainArgs) -> Result<()> {
    let versions = args
        .versions
        .iter()
        .map(|v| version_id(v))
        .collect::<Result<Vec<_>, _>>()?;
    let client = chain.connect().await?;
    let c = client.claim(&versions).await?;
    let txs: Vec<Value> = c.txs.iter().map(super::chain::tx_json).collect();
    let hashes = c
        .txs
        .iter()
        .map(|t| t.hash.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Output::new(client.token())
        .text("account", "account", c.account)
        .amount("curation", "curation (rewards, tax)", c.curation)
        .amount("challenges", "challenge payouts", c.challenges)
        .amount("total", "total", c.total())
        .raw(
            "versions",
            Value::from(c.versions.iter().map(|v| v.to_string()).collect::<Vec<_>>()),
            None,
        )
        .raw("txs", Value::from(txs), Some(("transactions", hashes)))
        .print(chain.json)
}
