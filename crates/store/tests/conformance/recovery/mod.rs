//! Account recovery: cases, their completion.

mod cases;
mod completion;
