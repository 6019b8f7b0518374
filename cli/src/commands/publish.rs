//! `curia publish DIR --model ID --location URI... [--parent ID] [--metadata URI] [--bond AMOUNT]`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use curia_sdk::PublishOptions;

use super::chain::{amount, signer, version_id, ChainArgs, Output};
use super::hash::progress_bar;
use super::model::resolve_model;

/// Arguments of `curia publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The weights: a directory (every regular file under it, paths starting with '.' left out)
    /// or a single file.
    pub path: PathBuf,

    /// The model: its id (0x…), or the name of one of your models.
    #[arg(long, value_name = "ID")]
    pub model: String,

    /// Where the weights can be fetched (hf://repo@commit, ipfs://, ar://, https://, s3://);
    /// 1 to 16, repeat the flag.
    #[arg(long = "location", value_name = "URI", required = true)]
    pub locations: Vec<String>,

    /// A registered version this one derives from.
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,

    /// Free-form metadata (model card, licence), usually a URI.
    #[arg(long, value_name = "URI", default_value = "")]
    pub metadata: String,

    /// The publisher bond, in tokens (10.5) or wei (123wei); default: the minimum of the terms.
    #[arg(long, value_name = "AMOUNT")]
    pub bond: Option<String>,
}

/// Runs `curia publish`.
pub async fn run(args: &PublishArgs, chain: &ChainArgs) -> Result<()> {
    let parent = args.parent.as_deref().map(version_id).transpose()?;
    let client = chain.connect().await?;
    signer(&client)?;
    let bond = args
        .bond
        .as_deref()
        .map(|b| amount(client.token(), b))
        .transpose()?;
    let model_id = resolve_model(&client, &args.model)?;
    let options = PublishOptions {
        model_id,
        locations: args.locations.clone(),
        parent,
        metadata_uri: args.metadata.clone(),
        bond,
    };
    let total = curia_sdk::mr1::FileSet::scan(&args.path)?.total_bytes();
    let bar = progress_bar(total);
    let progress: Option<curia_sdk::Progress> = bar.clone().map(|b| {
        let f: curia_sdk::Progress = Arc::new(move |n| b.inc(n));
        f
    });
    let published = client
        .publish_with_progress(&args.path, &options, progress)
        .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let p = published?;
    let c = &p.commitment;
    Output::new(client.token())
        .text("versionId", "version id", p.version_id)
        .text("modelId", "model id", model_id)
        .text("contentRoot", "content root", c.content_root)
        .text("manifestDigest", "manifest digest", c.manifest_digest)
        .num("numChunks", "chunks", c.num_chunks)
        .num("totalBytes", "bytes", c.total_bytes)
        .amount("bond", "bond", p.bond)
        .opt_tx("approvalTx", "approval", p.approval.as_ref())
        .tx("tx", "transaction", &p.tx)
        .print(chain.json)
}
