//! Live motion-coach sessions against the real server: how much of a server core each frame
//! costs end to end (WebSocket framing, reading the frame, the motion module, writing the
//! state's JSON), and how quickly the state comes back, with many sessions at once; frames
//! sent as JSON text and in their binary form, one round after the other at each size; and
//! the server's peak memory.
//!
//! ```sh
//! cargo bench --bench coach_sessions
//! ```
//!
//! The server runs as its own process (this build's `spinewise serve`, on a temporary SQLite
//! database), so that its CPU time, read from `/proc/<pid>/stat` before and after, is the
//! server's alone. Each round opens `n` sessions that send a hip-hinge set from the synthetic
//! stick figure (noise and dropped frames included) at 30 frames a second for `SECONDS`, each
//! waiting for the state before its next frame. Linux only.
//!
//! `SPINEWISE_BENCH_SESSIONS=300` runs one size only.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, View};
use tokio_tungstenite::tungstenite::Message;

const SESSIONS: [usize; 3] = [50, 150, 300];
const SECONDS: u64 = 10;
const FPS: u64 = 30;

struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spinewise"))
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0", "--no-npm"])
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let stderr = child.stderr.take().expect("its standard error");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server says where it runs")
            .expect("a line");
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest.split('/').next().expect("an address").to_owned();
        }
    };
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        addr,
        _dir: dir,
    }
}

/// The process's user and system CPU time, seconds (clock ticks of 1/100 s).
fn cpu_split(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc is readable");
    let after_name = &stat[stat.rfind(')').expect("the command name ends") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name and state.
    let user: f64 = fields[11].parse().expect("utime");
    let system: f64 = fields[12].parse().expect("stime");
    (user / 100.0, system / 100.0)
}

/// How the frames go over the socket.
#[derive(Debug, Clone, Copy)]
enum Wire {
    Json,
    Binary,
}

/// The server's peak resident memory so far, MiB (`VmHWM` in `/proc/<pid>/status`).
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc is readable");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM");
    kib / 1024.0
}

fn frames(wire: Wire) -> Vec<Message> {
    let script = HingeScript::new(30);
    let noise = Noise {
        sd: 0.003,
        dropout: 0.05,
    };
    synthetic::sequence(SECONDS * 1000, FPS as f64, View::Right, &noise, 11, |t| {
        script.pose_at(t)
    })
    .iter()
    .map(|f| match wire {
        Wire::Json => Message::Text(serde_json::to_string(f).expect("a frame encodes").into()),
        Wire::Binary => Message::Binary(f.to_binary().to_vec().into()),
    })
    .collect()
}

/// One session: every frame at its time, each answered before the next; the round trips.
async fn session(
    index: usize,
    addr: String,
    frames: std::sync::Arc<Vec<Message>>,
    offset_ms: u64,
) -> Vec<Duration> {
    tokio::time::sleep(Duration::from_millis(offset_ms)).await;
    let url = format!("ws://{addr}/move/coach/ws?exercise=hip-hinge&aspect=1.333");
    // The server holds at most 8 sessions per client address, as a phone or a household
    // would: each group of sessions comes from its own loopback address (127.0.1.x).
    let tcp = tokio::net::TcpSocket::new_v4().expect("a socket");
    let from: std::net::SocketAddr = format!("127.0.1.{}:0", 1 + index / 8)
        .parse()
        .expect("an address");
    tcp.bind(from).expect("bound to a loopback address");
    let stream = tcp
        .connect(addr.parse().expect("the server's address"))
        .await
        .expect("connected");
    let (mut socket, _) = tokio_tungstenite::client_async(url, stream)
        .await
        .expect("the socket opens");
    let _ready = socket.next().await;
    let start = tokio::time::Instant::now();
    let mut trips = Vec::with_capacity(frames.len());
    for (i, frame) in frames.iter().enumerate() {
        tokio::time::sleep_until(start + Duration::from_millis(i as u64 * 1000 / FPS)).await;
        let sent = Instant::now();
        socket.send(frame.clone()).await.expect("the frame is sent");
        match socket.next().await {
            Some(Ok(Message::Text(_))) => trips.push(sent.elapsed()),
            other => panic!("expected the state, got {other:?}"),
        }
    }
    let _ = socket
        .send(Message::Text(r#"{"cmd":"finish"}"#.into()))
        .await;
    let _ = socket.next().await;
    trips
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let server = start();
    let pid = server.child.id();
    let sizes: Vec<usize> = match std::env::var("SPINEWISE_BENCH_SESSIONS") {
        Ok(n) => vec![n.parse().expect("a number of sessions")],
        Err(_) => SESSIONS.to_vec(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!("{SECONDS} s of 30 frames a second per session; server CPU from /proc/{pid}/stat\n");
    println!(
        "| sessions | frames as | frames | server CPU per frame | cores busy | round trip p50 | p99 |"
    );
    println!("|---|---|---|---|---|---|---|");
    for n in sizes {
        for wire in [Wire::Json, Wire::Binary] {
            round(&runtime, &server, n, wire);
        }
    }
    println!(
        "\nserver peak resident memory: {:.0} MiB",
        peak_rss_mib(pid)
    );
}

/// One round: `n` sessions at once, frames sent as `wire`; prints its row.
fn round(runtime: &tokio::runtime::Runtime, server: &Server, n: usize, wire: Wire) {
    let pid = server.child.id();
    let frames = std::sync::Arc::new(frames(wire));
    {
        let before = cpu_split(pid);
        let trips: Vec<Duration> = runtime.block_on(async {
            let tasks: Vec<_> = (0..n)
                .map(|i| {
                    tokio::spawn(session(
                        i,
                        server.addr.clone(),
                        frames.clone(),
                        // Starts spread over one frame's interval.
                        i as u64 % (1000 / FPS),
                    ))
                })
                .collect();
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.expect("a session ends"));
            }
            all
        });
        let after = cpu_split(pid);
        let (user, system) = (after.0 - before.0, after.1 - before.1);
        let cpu = user + system;
        let mut sorted = trips.clone();
        sorted.sort();
        let per_frame_us = cpu * 1e6 / trips.len() as f64;
        println!(
            "| {n} | {} | {} | {per_frame_us:.1} µs ({:.0}% in the kernel) | {:.2} | {:.2} ms | {:.2} ms |",
            match wire {
                Wire::Json => "JSON",
                Wire::Binary => "binary",
            },
            trips.len(),
            100.0 * system / cpu.max(f64::MIN_POSITIVE),
            cpu / SECONDS as f64,
            percentile(&sorted, 0.5).as_secs_f64() * 1e3,
            percentile(&sorted, 0.99).as_secs_f64() * 1e3,
        );
    }
}
