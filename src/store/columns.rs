//! How the text-backed enums of `domain::records` sit in a column: as their
//! names, read back strictly (an unknown name is a conversion error naming it).

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

use crate::domain::records::{BloomLevel, Intent, Status, Track};

macro_rules! text_column {
    ($($name:ident),+) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value.as_str()?.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

text_column!(Status, Track, Intent, BloomLevel);

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn enums_are_stored_as_their_names_and_read_back_strictly() {
        let conn = Connection::open_in_memory().unwrap();
        let text: String = conn.query_row("SELECT ?1", [Status::Shipped], |r| r.get(0)).unwrap();
        assert_eq!(text, "shipped");
        let level: BloomLevel = conn.query_row("SELECT 'analyze'", [], |r| r.get(0)).unwrap();
        assert_eq!(level, BloomLevel::Analyze);
        let unknown = conn.query_row("SELECT 'finished'", [], |r| r.get::<_, Status>(0));
        assert!(unknown.unwrap_err().to_string().contains("'finished' is not a status"));
    }
}
