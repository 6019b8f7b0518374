//! `curia model create NAME [--metadata URI]` and `curia model [show] ID`.

use anyhow::Result;
use clap::{Args, Subcommand};
use curia_sdk::Client;

use super::chain::{signer, ChainArgs, Output};
use crate::UserError;

/// Arguments of `curia model`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub command: Option<ModelCommand>,

    /// Show this model (same as `curia model show ID`).
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

/// `curia model` subcommands.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Create a model owned by the signer; prints its id (keccak256(abi.encode(owner, name))).
    Create(CreateArgs),
    /// Show a model's owner.
    Show {
        /// The model id (0x + 64 hex digits).
        id: String,
    },
}

/// Arguments of `curia model create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The model's name: 1 to 128 bytes, unique per owner.
    pub name: String,
    /// Free-form metadata about the model, usually a URI.
    #[arg(long, value_name = "URI", default_value = "")]
    pub metadata: String,
}

/// Runs `curia model …`.
pub async fn run(args: &ModelArgs, chain: &ChainArgs) -> Result<()> {
    match (&args.command, &args.id) {
        (Some(ModelCommand::Create(c)), _) => create(c, chain).await,
        (Some(ModelCommand::Show { id }), _) | (None, Some(id)) => show(id, chain).await,
        (None, None) => Err(UserError(
            "say what to do: `curia model create NAME` or `curia model ID`".into(),
        )
        .into()),
    }
}

async fn create(args: &CreateArgs, chain: &ChainArgs) -> Result<()> {
    let client = chain.connect().await?;
    let owner = signer(&client)?;
    let created = client.create_model(&args.name, &args.metadata).await?;
    Output::new(client.token())
        .text("modelId", "model id", created.model_id)
        .text("name", "name", &args.name)
        .text("owner", "owner", owner)
        .text("metadataUri", "metadata", &args.metadata)
        .tx("tx", "transaction", &created.tx)
        .print(chain.json)
}

async fn show(id: &str, chain: &ChainArgs) -> Result<()> {
    let model_id = curia_sdk::parse_id("model id", id)?;
    let client = chain.connect().await?;
    let m = client.model(model_id).await?;
    if m.owner == alloy_primitives::Address::ZERO {
        return Err(curia_sdk::CuriaError::UnknownModel { model_id }.into());
    }
    Output::new(client.token())
        .text("modelId", "model id", model_id)
        .text("owner", "owner", m.owner)
        .text("pendingOwner", "pending owner", m.pending_owner)
        .print(chain.json)
}

/// Resolves `--model`: a 0x id, or the name of one of the signer's models.
pub fn resolve_model(client: &Client, input: &str) -> Result<alloy_primitives::B256> {
    if input.trim_start().starts_with("0x") {
        return Ok(curia_sdk::parse_id("model id", input)?);
    }
    let owner = signer(client)?;
    Ok(Client::model_id_of(owner, input))
}
