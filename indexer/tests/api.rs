//! The HTTP curation API over real HTTP, against a SQLite file and a fresh PostgreSQL database (skipped
//! with a note when PostgreSQL is unreachable, unless `CI=true`). Rows are seeded with SQL.

mod common_api;

use std::time::Duration;

use alloy::primitives::U256;
use common_api::*;
use curia_indexer::api::ApiConfig;
use futures::StreamExt;
use serde_json::{json, Value};

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread")]
            async fn sqlite() {
                let db = super::common_api::sqlite();
                super::$name(&db).await;
            }
            #[tokio::test(flavor = "multi_thread")]
            async fn postgres() {
                if let Some(db) = super::common_api::postgres().await {
                    super::$name(&db).await;
                }
            }
        }
    )*};
}

both!(
    models, versions, curation, challenges, events, bad_input, pagination, stream, operations,
    readiness
);

const E27: u128 = 1_000_000_000_000_000_000_000_000_000;
const E18: u128 = 1_000_000_000_000_000_000;

fn m(n: u64) -> String {
    id(0xa0, n)
}
fn v(n: u64) -> String {
    id(0xb0, n)
}
fn owner_a() -> String {
    addr(0xa)
}
fn owner_b() -> String {
    addr(0xb)
}
fn c(n: u64) -> String {
    addr(0xc0 + n)
}

/// The shared scenario: three models, seven versions, positions, accounts, challenges and events.
async fn seed(s: &Server) {
    let p = s.pool();
    let (a, b) = (owner_a(), owner_b());
    meta(p, "chain_id", "31337").await;
    meta(p, "head_block", "20").await;
    meta(p, "indexed_block", "18").await;
    model(p, &m(1), &a, "llama", 6, 5).await;
    model(p, &m(2), &b, "mistral", 1, 6).await;
    model(p, &m(3), &a, "empty", 0, 7).await;
    let (m1, m2) = (m(1), m(2));
    version(p, &V::new(v(1), &m1, &a, "Active", 100, 10)).await;
    version(
        p,
        &V {
            parent: Some(v(1)),
            acc: U256::from(2 * E27),
            ..V::new(v(2), &m1, &a, "Active", 300, 11)
        },
    )
    .await;
    version(
        p,
        &V {
            parent: Some(v(2)),
            ..V::new(v(3), &m1, &a, "Challenged", 1000, 12)
        },
    )
    .await;
    version(p, &V::new(v(4), &m1, &a, "Slashed", 5000, 13)).await;
    version(p, &V::new(v(5), &m1, &a, "Retired", 9000, 14)).await;
    version(
        p,
        &V {
            parent: Some(v(1)),
            ..V::new(v(6), &m1, &b, "Active", 300, 15)
        },
    )
    .await;
    version(p, &V::new(v(7), &m2, &b, "Slashed", 50, 16)).await;
    position(p, &v(2), &c(1), 200 * E18, 0, U256::from(E27)).await;
    position(p, &v(2), &c(2), 100 * E18, 0, U256::from(2 * E27)).await;
    position(p, &v(2), &c(3), 0, 50 * E18, U256::from(2 * E27)).await;
    position(p, &v(2), &c(4), 0, 0, U256::from(2 * E27)).await;
    position(p, &v(1), &c(1), 5, 0, U256::ZERO).await;
    account(p, &c(1), 200 * E18 + 5, 2, 9).await;
    account(p, &c(2), 100 * E18, 1, 0).await;
    account(p, &c(3), 0, 0, 4).await;
    account(p, &c(4), 0, 0, 0).await;
    let settled = r#"{"outcome":"Upheld","challengerPayout":"10"}"#;
    challenge(p, 1, &v(3), &addr(0xf1), "Open", 2000, None).await;
    challenge(p, 2, &v(4), &addr(0xf1), "Upheld", 500, Some(settled)).await;
    challenge(p, 3, &v(6), &addr(0xf1), "Answered", 1500, None).await;
    challenge(
        p,
        4,
        &v(1),
        &addr(0xf2),
        "Dismissed",
        100,
        Some(r#"{"outcome":"Dismissed"}"#),
    )
    .await;
    event(p, 10, 0, model_created(&m(1), "llama")).await;
    event(p, 10, 1, version_published(&v(1), &m(1))).await;
    event(p, 11, 0, version_published(&v(2), &m(1))).await;
    event(p, 11, 3, signalled(&v(2), 200)).await;
    event(p, 12, 2, signalled(&v(2), 100)).await;
}

async fn seeded(db: &Db) -> Server {
    let s = Server::start(db, ApiConfig::default()).await;
    seed(&s).await;
    s
}

fn ids(items: &Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i[key].as_str().expect("id").to_owned())
        .collect()
}

