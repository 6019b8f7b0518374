//! Raw events: the paginated list and the server-sent event stream.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::{Extension, Json};
use futures::Stream;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use tokio::sync::watch;
use utoipa::{IntoParams, ToSchema};

use alloy::primitives::Address;

use super::db::{self, Key, Sql};
use super::error::{ApiError, ErrorBody};
use super::pagination::{self, Page, PageQuery};
use super::params::{self, ApiQuery};
use super::{ApiState, Closing};
use crate::decode::{decode, Contracts};
use crate::store::topics_from_db;

/// How often the stream sends a comment when there is nothing new, so that proxies keep it open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Rows read per poll of the stream.
const STREAM_BATCH: i64 = 500;

/// A raw event as the contract emitted it, with its decoded fields.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    /// Block number.
    pub block_number: u64,
    /// Index of the log in its block.
    pub log_index: u64,
    /// Block hash.
    pub block_hash: String,
    /// Block timestamp (unix seconds), when known.
    pub block_time: Option<u64>,
    /// Transaction hash.
    pub tx_hash: String,
    /// Index of the transaction in its block.
    pub tx_index: u64,
    /// The emitting contract (checksummed).
    pub address: String,
    /// The event's name, e.g. `VersionPublished`.
    #[schema(example = "VersionPublished")]
    pub name: String,
    /// The decoded fields (camelCase; amounts as decimal strings, addresses checksummed).
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

impl EventView {
    /// The event of a row of `events`, its fields decoded from the stored topics and data.
    fn from_row(r: &AnyRow, contracts: &Contracts) -> Result<Self, ApiError> {
        let address: Address = db::text(r, "address")?
            .parse()
            .map_err(|e| ApiError::internal(format!("stored event address: {e}")))?;
        let topics = topics_from_db(&db::bytes(r, "topics")?)?;
        let event = decode(contracts, address, &topics, &db::bytes(r, "data")?)?;
        Ok(Self {
            block_number: db::uint(r, "block_number")?,
            log_index: db::uint(r, "log_index")?,
            block_hash: db::text(r, "block_hash")?,
            block_time: db::opt_uint(r, "block_time")?,
            tx_hash: db::text(r, "tx_hash")?,
            tx_index: db::uint(r, "tx_index")?,
            address: db::address(r, "address")?,
            name: db::text(r, "name")?,
            fields: event.fields(),
        })
    }
}

const COLUMNS: &str =
    "SELECT block_number, log_index, block_hash, block_time, tx_hash, tx_index, address, name, \
     topics, data FROM events";

/// The contracts whose events the database holds (needed to decode them), once there are events.
async fn contracts(st: &ApiState) -> Result<Contracts, ApiError> {
    st.store
        .contracts()
        .await?
        .ok_or_else(|| ApiError::internal("the database holds events but no contract addresses"))
}

/// Filters of `GET /v1/events`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Only events of this name, e.g. `Signalled`.
    pub name: Option<String>,
}

fn after(s: &mut Sql, block: i64, log: i64) {
    s.after(
        "block_number",
        false,
        Key::Int(block),
        "log_index",
        Key::Int(log),
    );
}

/// Lists raw events in chain order (by block number, then log index).
#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventsQuery, PageQuery),
    responses((status = 200, description = "A page of events", body = Page<EventView>),
              (status = 400, description = "Bad name, limit or cursor", body = ErrorBody)))]
