//! A change: one row of one table inserted, updated or deleted, with the
//! fields it set (references as the uuids of the records they name) and the
//! clock of the transaction that made it.

use serde::{Deserialize, Serialize};

use super::hlc::Hlc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<Op> {
        match text {
            "insert" => Some(Op::Insert),
            "update" => Some(Op::Update),
            "delete" => Some(Op::Delete),
            _ => None,
        }
    }
}

/// Field name → value, as JSON (text, numbers, null).
pub type Fields = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The table, e.g. `sessions`.
    #[serde(rename = "t")]
    pub table: String,
    /// The record's uuid (a link between two records: both uuids, joined).
    #[serde(rename = "r")]
    pub record: String,
    #[serde(rename = "o")]
    pub op: Op,
    /// What an insert or update set; empty for a delete.
    #[serde(rename = "f", default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub fields: Fields,
    /// The clock of the transaction that made it.
    #[serde(rename = "h")]
    pub hlc: Hlc,
    /// Its place within that transaction.
    #[serde(rename = "i")]
    pub index: i64,
}

impl Change {
    /// The total order of changes: clock, then place in the transaction.
    pub fn key(&self) -> (Hlc, i64) {
        (self.hlc, self.index)
    }
}

/// What one row of the server's log carries, sealed: the changes of one or
/// more local transactions, and when the device sent them (its own clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub sent_at_ms: i64,
    pub changes: Vec<Change>,
}

impl Batch {
    pub fn to_bytes(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }

    pub fn from_bytes(bytes: &[u8]) -> serde_json::Result<Batch> {
        serde_json::from_slice(bytes)
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_batch_round_trips() {
        let mut fields = Fields::new();
        fields.insert("minutes".into(), 45.into());
        fields.insert("item_id".into(), "7a1c".into());
        let change = Change {
            table: "sessions".into(),
            record: Uuid::nil().to_string(),
            op: Op::Insert,
            fields,
            hlc: Hlc { wall_ms: 1, counter: 2, device: Uuid::nil() },
            index: 3,
        };
        let batch = Batch { sent_at_ms: 9, changes: vec![change] };
        let bytes = batch.to_bytes().unwrap();
        assert_eq!(Batch::from_bytes(&bytes).unwrap(), batch);
    }
}
