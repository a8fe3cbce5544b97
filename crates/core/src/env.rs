//! What every service needs: the store, the hashing worker, time,
//! randomness and the key that seals secrets. (Links in mail name pages;
//! the public address joins them when the mail is rendered.)

use crate::platform::clock::Clock;
use crate::platform::crypto::SecretBox;
use crate::platform::random::Random;

pub struct Env<'a, S, W> {
    pub store: &'a S,
    pub worker: &'a W,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Random,
    /// Seals secrets stored in the database.
    pub secrets: &'a SecretBox,
}