async fn models(db: &Db) {
    let s = seeded(db).await;
    let all = s.ok("/v1/models").await;
    assert_eq!(ids(&all["items"], "modelId"), vec![m(1), m(2), m(3)]);
    assert_eq!(all["nextCursor"], Value::Null);
    let first = &all["items"][0];
    assert_eq!(first["owner"], checksummed(&owner_a()));
    assert_eq!(first["name"], "llama");
    assert_eq!(first["metadataURI"], "ipfs://llama");
    assert_eq!(first["versions"], 6);
    assert_eq!(first["createdBlock"], 5);
    assert_eq!(first["pendingOwner"], Value::Null);

    // The owner filter accepts checksummed and lowercase addresses.
    for o in [
        owner_a(),
        checksummed(&owner_a()),
        owner_a().to_uppercase().replacen("0X", "0x", 1),
    ] {
        let page = s.ok(&format!("/v1/models?owner={o}")).await;
        assert_eq!(
            ids(&page["items"], "modelId"),
            vec![m(1), m(3)],
            "owner={o}"
        );
    }
    let one = s.ok(&format!("/v1/models/{}", m(2))).await;
    assert_eq!(one["name"], "mistral");
    // Upper-case hex ids are accepted.
    let upper = s
        .ok(&format!("/v1/models/0x{}", m(2)[2..].to_uppercase()))
        .await;
    assert_eq!(upper["modelId"], m(2));
    s.err(&format!("/v1/models/{}", m(9)), 404, "not_found")
        .await;

    let vs = s.ok(&format!("/v1/models/{}/versions", m(1))).await;
    assert_eq!(
        ids(&vs["items"], "versionId"),
        vec![v(1), v(2), v(3), v(4), v(5), v(6)]
    );
    let active = s
        .ok(&format!("/v1/models/{}/versions?status=active", m(1)))
        .await;
    assert_eq!(ids(&active["items"], "versionId"), vec![v(1), v(2), v(6)]);
    s.err(&format!("/v1/models/{}/versions", m(9)), 404, "not_found")
        .await;

    // resolve: the highest-stake Active version (V2 and V6 tie at 300: the earlier wins); the challenged,
    // slashed and retired ones (stakes 1000, 5000, 9000) are ignored.
    let r = s.ok(&format!("/v1/models/{}/resolve", m(1))).await;
    assert_eq!(r["versionId"], v(2));
    assert_eq!(r["status"], "Active");
    assert_eq!(r["stake"], "300");
    assert_eq!(r["contentRoot"], id(0xcc, 11));
    assert_eq!(r["manifestDigest"], id(0xdd, 11));
    assert_eq!(r["numChunks"], 4);
    assert_eq!(r["totalBytes"], 4_000_000);
    assert_eq!(
        r["locations"],
        json!(["https://weights.example/11", "ipfs://x11"])
    );
    assert_eq!(r["publisher"], checksummed(&owner_a()));
    assert_eq!(r["curators"], 2);
    assert_eq!(r["activeVersions"], 3);
    assert_eq!(r["parent"], v(1));
    // More stake on V6 moves the resolution; slashing it moves it back.
    sqlx::query("UPDATE versions SET stake = $1 WHERE version_id = $2")
        .bind(amt(301))
        .bind(v(6))
        .execute(s.pool())
        .await
        .expect("update");
    // Until the index moves on, the answer comes from the response cache.
    assert_eq!(
        s.ok(&format!("/v1/models/{}/resolve", m(1))).await["versionId"],
        v(2)
    );
    s.committed();
    assert_eq!(
        s.ok(&format!("/v1/models/{}/resolve", m(1))).await["versionId"],
        v(6)
    );
    sqlx::query("UPDATE versions SET status = 'Slashed' WHERE version_id = $1")
        .bind(v(6))
        .execute(s.pool())
        .await
        .expect("update");
    s.committed();
    assert_eq!(
        s.ok(&format!("/v1/models/{}/resolve", m(1))).await["versionId"],
        v(2)
    );
    // A model whose only version is slashed, a model without versions, an unknown model: 404.
    s.err(&format!("/v1/models/{}/resolve", m(2)), 404, "not_found")
        .await;
    s.err(&format!("/v1/models/{}/resolve", m(3)), 404, "not_found")
        .await;
    s.err(&format!("/v1/models/{}/resolve", m(9)), 404, "not_found")
        .await;
    s.stop().await;
}

