//! Shared by the indexer's chain tests: databases (a SQLite file and a fresh PostgreSQL database), a
//! devnet, a workload that emits every event kind, and the comparison of the index with the chain.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use curia_indexer::decode::Contracts;
use curia_indexer::store::amount_from_db;
use curia_indexer::{Follower, FollowerConfig, Metrics, Store};
use curia_sdk::bindings::{CuriaChallenges, CuriaConfig, CuriaCuration, CuriaRegistry};
use curia_sdk::devnet::{find_anvil, Devnet};
use curia_sdk::{parse_amount, Client, PublishOptions, Terms, Weights};
use sqlx::Row;

/// The databases every test runs against: a SQLite file, and PostgreSQL when it is reachable (in CI it
/// must be: a missing database fails there).
pub struct Databases {
    pub urls: Vec<String>,
    _dir: tempfile::TempDir,
    _pg: Option<curia_indexer::testing::PgDatabase>,
}

pub async fn databases() -> Databases {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut urls = vec![dir.path().join("index.db").display().to_string()];
    let pg = fresh_postgres().await;
    urls.extend(pg.as_ref().map(|p| p.url.clone()));
    Databases {
        urls,
        _dir: dir,
        _pg: pg,
    }
}

/// A new empty PostgreSQL database (see [`curia_indexer::testing::fresh_postgres`]).
pub async fn fresh_postgres() -> Option<curia_indexer::testing::PgDatabase> {
    curia_indexer::testing::fresh_postgres().await
}

