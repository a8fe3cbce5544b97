//! What every service needs: the store, the hashing worker, time,
//! randomness and the public URL links are made from.

use crate::platform::clock::Clock;
use crate::platform::crypto::SecretBox;
use crate::platform::random::Random;

pub struct Env<'a, S, W> {
    pub store: &'a S,
    pub worker: &'a W,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Random,
    /// Where users reach latchkey, without a trailing slash; links in mail
    /// start with it.
    pub public_url: &'a str,
    /// Seals secrets stored in the database.
    pub secrets: &'a SecretBox,
}
