//! What the `curia` binary's tests share.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Output};

use serde_json::Value;

/// The URL a `curia serve` or `curia index --serve` child (started with stderr piped) prints on its
/// first line ("… listening on http://…"). Its stderr is drained from then on: a closed pipe would make
/// the server's next log line fail.
pub fn listening_url(child: &mut Child) -> String {
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("read");
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let url = line.trim().rsplit(' ').next().expect("address").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    url
}

/// The JSON that `curia ARGS` printed, which must have exited 0.
pub fn success_json(args: &[&str], out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "curia {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "curia {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}