async fn versions(db: &Db) {
    let s = seeded(db).await;
    let all = s.ok("/v1/versions").await;
    assert_eq!(
        ids(&all["items"], "versionId"),
        (1..=7).map(v).collect::<Vec<_>>()
    );
    let v2 = s.ok(&format!("/v1/versions/{}", v(2))).await;
    assert_eq!(v2["modelId"], m(1));
    assert_eq!(v2["status"], "Active");
    assert_eq!(v2["parent"], v(1));
    assert_eq!(v2["bond"], "1000");
    assert_eq!(v2["stake"], "300");
    assert_eq!(v2["publishedBlock"], 11);
    assert_eq!(v2["openChallenge"], Value::Null);
    assert_eq!(v2["publisher"], checksummed(&owner_a()));
    assert_eq!(
        s.ok(&format!("/v1/versions/{}", v(1))).await["parent"],
        Value::Null
    );
    s.err(&format!("/v1/versions/{}", v(99)), 404, "not_found")
        .await;

    let slashed = s.ok("/v1/versions?status=Slashed").await;
    assert_eq!(ids(&slashed["items"], "versionId"), vec![v(4), v(7)]);
    let of_m2 = s.ok(&format!("/v1/versions?model={}", m(2))).await;
    assert_eq!(ids(&of_m2["items"], "versionId"), vec![v(7)]);
    let by_b = s
        .ok(&format!(
            "/v1/versions?publisher={}",
            checksummed(&owner_b())
        ))
        .await;
    assert_eq!(ids(&by_b["items"], "versionId"), vec![v(6), v(7)]);
    let combined = s
        .ok(&format!(
            "/v1/versions?publisher={}&status=active&model={}",
            owner_b(),
            m(1)
        ))
        .await;
    assert_eq!(ids(&combined["items"], "versionId"), vec![v(6)]);

    let l = s.ok(&format!("/v1/versions/{}/lineage", v(3))).await;
    assert_eq!(l["version"]["versionId"], v(3));
    assert_eq!(ids(&l["ancestors"], "versionId"), vec![v(2), v(1)]);
    assert_eq!(ids(&l["children"], "versionId"), Vec::<String>::new());
    assert_eq!(l["truncated"], false);
    let root = s.ok(&format!("/v1/versions/{}/lineage", v(1))).await;
    assert_eq!(ids(&root["ancestors"], "versionId"), Vec::<String>::new());
    assert_eq!(ids(&root["children"], "versionId"), vec![v(2), v(6)]);
    s.err(&format!("/v1/versions/{}/lineage", v(99)), 404, "not_found")
        .await;

    // A chain longer than the depth bound is truncated.
    let m1 = m(1);
    let a = owner_a();
    for n in 100..170u64 {
        let parent = if n == 100 { None } else { Some(v(n - 1)) };
        version(
            s.pool(),
            &V {
                parent,
                ..V::new(v(n), &m1, &a, "Active", 1, 100 + n as i64)
            },
        )
        .await;
    }
    let deep = s.ok(&format!("/v1/versions/{}/lineage", v(169))).await;
    assert_eq!(deep["ancestors"].as_array().map(Vec::len), Some(64));
    assert_eq!(deep["ancestors"][0]["versionId"], v(168));
    assert_eq!(deep["truncated"], true);
    s.stop().await;
}