pub fn anvil_bin() -> PathBuf {
    find_anvil(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("anvil is missing: run scripts/setup")
}

pub async fn devnet() -> Devnet {
    Devnet::start_local(&Terms::devnet())
        .await
        .expect("start the devnet (run scripts/setup?)")
}

pub async fn client(net: &Devnet, account: usize) -> Client {
    net.client(account).await.expect("connect")
}

pub fn tok(s: &str) -> U256 {
    parse_amount(s, 18).expect("amount")
}

/// Writes a small model directory (14 chunks).
pub fn weights(dir: &Path, seed: u64) {
    curia_sdk::devnet::write_weights(dir, seed, 50_000).expect("write weights");
}

/// A follower of `net` into the database at `url`.
pub async fn follower(net: &Devnet, url: &str, reset: bool) -> Follower {
    follower_with(net, url, reset, 7, 3).await
}

/// A follower with a given backfill range and concurrency.
pub async fn follower_with(
    net: &Devnet,
    url: &str,
    reset: bool,
    range: u64,
    concurrency: usize,
) -> Follower {
    follower_via(net, net.provider().clone(), url, reset, range, concurrency).await
}

/// A follower that reads the chain through `provider` (e.g. a proxy in front of `net`).
pub async fn follower_via(
    net: &Devnet,
    provider: alloy::providers::DynProvider,
    url: &str,
    reset: bool,
    range: u64,
    concurrency: usize,
) -> Follower {
    let store = Store::open(url).await.expect("open store");
    let config = FollowerConfig {
        start_block: net.deployment().deployment_block,
        finality_depth: 16,
        poll_interval: Duration::from_millis(20),
        range,
        concurrency,
        reset,
        ws_url: None,
    };
    Follower::new(
        provider,
        store,
        Contracts::of(net.deployment()),
        config,
        Arc::new(Metrics::default()),
    )
    .await
    .expect("follower")
}

/// What the workload created.
pub struct Workload {
    pub dirs: Vec<tempfile::TempDir>,
    pub versions: Vec<B256>,
    pub accounts: Vec<Address>,
}

/// Emits every event kind of the protocol: models and an ownership transfer, versions (one a fork of
/// another publisher's), signals, rewards, unsignal and withdraw, claims, an answered availability
/// challenge, a rejected and an upheld dispute, a retired version and its bond withdrawn, terms, pause.
pub async fn workload(net: &Devnet) -> Workload {
    for i in 1..=8 {
        net.mint(net.address(i), tok("100000")).await.expect("mint");
    }
    let owner = client(net, 0).await;
    let p1 = client(net, 1).await;
    let p2 = client(net, 2).await;
    let c = [
        client(net, 3).await,
        client(net, 4).await,
        client(net, 5).await,
    ];
    let challenger = client(net, 6).await;
    let keeper = client(net, 7).await;
    let rewarder = client(net, 8).await;
    let d = net.deployment().clone();

    let m1 = p1
        .create_model("llama-tiny", "ipfs://card-1")
        .await
        .expect("model 1")
        .model_id;
    let m2 = p2
        .create_model("llama-tiny-ft", "ipfs://card-2")
        .await
        .expect("model 2")
        .model_id;
    // Ownership of model 2: started by p2, accepted by p1, handed back.
    let reg1 = CuriaRegistry::new(d.registry, p1.provider());
    let reg2 = CuriaRegistry::new(d.registry, p2.provider());
    send(reg2.transferModelOwnership(m2, net.address(1)).send().await).await;
    send(reg1.acceptModelOwnership(m2).send().await).await;
    send(reg1.transferModelOwnership(m2, net.address(2)).send().await).await;
    send(reg2.acceptModelOwnership(m2).send().await).await;

    let mut dirs = Vec::new();
    let mut versions = Vec::new();
    for (i, (publisher, model, parent)) in [
        (&p1, m1, None),
        (&p1, m1, None),
        (&p2, m2, Some(0usize)),
        (&p2, m2, None),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = tempfile::tempdir().expect("tempdir");
        weights(dir.path(), 10 + i as u64);
        let published = publisher
            .publish(
                dir.path(),
                &PublishOptions {
                    model_id: model,
                    locations: vec![
                        format!("hf://curia/tiny-{i}@main"),
                        format!("ipfs://bafy{i}"),
                    ],
                    parent: parent.map(|p| versions[p]),
                    metadata_uri: format!("ipfs://meta-{i}"),
                    bond: Some(tok("100") + U256::from(i)),
                },
            )
            .await
            .expect("publish");
        versions.push(published.version_id);
        dirs.push(dir);
    }
    let (v0, v1, v2, v3) = (versions[0], versions[1], versions[2], versions[3]);

    c[0].signal(v0, tok("1000"), None).await.expect("signal");
    c[1].signal(v0, tok("2000"), None).await.expect("signal");
    c[2].signal(v0, tok("500"), None).await.expect("signal");
    c[0].signal(v1, tok("300"), None).await.expect("signal");
    c[1].signal(v2, tok("700"), None).await.expect("signal");
    c[2].signal(v3, tok("50"), None).await.expect("signal");
    rewarder.reward(v0, tok("330")).await.expect("reward");
    rewarder.reward(v1, tok("7")).await.expect("reward");
    // A second signal settles the rewards accrued so far (RewardsSettled).
    c[0].signal(v0, tok("10"), None)
        .await
        .expect("signal again");
    c[2].unsignal(v0, tok("200")).await.expect("unsignal");
    p1.claim(&[]).await.expect("publisher claims");
    c[1].claim(&[v0]).await.expect("curator claims");

    // Availability challenge on v0, answered, settled: Failed (the curators are rewarded).
    let ch = challenger
        .challenge_availability(v0, &[0, 5, 13])
        .await
        .expect("challenge");
    c[2].respond(ch.challenge_id, &Weights::dir(dirs[0].path()))
        .await
        .expect("respond");
    keeper.settle(ch.challenge_id).await.expect("settle");

    // Disputes on v1: rejected; on v2: upheld (slashes the version and its pool).
    let arbiter = CuriaChallenges::new(d.challenges, owner.provider());
    let ch = challenger
        .challenge_dispute(v1, "ipfs://evidence-1")
        .await
        .expect("dispute");
    send(arbiter.rule(U256::from(ch.challenge_id), 2).send().await).await;
    keeper
        .settle(ch.challenge_id)
        .await
        .expect("settle rejected");
    let ch = challenger
        .challenge_dispute(v2, "ipfs://evidence-2")
        .await
        .expect("dispute");
    send(arbiter.rule(U256::from(ch.challenge_id), 1).send().await).await;
    keeper.settle(ch.challenge_id).await.expect("settle upheld");
    challenger.claim(&[]).await.expect("challenger claims");
    keeper.claim(&[]).await.expect("keeper claims");

    // Retire v3; after the thaw its bond and c[2]'s stake on v0 are withdrawn.
    let reg2 = CuriaRegistry::new(d.registry, p2.provider());
    send(reg2.retire(v3).send().await).await;
    net.increase_time(1_000).await.expect("time");
    send(reg2.withdrawBond(v3).send().await).await;
    c[2].withdraw(v0).await.expect("withdraw");

    // Governance: new terms, pause and unpause.
    let config = CuriaConfig::new(d.config, owner.provider());
    let terms = Terms {
        curation_tax_bps: 200,
        arbitrator: net.address(0),
        ..Terms::devnet()
    }
    .to_sol()
    .expect("terms");
    send(config.setTerms(terms).send().await).await;
    send(config.pause().send().await).await;
    send(config.unpause().send().await).await;
    c[1].signal(v0, tok("40"), None)
        .await
        .expect("signal under new terms");

    let accounts = (0..=8).map(|i| net.address(i)).collect();
    Workload {
        dirs,
        versions,
        accounts,
    }
}

/// More activity after a reorg: signals, a reward and a claim.
pub async fn more(net: &Devnet, w: &Workload, round: u64) {
    let c = client(net, 3 + (round as usize % 3)).await;
    let v = w.versions[0];
    c.signal(v, tok("1") + U256::from(round), None)
        .await
        .expect("signal");
    client(net, 8)
        .await
        .reward(v, tok("3") + U256::from(round))
        .await
        .expect("reward");
    c.signal(w.versions[1], tok("2"), None)
        .await
        .expect("signal");
}

async fn send<N: alloy::network::Network>(
    pending: Result<alloy::providers::PendingTransactionBuilder<N>, alloy::contract::Error>,
) {
    let receipt = pending.expect("send").get_receipt().await.expect("receipt");
    assert!(
        alloy::network::ReceiptResponse::status(&receipt),
        "transaction reverted"
    );
}

/// Asserts that the raw events are exactly `eth_getLogs` (same set, same order, no duplicate, no gap)
/// and that every projection equals what the contracts' view functions say.
pub async fn assert_matches_chain(store: &Store, net: &Devnet, w: &Workload) {
    let d = net.deployment();
    let provider = net.provider();
    let filter = Filter::new()
        .address(Contracts::of(d).addresses())
        .from_block(d.deployment_block)
        .to_block(provider.get_block_number().await.expect("head"));
    let chain: Vec<(i64, i64, String, String, String)> = provider
        .get_logs(&filter)
        .await
        .expect("logs")
        .into_iter()
        .map(|l| {
            (
                l.block_number.expect("block") as i64,
                l.log_index.expect("index") as i64,
                format!("{:#x}", l.transaction_hash.expect("tx")),
                format!("{:#x}", l.inner.address),
                l.inner
                    .data
                    .topics()
                    .iter()
                    .map(|t| format!("{t:#x}"))
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect();
    let stored: Vec<(i64, i64, String, String, String)> = sqlx::query(
        "SELECT block_number, log_index, tx_hash, address, topics FROM events ORDER BY block_number, log_index",
    )
    .fetch_all(store.pool())
    .await
    .expect("events")
    .iter()
    .map(|r| {
        (
            r.get("block_number"),
            r.get("log_index"),
            r.get::<String, _>("tx_hash"),
            r.get::<String, _>("address"),
            r.get::<Vec<u8>, _>("topics")
                .chunks(32)
                .map(|t| format!("0x{}", alloy::hex::encode(t)))
                .collect::<Vec<_>>()
                .join(","),
        )
    })
    .collect();
    assert_eq!(stored.len(), chain.len(), "number of events");
    assert_eq!(stored, chain, "raw events differ from eth_getLogs");
    let ids: Vec<i64> = sqlx::query("SELECT id FROM events ORDER BY block_number, log_index")
        .fetch_all(store.pool())
        .await
        .expect("ids")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "event ids follow chain order"
    );

    let registry = CuriaRegistry::new(d.registry, provider);
    let curation = CuriaCuration::new(d.curation, provider);
    let challenges = CuriaChallenges::new(d.challenges, provider);

    let rows = sqlx::query("SELECT * FROM versions")
        .fetch_all(store.pool())
        .await
        .expect("versions");
    assert_eq!(rows.len(), w.versions.len(), "every version is projected");
    for r in &rows {
        let id: B256 = r.get::<String, _>("version_id").parse().expect("id");
        let v = registry.getVersion(id).call().await.expect("getVersion");
        let status = curia_sdk::VersionStatus::from_u8(v.status).as_str();
        assert_eq!(r.get::<String, _>("status"), status, "status of {id}");
        assert_eq!(amt(r, "bond"), U256::from(v.bond), "bond of {id}");
        assert_eq!(
            r.get::<i64, _>("bond_thaw_end") as u64,
            v.thawEnd.to::<u64>(),
            "thawEnd of {id}"
        );
        assert_eq!(
            r.get::<String, _>("publisher"),
            format!("{:#x}", v.publisher)
        );
        assert_eq!(
            r.get::<String, _>("content_root"),
            format!("{:#x}", v.contentRoot)
        );
        let p = curation.getPool(id).call().await.expect("getPool");
        assert_eq!(
            amt(r, "shares"),
            U256::from(p.shares),
            "pool shares of {id}"
        );
        assert_eq!(
            amt(r, "thawing"),
            U256::from(p.thawing),
            "pool thawing of {id}"
        );
        assert_eq!(amt(r, "stake"), U256::from(p.tokens), "pool tokens of {id}");
        assert_eq!(
            amt(r, "reward_reserve"),
            U256::from(p.rewardReserve),
            "reward reserve of {id}"
        );
        assert_eq!(
            amt(r, "acc_reward_per_share"),
            p.accRewardPerShare,
            "acc of {id}"
        );
        assert_eq!(amt(r, "slash_numerator"), U256::from(p.slashNumerator));
        assert_eq!(amt(r, "slash_denominator"), U256::from(p.slashDenominator));
    }
    let rows = sqlx::query("SELECT * FROM positions")
        .fetch_all(store.pool())
        .await
        .expect("positions");
    assert!(rows.len() >= 6, "positions are projected");
    for r in &rows {
        let id: B256 = r.get::<String, _>("version_id").parse().expect("id");
        let who: Address = r.get::<String, _>("curator").parse().expect("curator");
        let p = curation
            .getPosition(id, who)
            .call()
            .await
            .expect("getPosition");
        assert_eq!(
            amt(r, "shares"),
            U256::from(p.shares),
            "shares of {who} in {id}"
        );
        assert_eq!(
            amt(r, "thawing"),
            U256::from(p.thawing),
            "thawing of {who} in {id}"
        );
        assert_eq!(
            r.get::<i64, _>("thaw_end") as u64,
            p.thawEnd.to::<u64>(),
            "thawEnd of {who} in {id}"
        );
        assert_eq!(
            amt(r, "acc_snapshot"),
            p.accSnapshot,
            "accSnapshot of {who} in {id}"
        );
    }
    for a in &w.accounts {
        let row = sqlx::query("SELECT * FROM accounts WHERE account = $1")
            .bind(format!("{a:#x}"))
            .fetch_optional(store.pool())
            .await
            .expect("account");
        let (cur, chal) = row
            .as_ref()
            .map(|r| (amt(r, "curation_claimable"), amt(r, "challenges_claimable")))
            .unwrap_or_default();
        assert_eq!(
            cur,
            curation.claimable(*a).call().await.expect("claimable"),
            "curation claimable of {a}"
        );
        assert_eq!(
            chal,
            challenges.claimable(*a).call().await.expect("claimable"),
            "challenges claimable of {a}"
        );
    }
    let rows = sqlx::query("SELECT * FROM challenges")
        .fetch_all(store.pool())
        .await
        .expect("challenges");
    let count = challenges.challengeCount().call().await.expect("count");
    assert_eq!(
        U256::from(rows.len()),
        count,
        "every challenge is projected"
    );
    for r in &rows {
        let id = r.get::<i64, _>("challenge_id");
        let c = challenges
            .getChallenge(U256::from(id))
            .call()
            .await
            .expect("getChallenge");
        assert_eq!(
            r.get::<String, _>("status"),
            curia_sdk::ChallengeStatus::from_u8(c.status).as_str(),
            "status of {id}"
        );
        assert_eq!(amt(r, "bond"), U256::from(c.bond), "bond of challenge {id}");
        assert_eq!(amt(r, "pool_snapshot"), U256::from(c.poolSnapshot));
        assert_eq!(r.get::<i64, _>("deadline") as u64, c.deadline.to::<u64>());
        let responder = r
            .get::<Option<String>, _>("responder")
            .unwrap_or_else(|| format!("{:#x}", Address::ZERO));
        assert_eq!(responder, format!("{:#x}", c.responder));
    }
    for r in sqlx::query("SELECT * FROM models")
        .fetch_all(store.pool())
        .await
        .expect("models")
    {
        let id: B256 = r.get::<String, _>("model_id").parse().expect("id");
        let m = registry.getModel(id).call().await.expect("getModel");
        assert_eq!(r.get::<String, _>("owner"), format!("{:#x}", m.owner));
        let pending = r
            .get::<Option<String>, _>("pending_owner")
            .unwrap_or_else(|| format!("{:#x}", Address::ZERO));
        assert_eq!(pending, format!("{:#x}", m.pendingOwner));
    }
}

fn amt(r: &sqlx::any::AnyRow, col: &str) -> U256 {
    amount_from_db(&r.get::<String, _>(col)).expect("amount")
}

/// Every row of every table (see [`Store::dump`]).
pub async fn dump(store: &Store) -> Vec<String> {
    store.dump().await.expect("dump")
}
