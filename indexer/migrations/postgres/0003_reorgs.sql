-- The reorg bookkeeping of the indexer.

-- The undo journal (indexer/src/journal.rs): for each batch that reached into the reorg window, its block
-- range, and the image of every projection row it changed as the row was before it (NULL: the batch
-- created the row). A reorg undoes the batches above the fork instead of rebuilding every projection.
CREATE TABLE undo_batches (
    first_block BIGINT PRIMARY KEY,
    last_block  BIGINT NOT NULL
);

CREATE TABLE undo_rows (
    batch   BIGINT NOT NULL,
    tbl     TEXT NOT NULL,
    row_key TEXT NOT NULL,
    image   TEXT
);
CREATE INDEX undo_rows_by_batch ON undo_rows (batch);

-- Every rollback, in order: the event stream tells its clients which block the chain forked at.
CREATE TABLE reorgs (
    seq        BIGSERIAL PRIMARY KEY,
    fork_block BIGINT NOT NULL
);
