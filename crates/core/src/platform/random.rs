//! Randomness is drawn through [`Random`] only, so tests can make it repeatable.

use std::sync::Mutex;

pub trait Random: Send + Sync + 'static {
    /// Fills `buf` with cryptographically secure random bytes.
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's CSPRNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl Random for OsRandom {
    #[allow(clippy::disallowed_methods)] // the one place that reads the OS's random source
    fn fill(&self, buf: &mut [u8]) {
        if let Err(err) = getrandom::fill(buf) {
            // Without an entropy source no secret can be made safely; stopping the
            // process is the only safe answer, and it happens before any output.
            eprintln!("fatal: the operating system's random source failed: {err}");
            std::process::abort();
        }
    }
}

/// A deterministic generator (xorshift) for tests; never for production.
#[derive(Debug)]
pub struct SeededRandom(Mutex<u64>);

impl SeededRandom {
    pub fn new(seed: u64) -> Self {
        SeededRandom(Mutex::new(seed.max(1)))
    }
}

impl Random for SeededRandom {
    fn fill(&self, buf: &mut [u8]) {
        let mut state = match self.0.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        for byte in buf.iter_mut() {
            let mut x = *state;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *state = x;
            *byte = (x >> 24) as u8;
        }
    }
}

pub fn bytes<const N: usize>(random: &dyn Random) -> [u8; N] {
    let mut buf = [0u8; N];
    random.fill(&mut buf);
    buf
}

/// A random version-4 UUID in its canonical text form; used for every record
/// id (as a `String` or a typed id, see [`crate::platform::ids`]).
pub fn new_id<T: From<String>>(random: &dyn Random) -> T {
    let mut b = bytes::<16>(random);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    T::from(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v4_uuids() {
        let id: String = new_id(&OsRandom);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(new_id::<String>(&OsRandom), id);
    }

    #[test]
    fn seeded_random_repeats() {
        let a = SeededRandom::new(7);
        let b = SeededRandom::new(7);
        assert_eq!(bytes::<32>(&a), bytes::<32>(&b));
    }
}
