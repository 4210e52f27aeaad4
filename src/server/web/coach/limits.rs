//! The coach's limits: message size, idle time, connections in all and per address, session
//! length and frame rate, and [`Coach`], which holds the open connections' permits.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::server::assets::ModelFiles;

/// The largest message a page may send: a frame of 33 landmarks is about 1.5 KiB as JSON.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// How much the socket reads at once: a binary frame is 536 bytes, a JSON one about 1.5 KiB.
pub const READ_BUFFER_BYTES: usize = 4 * 1024;
/// A connection that sends nothing for this long is closed (the server's default,
/// [`crate::server::Settings::coach_idle_timeout`]). Long enough to set a phone up on the floor
/// and step into view: while nobody is in the picture the page sends no frames, and says so,
/// and the session waits.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// A connection that sends this many bad messages is closed.
pub const MAX_BAD_MESSAGES: u32 = 50;
/// How many coaching connections one server holds at once.
pub const MAX_CONNECTIONS: usize = 512;
/// How many coaching connections one client address may hold at once.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 8;
/// The longest a coaching connection stays open.
pub const MAX_SESSION: Duration = Duration::from_secs(2 * 60 * 60);
/// The most frames a second a connection may send by default (cameras give 30, some 60);
/// frames beyond it are refused as bad messages.
pub const MAX_FRAMES_PER_SECOND: u32 = 90;
/// The file every installation of the pose-estimation package has.
const POSE_SCRIPT: &str = "pose.js";

/// A length of time in words, for a closed connection's reason: "10 minutes", "90 seconds",
/// "500 ms".
pub(super) fn duration_words(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        format!("{} ms", d.as_millis())
    } else if secs.is_multiple_of(60) {
        spinewise_domain::words::count(secs / 60, "minute", "minutes")
    } else {
        spinewise_domain::words::count(secs, "second", "seconds")
    }
}

/// Where the coach's browser files are, and how many connections are open, in all and per
/// client address.
#[derive(Debug, Clone)]
pub struct Coach {
    /// The `@mediapipe/pose` package (`web/node_modules/@mediapipe/pose`), served under its
    /// digest.
    pub model: ModelFiles,
    /// One permit per open connection.
    pub(super) connections: Arc<Semaphore>,
    /// Open connections per client address.
    per_address: Arc<Mutex<HashMap<String, usize>>>,
    /// The most frames a second one connection may send.
    pub(super) max_fps: u32,
    /// How long a connection may stay quiet before it is closed.
    pub(super) idle: Duration,
}

/// A client address's share of the open connections, given back when dropped.
pub(super) struct AddressSlot {
    per_address: Arc<Mutex<HashMap<String, usize>>>,
    address: String,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut map = self
            .per_address
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.address) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.address);
            }
        }
    }
}

impl Coach {
    /// A coach serving the pose-estimation files from `assets`, taking at most `max_fps`
    /// frames a second on one connection and closing one that is quiet for `idle`.
    pub fn new(assets: PathBuf, max_fps: u32, idle: Duration) -> Coach {
        Coach {
            model: ModelFiles::new(assets),
            connections: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            per_address: Arc::new(Mutex::new(HashMap::new())),
            max_fps,
            idle,
        }
    }

    /// A slot for one more connection from `address`, unless it holds its share already.
    pub(super) fn slot(&self, address: &str) -> Option<AddressSlot> {
        let mut map = self
            .per_address
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(address.to_owned()).or_insert(0);
        if *n >= MAX_CONNECTIONS_PER_ADDRESS {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            per_address: Arc::clone(&self.per_address),
            address: address.to_owned(),
        })
    }

    /// Whether the pose-estimation files are installed.
    pub fn assets_ready(&self) -> bool {
        self.model.dir().join(POSE_SCRIPT).is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_reads_in_minutes_when_whole_else_in_seconds() {
        assert_eq!(duration_words(IDLE_TIMEOUT), "10 minutes");
        assert_eq!(duration_words(Duration::from_secs(60)), "1 minute");
        assert_eq!(duration_words(Duration::from_secs(90)), "90 seconds");
        assert_eq!(duration_words(Duration::from_secs(1)), "1 second");
        assert_eq!(duration_words(Duration::from_millis(500)), "500 ms");
    }
}
