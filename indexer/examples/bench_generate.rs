//! Event generator of `scripts/bench/indexer` (not a tool for users).
//!
//! Deploys Curia (devnet terms) to a running anvil, writes the deployment file, deploys `--curators`
//! instances of `contracts/test/bench/BenchEvents.sol` (each one curator; the first also publishes
//! `--models` × `--versions` versions), then sends transactions that each signal `--batch` times, until
//! `--events` Signalled events have been emitted by CuriaCuration. Finally mines `--mine-after` empty
//! blocks so that every event is older than the indexer's finality depth, and writes a JSON summary
//! (`--out`) that `bench_lag` reads.
//!
//! ```text
//! cargo run --release -p curia-indexer --example bench_generate -- --rpc-url URL --artifact \
//!     out/BenchEvents.sol/BenchEvents.json --deployment d.json --out bench.json --events 200000
//! ```

mod support;

use std::time::Instant;

use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolConstructor};
use curia_sdk::bindings::TestToken;
use curia_sdk::{deploy, Terms};
use futures::StreamExt;
use support::{Args, Error};

sol! {
    #[sol(rpc)]
    contract BenchEvents {
        constructor(address registry_, address curation_, address token);
        function setup(uint256 models, uint256 perModel, uint256 salt, address config) external;
        function signal(bytes32[] calldata versions, uint256 n, uint256 amount) external;
        function modelIds(uint256 i) external view returns (bytes32);
        function versionIds(uint256 i) external view returns (bytes32);
        function versionCount() external view returns (uint256);
    }
}

/// anvil's first deterministic account (the "test … junk" mnemonic): a well-known key, for local use only.
const KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let a = Args::parse()?;
    let rpc = a.required("rpc-url")?;
    let artifact = a.required("artifact")?;
    let deployment_path = a.required("deployment")?;
    let out_path = a.required("out")?;
    let events = a.num("events", 200_000)?;
    let batch = a.num("batch", 50)?.max(1);
    let curators = a.num("curators", 8)?.max(1);
    let models = a.num("models", 4)?.max(1);
    let per_model = a.num("versions", 4)?.max(1);
    let mine_after = a.num("mine-after", 100)?;

    let signer: PrivateKeySigner = KEY.parse()?;
    let me = signer.address();
    let provider = ProviderBuilder::new()
        .with_cached_nonce_management()
        .wallet(EthereumWallet::from(signer))
        .connect_http(rpc.parse()?)
        .erased();
    let t0 = Instant::now();
    let deployment = deploy(provider.clone(), me, me, &Terms::devnet()).await?;
    deployment.save(deployment_path)?;

    // BenchEvents instances (bytecode from the forge artifact, built by the script).
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(artifact)?)?;
    let code = json["bytecode"]["object"]
        .as_str()
        .ok_or("artifact without bytecode.object")?;
    let code = alloy::primitives::hex::decode(code)?;
    let ctor = BenchEvents::constructorCall {
        registry_: deployment.registry,
        curation_: deployment.curation,
        token: deployment.token,
    }
    .abi_encode();
    let token = TestToken::new(deployment.token, &provider);
    let mut bench = Vec::new();
    for _ in 0..curators {
        let tx =
            TransactionRequest::default().with_deploy_code([code.clone(), ctor.clone()].concat());
        let r = provider.send_transaction(tx).await?.get_receipt().await?;
        let addr = r
            .contract_address
            .filter(|_| r.status())
            .ok_or("deploying BenchEvents failed")?;
        token
            .mint(addr, U256::from(10u64).pow(U256::from(30u64)))
            .send()
            .await?
            .get_receipt()
            .await?;
        bench.push(addr);
    }
    let publisher = BenchEvents::new(bench[0], &provider);
    let r = publisher
        .setup(
            U256::from(models),
            U256::from(per_model),
            U256::from(1u64),
            deployment.config,
        )
        .gas(2_000_000 + 600_000 * models * per_model)
        .send()
        .await?
        .get_receipt()
        .await?;
    if !r.status() {
        return Err("BenchEvents.setup reverted".into());
    }
    let mut model_ids = Vec::new();
    for i in 0..models {
        model_ids.push(publisher.modelIds(U256::from(i)).call().await?);
    }
    let mut versions: Vec<B256> = Vec::new();
    for i in 0..models * per_model {
        versions.push(publisher.versionIds(U256::from(i)).call().await?);
    }
    let setup_secs = t0.elapsed().as_secs_f64();

    // The signals: transaction i from curator i % curators, `batch` signals each (the last may be short).
    let t1 = Instant::now();
    let amount = U256::from(10u64).pow(U256::from(18u64));
    let txs = events.div_ceil(batch);
    let max_fee = 100_000_000_000u128; // 100 gwei: anvil's base fee stays near 1 gwei
    let mut hashes = Vec::with_capacity(txs as usize);
    let mut left = events;
    for i in 0..txs {
        let n = left.min(batch);
        left -= n;
        let data = BenchEvents::signalCall {
            versions: versions.clone(),
            n: U256::from(n),
            amount,
        }
        .abi_encode();
        let tx = TransactionRequest::default()
            .with_to(bench[(i % curators) as usize])
            .with_input(Bytes::from(data))
            .with_gas_limit(300_000 + 120_000 * n)
            .with_max_fee_per_gas(max_fee)
            .with_max_priority_fee_per_gas(1);
        let pending = provider.send_transaction(tx).await?;
        hashes.push(*pending.tx_hash());
        // Keep anvil's pool short: with thousands of queued transactions its mining slows to a crawl
        // and its memory grows without bound.
        if (i + 1) % 100 == 0 {
            pending.get_receipt().await?;
        }
        if (i + 1) % 500 == 0 {
            eprintln!(
                "  {} / {txs} transactions sent ({:.0} events/s)",
                i + 1,
                (i + 1) as f64 * batch as f64 / t1.elapsed().as_secs_f64()
            );
        }
    }
    // Every transaction must have succeeded.
    let failed = futures::stream::iter(hashes.iter().copied())
        .map(|h| {
            let p = provider.clone();
            async move {
                for _ in 0..200 {
                    if let Some(r) = p.get_transaction_receipt(h).await? {
                        return Ok::<bool, Error>(!r.status());
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(format!("no receipt for {h}").into())
            }
        })
        .buffer_unordered(16)
        .fold(Ok(0u64), |acc, r| async move {
            match (acc, r) {
                (Ok(n), Ok(f)) => Ok(n + u64::from(f)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        })
        .await?;
    if failed > 0 {
        return Err(format!("{failed} signal transactions reverted").into());
    }
    let signal_secs = t1.elapsed().as_secs_f64();
    if mine_after > 0 {
        provider
            .raw_request::<_, serde_json::Value>("anvil_mine".into(), (U256::from(mine_after),))
            .await?;
    }
    let head = provider.get_block_number().await?;

    let summary = serde_json::json!({
        "rpcUrl": rpc,
        "deployment": deployment_path,
        "deploymentBlock": deployment.deployment_block,
        "head": head,
        "sender": format!("{me:#x}"),
        "bench": bench.iter().map(|a: &Address| format!("{a:#x}")).collect::<Vec<_>>(),
        "models": model_ids.iter().map(|m| format!("{m:#x}")).collect::<Vec<_>>(),
        "versions": versions.iter().map(|v| format!("{v:#x}")).collect::<Vec<_>>(),
        "signals": events,
        "transactions": txs,
        "setupSeconds": setup_secs,
        "signalSeconds": signal_secs,
    });
    std::fs::write(out_path, serde_json::to_string_pretty(&summary)?)?;
    println!("{summary}");
    Ok(())
}
