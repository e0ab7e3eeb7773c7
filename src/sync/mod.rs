//! Sync between devices, the pure part: the hybrid logical clock, changes,
//! the merge rules and the sealing of batches. No I/O, no clock, no SQL:
//! `store::sync` keeps the change log, `commands::sync` talks to the server.
//! The protocol is described in docs/sync.md.

pub mod change;
pub mod hlc;
pub mod merge;
pub mod seal;
