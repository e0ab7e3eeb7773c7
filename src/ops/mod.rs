//! Steps that several commands share, so that no command calls another
//! (docs/architecture.md): filling in a goal, course or project from its
//! flags, making and ending pledges, checking a session against the day and
//! the course. Like commands they may read and write through `store` and
//! print through `Ctx`; unlike commands they are not run from the command
//! line.

pub mod cohorts;
pub mod items;
pub mod pledges;
pub mod sessions;
pub mod sync;
