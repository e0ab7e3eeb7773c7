//! The merge rules (docs/sync.md): changes fold into one state per record,
//! whatever order they arrive in and however often.
//!
//! - Each field takes the value of its latest change by clock.
//! - Existence is a register of its own: a record exists when its latest
//!   insert is later than its latest delete. An edit never revives a record,
//!   so a delete wins over an edit made concurrently with it; only a later
//!   insert (the undo of the delete) brings it back.
//! - Sessions are distinct records (distinct uuids): two check-ins made at
//!   one moment on two devices stay two sessions.
//! - Two records made on two devices with one slug: the later one by the
//!   clock of its first insert gets a numeric suffix ([`resolve_slugs`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::change::{Change, Op};
use super::hlc::Hlc;

type Key = (Hlc, i64);

/// The merged state of one record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordState {
    /// Field → (clock of the change that set it, value).
    fields: BTreeMap<String, (Key, Value)>,
    last_insert: Option<Key>,
    last_delete: Option<Key>,
    first_insert: Option<Key>,
}

impl RecordState {
    /// Folds one change in. Commutative, associative and idempotent: every
    /// part is a maximum (or minimum) over the changes seen.
    pub fn apply(&mut self, change: &Change) {
        let key = change.key();
        match change.op {
            Op::Insert => {
                self.last_insert = self.last_insert.max(Some(key));
                self.first_insert = Some(self.first_insert.map_or(key, |k| k.min(key)));
            }
            Op::Delete => self.last_delete = self.last_delete.max(Some(key)),
            Op::Update => {}
        }
        for (name, value) in &change.fields {
            match self.fields.get(name) {
                // An equal key is the same change seen again.
                Some((held, _)) if *held >= key => {}
                _ => {
                    self.fields.insert(name.clone(), (key, value.clone()));
                }
            }
        }
    }

    /// Whether the record exists: its latest insert is later than its latest delete.
    pub fn exists(&self) -> bool {
        match (self.last_insert, self.last_delete) {
            (Some(insert), Some(delete)) => insert > delete,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// When the record was first made (the clock of its earliest insert).
    pub fn created(&self) -> Option<Hlc> {
        self.first_insert.map(|(hlc, _)| hlc)
    }

    pub fn field(&self, name: &str) -> Option<&Value> {
        self.fields.get(name).map(|(_, value)| value)
    }

    /// Every field and its merged value.
    pub fn values(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(name, (_, value))| (name.as_str(), value))
    }
}

/// Folds changes into one state per (table, record).
pub fn fold<'a>(changes: impl IntoIterator<Item = &'a Change>) -> BTreeMap<(String, String), RecordState> {
    let mut states: BTreeMap<(String, String), RecordState> = BTreeMap::new();
    for change in changes {
        states.entry((change.table.clone(), change.record.clone())).or_default().apply(change);
    }
    states
}

/// One item's claim to a slug: its record, the slug its merged state asks
/// for, and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlugClaim {
    pub record: String,
    pub slug: String,
    pub created: Option<Hlc>,
}

