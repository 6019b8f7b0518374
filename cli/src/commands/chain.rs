//! What every chain command shares: the connection options (cast's conventions), parsing of
//! ids and amounts, and the output (human text, or JSON with `--json`).

use std::fmt::Display;
use std::io::Write;
use std::path::PathBuf;

use alloy_primitives::{Address, B256, U256};
use anyhow::{Context, Result};
use clap::Args;
use curia_sdk::{Client, CuriaError, SignerSource, TokenInfo, TxInfo};
use serde_json::{Map, Value};

use crate::UserError;

/// Connection and output options, accepted by every command (`hash` reads only `--json`).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Chain options")]
pub struct ChainArgs {
    /// The node's JSON-RPC URL.
    #[arg(
        long,
        global = true,
        env = "ETH_RPC_URL",
        default_value = "http://127.0.0.1:8545",
        value_name = "URL"
    )]
    pub rpc_url: String,

    /// The deployment file (chain id and contract addresses).
    #[arg(
        long,
        global = true,
        env = "CURIA_DEPLOYMENT",
        default_value = "deployments/local.json",
        value_name = "FILE"
    )]
    pub deployment: PathBuf,

    /// The private key that signs transactions (hex).
    #[arg(
        long,
        global = true,
        env = "CURIA_PRIVATE_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub private_key: Option<String>,

    /// An encrypted JSON keystore that signs transactions (takes precedence over the private key).
    #[arg(long, global = true, value_name = "FILE")]
    pub keystore: Option<PathBuf>,

    /// The keystore's password.
    #[arg(
        long,
        global = true,
        env = "CURIA_KEYSTORE_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub password: Option<String>,

    /// Print JSON (camelCase keys; amounts as decimal strings of wei, each with a `…Formatted` twin).
    #[arg(long, global = true)]
    pub json: bool,
}

impl ChainArgs {
    /// Connects to the node with the deployment and the signer, if one was given.
    pub async fn connect(&self) -> Result<Client> {
        let signer = match (&self.keystore, &self.private_key) {
            (Some(path), _) => {
                let password = self.password.clone().ok_or_else(|| {
                    UserError(format!(
                        "the keystore {} needs its password: pass --password or set CURIA_KEYSTORE_PASSWORD",
                        path.display()
                    ))
                })?;
                Some(SignerSource::Keystore {
                    path: path.clone(),
                    password,
                })
            }
            (None, Some(key)) => Some(SignerSource::PrivateKey(key.clone())),
            (None, None) => None,
        };
        let client = Client::builder(self.rpc_url.clone())
            .signer_source(signer)
            .deployment_file(&self.deployment)
            .connect()
            .await?;
        Ok(client)
    }
}

/// Parses a version id.
pub fn version_id(input: &str) -> Result<B256, CuriaError> {
    curia_sdk::parse_id("version id", input)
}

/// Parses an amount of the deployment's token.
pub fn amount(token: &TokenInfo, input: &str) -> Result<U256, CuriaError> {
    token.parse(input)
}

/// The signer's address, or the error that says how to give one.
pub fn signer(client: &Client) -> Result<Address, CuriaError> {
    client.address().ok_or(CuriaError::NoSigner)
}

/// What a command prints: the same fields as JSON (`--json`) or as aligned text lines.
pub struct Output {
    json: Map<String, Value>,
    lines: Vec<(String, String)>,
    token: Option<TokenInfo>,
}

impl Output {
    /// An empty output whose amounts are of `token`.
    pub fn new(token: &TokenInfo) -> Self {
        Output {
            json: Map::new(),
            lines: Vec::new(),
            token: Some(token.clone()),
        }
    }

    /// A string field.
    pub fn text(mut self, key: &str, label: &str, value: impl Display) -> Self {
        let v = value.to_string();
        self.json.insert(key.into(), Value::String(v.clone()));
        self.lines.push((label.into(), v));
        self
    }

    /// A number field.
    pub fn num(mut self, key: &str, label: &str, value: u64) -> Self {
        self.json.insert(key.into(), Value::from(value));
        self.lines.push((label.into(), value.to_string()));
        self
    }

    /// A boolean field.
    pub fn flag(mut self, key: &str, label: &str, value: bool) -> Self {
        self.json.insert(key.into(), Value::Bool(value));
        self.lines
            .push((label.into(), if value { "yes" } else { "no" }.into()));
        self
    }

    /// A unix time: a number in JSON, a date in text.
    pub fn time(mut self, key: &str, label: &str, unix: u64) -> Self {
        self.json.insert(key.into(), Value::from(unix));
        let text = if unix == 0 {
            "-".to_string()
        } else {
            curia_sdk::error::format_time(unix)
        };
        self.lines.push((label.into(), text));
        self
    }

    /// An amount of the token: `key` is the wei as a decimal string, `keyFormatted` the
    /// decimal number of tokens; the text shows `10.5 CURIA`.
    pub fn amount(mut self, key: &str, label: &str, wei: U256) -> Self {
        let (formatted, shown) = match &self.token {
            Some(t) => (t.format(wei), t.amount(wei).to_string()),
            None => (wei.to_string(), wei.to_string()),
        };
        self.json.insert(key.into(), Value::String(wei.to_string()));
        self.json
            .insert(format!("{key}Formatted"), Value::String(formatted));
        self.lines.push((label.into(), shown));
        self
    }

    /// A number of curation shares (18 decimals like the token, one share per token signalled
    /// after tax): JSON as [`Output::amount`], the text without the symbol.
    pub fn shares(mut self, key: &str, label: &str, shares: U256) -> Self {
        let formatted = match &self.token {
            Some(t) => t.format(shares),
            None => shares.to_string(),
        };
        self.json
            .insert(key.into(), Value::String(shares.to_string()));
        self.json
            .insert(format!("{key}Formatted"), Value::String(formatted.clone()));
        self.lines.push((label.into(), formatted));
        self
    }

    /// A transaction: `key` holds `{"hash","blockNumber","gasUsed"}`; the text shows the hash.
    pub fn tx(mut self, key: &str, label: &str, tx: &TxInfo) -> Self {
        self.json.insert(key.into(), tx_json(tx));
        self.lines.push((
            label.into(),
            format!("{} (block {})", tx.hash, tx.block_number),
        ));
        self
    }

    /// An optional transaction (null in JSON, left out of the text when absent).
    pub fn opt_tx(mut self, key: &str, label: &str, tx: Option<&TxInfo>) -> Self {
        match tx {
            Some(tx) => self.tx(key, label, tx),
            None => {
                self.json.insert(key.into(), Value::Null);
                self
            }
        }
    }

    /// A JSON-only value, with an optional text line.
    pub fn raw(mut self, key: &str, value: Value, line: Option<(&str, String)>) -> Self {
        self.json.insert(key.into(), value);
        if let Some((label, text)) = line {
            self.lines.push((label.into(), text));
        }
        self
    }

    /// Prints to stdout.
    pub fn print(self, json: bool) -> Result<()> {
        let mut out = std::io::stdout().lock();
        if json {
            serde_json::to_writer(&mut out, &Value::Object(self.json))
                .context("writing JSON to stdout")?;
            writeln!(out).context("writing to stdout")?;
        } else {
            let width = self.lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
            for (label, value) in self.lines {
                writeln!(out, "{label:<width$}  {value}").context("writing to stdout")?;
            }
        }
        Ok(())
    }
}

/// A transaction as JSON.
pub fn tx_json(tx: &TxInfo) -> Value {
    serde_json::json!({
        "hash": tx.hash.to_string(),
        "blockNumber": tx.block_number,
        "gasUsed": tx.gas_used,
    })
}
