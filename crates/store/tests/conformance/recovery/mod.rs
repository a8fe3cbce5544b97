//! Account recovery: cases, devices and cookies, completion, activation
//! requests, statistics.

mod activation;
mod cases;
mod completion;
mod devices;
mod statistics;
