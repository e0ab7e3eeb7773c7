//! Export and import formats, as functions of plain data: the learnlog
//! JSON document, CSV tables, an iCalendar file, a JSON Resume document,
//! and Timewarrior's export. Reading and writing the database is `store`'s
//! job; `commands::export`/`import`/`portfolio` put the two together.

pub mod csv;
pub mod ics;
pub mod json;
pub mod json_resume;
pub mod timewarrior;
