//! Test harness of the API tests: databases (a SQLite file, a fresh PostgreSQL database), a running
//! server, seed rows and a small HTTP client.
#![allow(dead_code)]

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use alloy::primitives::{Address, LogData, B256, U256};
use alloy::sol_types::SolEvent;
use curia_indexer::api::{self, ApiConfig};
use curia_indexer::store::amount_to_db;
use curia_indexer::{Metrics, Store};
use curia_sdk::bindings::{CuriaCuration, CuriaRegistry, ICuriaRegistry};
use serde_json::Value;
use sqlx::AnyPool;
use tokio::sync::oneshot;

/// A database for one test: a SQLite file, or a PostgreSQL database dropped with it.
pub struct Db {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<curia_indexer::testing::PgDatabase>,
}

pub fn sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = dir.path().join("api.db").to_string_lossy().into_owned();
    Db {
        url,
        _dir: Some(dir),
        _pg: None,
    }
}

/// A fresh database on the PostgreSQL server of `DATABASE_URL` (see
/// [`curia_indexer::testing::fresh_postgres`]); `None` skips the variant outside CI.
pub async fn postgres() -> Option<Db> {
    let pg = curia_indexer::testing::fresh_postgres().await?;
    Some(Db {
        url: pg.url.clone(),
        _dir: None,
        _pg: Some(pg),
    })
}

