-- Curia indexer schema (PostgreSQL). Amounts are 78-digit zero-padded decimal strings, so that text order is
-- numeric order in both databases; ids, hashes and addresses are lowercase 0x-hex.

-- Key/value state: chain id, genesis hash, contract addresses, the checkpoint, the chain head.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Hashes of the recent (unfinalized) blocks the indexer has applied: the reorg window.
CREATE TABLE blocks (
    number      BIGINT PRIMARY KEY,
    hash        TEXT NOT NULL,
    parent_hash TEXT NOT NULL
);

-- Every log of the Curia contracts, exactly as the node returned it: topics (32 bytes each, concatenated)
-- and data as raw bytes. The API decodes them when it serves them, so that a backfill writes each log once,
-- compactly.
CREATE TABLE events (
    id           BIGSERIAL PRIMARY KEY,
    chain_id     BIGINT NOT NULL,
    block_number BIGINT NOT NULL,
    block_hash   TEXT NOT NULL,
    block_time   BIGINT,
    tx_hash      TEXT NOT NULL,
    tx_index     BIGINT NOT NULL,
    log_index    BIGINT NOT NULL,
    address      TEXT NOT NULL,
    name         TEXT NOT NULL,
    topics       BYTEA NOT NULL,
    data         BYTEA NOT NULL,
    UNIQUE (chain_id, block_number, log_index)
);
CREATE INDEX events_by_name ON events (name, block_number, log_index);

CREATE TABLE models (
    model_id      TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    pending_owner TEXT,
    name          TEXT NOT NULL,
    metadata_uri  TEXT NOT NULL,
    versions      BIGINT NOT NULL,
    created_block BIGINT NOT NULL,
    created_at    BIGINT
);
CREATE INDEX models_by_owner ON models (owner);

CREATE TABLE versions (
    version_id      TEXT PRIMARY KEY,
    model_id        TEXT NOT NULL,
    publisher       TEXT NOT NULL,
    status          TEXT NOT NULL,
    terms_id        BIGINT NOT NULL,
    content_root    TEXT NOT NULL,
    manifest_digest TEXT NOT NULL,
    num_chunks      BIGINT NOT NULL,
    total_bytes     BIGINT NOT NULL,
    locations       TEXT NOT NULL,
    parent          TEXT,
    metadata_uri    TEXT NOT NULL,
    bond            TEXT NOT NULL,
    bond_thaw_end   BIGINT NOT NULL,
    shares          TEXT NOT NULL,
    thawing         TEXT NOT NULL,
    stake           TEXT NOT NULL,
    reward_reserve  TEXT NOT NULL,
    acc_reward_per_share TEXT NOT NULL,
    slash_numerator   TEXT NOT NULL,
    slash_denominator TEXT NOT NULL,
    curators        BIGINT NOT NULL,
    rewards_total   TEXT NOT NULL,
    open_challenge  BIGINT,
    published_block BIGINT NOT NULL,
    published_at    BIGINT
);
CREATE INDEX versions_by_model ON versions (model_id, status, stake);
CREATE INDEX versions_by_publisher ON versions (publisher);
CREATE INDEX versions_by_parent ON versions (parent);

CREATE TABLE positions (
    version_id   TEXT NOT NULL,
    curator      TEXT NOT NULL,
    shares       TEXT NOT NULL,
    thawing      TEXT NOT NULL,
    thaw_end     BIGINT NOT NULL,
    acc_snapshot TEXT NOT NULL,
    signalled    TEXT NOT NULL,
    rewards      TEXT NOT NULL,
    updated_block BIGINT NOT NULL,
    PRIMARY KEY (version_id, curator)
);
CREATE INDEX positions_by_curator ON positions (curator);

CREATE TABLE challenges (
    challenge_id   BIGINT PRIMARY KEY,
    version_id     TEXT NOT NULL,
    challenger     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL,
    terms_id       BIGINT NOT NULL,
    deadline       BIGINT NOT NULL,
    bond           TEXT NOT NULL,
    publisher_bond TEXT NOT NULL,
    pool_snapshot  TEXT NOT NULL,
    chunk_indices  TEXT NOT NULL,
    evidence_uri   TEXT NOT NULL,
    responder      TEXT,
    arbitrator     TEXT,
    settlement     TEXT,
    keeper         TEXT,
    opened_block   BIGINT NOT NULL,
    opened_at      BIGINT,
    settled_block  BIGINT
);
CREATE INDEX challenges_by_status ON challenges (status, deadline);
CREATE INDEX challenges_by_version ON challenges (version_id);

-- Per account: curation stake and rewards, and what each contract owes it (pull payments).
CREATE TABLE accounts (
    account              TEXT PRIMARY KEY,
    stake                TEXT NOT NULL,
    positions            BIGINT NOT NULL,
    rewards_earned       TEXT NOT NULL,
    curation_claimable   TEXT NOT NULL,
    challenges_claimable TEXT NOT NULL,
    claimed              TEXT NOT NULL
);
CREATE INDEX accounts_by_stake ON accounts (stake);
