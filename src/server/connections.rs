//! Connections that cannot be held open: how long a client may take to send a request's
//! headers (or to send the next request on a kept-alive connection), how long a TLS handshake
//! may take, and how many connections one client address may hold at once.
//!
//! Without these, a client that sends one header line every few seconds, or nothing at all,
//! keeps a connection (and its file descriptor and task) for as long as it likes; a few
//! hundred such clients exhaust the server.

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum_server::accept::Accept;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How long a client may take to send a request's headers, counted from when the connection
/// opens or the previous answer was sent: a kept-alive connection idle for longer is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a TLS handshake may take.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections one client address may hold at once (a browser opens about six;
/// the coach's socket is one more). Not applied behind a proxy, where every connection comes
/// from the proxy's address.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 64;

/// The limits a server applies to its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// How long a client may take to send a request's headers ([`HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
    /// How long a TLS handshake may take ([`HANDSHAKE_TIMEOUT`]).
    pub handshake_timeout: Duration,
    /// How many connections one address may hold (`None`: no limit).
    pub per_address: Option<usize>,
}

impl ConnectionLimits {
    /// The usual limits; behind a proxy, no limit per address.
    pub fn usual(behind_proxy: bool) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: HEADER_TIMEOUT,
            handshake_timeout: HANDSHAKE_TIMEOUT,
            per_address: (!behind_proxy).then_some(MAX_CONNECTIONS_PER_ADDRESS),
        }
    }
}

/// Accepts a connection only while its address holds fewer than the maximum; the count goes
/// down when the connection closes.
#[derive(Debug, Clone)]
pub struct PerAddress {
    max: Option<usize>,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl PerAddress {
    /// At most `max` connections per address (`None`: no limit).
    pub fn new(max: Option<usize>) -> PerAddress {
        PerAddress {
            max,
            open: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Counts a new connection from `address`, unless it already holds the maximum.
    fn admit(&self, address: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(address).or_insert(0);
        if self.max.is_some_and(|max| *count >= max) {
            return None;
        }
        *count += 1;
        Some(Admitted {
            address,
            open: self.open.clone(),
        })
    }
}

/// One counted connection: dropping it (when the connection closes) counts it off.
#[derive(Debug)]
struct Admitted {
    address: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// A connection admitted by [`PerAddress`], counted for as long as it is open.
#[derive(Debug)]
pub struct Counted {
    stream: TcpStream,
    _admitted: Admitted,
}

impl<S> Accept<TcpStream, S> for PerAddress {
    type Stream = Counted;
    type Service = S;
    type Future = Ready<io::Result<(Counted, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let admitted = stream.peer_addr().and_then(|peer| {
            self.admit(peer.ip()).ok_or_else(|| {
                io::Error::other("too many connections from one address: closed at once")
            })
        });
        ready(admitted.map(|admitted| {
            (
                Counted {
                    stream,
                    _admitted: admitted,
                },
                service,
            )
        }))
    }
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_the_maximum_and_closing_frees_a_place() {
        let limit = PerAddress::new(Some(2));
        let a: IpAddr = "192.0.2.1".parse().expect("an address");
        let b: IpAddr = "192.0.2.2".parse().expect("an address");
        let first = limit.admit(a).expect("first");
        let _second = limit.admit(a).expect("second");
        assert!(limit.admit(a).is_none(), "a third from the same address");
        assert!(limit.admit(b).is_some(), "another address is not affected");
        drop(first);
        assert!(limit.admit(a).is_some(), "a place freed");
    }

    #[test]
    fn without_a_maximum_every_connection_is_admitted_and_nothing_is_left_behind() {
        let limit = PerAddress::new(None);
        let a: IpAddr = "192.0.2.1".parse().expect("an address");
        let all: Vec<_> = (0..1000)
            .map(|_| limit.admit(a).expect("admitted"))
            .collect();
        drop(all);
        assert!(limit.open.lock().expect("unpoisoned").is_empty());
    }
}