pub async fn list_events(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<EventsQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<EventView>>, ApiError> {
    const KIND: &str = "events";
    let name = q.name.as_deref().map(params::event_name).transpose()?;
    let limit = page.limit()?;
    let cursor = page.cursor(KIND, 2)?;
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE 1 = 1");
    if let Some(n) = name {
        s.push(" AND name = ").text(n);
    }
    if let Some(c) = cursor {
        after(&mut s, c.int(0)?, c.int(1)?);
    }
    s.push(" ORDER BY block_number, log_index LIMIT ")
        .int(limit as i64 + 1);
    let rows = s.fetch_all(st.store.pool()).await?;
    if rows.is_empty() {
        return Ok(Json(Page {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let contracts = contracts(&st).await?;
    Ok(Json(pagination::page(
        KIND,
        rows,
        limit,
        |r| {
            Ok(vec![
                db::int(r, "block_number")?.to_string(),
                db::int(r, "log_index")?.to_string(),
            ])
        },
        |r| EventView::from_row(r, &contracts),
    )?))
}

/// Where `GET /v1/events/stream` starts.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Start after this event id (`<blockNumber>-<logIndex>`), or `latest` to send only events indexed from
    /// now on. The `Last-Event-ID` header, which browsers send when they reconnect, wins over it. Without
    /// either, the stream replays every event from the first.
    pub after: Option<String>,
    /// Only events of this name.
    pub name: Option<String>,
}

fn parse_event_id(s: &str) -> Result<(i64, i64), ApiError> {
    let bad = || {
        ApiError::invalid(format!(
            "event id must be <blockNumber>-<logIndex>, got '{s}'"
        ))
    };
    let (b, l) = s.trim().split_once('-').ok_or_else(bad)?;
    let b = b.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(bad)?;
    let l = l.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(bad)?;
    Ok((b, l))
}

struct StreamState {
    st: ApiState,
    key: (i64, i64),
    name: Option<String>,
    buf: VecDeque<SseEvent>,
    closing: Option<watch::Receiver<bool>>,
    poll: Duration,
    tip: Option<watch::Receiver<u64>>,
    /// Read with the first events.
    contracts: Option<Contracts>,
    /// The last rollback (`reorgs.seq`) this stream has accounted for.
    reorg_seq: i64,
}

/// The last rollback recorded (0 when none).
async fn last_reorg(st: &ApiState) -> Result<i64, ApiError> {
    let row = Sql::new("SELECT max(seq) AS seq FROM reorgs")
        .fetch_one(st.store.pool())
        .await?;
    Ok(row.try_get::<Option<i64>, _>("seq")?.unwrap_or(0))
}

impl StreamState {
    fn closed(&self) -> bool {
        self.closing.as_ref().is_some_and(|c| *c.borrow())
    }

    /// Waits one poll interval, or less when the follower of this process commits a batch; false when
    /// the server is shutting down.
    async fn wait(&mut self) -> bool {
        let tip = &mut self.tip;
        let woken = async {
            match tip.as_mut() {
                Some(t) => {
                    if t.changed().await.is_err() {
                        // The follower is gone: poll only.
                        *tip = None;
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        match self.closing.as_mut() {
            None => tokio::select! {
                _ = tokio::time::sleep(self.poll) => true,
                _ = woken => true,
            },
            Some(c) => tokio::select! {
                _ = tokio::time::sleep(self.poll) => true,
                _ = woken => true,
                _ = c.changed() => false,
            },
        }
    }

    /// Queues a `reorg` frame when a rollback since the last poll removed events this stream has sent,
    /// and moves the stream back to the fork.
    async fn check_reorgs(&mut self) -> Result<(), ApiError> {
        let row =
            Sql::new("SELECT min(fork_block) AS fork, max(seq) AS seq FROM reorgs WHERE seq > ")
                .int(self.reorg_seq)
                .fetch_one(self.st.store.pool())
                .await?;
        let (Some(fork), Some(seq)) = (
            row.try_get::<Option<i64>, _>("fork")?,
            row.try_get::<Option<i64>, _>("seq")?,
        ) else {
            return Ok(());
        };
        self.reorg_seq = seq;
        if fork >= self.key.0 {
            return Ok(()); // nothing sent was above the fork
        }
        // Resume after the last event that survived (the new branch's events follow).
        let mut s = Sql::new("SELECT block_number, log_index FROM events WHERE block_number <= ");
        s.int(fork)
            .push(" ORDER BY block_number DESC, log_index DESC LIMIT 1");
        self.key = match s.fetch_optional(self.st.store.pool()).await? {
            Some(r) => (db::int(&r, "block_number")?, db::int(&r, "log_index")?),
            None => (fork, -1),
        };
        let data = serde_json::json!({ "forkBlock": fork }).to_string();
        self.buf.push_back(
            SseEvent::default()
                .id(format!("{}-{}", self.key.0.max(0), self.key.1.max(0)))
                .event("reorg")
                .data(data),
        );
        Ok(())
    }

    async fn fetch(&mut self) -> Result<(), ApiError> {
        self.check_reorgs().await?;
        let mut s = Sql::new(COLUMNS);
        s.push(" WHERE 1 = 1");
        if let Some(n) = &self.name {
            s.push(" AND name = ").text(n.clone());
        }
        after(&mut s, self.key.0, self.key.1);
        s.push(" ORDER BY block_number, log_index LIMIT ")
            .int(STREAM_BATCH);
        let rows = s.fetch_all(self.st.store.pool()).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let contracts = match &self.contracts {
            Some(c) => *c,
            None => *self.contracts.insert(contracts(&self.st).await?),
        };
        for r in rows {
            let key = (db::int(&r, "block_number")?, db::int(&r, "log_index")?);
            let view = EventView::from_row(&r, &contracts)?;
            let data = serde_json::to_string(&view).map_err(ApiError::internal)?;
            let name: String = view.name.chars().filter(|c| !c.is_control()).collect();
            self.buf.push_back(
                SseEvent::default()
                    .id(format!("{}-{}", key.0, key.1))
                    .event(name)
                    .data(data),
            );
            self.key = key;
        }
        Ok(())
    }
}

/// One server-sent event of `/v1/events/stream`, as its fields arrive on the wire.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SseFrame {
    /// `<blockNumber>-<logIndex>`: the value to resume from with `Last-Event-ID`.
    id: String,
    /// The event's name (`Signalled`, `ChallengeOpened`, …), or `reorg` (data `{"forkBlock": N}`).
    event: String,
    /// The event as JSON, as one item of `/v1/events`.
    data: String,
}

/// Streams events as server-sent events, in chain order, as they are indexed. Each has `id:
/// <blockNumber>-<logIndex>`, `event: <name>` and `data:` the event as JSON (as in `/v1/events`).
/// Reconnecting with `Last-Event-ID` (or `?after=`) resumes after that event. A comment is sent every
/// 15 s when idle. When a reorg rolls back events already sent, the stream sends `event: reorg` with
/// `data: {"forkBlock": N}`: drop every event above block N; the new branch's events follow.
#[utoipa::path(get, path = "/v1/events/stream", tag = "events", params(StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this event id")),
    responses((status = 200, description = "A text/event-stream of events", content_type = "text/event-stream", body = SseFrame),
              (status = 400, description = "Bad event id or name", body = ErrorBody)))]
pub async fn stream(
    State(st): State<ApiState>,
    headers: HeaderMap,
    closing: Option<Extension<Closing>>,
    ApiQuery(q): ApiQuery<StreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let name = q.name.as_deref().map(params::event_name).transpose()?;
    let last = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::invalid("Last-Event-ID is not text"))?
                .to_owned(),
        ),
        None => q.after.clone(),
    };
    let key = match last.as_deref().map(str::trim) {
        None | Some("") => (-1, -1),
        Some(s) if s.eq_ignore_ascii_case("latest") => {
            let row = Sql::new(
                "SELECT block_number, log_index FROM events ORDER BY block_number DESC, log_index DESC LIMIT 1",
            )
            .fetch_optional(st.store.pool())
            .await?;
            match row {
                Some(r) => (db::int(&r, "block_number")?, db::int(&r, "log_index")?),
                None => (-1, -1),
            }
        }
        Some(s) => parse_event_id(s)?,
    };
    let reorg_seq = last_reorg(&st).await?;
    let poll = st.config.sse_poll;
    let tip = st.config.tip.clone().map(|mut t| {
        t.mark_unchanged();
        t
    });
    let state = StreamState {
        st,
        key,
        name,
        buf: VecDeque::new(),
        closing: closing.map(|c| c.0 .0),
        poll,
        tip,
        contracts: None,
        reorg_seq,
    };
    let events = futures::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(e) = s.buf.pop_front() {
                return Some((Ok(e), s));
            }
            if s.closed() {
                return None;
            }
            let before = s.key;
            if let Err(e) = s.fetch().await {
                tracing::warn!(error = %e, "event stream poll failed; retrying");
            }
            if s.buf.is_empty() && s.key == before && !s.wait().await {
                return None;
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}
