//! The client against a real anvil with Curia deployed by `curia_sdk::deploy` (devnet terms).
//! Amounts follow the formulas of docs/protocol.md ("Who is paid what").

use std::path::{Path, PathBuf};
use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use curia_sdk::bindings::{CuriaConfig, CuriaRegistry};
use curia_sdk::devnet::{find_anvil, Devnet, RangeLimitProxy};
use curia_sdk::mr1::{self, CommitOptions, FileSet};
use curia_sdk::{
    parse_amount, ChallengeStatus, Client, CuriaError, Deployment, PublishOptions, Terms, Thawing,
    VersionStatus, Weights,
};

mod common;

fn anvil_bin() -> PathBuf {
    find_anvil(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("anvil is missing: run scripts/setup")
}

async fn devnet() -> Devnet {
    Devnet::start(&anvil_bin(), &Terms::devnet())
        .await
        .expect("start the devnet")
}

/// A client of `net` signing as `account`. Its log scans (claim's signalled versions, respond's
/// `ChallengeOpened`) ask two blocks at a time, so that these tests cover scans over many ranges.
async fn client(net: &Devnet, account: usize) -> Client {
    Client::builder(net.endpoint())
        .private_key(net.key(account))
        .deployment(net.deployment().clone())
        .poll_interval(Duration::from_millis(20))
        .log_range(2)
        .connect()
        .await
        .expect("connect")
}

/// Tokens of 18 decimals.
fn tok(s: &str) -> U256 {
    parse_amount(s, 18).expect("amount")
}

/// A small model: 13 + 1 chunks in two files.
fn weights(dir: &Path, seed: u64) {
    common::write(dir, "model.safetensors", seed, 50_000);
    common::write(dir, "config.json", seed + 1, 300);
}

fn publish_options(model_id: B256) -> PublishOptions {
    PublishOptions {
        model_id,
        locations: vec!["hf://curia/tiny@main".into()],
        metadata_uri: "ipfs://card".into(),
        ..Default::default()
    }
}

async fn nonce(net: &Devnet, who: Address) -> u64 {
    net.provider()
        .get_transaction_count(who)
        .await
        .expect("nonce")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle() {
    let net = devnet().await;
    for i in 1..=7 {
        net.mint(net.address(i), tok("10000")).await.expect("mint");
    }
    let publisher = client(&net, 1).await;
    let a = client(&net, 2).await;
    let b = client(&net, 3).await;
    let challenger = client(&net, 4).await;
    let responder = client(&net, 5).await;
    let keeper = client(&net, 6).await;
    let rewarder = client(&net, 7).await;
    let (pa, aa, ba) = (net.address(1), net.address(2), net.address(3));
    assert_eq!(publisher.token().symbol, "CURIA");
    assert_eq!(publisher.token().decimals, 18);

    let dir = tempfile::tempdir().expect("tempdir");
    weights(dir.path(), 1);

    // Model: the id is keccak256(abi.encode(owner, name)), as the registry computes it.
    let model = publisher
        .create_model("tiny", "ipfs://model")
        .await
        .expect("create model");
    let registry = CuriaRegistry::new(net.deployment().registry, net.provider());
    let onchain_id = registry
        .modelIdOf(pa, "tiny".into())
        .call()
        .await
        .expect("modelIdOf");
    assert_eq!(model.model_id, onchain_id);
    assert_eq!(Client::model_id_of(pa, "tiny"), onchain_id);
    assert_eq!(
        publisher.model(model.model_id).await.expect("model").owner,
        pa
    );

    // Publish: the minimum bond (100) by default, approved exactly.
    let published = publisher
        .publish(dir.path(), &publish_options(model.model_id))
        .await
        .expect("publish");
    let v = published.version_id;
    assert_eq!(v, mr1::commit(dir.path()).expect("commit").version_id);
    assert_eq!(published.bond, tok("100"));
    assert!(published.approval.is_some());
    let version = publisher.version(v).await.expect("version");
    assert_eq!(version.status, VersionStatus::Active);
    assert_eq!(version.num_chunks, 14);
    assert_eq!(version.bond, tok("100"));
    assert_eq!(
        publisher
            .allowance(pa, net.deployment().registry)
            .await
            .expect("allowance"),
        U256::ZERO,
        "the approval was of the exact bond"
    );

    // Two curators: tax 1%, shares 1:1.
    let sa = a.signal(v, tok("1000"), None).await.expect("signal a");
    assert_eq!((sa.tax, sa.shares), (tok("10"), tok("990")));
    let sb = b.signal(v, tok("2000"), None).await.expect("signal b");
    assert_eq!((sb.tax, sb.shares), (tok("20"), tok("1980")));
    let pool = a.pool(v).await.expect("pool");
    assert_eq!(pool.shares, tok("2970"));

    // Reward 330: publisher 10% = 33, curators 297 = 0.1 per share.
    let r = rewarder.reward(v, tok("330")).await.expect("reward");
    assert_eq!(
        (r.publisher_share, r.curator_share),
        (tok("33"), tok("297"))
    );
    assert_eq!(
        a.position(v, aa).await.expect("position").pending_rewards,
        tok("99")
    );

    // Claims: the publisher's tax and share; each curator's rewards (found from its signals).
    let c = publisher.claim(&[]).await.expect("publisher claim");
    assert_eq!((c.curation, c.challenges), (tok("63"), U256::ZERO));
    let c = a.claim(&[]).await.expect("a claim");
    assert_eq!(c.curation, tok("99"));
    assert_eq!(c.versions, vec![v]);
    let c = b.claim(&[v]).await.expect("b claim");
    assert_eq!(c.curation, tok("198"));
    let err = a.claim(&[]).await.expect_err("nothing left");
    assert!(matches!(err, CuriaError::NothingToClaim { .. }), "{err:?}");

    // Challenge 1: stake at risk 100 + 2970 = 3070; bond max(10, 5% x 3070) = 153.5.
    assert_eq!(
        challenger.required_bond(v).await.expect("bond"),
        tok("153.5")
    );
    let c1 = challenger
        .challenge_availability(v, &[0, 3, 13])
        .await
        .expect("challenge 1");
    assert_eq!(c1.bond, tok("153.5"));
    assert_eq!(c1.chunk_indices, vec![0, 3, 13]);
    assert!(c1.reveal_tx.block_number > c1.commit_tx.block_number);
    assert_eq!(
        publisher.version(v).await.expect("version").status,
        VersionStatus::Challenged
    );
    let info = keeper
        .challenge(c1.challenge_id)
        .await
        .expect("challenge info");
    assert_eq!(
        (info.status, info.chunk_indices.clone()),
        (ChallengeStatus::Open, vec![0, 3, 13])
    );
    assert!(!info.settleable);

    // One open challenge per version: refused before anything is sent.
    let before = nonce(&net, net.address(4)).await;
    let err = challenger
        .challenge_availability(v, &[1])
        .await
        .expect_err("already challenged");
    assert!(
        matches!(err, CuriaError::NotChallengeable { .. }),
        "{err:?}"
    );
    assert_eq!(nonce(&net, net.address(4)).await, before);

    // Answered from the weights directory (a few blocks later, so that finding the ChallengeOpened
    // event scans back over several ranges); settled by a keeper: Failed.
    for _ in 0..5 {
        net.provider()
            .raw_request::<_, serde_json::Value>("evm_mine".into(), ())
            .await
            .expect("mine");
    }
    responder
        .respond(c1.challenge_id, &Weights::dir(dir.path()))
        .await
        .expect("respond");
    assert_eq!(
        keeper
            .challenge(c1.challenge_id)
            .await
            .expect("info")
            .status,
        ChallengeStatus::Answered
    );
    let s1 = keeper.settle(c1.challenge_id).await.expect("settle 1");
    assert_eq!(s1.outcome, ChallengeStatus::Failed);
    // keeper 1% x 153.5 = 1.535; R = 151.965; burned 10% R = 15.1965; responder 50% R = 75.9825;
    // curators' reward R - burned - responder = 60.786: publisher 10% = 6.0786, curators 54.7074
    // over 2970 shares = 0.01842 per share: A 18.2358, B 36.4716.
    assert_eq!(s1.keeper_bounty, tok("1.535"));
    assert_eq!(s1.burned, tok("15.1965"));
    assert_eq!(s1.responder_payout, tok("75.9825"));
    assert_eq!(s1.curator_reward, tok("60.786"));
    assert_eq!(s1.challenger_payout, U256::ZERO);
    assert_eq!(
        keeper
            .claimables(net.address(6), &[])
            .await
            .expect("c")
            .challenges,
        tok("1.535")
    );
    assert_eq!(
        responder
            .claimables(net.address(5), &[])
            .await
            .expect("c")
            .challenges,
        tok("75.9825")
    );
    let cc = challenger
        .claimables(net.address(4), &[v])
        .await
        .expect("c");
    assert_eq!(cc.total(), U256::ZERO);
    assert_eq!(
        publisher.claimables(pa, &[]).await.expect("c").curation,
        tok("6.0786")
    );
    assert_eq!(a.pending_rewards(v, aa).await.expect("p"), tok("18.2358"));
    assert_eq!(b.pending_rewards(v, ba).await.expect("p"), tok("36.4716"));
    assert_eq!(
        publisher.version(v).await.expect("version").status,
        VersionStatus::Active
    );

    // Challenge 2, answered with an outboard written by the commitment.
    let ob_dir = tempfile::tempdir().expect("tempdir");
    let ob = ob_dir.path().join("tiny.mr1ob");
    FileSet::scan(dir.path())
        .expect("scan")
        .commit_with(&CommitOptions {
            outboard: Some(&ob),
            progress: None,
        })
        .expect("outboard");
    let c2 = challenger
        .challenge_availability(v, &[1, 2, 12])
        .await
        .expect("challenge 2");
    responder
        .respond(c2.challenge_id, &Weights::with_outboard(dir.path(), &ob))
        .await
        .expect("respond with outboard");
    assert_eq!(
        keeper
            .settle(c2.challenge_id)
            .await
            .expect("settle 2")
            .outcome,
        ChallengeStatus::Failed
    );

    // Challenge 3: nobody answers. Settling early is a decoded revert; after the deadline: Upheld.
    let c3 = challenger
        .challenge_availability(v, &[5])
        .await
        .expect("challenge 3");
    assert_eq!(c3.bond, tok("153.5"));
    let err = keeper.settle(c3.challenge_id).await.expect_err("too early");
    assert!(
        matches!(err, CuriaError::NotYetSettleable { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("try again then"), "{err}");
    net.increase_time(130).await.expect("time");
    let s3 = keeper.settle(c3.challenge_id).await.expect("settle 3");
    // Publisher bond 100 slashed; curators min(50% x 2970, 2970) = 1485; S = 1585; keeper 1% =
    // 15.85; challenger 153.5 + 50% x 1585 = 946; burned 1585 - 15.85 - 792.5 = 776.65.
    assert_eq!(s3.outcome, ChallengeStatus::Upheld);
    assert_eq!(s3.publisher_slashed, tok("100"));
    assert_eq!(s3.curators_slashed, tok("1485"));
    assert_eq!(s3.keeper_bounty, tok("15.85"));
    assert_eq!(s3.challenger_payout, tok("946"));
    assert_eq!(s3.burned, tok("776.65"));
    assert_eq!(
        publisher.version(v).await.expect("version").status,
        VersionStatus::Slashed
    );
    let claimed = challenger.claim(&[]).await.expect("challenger claim");
    assert_eq!(
        (claimed.curation, claimed.challenges),
        (U256::ZERO, tok("946"))
    );

    // After the slash each unit of stake is worth 0.5: A withdraws 495 after the thaw.
    let u = a.unsignal(v, tok("990")).await.expect("unsignal");
    assert_eq!(u.thawing, tok("990"));
    let err = a.withdraw(v).await.expect_err("still thawing");
    assert!(
        matches!(
            err,
            CuriaError::StillThawing {
                what: Thawing::Stake,
                remaining: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    net.increase_time(901).await.expect("time");
    assert_eq!(
        a.position(v, aa).await.expect("position").thawing_value,
        tok("495")
    );
    let w = a.withdraw(v).await.expect("withdraw");
    assert_eq!((w.nominal, w.amount), (tok("990"), tok("495")));
}

#[tokio::test]
async fn refuses_before_sending() {
    let net = devnet().await;
    net.mint(net.address(1), tok("1000")).await.expect("mint");
    let publisher = client(&net, 1).await;
    let poor = client(&net, 8).await;
    let dir = tempfile::tempdir().expect("tempdir");
    weights(dir.path(), 7);
    let model = publisher.create_model("m", "").await.expect("model");

    // A bond below the minimum: the simulation's revert is decoded, and no approval is sent.
    let before = nonce(&net, net.address(1)).await;
    let opts = PublishOptions {
        bond: Some(tok("50")),
        ..publish_options(model.model_id)
    };
    let err = publisher
        .publish(dir.path(), &opts)
        .await
        .expect_err("bond too low");
    assert_eq!(
        err.to_string(),
        "the bond 50 CURIA is below the minimum 100 CURIA: pass --bond 100"
    );
    assert!(err.is_user_error());
    assert_eq!(nonce(&net, net.address(1)).await, before);

    // Content already registered.
    publisher
        .publish(dir.path(), &publish_options(model.model_id))
        .await
        .expect("publish");
    let before = nonce(&net, net.address(1)).await;
    let err = publisher
        .publish(dir.path(), &publish_options(model.model_id))
        .await
        .expect_err("already registered");
    assert!(matches!(err, CuriaError::VersionExists { .. }), "{err:?}");
    assert!(err.to_string().contains("already registered"), "{err}");
    assert_eq!(nonce(&net, net.address(1)).await, before);

    // Too little balance: an account without tokens.
    let other = tempfile::tempdir().expect("tempdir");
    weights(other.path(), 99);
    let poor_model = poor.create_model("p", "").await.expect("model");
    let before = nonce(&net, net.address(8)).await;
    let err = poor
        .publish(other.path(), &publish_options(poor_model.model_id))
        .await
        .expect_err("no tokens");
    match &err {
        CuriaError::InsufficientBalance(s) => {
            assert_eq!((s.needed.wei, s.balance.wei), (tok("100"), U256::ZERO));
        }
        e => panic!("unexpected {e:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("needs 100 CURIA") && msg.contains("holds 0 CURIA"),
        "{msg}"
    );
    assert_eq!(nonce(&net, net.address(8)).await, before);

    // Someone else's model.
    let err = poor
        .publish(other.path(), &publish_options(model.model_id))
        .await
        .expect_err("not the owner");
    assert!(
        matches!(
            err,
            CuriaError::InsufficientBalance(_) | CuriaError::NotModelOwner { .. }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn protocol_reverts_are_decoded() {
    let net = devnet().await;
    net.mint(net.address(1), tok("1000")).await.expect("mint");
    let c = client(&net, 1).await;
    let unknown = B256::repeat_byte(0x42);

    let err = c
        .signal(unknown, tok("10"), None)
        .await
        .expect_err("unknown version");
    assert!(matches!(err, CuriaError::NotSignallable { .. }), "{err:?}");
    assert_eq!(
        c.allowance(net.address(1), net.deployment().curation)
            .await
            .expect("allowance"),
        U256::ZERO,
        "no approval for a signal that reverts"
    );
    let err = c.unsignal(unknown, tok("1")).await.expect_err("no shares");
    assert!(
        matches!(err, CuriaError::InsufficientShares { .. }),
        "{err:?}"
    );
    let err = c.settle(U256::from(7)).await.expect_err("no challenge");
    assert!(
        matches!(
            err,
            CuriaError::UnknownChallenge { .. } | CuriaError::WrongChallengeStatus { .. }
        ),
        "{err:?}"
    );
    let err = c
        .challenge_availability(unknown, &[0])
        .await
        .expect_err("unknown version");
    assert!(matches!(err, CuriaError::UnknownVersion { .. }), "{err:?}");

    // Governance pauses: new entries are refused with ProtocolPaused.
    let config = CuriaConfig::new(net.deployment().config, net.provider());
    config
        .pause()
        .send()
        .await
        .expect("pause")
        .get_receipt()
        .await
        .expect("receipt");
    let err = c.create_model("paused", "").await.expect_err("paused");
    assert!(matches!(err, CuriaError::ProtocolPaused), "{err:?}");
    assert!(err.to_string().contains("paused"), "{err}");
    // A read-only client cannot send.
    let ro = Client::builder(net.endpoint())
        .deployment(net.deployment().clone())
        .connect()
        .await
        .expect("read-only");
    assert!(matches!(
        ro.create_model("x", "").await,
        Err(CuriaError::NoSigner)
    ));
    assert!(ro.paused().await.expect("paused"));
}

#[tokio::test]
async fn respond_with_weights_that_do_not_match() {
    let net = devnet().await;
    for i in 1..=3 {
        net.mint(net.address(i), tok("1000")).await.expect("mint");
    }
    let publisher = client(&net, 1).await;
    let challenger = client(&net, 2).await;
    let responder = client(&net, 3).await;
    let dir = tempfile::tempdir().expect("tempdir");
    weights(dir.path(), 3);
    let model = publisher.create_model("m", "").await.expect("model");
    let v = publisher
        .publish(dir.path(), &publish_options(model.model_id))
        .await
        .expect("publish")
        .version_id;
    let ch = challenger
        .challenge_availability(v, &[2])
        .await
        .expect("challenge");

    let wrong = tempfile::tempdir().expect("tempdir");
    weights(wrong.path(), 4);
    let err = responder
        .respond(ch.challenge_id, &Weights::dir(wrong.path()))
        .await
        .expect_err("other weights");
    assert!(matches!(err, CuriaError::WeightsMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("do not match version"), "{err}");

    // An outboard of other weights.
    let ob = wrong.path().join(".ob");
    FileSet::scan(wrong.path())
        .expect("scan")
        .commit_with(&CommitOptions {
            outboard: Some(&ob),
            progress: None,
        })
        .expect("outboard");
    let err = responder
        .respond(ch.challenge_id, &Weights::with_outboard(dir.path(), &ob))
        .await
        .expect_err("other outboard");
    assert!(matches!(err, CuriaError::WeightsMismatch { .. }), "{err:?}");

    // The right outboard but a directory whose bytes changed since.
    let right_ob = wrong.path().join(".right");
    FileSet::scan(dir.path())
        .expect("scan")
        .commit_with(&CommitOptions {
            outboard: Some(&right_ob),
            progress: None,
        })
        .expect("outboard");
    common::write(dir.path(), "model.safetensors", 77, 50_000);
    let err = responder
        .respond(
            ch.challenge_id,
            &Weights::with_outboard(dir.path(), &right_ob),
        )
        .await
        .expect_err("changed bytes");
    assert!(matches!(err, CuriaError::WeightsMismatch { .. }), "{err:?}");
    assert_eq!(
        responder
            .challenge(ch.challenge_id)
            .await
            .expect("info")
            .status,
        ChallengeStatus::Open,
        "nothing was sent"
    );
}

#[tokio::test]
async fn connect_checks_the_chain() {
    let net = devnet().await;
    let dir = tempfile::tempdir().expect("tempdir");

    // A deployment file for another chain id.
    let path = dir.path().join("mainnet.json");
    Deployment {
        chain_id: 1,
        ..net.deployment().clone()
    }
    .save(&path)
    .expect("save");
    let err = Client::builder(net.endpoint())
        .deployment_file(&path)
        .connect()
        .await
        .expect_err("wrong chain");
    assert!(
        matches!(
            err,
            CuriaError::WrongChain {
                expected: 1,
                actual: 31337,
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("mainnet.json") && msg.contains("chain 1") && msg.contains("31337"),
        "{msg}"
    );
    assert!(err.is_user_error());

    // A stale deployment (a restarted devnet): no code at the addresses.
    let err = Client::builder(net.endpoint())
        .deployment(Deployment {
            registry: Address::repeat_byte(0x11),
            ..net.deployment().clone()
        })
        .connect()
        .await
        .expect_err("stale");
    assert!(
        matches!(
            err,
            CuriaError::NotDeployed {
                contract: "CuriaRegistry",
                ..
            }
        ),
        "{err:?}"
    );

    // A missing file, a bad key, a node that is down.
    let err = Client::builder(net.endpoint())
        .deployment_file(dir.path().join("missing.json"))
        .connect()
        .await
        .expect_err("missing");
    assert!(matches!(err, CuriaError::DeploymentFile { .. }), "{err:?}");
    let err = Client::builder(net.endpoint())
        .private_key("0x1234")
        .deployment(net.deployment().clone())
        .connect()
        .await
        .expect_err("bad key");
    assert!(
        matches!(err, CuriaError::InvalidPrivateKey { .. }),
        "{err:?}"
    );
    let err = Client::builder("http://127.0.0.1:1")
        .deployment(net.deployment().clone())
        .connect()
        .await
        .expect_err("down");
    assert!(matches!(err, CuriaError::Unreachable { .. }), "{err:?}");
    assert!(!err.is_user_error());
    assert!(err.to_string().contains("--rpc-url"), "{err}");
}

#[tokio::test]
async fn keystore_signer() {
    let net = devnet().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let key = alloy::primitives::hex::decode(net.key(5)).expect("hex");
    let (signer, _) = alloy::signers::local::PrivateKeySigner::encrypt_keystore(
        dir.path(),
        &mut rand::thread_rng(),
        key,
        "hunter2",
        Some("key.json"),
    )
    .expect("keystore");
    assert_eq!(signer.address(), net.address(5));
    let c = Client::builder(net.endpoint())
        .keystore(dir.path().join("key.json"), "hunter2")
        .deployment(net.deployment().clone())
        .connect()
        .await
        .expect("connect with keystore");
    assert_eq!(c.address(), Some(net.address(5)));
    let err = Client::builder(net.endpoint())
        .keystore(dir.path().join("key.json"), "wrong")
        .deployment(net.deployment().clone())
        .connect()
        .await
        .expect_err("wrong password");
    assert!(err.to_string().contains("wrong password"), "{err}");
}

/// A chain that mines on a timer (no automine): the client polls until a block after the
/// commit is mined before revealing.
#[tokio::test]
async fn challenge_on_a_chain_with_block_time() {
    let net = devnet().await;
    for i in 1..=2 {
        net.mint(net.address(i), tok("1000")).await.expect("mint");
    }
    let publisher = client(&net, 1).await;
    let challenger = client(&net, 2).await;
    let dir = tempfile::tempdir().expect("tempdir");
    weights(dir.path(), 11);
    let model = publisher.create_model("m", "").await.expect("model");
    let v = publisher
        .publish(dir.path(), &publish_options(model.model_id))
        .await
        .expect("publish")
        .version_id;
    let p = net.provider();
    p.raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (false,))
        .await
        .expect("automine off");
    p.raw_request::<_, serde_json::Value>("evm_setIntervalMining".into(), (1,))
        .await
        .expect("interval mining");
    let opened = challenger
        .challenge_availability(v, &[0])
        .await
        .expect("challenge");
    assert!(opened.reveal_tx.block_number > opened.commit_tx.block_number);
    assert_eq!(
        publisher.version(v).await.expect("version").status,
        VersionStatus::Challenged
    );
}

/// Behind a node that refuses `eth_getLogs` over more than 3 blocks (as hosted providers cap ranges),
/// the client's scans split their ranges and still find every event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_scans_split_ranges_the_node_refuses() {
    let net = devnet().await;
    net.mint(net.address(1), tok("1000")).await.expect("mint");
    net.mint(net.address(2), tok("1000")).await.expect("mint");
    let publisher = client(&net, 1).await;
    let curator = client(&net, 2).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut versions = Vec::new();
    for (i, name) in ["one", "two"].into_iter().enumerate() {
        let model = publisher.create_model(name, "").await.expect("model");
        weights(dir.path(), 100 + i as u64);
        let v = publisher
            .publish(dir.path(), &publish_options(model.model_id))
            .await
            .expect("publish")
            .version_id;
        curator.signal(v, tok("10"), None).await.expect("signal");
        versions.push(v);
        for _ in 0..4 {
            net.mine().await.expect("mine");
        }
    }
    versions.sort();

    let proxy = RangeLimitProxy::start(&net.endpoint(), 3)
        .await
        .expect("proxy");
    let behind = Client::builder(proxy.url())
        .deployment(net.deployment().clone())
        .connect()
        .await
        .expect("connect through the proxy");
    let found = behind
        .signalled_versions(net.address(2))
        .await
        .expect("scan through the proxy");
    assert_eq!(found, versions);
    assert!(proxy.refused() > 0, "the proxy refused the wide ranges");
}
