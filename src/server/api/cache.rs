//! A bounded memo of recommendation responses. A plan is a pure function of the request and
//! the knowledge base compiled into this binary, so an answer computed once can be served
//! again byte for byte; nothing in it is per-user or needs to be shared between instances.
//! When full, the least recently used answers make room.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use spinewise_domain::recommend::PlanRequest;

/// Serialised plans by request.
#[derive(Debug)]
pub struct PlanCache {
    capacity: usize,
    clock: AtomicU64,
    entries: Mutex<HashMap<PlanRequest, (Bytes, u64)>>,
}

impl PlanCache {
    /// A cache of at most `capacity` answers; 0 turns it off.
    pub fn new(capacity: usize) -> PlanCache {
        PlanCache {
            capacity,
            clock: AtomicU64::new(0),
            entries: Mutex::new(HashMap::with_capacity(capacity.min(1024))),
        }
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    /// The answer to `request`, if it is kept.
    pub fn get(&self, request: &PlanRequest) -> Option<Bytes> {
        if self.capacity == 0 {
            return None;
        }
        let now = self.tick();
        let mut entries = self.entries.lock().ok()?;
        entries.get_mut(request).map(|(bytes, used)| {
            *used = now;
            bytes.clone()
        })
    }

    /// Keeps the answer to `request`, making room if needed.
    pub fn insert(&self, request: PlanRequest, answer: Bytes) {
        if self.capacity == 0 {
            return;
        }
        let now = self.tick();
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity && !entries.contains_key(&request) {
            // Evict the least recently used eighth in one pass, so that a full cache does
            // not scan on every miss.
            let mut ages: Vec<u64> = entries.values().map(|(_, used)| *used).collect();
            let cut = ages.len() / 8;
            ages.select_nth_unstable(cut);
            let threshold = ages[cut];
            entries.retain(|_, (_, used)| *used > threshold);
        }
        entries.insert(request, (answer, now));
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spinewise_domain::recommend::PersonInput;
    use spinewise_domain::vocab::{PainScore, PainType, Role};

    fn request(pain: u8) -> PlanRequest {
        let mut r = PlanRequest::new(PersonInput::new(PainType::Flexion, Role::Receptive));
        r.you.pain_now = PainScore::new(pain);
        r
    }

    #[test]
    fn answers_come_back_for_equal_requests_only() {
        let cache = PlanCache::new(8);
        cache.insert(request(3), Bytes::from_static(b"three"));
        assert_eq!(cache.get(&request(3)).as_deref(), Some(&b"three"[..]));
        assert_eq!(cache.get(&request(4)), None);
    }

    #[test]
    fn a_full_cache_keeps_the_recently_used() {
        let cache = PlanCache::new(8);
        for p in 0..8 {
            cache.insert(request(p), Bytes::from(vec![p]));
        }
        // Use the first one again, then overflow.
        assert!(cache.get(&request(0)).is_some());
        cache.insert(request(9), Bytes::from_static(b"nine"));
        assert!(cache.len() <= 8);
        assert!(cache.get(&request(0)).is_some(), "recently used, kept");
        assert!(
            cache.get(&request(1)).is_none(),
            "least recently used, evicted"
        );
        assert!(cache.get(&request(9)).is_some());
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        let cache = PlanCache::new(0);
        cache.insert(request(1), Bytes::from_static(b"one"));
        assert!(cache.is_empty());
        assert_eq!(cache.get(&request(1)), None);
    }
}