async fn curation(db: &Db) {
    let s = seeded(db).await;
    // Curators of V2: active or thawing, by shares; C4 (nothing left) is not listed.
    let cur = s.ok(&format!("/v1/versions/{}/curators", v(2))).await;
    let items = cur["items"].as_array().expect("items");
    assert_eq!(
        items
            .iter()
            .map(|i| i["curator"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>(),
        vec![checksummed(&c(1)), checksummed(&c(2)), checksummed(&c(3))]
    );
    assert_eq!(items[0]["shares"], (200 * E18).to_string());
    // pending = 200e18 × (2e27 − 1e27) / 1e27
    assert_eq!(items[0]["pendingRewards"], (200 * E18).to_string());
    assert_eq!(items[1]["pendingRewards"], "0");
    assert_eq!(items[2]["shares"], "0");
    assert_eq!(items[2]["thawing"], (50 * E18).to_string());
    assert_eq!(items[2]["thawEnd"], 1_800_000_000u64);
    assert_eq!(items[0]["signalled"], (200 * E18 + 7).to_string());
    assert_eq!(items[0]["rewards"], "3");
    assert_eq!(items[0]["versionStatus"], "Active");
    assert_eq!(items[0]["modelId"], m(1));
    s.err(
        &format!("/v1/versions/{}/curators", v(99)),
        404,
        "not_found",
    )
    .await;

    let pos = s
        .ok(&format!("/v1/curators/{}/positions", checksummed(&c(1))))
        .await;
    assert_eq!(ids(&pos["items"], "versionId"), vec![v(2), v(1)]);
    let none = s
        .ok(&format!("/v1/curators/{}/positions", addr(0x1234)))
        .await;
    assert_eq!(none["items"], json!([]));
    let all4 = s.ok(&format!("/v1/curators/{}/positions", c(4))).await;
    assert_eq!(ids(&all4["items"], "versionId"), vec![v(2)]);
    let active4 = s
        .ok(&format!("/v1/curators/{}/positions?active=true", c(4)))
        .await;
    assert_eq!(all4["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(active4["items"], json!([]));

    let acct = s.ok(&format!("/v1/accounts/{}", c(1))).await;
    assert_eq!(
        acct,
        json!({"account": checksummed(&c(1)), "stake": (200 * E18 + 5).to_string(), "positions": 2,
               "rewardsEarned": "9", "curationClaimable": "11", "challengesClaimable": "22", "claimed": "33"})
    );
    let unknown = s.ok(&format!("/v1/accounts/{}", addr(0x4242))).await;
    assert_eq!(
        unknown,
        json!({"account": checksummed(&addr(0x4242)), "stake": "0", "positions": 0, "rewardsEarned": "0",
               "curationClaimable": "0", "challengesClaimable": "0", "claimed": "0"})
    );

    let lb = s.ok("/v1/leaderboard").await;
    assert_eq!(
        lb["items"],
        json!([
            {"account": checksummed(&c(1)), "stake": (200 * E18 + 5).to_string(), "positions": 2, "rewardsEarned": "9"},
            {"account": checksummed(&c(2)), "stake": (100 * E18).to_string(), "positions": 1, "rewardsEarned": "0"},
            {"account": checksummed(&c(3)), "stake": "0", "positions": 0, "rewardsEarned": "4"},
        ])
    );
    s.stop().await;
}

fn challenge_ids(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["challengeId"].as_u64().expect("id"))
        .collect()
}

async fn challenges(db: &Db) {
    let s = seeded(db).await;
    assert_eq!(
        challenge_ids(&s.ok("/v1/challenges").await),
        vec![4, 3, 2, 1]
    );
    assert_eq!(
        challenge_ids(&s.ok("/v1/challenges?status=open").await),
        vec![3, 1]
    );
    assert_eq!(
        challenge_ids(&s.ok("/v1/challenges?status=Open").await),
        vec![1]
    );
    assert_eq!(
        challenge_ids(&s.ok("/v1/challenges?status=answered").await),
        vec![3]
    );
    assert_eq!(
        challenge_ids(&s.ok("/v1/challenges?status=settled").await),
        vec![4, 2]
    );
    assert_eq!(
        challenge_ids(&s.ok("/v1/challenges?status=Upheld").await),
        vec![2]
    );
    assert_eq!(
        challenge_ids(&s.ok(&format!("/v1/challenges?version={}", v(3))).await),
        vec![1]
    );
    let by = format!("/v1/challenges?challenger={}", checksummed(&addr(0xf2)));
    assert_eq!(challenge_ids(&s.ok(&by).await), vec![4]);
    let by = format!("/v1/challenges?challenger={}&status=open", addr(0xf1));
    assert_eq!(challenge_ids(&s.ok(&by).await), vec![3, 1]);

    let one = s.ok("/v1/challenges/2").await;
    assert_eq!(one["challengeId"], 2);
    assert_eq!(one["versionId"], v(4));
    assert_eq!(one["challenger"], checksummed(&addr(0xf1)));
    assert_eq!(one["kind"], "Availability");
    assert_eq!(one["status"], "Upheld");
    assert_eq!(one["settled"], true);
    assert_eq!(one["deadline"], 500);
    assert_eq!(one["bond"], "50");
    assert_eq!(one["chunkIndices"], json!([1, 5, 9]));
    assert_eq!(
        one["settlement"],
        json!({"outcome": "Upheld", "challengerPayout": "10"})
    );
    assert_eq!(one["keeper"], checksummed(&addr(0x77)));
    assert_eq!(one["settledBlock"], 19);
    let answered = s.ok("/v1/challenges/3").await;
    assert_eq!(answered["settled"], false);
    assert_eq!(answered["responder"], checksummed(&addr(0x99)));
    assert_eq!(answered["settlement"], Value::Null);
    s.err("/v1/challenges/99", 404, "not_found").await;
    s.stop().await;
}

async fn events(db: &Db) {
    let s = seeded(db).await;
    let all = s.ok("/v1/events").await;
    let keys: Vec<(u64, u64)> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["blockNumber"].as_u64().unwrap_or(0),
                e["logIndex"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(keys, vec![(10, 0), (10, 1), (11, 0), (11, 3), (12, 2)]);
    let first = &all["items"][0];
    assert_eq!(first["name"], "ModelCreated");
    // Decoded from the stored topics and data.
    assert_eq!(
        first["fields"],
        json!({"modelId": m(1), "owner": checksummed(&addr(1)), "name": "llama", "metadataURI": ""})
    );
    assert_eq!(first["txHash"], id(0xee, 10_000));
    assert_eq!(first["blockHash"], id(0xbb, 10));
    assert_eq!(first["address"], checksummed(&addr(0x5)));
    assert_eq!(all["items"][3]["fields"]["tokens"], "200");
    assert_eq!(all["items"][3]["fields"]["curator"], checksummed(&addr(2)));
    let sig = s.ok("/v1/events?name=Signalled").await;
    assert_eq!(sig["items"].as_array().map(Vec::len), Some(2));
    assert!(sig["items"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|e| e["name"] == "Signalled"));
    let walked = s.walk("/v1/events", 2).await;
    assert_eq!(walked, all["items"].as_array().cloned().unwrap_or_default());
    s.stop().await;
}

async fn bad_input(db: &Db) {
    let s = seeded(db).await;
    let cases: Vec<(String, u16, &str)> = vec![
        ("/v1/models/0x1234".into(), 400, "invalid_parameter"),
        ("/v1/models/not-an-id".into(), 400, "invalid_parameter"),
        (
            format!("/v1/models/{}zz", &m(1)[..64]),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/models/0x1234/versions".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/models/0x1234/resolve".into(), 400, "invalid_parameter"),
        (format!("/v1/models/{}", m(42)), 404, "not_found"),
        (format!("/v1/models/{}/resolve", m(42)), 404, "not_found"),
        ("/v1/versions/0xabc".into(), 400, "invalid_parameter"),
        (
            "/v1/versions/0xabc/lineage".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/versions/0xabc/curators".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/models?owner=0x123".into(), 400, "invalid_parameter"),
        ("/v1/models?owner=bob".into(), 400, "invalid_parameter"),
        (
            "/v1/curators/0xnothex00000000000000000000000000000000/positions".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/accounts/0x12".into(), 400, "invalid_parameter"),
        (
            "/v1/versions?publisher=xyz".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/versions?model=0x01".into(), 400, "invalid_parameter"),
        (
            "/v1/versions?status=Frozen".into(),
            400,
            "invalid_parameter",
        ),
        (
            format!("/v1/models/{}/versions?status=nope", m(1)),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/challenges?status=Pending".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/challenges?version=0x12".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/challenges?challenger=0x12".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/challenges/abc".into(), 400, "invalid_parameter"),
        ("/v1/challenges/-1".into(), 400, "invalid_parameter"),
        (
            "/v1/challenges/99999999999999999999999".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/challenges/12345".into(), 404, "not_found"),
        (
            "/v1/events?name=bad%20name".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/curators/0x0000000000000000000000000000000000000001/positions?active=maybe".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/v1/events/stream?after=abc".into(),
            400,
            "invalid_parameter",
        ),
        ("/v1/nope".into(), 404, "not_found"),
        ("/".into(), 404, "not_found"),
        ("/v1/models/a/b/c".into(), 404, "not_found"),
    ];
    let mut cases = cases;
    for list in [
        "/v1/models",
        "/v1/versions",
        "/v1/challenges",
        "/v1/events",
        "/v1/leaderboard",
    ] {
        cases.push((format!("{list}?limit=0"), 400, "invalid_limit"));
        cases.push((format!("{list}?limit=1001"), 400, "invalid_limit"));
        cases.push((format!("{list}?limit=-5"), 400, "invalid_parameter"));
        cases.push((format!("{list}?limit=ten"), 400, "invalid_parameter"));
        cases.push((format!("{list}?cursor=garbage!!"), 400, "invalid_cursor"));
        cases.push((format!("{list}?cursor=Zm9vfDE"), 400, "invalid_cursor"));
    }
    cases.push((
        format!("/v1/versions/{}/curators?limit=0", v(2)),
        400,
        "invalid_limit",
    ));
    cases.push((
        format!("/v1/versions/{}/curators?cursor=xyz", v(2)),
        400,
        "invalid_cursor",
    ));
    cases.push((
        format!("/v1/curators/{}/positions?limit=1001", c(1)),
        400,
        "invalid_limit",
    ));
    cases.push((
        format!("/v1/curators/{}/positions?cursor=%%%", c(1)),
        400,
        "invalid_cursor",
    ));
    cases.push((
        format!("/v1/models/{}/versions?limit=0", m(1)),
        400,
        "invalid_limit",
    ));
    for (path, status, code) in &cases {
        s.err(path, *status, code).await;
    }
    // A cursor of another route is refused.
    let page = s.ok("/v1/models?limit=1").await;
    let cursor = page["nextCursor"].as_str().expect("cursor").to_owned();
    s.err(
        &format!("/v1/versions?cursor={cursor}"),
        400,
        "invalid_cursor",
    )
    .await;
    s.err(
        &format!(
            "/v1/challenges?status=open&cursor={}",
            s.ok("/v1/challenges?limit=1").await["nextCursor"]
                .as_str()
                .unwrap_or("")
        ),
        400,
        "invalid_cursor",
    )
    .await;
    // Limits at the bounds are fine.
    s.ok("/v1/models?limit=1").await;
    s.ok("/v1/models?limit=1000").await;
    // Wrong method: 405 with a JSON body.
    for path in ["/v1/models", "/status"] {
        let res = s
            .client
            .post(format!("{}{path}", s.base))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 405);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "method_not_allowed");
    }
    let res = s
        .client
        .delete(format!("{}/v1/models/{}", s.base, m(1)))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status().as_u16(), 405);
    s.stop().await;
}

async fn pagination(db: &Db) {
    let s = seeded(db).await;
    let p = s.pool();
    let (a, m1) = (owner_a(), m(1));
    // Many rows with ties in every sort key.
    for n in 0..57u64 {
        model(
            p,
            &m(1000 + n),
            &a,
            &format!("m{n}"),
            0,
            100 + (n / 4) as i64,
        )
        .await;
        version(
            p,
            &V::new(
                v(1000 + n),
                &m1,
                &a,
                if n % 3 == 0 { "Retired" } else { "Active" },
                1,
                200 + (n / 5) as i64,
            ),
        )
        .await;
        position(
            p,
            &v(2),
            &addr(0x1000 + n),
            ((n % 4) as u128) * E18,
            if n % 4 == 0 { 1 } else { 0 },
            U256::ZERO,
        )
        .await;
        account(p, &addr(0x1000 + n), ((n % 6) as u128 + 1) * E18, 1, 0).await;
        challenge(
            p,
            100 + n as i64,
            &v(1),
            &a,
            if n % 2 == 0 { "Open" } else { "Failed" },
            3000 + (n / 3) as i64,
            None,
        )
        .await;
        event(p, 50 + (n / 7) as i64, (n % 7) as i64, rewarded(&v(1))).await;
    }
    for n in 0..23u64 {
        position(p, &v(1000 + n), &c(9), (n as u128 % 3) * E18, 0, U256::ZERO).await;
    }
    let routes = [
        "/v1/models".to_owned(),
        "/v1/versions".to_owned(),
        "/v1/versions?status=Active".to_owned(),
        format!("/v1/models/{}/versions", m(1)),
        format!("/v1/versions/{}/curators", v(2)),
        format!("/v1/curators/{}/positions", c(9)),
        "/v1/leaderboard".to_owned(),
        "/v1/challenges".to_owned(),
        "/v1/challenges?status=open".to_owned(),
        "/v1/challenges?status=settled".to_owned(),
        "/v1/events".to_owned(),
        "/v1/events?name=Rewarded".to_owned(),
    ];
    for route in &routes {
        let sep = if route.contains('?') { '&' } else { '?' };
        let whole = s.ok(&format!("{route}{sep}limit=1000")).await;
        assert_eq!(whole["nextCursor"], Value::Null, "{route}");
        let whole = whole["items"].as_array().cloned().unwrap_or_default();
        assert!(whole.len() > 20, "{route}: {}", whole.len());
        for limit in [1, 7, 50] {
            let walked = s.walk(route, limit).await;
            assert_eq!(walked, whole, "{route} with limit {limit}");
        }
    }
    // The default page is 100.
    let page = s.ok("/v1/challenges").await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(61));
    let page = s.ok("/v1/versions").await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(64));
    assert_eq!(page["nextCursor"], Value::Null);
    for n in 0..40u64 {
        event(p, 90, n as i64, rewarded(&v(1))).await;
    }
    let page = s.ok("/v1/events").await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(100));
    assert!(page["nextCursor"].is_string());
    // Open challenges come by deadline; settled ones (and the unfiltered list) newest first.
    let open = s.walk("/v1/challenges?status=open", 9).await;
    let deadlines: Vec<u64> = open
        .iter()
        .map(|c| c["deadline"].as_u64().unwrap_or(0))
        .collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "{deadlines:?}");
    // Curators by shares, descending.
    let cur = s.walk(&format!("/v1/versions/{}/curators", v(2)), 4).await;
    let shares: Vec<u128> = cur
        .iter()
        .map(|c| c["shares"].as_str().unwrap_or("").parse().unwrap_or(0))
        .collect();
    assert!(shares.windows(2).all(|w| w[0] >= w[1]), "{shares:?}");
    s.stop().await;
}

