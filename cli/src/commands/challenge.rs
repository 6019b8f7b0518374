//! `curia challenge availability|dispute|show`, `curia respond`, `curia settle` and
//! `curia challenge-info`.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use curia_sdk::{ChallengeInfo, ChallengeOpened, Client, TokenInfo, Weights};
use serde_json::Value;

use super::chain::{version_id, ChainArgs, Output};
use crate::UserError;

/// Arguments of `curia challenge`.
#[derive(Debug, Args)]
pub struct ChallengeArgs {
    #[command(subcommand)]
    pub command: ChallengeCommand,
}

/// `curia challenge` subcommands.
#[derive(Debug, Subcommand)]
pub enum ChallengeCommand {
    /// Challenge a version's availability: whoever holds the weights must answer with the named
    /// chunks and their proofs before the deadline, or the version is slashed.
    Availability(AvailabilityArgs),
    /// Dispute a version (wrong bytes at a location, poisoned or mislabelled weights, licence):
    /// the arbitrator rules.
    Dispute(DisputeArgs),
    /// Show a challenge (same as `curia challenge-info ID`).
    Show(IdArgs),
}

/// Arguments of `curia challenge availability`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["chunks", "random"])))]
pub struct AvailabilityArgs {
    /// The version id.
    pub version: String,
    /// Chunk indices, comma-separated and increasing: 1,5,9.
    #[arg(long, value_name = "INDICES", value_delimiter = ',')]
    pub chunks: Option<Vec<u32>>,
    /// Or N chunk indices picked at random.
    #[arg(long, value_name = "N")]
    pub random: Option<usize>,
}

/// Arguments of `curia challenge dispute`.
#[derive(Debug, Args)]
pub struct DisputeArgs {
    /// The version id.
    pub version: String,
    /// Where the evidence is (1 to 2048 bytes).
    #[arg(long, value_name = "URI")]
    pub evidence: String,
}

/// A challenge id argument.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The challenge id (a number, from 1).
    pub id: String,
}

/// Arguments of `curia respond`.
#[derive(Debug, Args)]
pub struct RespondArgs {
    /// The challenge id.
    pub id: String,
    /// The weights directory (or file) that was published.
    #[arg(long, value_name = "DIR")]
    pub weights: PathBuf,
    /// Its outboard (from `curia hash --outboard`), to build proofs without rehashing.
    #[arg(long, value_name = "FILE")]
    pub outboard: Option<PathBuf>,
}

/// Runs `curia challenge …`.
pub async fn run(args: &ChallengeArgs, chain: &ChainArgs) -> Result<()> {
    match &args.command {
        ChallengeCommand::Availability(a) => availability(a, chain).await,
        ChallengeCommand::Dispute(d) => dispute(d, chain).await,
        ChallengeCommand::Show(s) => show(s, chain).await,
    }
}

async fn availability(args: &AvailabilityArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let client = chain.connect().await?;
    let indices = match (&args.chunks, args.random) {
        (Some(c), _) => c.clone(),
        (None, Some(n)) => {
            if n == 0 {
                return Err(UserError("--random needs at least 1 chunk".into()).into());
            }
            let version = client.version(v).await?;
            let max = usize::from(client.terms().await?.max_challenge_chunks);
            if n > max {
                return Err(UserError(format!(
                    "--random {n}: a challenge names at most {max} chunks"
                ))
                .into());
            }
            curia_sdk::random_chunk_indices(version.num_chunks, n)
        }
        (None, None) => return Err(UserError("pass --chunks 1,5,9 or --random N".into()).into()),
    };
    let opened = client.challenge_availability(v, &indices).await?;
    opened_output(client.token(), &opened).print(chain.json)
}

async fn dispute(args: &DisputeArgs, chain: &ChainArgs) -> Result<()> {
    let v = version_id(&args.version)?;
    let client = chain.connect().await?;
    let opened = client.challenge_dispute(v, &args.evidence).await?;
    opened_output(client.token(), &opened).print(chain.json)
}