/// A running API server.
pub struct Server {
    pub base: String,
    pub store: Store,
    pub metrics: Arc<Metrics>,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    pub async fn start(db: &Db, config: ApiConfig) -> Self {
        let store = Store::open(&db.url).await.expect("open store");
        let metrics = Arc::new(Metrics::default());
        let router = api::router(store.clone(), metrics.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(api::serve(listener, router, async move {
            let _ = rx.await;
        }));
        Self {
            base,
            store,
            metrics,
            client: reqwest::Client::new(),
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn pool(&self) -> &AnyPool {
        self.store.pool()
    }

    /// What a follower does after each commit: moves the index's generation, so that cached answers of
    /// the earlier state are dropped. Tests that write rows directly call it after writing.
    pub fn committed(&self) {
        self.metrics
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// GET `path`: the status and the JSON body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {text}"));
        (status, body)
    }

    /// GET `path`, expecting a 200.
    pub async fn ok(&self, path: &str) -> Value {
        let (s, b) = self.get(path).await;
        assert_eq!(s, 200, "GET {path}: {b}");
        b
    }

    /// GET `path`, expecting `status` and a JSON error with `code`.
    pub async fn err(&self, path: &str, status: u16, code: &str) {
        let (s, b) = self.get(path).await;
        assert_eq!(s, status, "GET {path}: {b}");
        assert_eq!(b["error"]["code"], code, "GET {path}: {b}");
        assert!(
            b["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "GET {path}: {b}"
        );
    }

    /// Every item of a list, page by page with `limit`; checks that no item comes twice.
    pub async fn walk(&self, path: &str, limit: u32) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10_000 {
            let url = match &cursor {
                None => format!("{path}{sep}limit={limit}"),
                Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            };
            let page = self.ok(&url).await;
            let got = page["items"].as_array().expect("items").clone();
            assert!(got.len() <= limit as usize);
            items.extend(got);
            match page["nextCursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return items,
            }
        }
        panic!("pagination of {path} does not end");
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("server stops within 10 s")
                .expect("server task")
                .expect("serve");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

// ---- seed rows ----

pub fn id(prefix: u8, n: u64) -> String {
    format!("0x{prefix:02x}{:062x}", n)
}

pub fn addr(n: u64) -> String {
    format!("0xabcdef{:034x}", n)
}

pub fn checksummed(a: &str) -> String {
    Address::from_str(a).expect("address").to_checksum(None)
}

pub fn amt(v: u128) -> String {
    amount_to_db(&U256::from(v))
}

pub fn big(v: U256) -> String {
    amount_to_db(&v)
}

pub async fn meta(pool: &AnyPool, key: &str, value: &str) {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(pool)
        .await
        .expect("meta");
}

pub async fn model(
    pool: &AnyPool,
    model_id: &str,
    owner: &str,
    name: &str,
    versions: i64,
    block: i64,
) {
    sqlx::query(
        "INSERT INTO models (model_id, owner, pending_owner, name, metadata_uri, versions, created_block, created_at) \
         VALUES ($1, $2, NULL, $3, $4, $5, $6, $7)",
    )
    .bind(model_id)
    .bind(owner)
    .bind(name)
    .bind(format!("ipfs://{name}"))
    .bind(versions)
    .bind(block)
    .bind(1_700_000_000i64 + block)
    .execute(pool)
    .await
    .expect("model");
}

/// A version row; amounts in token base units.
pub struct V<'a> {
    pub id: String,
    pub model: &'a str,
    pub publisher: &'a str,
    pub status: &'a str,
    pub stake: u128,
    pub shares: u128,
    pub thawing: u128,
    pub parent: Option<String>,
    pub block: i64,
    pub acc: U256,
}

impl<'a> V<'a> {
    pub fn new(
        id: String,
        model: &'a str,
        publisher: &'a str,
        status: &'a str,
        stake: u128,
        block: i64,
    ) -> Self {
        Self {
            id,
            model,
            publisher,
            status,
            stake,
            shares: stake,
            thawing: 0,
            parent: None,
            block,
            acc: U256::ZERO,
        }
    }
}

pub async fn version(pool: &AnyPool, v: &V<'_>) {
    sqlx::query(
        "INSERT INTO versions (version_id, model_id, publisher, status, terms_id, content_root, manifest_digest, \
         num_chunks, total_bytes, locations, parent, metadata_uri, bond, bond_thaw_end, shares, thawing, stake, \
         reward_reserve, acc_reward_per_share, slash_numerator, slash_denominator, curators, rewards_total, \
         open_challenge, published_block, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)",
    )
    .bind(v.id.clone())
    .bind(v.model)
    .bind(v.publisher)
    .bind(v.status)
    .bind(1i64)
    .bind(id(0xcc, v.block as u64))
    .bind(id(0xdd, v.block as u64))
    .bind(4i64)
    .bind(4_000_000i64)
    .bind(format!("[\"https://weights.example/{}\",\"ipfs://x{}\"]", v.block, v.block))
    .bind(v.parent.clone())
    .bind(format!("ipfs://meta{}", v.block))
    .bind(amt(1_000))
    .bind(0i64)
    .bind(amt(v.shares))
    .bind(amt(v.thawing))
    .bind(amt(v.stake))
    .bind(amt(0))
    .bind(big(v.acc))
    .bind(amt(0))
    .bind(amt(0))
    .bind(2i64)
    .bind(amt(0))
    .bind(None::<i64>)
    .bind(v.block)
    .bind(1_700_000_000i64 + v.block)
    .execute(pool)
    .await
    .expect("version");
}

pub async fn position(
    pool: &AnyPool,
    version: &str,
    curator: &str,
    shares: u128,
    thawing: u128,
    snapshot: U256,
) {
    sqlx::query(
        "INSERT INTO positions (version_id, curator, shares, thawing, thaw_end, acc_snapshot, signalled, rewards, \
         updated_block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(version)
    .bind(curator)
    .bind(amt(shares))
    .bind(amt(thawing))
    .bind(if thawing > 0 { 1_800_000_000i64 } else { 0 })
    .bind(big(snapshot))
    .bind(amt(shares + thawing + 7))
    .bind(amt(3))
    .bind(15i64)
    .execute(pool)
    .await
    .expect("position");
}

pub async fn account(pool: &AnyPool, a: &str, stake: u128, positions: i64, rewards: u128) {
    sqlx::query(
        "INSERT INTO accounts (account, stake, positions, rewards_earned, curation_claimable, challenges_claimable, \
         claimed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a)
    .bind(amt(stake))
    .bind(positions)
    .bind(amt(rewards))
    .bind(amt(11))
    .bind(amt(22))
    .bind(amt(33))
    .execute(pool)
    .await
    .expect("account");
}

pub async fn challenge(
    pool: &AnyPool,
    cid: i64,
    version: &str,
    challenger: &str,
    status: &str,
    deadline: i64,
    settlement: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO challenges (challenge_id, version_id, challenger, kind, status, terms_id, deadline, bond, \
         publisher_bond, pool_snapshot, chunk_indices, evidence_uri, responder, arbitrator, settlement, keeper, \
         opened_block, opened_at, settled_block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19)",
    )
    .bind(cid)
    .bind(version)
    .bind(challenger)
    .bind("Availability")
    .bind(status)
    .bind(1i64)
    .bind(deadline)
    .bind(amt(50))
    .bind(amt(1_000))
    .bind(amt(400))
    .bind("[1,5,9]")
    .bind("")
    .bind(if status == "Answered" { Some(addr(0x99)) } else { None })
    .bind(None::<String>)
    .bind(settlement.map(str::to_owned))
    .bind(settlement.map(|_| addr(0x77)))
    .bind(12i64 + cid)
    .bind(None::<i64>)
    .bind(settlement.map(|_| 19i64))
    .execute(pool)
    .await
    .expect("challenge");
}

/// The contract addresses the seeded events come from (meta `contracts`: config, registry, curation,
/// challenges), so that the API can decode them.
pub fn contracts() -> [String; 4] {
    [addr(0x4), addr(0x5), addr(0x6), addr(0x7)]
}

/// A seeded event: the name the indexer gives it and the log its contract emitted.
pub struct Ev {
    name: &'static str,
    address: String,
    log: LogData,
}

fn b32(s: &str) -> B256 {
    B256::from_str(s).expect("32-byte id")
}

fn address(s: &str) -> Address {
    Address::from_str(s).expect("address")
}

/// `ModelCreated` of `model` named `name`, owned by `addr(1)`.
pub fn model_created(model: &str, name: &str) -> Ev {
    let e = CuriaRegistry::ModelCreated {
        modelId: b32(model),
        owner: address(&addr(1)),
        name: name.to_owned(),
        metadataURI: String::new(),
    };
    Ev {
        name: "ModelCreated",
        address: contracts()[1].clone(),
        log: e.encode_log_data(),
    }
}

/// `VersionPublished` of `version` in `model`, by `addr(1)`.
pub fn version_published(version: &str, model: &str) -> Ev {
    let e = CuriaRegistry::VersionPublished {
        versionId: b32(version),
        modelId: b32(model),
        publisher: address(&addr(1)),
        termsId: 0,
        params: ICuriaRegistry::PublishParams {
            modelId: b32(model),
            contentRoot: B256::repeat_byte(1),
            manifestDigest: B256::repeat_byte(2),
            numChunks: 1,
            totalBytes: 1,
            locations: vec!["hf://org/model@main".to_owned()],
            parent: B256::ZERO,
            metadataURI: String::new(),
            bond: U256::from(1),
        },
    };
    Ev {
        name: "VersionPublished",
        address: contracts()[1].clone(),
        log: e.encode_log_data(),
    }
}

/// `Signalled` of `tokens` wei on `version` by `addr(2)`.
pub fn signalled(version: &str, tokens: u64) -> Ev {
    let e = CuriaCuration::Signalled {
        versionId: b32(version),
        curator: address(&addr(2)),
        publisher: address(&addr(1)),
        tokens: U256::from(tokens),
        tax: U256::ZERO,
        shares: U256::from(tokens),
    };
    Ev {
        name: "Signalled",
        address: contracts()[2].clone(),
        log: e.encode_log_data(),
    }
}

/// `Rewarded` of 1 wei to `version`.
pub fn rewarded(version: &str) -> Ev {
    let e = CuriaCuration::Rewarded {
        versionId: b32(version),
        from: address(&addr(3)),
        publisher: address(&addr(1)),
        amount: U256::from(1),
        publisherShare: U256::ZERO,
        curatorShare: U256::from(1),
        accRewardPerShare: U256::ZERO,
    };
    Ev {
        name: "Rewarded",
        address: contracts()[2].clone(),
        log: e.encode_log_data(),
    }
}

/// `RewardsSettled` of `amount` wei on `version` for `addr(2)`.
pub fn rewards_settled(version: &str, amount: u64) -> Ev {
    let e = CuriaCuration::RewardsSettled {
        versionId: b32(version),
        curator: address(&addr(2)),
        amount: U256::from(amount),
    };
    Ev {
        name: "RewardsSettled",
        address: contracts()[2].clone(),
        log: e.encode_log_data(),
    }
}

/// `Claimed` (on curation: `CurationClaimed`) of `amount` wei by `addr(2)`.
pub fn curation_claimed(amount: u64) -> Ev {
    let e = CuriaCuration::Claimed {
        account: address(&addr(2)),
        amount: U256::from(amount),
    };
    Ev {
        name: "CurationClaimed",
        address: contracts()[2].clone(),
        log: e.encode_log_data(),
    }
}

/// Stores `ev` at `block`/`log` as the indexer would (and the contract addresses it needs to be decoded).
pub async fn event(pool: &AnyPool, block: i64, log: i64, ev: Ev) {
    meta(pool, "contracts", &contracts().join(",")).await;
    let topics: Vec<u8> = ev.log.topics().iter().flat_map(|t| t.0).collect();
    sqlx::query(
        "INSERT INTO events (chain_id, block_number, block_hash, block_time, tx_hash, tx_index, log_index, address, \
         name, topics, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(31337i64)
    .bind(block)
    .bind(id(0xbb, block as u64))
    .bind(1_700_000_000i64 + block)
    .bind(id(0xee, (block * 1000 + log) as u64))
    .bind(0i64)
    .bind(log)
    .bind(ev.address)
    .bind(ev.name)
    .bind(topics)
    .bind(ev.log.data.to_vec())
    .execute(pool)
    .await
    .expect("event");
}
