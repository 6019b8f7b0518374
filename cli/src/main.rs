//! `curia`: the command line of Curia.
//!
//! Exit codes: 0 on success; 1 on a user error (bad input, a revert, too little balance, the
//! wrong chain, a missing file, …) with a message that says what to do; 2 on anything else
//! (the node is unreachable, an I/O error), also with a message.
//!
//! Logs go to stderr; `RUST_LOG=info` (or `curia_sdk=debug`) shows what is sent.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commands::chain::ChainArgs;

/// Curia: a permissionless, on-chain registry of AI model versions, identified by their weights.
#[derive(Debug, Parser)]
#[command(name = "curia", version, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    #[command(flatten)]
    chain: ChainArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compute the MR1 commitment (contentRoot, manifestDigest, versionId) of a model directory
    /// or file.
    Hash(commands::hash::HashArgs),
    /// Create a model (`model create NAME`) or show one (`model ID`).
    Model(commands::model::ModelArgs),
    /// Register a version: hash the weights (MR1) and lock the publisher bond.
    Publish(commands::publish::PublishArgs),
    /// Stake tokens on a version you vouch for (the curation tax goes to its publisher).
    Signal(commands::curation::SignalArgs),
    /// Start thawing shares of your position (they stay slashable until withdrawn).
    Unsignal(commands::curation::UnsignalArgs),
    /// Withdraw your thawed stake.
    Withdraw(commands::curation::WithdrawArgs),
    /// Pay tokens into a version's rewards (publisher share, the rest to its curators).
    Reward(commands::curation::RewardArgs),
    /// Claim your curation rewards, tax and challenge payouts.
    Claim(commands::curation::ClaimArgs),
    /// Open a challenge against a version (availability or dispute).
    Challenge(commands::challenge::ChallengeArgs),
    /// Answer an availability challenge with the chunks of the weights and their proofs.
    Respond(commands::challenge::RespondArgs),
    /// Settle a challenge after its deadline (or once answered or ruled); you earn the keeper bounty.
    Settle(commands::challenge::IdArgs),
    /// Show a version: status, bond, curator pool, the bond a challenge needs now.
    Version(commands::read::VersionArgs),
    /// Show a curator's position in a version.
    Position(commands::read::PositionArgs),
    /// Show a challenge (same as `challenge show ID`).
    ChallengeInfo(commands::challenge::IdArgs),
    /// Follow the chain into the index database (SQLite or PostgreSQL); `--serve ADDR` also serves the API.
    Index(commands::index::IndexArgs),
    /// Serve the curation API from an index database another process writes.
    Serve(commands::index::ServeArgs),
    /// A local system in one command: anvil, Curia deployed, the indexer, the API and the keeper,
    /// with demo data (Ctrl-C stops it all).
    Devnet(commands::devnet::DevnetArgs),
    /// Settle challenges past their deadline and answer availability challenges for the weights
    /// you hold; `--once` does what is due now and exits.
    Keeper(commands::keeper::KeeperArgs),
}

/// An error the user can fix: exit code 1. Anything else exits with 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors are user errors.
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_logging();
    let result = match &cli.command {
        Command::Hash(args) => commands::hash::run(args, cli.chain.json),
        command => run_chain(command, &cli.chain),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", message(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs a command that talks to the chain on a Tokio runtime.
fn run_chain(command: &Command, chain: &ChainArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        use commands::{challenge, curation, model, publish, read};
        match command {
            Command::Hash(args) => commands::hash::run(args, chain.json),
            Command::Model(a) => model::run(a, chain).await,
            Command::Publish(a) => publish::run(a, chain).await,
            Command::Signal(a) => curation::signal(a, chain).await,
            Command::Unsignal(a) => curation::unsignal(a, chain).await,
            Command::Withdraw(a) => curation::withdraw(a, chain).await,
            Command::Reward(a) => curation::reward(a, chain).await,
            Command::Claim(a) => curation::claim(a, chain).await,
            Command::Challenge(a) => challenge::run(a, chain).await,
            Command::Respond(a) => challenge::respond(a, chain).await,
            Command::Settle(a) => challenge::settle(a, chain).await,
            Command::Version(a) => read::version(a, chain).await,
            Command::Position(a) => read::position(a, chain).await,
            Command::ChallengeInfo(a) => challenge::show(a, chain).await,
            Command::Index(a) => commands::index::index(a, chain).await,
            Command::Serve(a) => commands::index::serve(a).await,
            Command::Keeper(a) => commands::keeper::run(a, chain).await,
            Command::Devnet(a) => commands::devnet::run(a, chain).await,
        }
    })
}

/// The error and its causes, each cause left out when an outer message already says it.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// 1 for errors the user can fix, 2 for the rest.
fn exit_code(err: &anyhow::Error) -> u8 {
    let user = err.chain().any(|cause| {
        cause.is::<UserError>()
            || cause
                .downcast_ref::<curia_sdk::CuriaError>()
                .is_some_and(curia_sdk::CuriaError::is_user_error)
            || cause
                .downcast_ref::<curia_sdk::mr1::Mr1Error>()
                .is_some_and(curia_sdk::mr1::Mr1Error::is_user_error)
    });
    if user {
        1
    } else {
        2
    }
}