fn opened_output(token: &TokenInfo, o: &ChallengeOpened) -> Output {
    let out = Output::new(token)
        .text("challengeId", "challenge id", o.challenge_id)
        .text("versionId", "version id", o.version_id)
        .text("kind", "kind", o.kind)
        .amount("bond", "bond", o.bond)
        .time("deadline", "deadline", o.deadline);
    let out = if o.chunk_indices.is_empty() {
        out.text("evidenceUri", "evidence", &o.evidence_uri).raw(
            "chunkIndices",
            Value::from(Vec::<u32>::new()),
            None,
        )
    } else {
        out.raw(
            "chunkIndices",
            Value::from(o.chunk_indices.clone()),
            Some(("chunks", join(&o.chunk_indices))),
        )
        .raw("evidenceUri", Value::from(""), None)
    };
    out.tx("commitTx", "commit", &o.commit_tx)
        .opt_tx("approvalTx", "approval", o.approval.as_ref())
        .tx("revealTx", "reveal", &o.reveal_tx)
}

fn join(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// Runs `curia challenge-info ID` / `curia challenge show ID`.
pub async fn show(args: &IdArgs, chain: &ChainArgs) -> Result<()> {
    let id = curia_sdk::parse_challenge_id(&args.id)?;
    let client = chain.connect().await?;
    let c = client.challenge(id).await?;
    info_output(&client, &c).print(chain.json)
}

fn info_output(client: &Client, c: &ChallengeInfo) -> Output {
    Output::new(client.token())
        .text("challengeId", "challenge id", c.challenge_id)
        .text("versionId", "version id", c.version_id)
        .text("kind", "kind", c.kind)
        .text("status", "status", c.status)
        .text("challenger", "challenger", c.challenger)
        .amount("bond", "bond", c.bond)
        .amount(
            "publisherBond",
            "publisher bond at opening",
            c.publisher_bond,
        )
        .amount("poolSnapshot", "curator stake at opening", c.pool_snapshot)
        .time("deadline", "deadline", c.deadline)
        .flag("settleable", "settleable now", c.settleable)
        .text("responder", "responder", c.responder)
        .num("termsId", "terms id", u64::from(c.terms_id))
        .raw(
            "chunkIndices",
            Value::from(c.chunk_indices.clone()),
            (!c.chunk_indices.is_empty()).then(|| ("chunks", join(&c.chunk_indices))),
        )
        .raw(
            "evidenceUri",
            Value::from(c.evidence_uri.clone()),
            (!c.evidence_uri.is_empty()).then(|| ("evidence", c.evidence_uri.clone())),
        )
}

/// Runs `curia respond`.
pub async fn respond(args: &RespondArgs, chain: &ChainArgs) -> Result<()> {
    let id = curia_sdk::parse_challenge_id(&args.id)?;
    let client = chain.connect().await?;
    let weights = Weights {
        dir: args.weights.clone(),
        outboard: args.outboard.clone(),
    };
    let r = client.respond(id, &weights).await?;
    Output::new(client.token())
        .text("challengeId", "challenge id", r.challenge_id)
        .text("versionId", "version id", r.version_id)
        .raw(
            "chunkIndices",
            Value::from(r.chunk_indices.clone()),
            Some(("chunks answered", join(&r.chunk_indices))),
        )
        .tx("tx", "transaction", &r.tx)
        .print(chain.json)
}

/// Runs `curia settle`.
pub async fn settle(args: &IdArgs, chain: &ChainArgs) -> Result<()> {
    let id = curia_sdk::parse_challenge_id(&args.id)?;
    let client = chain.connect().await?;
    let s = client.settle(id).await?;
    Output::new(client.token())
        .text("challengeId", "challenge id", s.challenge_id)
        .text("versionId", "version id", s.version_id)
        .text("outcome", "outcome", s.outcome)
        .amount("keeperBounty", "keeper bounty (yours)", s.keeper_bounty)
        .amount("challengerPayout", "to the challenger", s.challenger_payout)
        .amount("responderPayout", "to the responder", s.responder_payout)
        .amount("curatorReward", "to the curators", s.curator_reward)
        .amount(
            "publisherSlashed",
            "publisher bond slashed",
            s.publisher_slashed,
        )
        .amount(
            "curatorsSlashed",
            "curator stake slashed",
            s.curators_slashed,
        )
        .amount("burned", "burned", s.burned)
        .tx("tx", "transaction", &s.tx)
        .print(chain.json)
}
