//! Durations, named: every time in latchkey is whole seconds (`i64`, as
//! [`crate::platform::clock::UnixTime`] counts them), and these say which.

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