/// One server-sent event: (id, event, data).
type Sse = (String, String, Value);

async fn read_sse(res: reqwest::Response, n: usize) -> Vec<Sse> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut body = res.bytes_stream();
    let read = async {
        while out.len() < n {
            let Some(chunk) = body.next().await else {
                break;
            };
            buf.push_str(&String::from_utf8_lossy(&chunk.expect("chunk")));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let (mut id, mut ev, mut data) = (String::new(), String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        ev = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if !id.is_empty() {
                    out.push((id, ev, serde_json::from_str(&data).expect("data is JSON")));
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(15), read)
        .await
        .expect("events arrive");
    out
}

async fn stream(db: &Db) {
    let config = ApiConfig {
        sse_poll: Duration::from_millis(50),
        ..ApiConfig::default()
    };
    let s = Server::start(db, config).await;
    seed(&s).await;
    let url = format!("{}/v1/events/stream", s.base);
    let res = s.client.get(&url).send().await.expect("connect");
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/event-stream"));
    let got = read_sse(res, 5).await;
    let ids: Vec<&str> = got.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(ids, vec!["10-0", "10-1", "11-0", "11-3", "12-2"]);
    assert_eq!(got[0].1, "ModelCreated");
    assert_eq!(got[0].2["blockNumber"], 10);
    assert_eq!(got[0].2["logIndex"], 0);
    assert_eq!(got[0].2["name"], "ModelCreated");
    assert_eq!(got[0].2["txHash"], id(0xee, 10_000));
    assert_eq!(got[0].2["fields"]["name"], "llama");

    // Reconnecting with Last-Event-ID resumes after it; new events arrive live.
    let res = s
        .client
        .get(&url)
        .header("Last-Event-ID", "11-0")
        .send()
        .await
        .expect("reconnect");
    let p = s.pool().clone();
    let writer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        event(&p, 13, 0, rewards_settled(&v(2), 5)).await;
    });
    let got = read_sse(res, 3).await;
    writer.await.expect("writer");
    let ids: Vec<&str> = got.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(ids, vec!["11-3", "12-2", "13-0"]);
    assert_eq!(got[2].1, "RewardsSettled");
    assert_eq!(got[2].2["fields"]["amount"], "5");

    // ?after= does the same; the header wins over it; name filters.
    let res = s
        .client
        .get(format!("{url}?after=12-2"))
        .send()
        .await
        .expect("after");
    assert_eq!(read_sse(res, 1).await[0].0, "13-0");
    let res = s
        .client
        .get(format!("{url}?after=0-0"))
        .header("Last-Event-ID", "12-2")
        .send()
        .await
        .expect("both");
    assert_eq!(read_sse(res, 1).await[0].0, "13-0");
    let res = s
        .client
        .get(format!("{url}?name=Signalled"))
        .send()
        .await
        .expect("name");
    let got = read_sse(res, 2).await;
    assert_eq!(
        got.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        vec!["11-3", "12-2"]
    );
    // `latest` skips history.
    let res = s
        .client
        .get(format!("{url}?after=latest"))
        .send()
        .await
        .expect("latest");
    let p = s.pool().clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        event(&p, 14, 1, curation_claimed(7)).await;
    });
    assert_eq!(read_sse(res, 1).await[0].0, "14-1");

    // A rollback below events already sent: a `reorg` frame names the fork, then the new branch follows.
    let res = s
        .client
        .get(format!("{url}?after=11-0"))
        .send()
        .await
        .expect("reorg stream");
    let p = s.pool().clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        // What Store::rollback_to does to the events, in one transaction.
        let mut tx = p.begin().await.expect("begin");
        sqlx::query("DELETE FROM events WHERE block_number > 11")
            .execute(&mut *tx)
            .await
            .expect("delete");
        sqlx::query("INSERT INTO reorgs (fork_block) VALUES (11)")
            .execute(&mut *tx)
            .await
            .expect("reorg");
        tx.commit().await.expect("commit");
        event(&p, 12, 0, signalled(&v(2), 300)).await;
    });
    let got = read_sse(res, 6).await;
    let ids: Vec<(&str, &str)> = got.iter().map(|e| (e.0.as_str(), e.1.as_str())).collect();
    assert_eq!(
        ids,
        vec![
            ("11-3", "Signalled"),
            ("12-2", "Signalled"),
            ("13-0", "RewardsSettled"),
            ("14-1", "CurationClaimed"),
            ("11-3", "reorg"),
            ("12-0", "Signalled"),
        ]
    );
    assert_eq!(got[4].2, json!({"forkBlock": 11}));
    assert_eq!(got[5].2["fields"]["tokens"], "300");
    // A stream opened after that rollback does not report it.
    let res = s
        .client
        .get(format!("{url}?after=11-3"))
        .send()
        .await
        .expect("after reorg");
    assert_eq!(read_sse(res, 1).await[0].0, "12-0");

    // A malformed Last-Event-ID is a 400.
    let res = s
        .client
        .get(&url)
        .header("Last-Event-ID", "x-y")
        .send()
        .await
        .expect("bad id");
    assert_eq!(res.status().as_u16(), 400);

    // Shutdown ends open streams instead of waiting on them.
    let _open = s.client.get(&url).send().await.expect("open stream");
    s.stop().await;
}

