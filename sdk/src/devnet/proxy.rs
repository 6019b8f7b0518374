//! [`RangeLimitProxy`]: a JSON-RPC proxy in front of a node that refuses `eth_getLogs` over more than a
//! given number of blocks, as hosted providers do, so that tests can check that clients split ranges.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use alloy::transports::http::reqwest;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::error::CuriaError;
use crate::Result;

/// An HTTP JSON-RPC proxy to `upstream` that answers `eth_getLogs` over more than `max_blocks` blocks
/// with a JSON-RPC error (code -32005, "query exceeds max block range"), and forwards everything else.
/// For tests; stopped when dropped.
#[derive(Debug)]
pub struct RangeLimitProxy {
    addr: SocketAddr,
    refused: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl RangeLimitProxy {
    /// Starts the proxy on a free local port.
    pub async fn start(upstream: &str, max_blocks: u64) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| CuriaError::Chain(format!("starting the proxy: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| CuriaError::Chain(format!("starting the proxy: {e}")))?;
        let refused = Arc::new(AtomicU64::new(0));
        let shared = Arc::new(Shared {
            upstream: upstream.to_owned(),
            max_blocks,
            refused: refused.clone(),
            http: reqwest::Client::new(),
        });
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    // A connection that breaks mid-request simply ends.
                    let _ = serve(stream, &shared).await;
                });
            }
        });
        Ok(Self {
            addr,
            refused,
            task,
        })
    }

    /// The proxy's URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many `eth_getLogs` requests it has refused so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

impl Drop for RangeLimitProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Shared {
    upstream: String,
    max_blocks: u64,
    refused: Arc<AtomicU64>,
    http: reqwest::Client,
}

fn block_number(v: &Value) -> Option<u64> {
    u64::from_str_radix(v.as_str()?.strip_prefix("0x")?, 16).ok()
}

/// The refusal for a single request that asks for too wide a range, if it does.
fn refusal(request: &Value, max_blocks: u64) -> Option<Value> {
    if request["method"] != "eth_getLogs" {
        return None;
    }
    let filter = &request["params"][0];
    let (from, to) = (
        block_number(&filter["fromBlock"])?,
        block_number(&filter["toBlock"])?,
    );
    (to.saturating_sub(from) + 1 > max_blocks).then(|| {
        json!({
            "jsonrpc": "2.0",
            "id": request["id"],
            "error": {"code": -32005, "message": format!("query exceeds max block range {max_blocks}")},
        })
    })
}

/// Serves HTTP/1.1 requests (with `Content-Length` bodies) on one connection until it closes.
async fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut stream = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).await?;
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let answer = match refusal(&request, shared.max_blocks) {
            Some(refusal) => {
                shared.refused.fetch_add(1, Ordering::Relaxed);
                refusal.to_string().into_bytes()
            }
            None => match forward(shared, body).await {
                Ok(b) => b,
                Err(e) => json!({"jsonrpc": "2.0", "id": request["id"],
                    "error": {"code": -32603, "message": format!("proxy: {e}")}})
                .to_string()
                .into_bytes(),
            },
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            answer.len()
        );
        let out = stream.get_mut();
        out.write_all(head.as_bytes()).await?;
        out.write_all(&answer).await?;
        out.flush().await?;
    }
}

async fn forward(shared: &Shared, body: Vec<u8>) -> reqwest::Result<Vec<u8>> {
    let response = shared
        .http
        .post(&shared.upstream)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    Ok(response.bytes().await?.to_vec())
}