/// The slug each record gets: the earliest made keeps the slug it asks for;
/// a later one with the same slug gets `-2`, `-3`, … (the first that no
/// other record claims or holds). The same claims give the same answer on
/// every device.
pub fn resolve_slugs(claims: &[SlugClaim]) -> HashMap<String, String> {
    let mut ordered: Vec<&SlugClaim> = claims.iter().collect();
    // Records never inserted (None) sort last.
    ordered
        .sort_by(|a, b| (a.created.is_none(), a.created, &a.record).cmp(&(b.created.is_none(), b.created, &b.record)));
    let wanted: BTreeSet<&str> = claims.iter().map(|c| c.slug.as_str()).collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut result = HashMap::new();
    for claim in ordered {
        let mut slug = claim.slug.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{}-{n}", claim.slug);
            n += 1;
            // A suffixed slug another record asks for itself stays theirs.
            while wanted.contains(slug.as_str()) && slug != claim.slug {
                slug = format!("{}-{n}", claim.slug);
                n += 1;
            }
        }
        taken.insert(slug.clone());
        result.insert(claim.record.clone(), slug);
    }
    result
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::sync::change::Fields;

    fn hlc(wall: i64, device: u8) -> Hlc {
        Hlc { wall_ms: wall, counter: 0, device: Uuid::from_bytes([device; 16]) }
    }

    fn change(record: &str, op: Op, fields: &[(&str, Value)], at: Hlc) -> Change {
        let fields: Fields = fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        Change { table: "items".into(), record: record.into(), op, fields, hlc: at, index: 0 }
    }

    #[test]
    fn each_field_takes_its_latest_value() {
        let changes = [
            change("a", Op::Insert, &[("title", "A".into()), ("url", Value::Null)], hlc(1, 1)),
            change("a", Op::Update, &[("title", "B".into())], hlc(3, 2)),
            change("a", Op::Update, &[("url", "u".into())], hlc(2, 1)),
        ];
        let state = &fold(&changes)[&("items".to_string(), "a".to_string())];
        assert_eq!(state.field("title"), Some(&Value::from("B")));
        assert_eq!(state.field("url"), Some(&Value::from("u")));
        assert!(state.exists());
    }

    #[test]
    fn a_delete_wins_over_a_concurrent_edit_and_a_later_insert_revives() {
        let mut changes = vec![
            change("a", Op::Insert, &[("title", "A".into())], hlc(1, 1)),
            change("a", Op::Delete, &[], hlc(5, 1)),
            // Made on another device that had not seen the delete, later by clock.
            change("a", Op::Update, &[("title", "edited".into())], hlc(6, 2)),
        ];
        assert!(!fold(&changes)[&("items".to_string(), "a".to_string())].exists());
        changes.push(change("a", Op::Insert, &[("title", "A".into())], hlc(7, 1)));
        assert!(fold(&changes)[&("items".to_string(), "a".to_string())].exists());
    }

    #[test]
    fn the_later_of_two_equal_slugs_gets_a_suffix() {
        let claims = [
            SlugClaim { record: "late".into(), slug: "ml".into(), created: Some(hlc(9, 1)) },
            SlugClaim { record: "early".into(), slug: "ml".into(), created: Some(hlc(3, 2)) },
            SlugClaim { record: "other".into(), slug: "ml-2".into(), created: Some(hlc(10, 2)) },
        ];
        let slugs = resolve_slugs(&claims);
        assert_eq!(slugs["early"], "ml");
        assert_eq!(slugs["late"], "ml-3");
        assert_eq!(slugs["other"], "ml-2");
    }

    fn arbitrary_change() -> impl Strategy<Value = Change> {
        (0..4u8, 0..3usize, 0i64..20, 0..3u8, 0..4i64, 0..5i64).prop_map(|(record, op, wall, device, field, value)| {
            let op = [Op::Insert, Op::Update, Op::Delete][op];
            let fields = if op == Op::Delete {
                vec![]
            } else {
                vec![(["title", "url", "minutes", "slug"][field as usize], Value::from(value))]
            };
            Change {
                table: "items".into(),
                record: record.to_string(),
                op,
                fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                hlc: hlc(wall, device),
                index: value,
            }
        })
    }

    proptest! {
        #[test]
        fn any_order_and_any_repetition_fold_to_one_state(
            changes in prop::collection::vec(arbitrary_change(), 0..40),
            seed in any::<u64>(),
            repeats in prop::collection::vec(0usize..40, 0..20),
        ) {
            // Within one record, two changes with one key come from one
            // transaction and set the same field once: make keys unique.
            let mut seen = BTreeSet::new();
            let changes: Vec<Change> =
                changes.into_iter().filter(|c| seen.insert((c.record.clone(), c.key()))).collect();
            let once = fold(&changes);
            let mut shuffled = changes.clone();
            for index in repeats {
                if let Some(c) = changes.get(index % changes.len().max(1)) {
                    shuffled.push(c.clone());
                }
            }
            // A deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(fold(&shuffled), once);
        }

        #[test]
        fn slugs_resolve_alike_in_any_order(claims in prop::collection::vec((0..6u8, 0..3u8, 0i64..9), 0..8), seed in any::<u64>()) {
            let mut records = BTreeSet::new();
            let claims: Vec<SlugClaim> = claims
                .into_iter()
                .filter(|(r, _, _)| records.insert(*r))
                .map(|(r, s, t)| SlugClaim {
                    record: r.to_string(),
                    slug: ["ml", "ml-2", "go"][s as usize].to_string(),
                    created: Some(hlc(t, r)),
                })
                .collect();
            let mut reversed = claims.clone();
            reversed.rotate_left((seed as usize) % claims.len().max(1));
            reversed.reverse();
            let a = resolve_slugs(&claims);
            prop_assert_eq!(&a, &resolve_slugs(&reversed));
            let distinct: BTreeSet<&String> = a.values().collect();
            prop_assert_eq!(distinct.len(), claims.len());
        }
    }
}
