//! A hybrid logical clock (Kulkarni et al. 2014): wall-clock milliseconds, a
//! counter for events within one millisecond or behind a clock seen from
//! another device, and the device id to break the last ties. Its text form
//! sorts as the clock does.

use std::fmt;

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch.
    pub wall_ms: i64,
    pub counter: u32,
    pub device: Uuid,
}

/// The width of the zero-padded wall-clock part (milliseconds up to year 33658).
const WALL_DIGITS: usize = 15;
const COUNTER_DIGITS: usize = 10;

impl Hlc {
    /// The clock of a device that has seen nothing yet.
    pub fn zero(device: Uuid) -> Hlc {
        Hlc { wall_ms: 0, counter: 0, device }
    }

    /// The clock for a local event at wall time `now_ms`: later than every
    /// event this device has made or seen.
    pub fn tick(self, now_ms: i64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0, device: self.device }
        } else {
            Hlc { wall_ms: self.wall_ms, counter: self.counter.saturating_add(1), device: self.device }
        }
    }

    /// The clock after receiving `remote` at wall time `now_ms`: later than
    /// both, so a change made next sorts after everything seen.
    pub fn observe(self, remote: Hlc, now_ms: i64) -> Hlc {
        let wall = self.wall_ms.max(remote.wall_ms).max(now_ms);
        let counter = if wall == self.wall_ms && wall == remote.wall_ms {
            self.counter.max(remote.counter).saturating_add(1)
        } else if wall == self.wall_ms {
            self.counter.saturating_add(1)
        } else if wall == remote.wall_ms {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        Hlc { wall_ms: wall, counter, device: self.device }
    }

    /// Parses the text form written by `Display`.
    pub fn parse(text: &str) -> Option<Hlc> {
        let mut parts = text.splitn(3, '-');
        let wall = parts.next()?;
        let counter = parts.next()?;
        let device = parts.next()?;
        if wall.len() != WALL_DIGITS || counter.len() != COUNTER_DIGITS {
            return None;
        }
        Some(Hlc { wall_ms: wall.parse().ok()?, counter: counter.parse().ok()?, device: Uuid::parse_str(device).ok()? })
    }
}

impl fmt::Display for Hlc {
    /// `000001764000000000-0000000003-<device uuid>`: fixed widths, so text
    /// order is clock order (a hyphenated lowercase uuid sorts as its bytes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:0w$}-{:0c$}-{}",
            self.wall_ms.max(0),
            self.counter,
            self.device.hyphenated(),
            w = WALL_DIGITS,
            c = COUNTER_DIGITS
        )
    }
}

impl serde::Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Hlc, D::Error> {
        let text = String::deserialize(deserializer)?;
        Hlc::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a clock value: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn device(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn tick_moves_forward_even_when_the_wall_clock_does_not() {
        let a = Hlc::zero(device(1)).tick(1000);
        let b = a.tick(1000);
        let c = b.tick(900);
        assert!(a < b && b < c);
        assert_eq!((c.wall_ms, c.counter), (1000, 2));
        assert_eq!(c.tick(2000), Hlc { wall_ms: 2000, counter: 0, device: device(1) });
    }

    #[test]
    fn observe_passes_a_clock_from_the_future() {
        let local = Hlc::zero(device(1)).tick(1000);
        let remote = Hlc { wall_ms: 5000, counter: 7, device: device(2) };
        let seen = local.observe(remote, 1001);
        assert!(seen > remote);
        assert_eq!(seen.device, device(1));
        assert!(seen.tick(1002) > seen);
    }

    proptest! {
        #[test]
        fn text_sorts_as_the_clock(a in (0i64..999_999_999_999_999, any::<u32>(), any::<[u8; 16]>()),
                                   b in (0i64..999_999_999_999_999, any::<u32>(), any::<[u8; 16]>())) {
            let a = Hlc { wall_ms: a.0, counter: a.1, device: Uuid::from_bytes(a.2) };
            let b = Hlc { wall_ms: b.0, counter: b.1, device: Uuid::from_bytes(b.2) };
            prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
            prop_assert_eq!(Hlc::parse(&a.to_string()), Some(a));
        }

        #[test]
        fn observe_is_later_than_both(local in 0i64..10_000, counter in 0u32..5, remote in 0i64..10_000, now in 0i64..10_000) {
            let l = Hlc { wall_ms: local, counter, device: device(1) };
            let r = Hlc { wall_ms: remote, counter: 3, device: device(2) };
            let seen = l.observe(r, now);
            prop_assert!(seen > l);
            prop_assert!((seen.wall_ms, seen.counter) > (r.wall_ms, r.counter));
        }
    }
}