async fn operations(db: &Db) {
    let s = seeded(db).await;
    let st = s.ok("/status").await;
    assert_eq!(
        st,
        json!({"chainId": 31337, "headBlock": 20, "indexedBlock": 18, "lag": 2})
    );
    assert_eq!(s.ok("/healthz").await, json!({"status": "ok"}));

    let doc = s.ok("/openapi.json").await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/v1/models",
        "/v1/models/{modelId}",
        "/v1/models/{modelId}/versions",
        "/v1/models/{modelId}/resolve",
        "/v1/versions",
        "/v1/versions/{versionId}",
        "/v1/versions/{versionId}/lineage",
        "/v1/versions/{versionId}/curators",
        "/v1/curators/{address}/positions",
        "/v1/accounts/{address}",
        "/v1/leaderboard",
        "/v1/challenges",
        "/v1/challenges/{id}",
        "/v1/events",
        "/v1/events/stream",
        "/status",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "openapi.json lacks GET {path}"
        );
    }
    assert!(doc["components"]["schemas"]["ResolveView"]["properties"]["contentRoot"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());

    let res = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.expect("text");
    assert!(
        text.contains("curia_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("curia_indexed_block 18"), "{text}");
    assert!(text.contains("curia_chain_head_block 20"), "{text}");
    let count = text
        .lines()
        .find_map(|l| l.strip_prefix("curia_http_request_duration_seconds_count "))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .expect("count");
    assert!(count >= 3, "{count}");

    // CORS: any origin may GET.
    let res = s
        .client
        .get(format!("{}/v1/models", s.base))
        .header("Origin", "https://dapp.example")
        .send()
        .await
        .expect("cors");
    assert_eq!(
        res.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    let res = s
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/v1/models", s.base))
        .header("Origin", "https://dapp.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .expect("preflight");
    assert!(res.status().is_success());
    assert!(res.headers().get("access-control-allow-methods").is_some());
    s.stop().await;
}

async fn readiness(db: &Db) {
    // Empty database: no head, nothing indexed.
    let s = Server::start(
        db,
        ApiConfig {
            ready_max_lag: 3,
            ..ApiConfig::default()
        },
    )
    .await;
    let (code, body) = s.get("/readyz").await;
    assert_eq!(code, 503, "{body}");
    assert_eq!(body["status"], "not_ready");
    assert_eq!(
        s.ok("/status").await,
        json!({"chainId": null, "headBlock": null, "indexedBlock": null, "lag": null})
    );
    meta(s.pool(), "head_block", "100").await;
    let (code, body) = s.get("/readyz").await;
    assert_eq!(
        (code, body["reason"].as_str()),
        (503, Some("not_indexed")),
        "{body}"
    );
    meta(s.pool(), "indexed_block", "90").await;
    let (code, body) = s.get("/readyz").await;
    assert_eq!(
        (code, body["reason"].as_str()),
        (503, Some("lagging")),
        "{body}"
    );
    assert_eq!(body["lag"], 10);
    assert_eq!(body["maxLag"], 3);
    meta(s.pool(), "indexed_block", "97").await;
    let (code, body) = s.get("/readyz").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["lag"], 3);
    meta(s.pool(), "indexed_block", "100").await;
    assert_eq!(s.get("/readyz").await.0, 200);
    // A follower in the process: its counters win over the database.
    s.metrics
        .follower
        .store(true, std::sync::atomic::Ordering::Relaxed);
    s.metrics
        .head
        .store(120, std::sync::atomic::Ordering::Relaxed);
    s.metrics
        .indexed
        .store(100, std::sync::atomic::Ordering::Relaxed);
    let (code, body) = s.get("/readyz").await;
    assert_eq!((code, body["lag"].as_u64()), (503, Some(20)), "{body}");
    assert_eq!(s.ok("/status").await["headBlock"], 120);
    s.metrics
        .indexed
        .store(119, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(s.get("/readyz").await.0, 200);
    // A database that does not answer: 503, not 500; /healthz stays 200.
    s.store.pool().close().await;
    let (code, body) = s.get("/readyz").await;
    assert_eq!(
        (code, body["reason"].as_str()),
        (503, Some("database_unavailable")),
        "{body}"
    );
    assert_eq!(s.ok("/healthz").await["status"], "ok");
    let (code, body) = s.get("/v1/models").await;
    assert_eq!(
        (code, body["error"]["code"].as_str()),
        (500, Some("internal")),
        "{body}"
    );
    s.stop().await;
}
