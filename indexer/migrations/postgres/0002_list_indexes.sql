-- Indexes for the API's list orders (the events' unique key starts with chain_id, so chain-order scans
-- need their own).
CREATE INDEX events_by_position ON events (block_number, log_index);
CREATE INDEX models_by_created ON models (created_block, model_id);
CREATE INDEX versions_by_published ON versions (published_block, version_id);
CREATE INDEX positions_by_version_shares ON positions (version_id, shares);
