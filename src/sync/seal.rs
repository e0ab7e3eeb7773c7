//! Sealing a batch for the server: XChaCha20-Poly1305 under the learner's
//! 256-bit key, a random 24-byte nonce per row (the caller draws it), and
//! associated data binding owner, device and sequence number, so the server
//! cannot swap or replay rows. A constant sealed under the key lets a new
//! device check its key before it uploads anything.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use uuid::Uuid;

pub const KEY_BYTES: usize = 32;
pub const NONCE_BYTES: usize = 24;

/// What the key check seals.
const KEY_CHECK_TEXT: &[u8] = b"learnlog sync key check v1";

#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; KEY_BYTES]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

/// A row that would not open: a wrong key, or a row altered or moved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the data does not open with this key")]
pub struct Unsealable;

impl Key {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Key {
        Key(bytes)
    }

    /// Reads the text form: 64 hex digits, in groups or not.
    pub fn parse(text: &str) -> Option<Key> {
        let digits: Vec<u8> = text.bytes().filter(|b| !matches!(b, b'-' | b' ' | b'\n' | b'\r' | b'\t')).collect();
        if digits.len() != KEY_BYTES * 2 {
            return None;
        }
        let mut key = [0u8; KEY_BYTES];
        for (i, pair) in digits.chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).ok()?;
            key[i] = u8::from_str_radix(text, 16).ok()?;
        }
        Some(Key(key))
    }

    /// The text form: 64 hex digits in eight groups of eight.
    pub fn to_text(&self) -> String {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        hex.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }
}

/// The associated data of a log row: owner, a zero byte, device, sequence.
pub fn row_ad(owner: &str, device: Uuid, seq: i64) -> Vec<u8> {
    let mut ad = Vec::with_capacity(owner.len() + 1 + 16 + 8);
    ad.extend_from_slice(owner.as_bytes());
    ad.push(0);
    ad.extend_from_slice(device.as_bytes());
    ad.extend_from_slice(&seq.to_be_bytes());
    ad
}

fn key_check_ad(owner: &str) -> Vec<u8> {
    let mut ad = b"keycheck".to_vec();
    ad.extend_from_slice(owner.as_bytes());
    ad
}

pub fn seal(key: &Key, nonce: &[u8; NONCE_BYTES], ad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    // Encryption fails only past 256 GiB of plaintext.
    key.cipher().encrypt(XNonce::from_slice(nonce), Payload { msg: plaintext, aad: ad }).unwrap_or_default()
}

pub fn open(key: &Key, nonce: &[u8], ad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Unsealable> {
    if nonce.len() != NONCE_BYTES {
        return Err(Unsealable);
    }
    key.cipher().decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: ad }).map_err(|_| Unsealable)
}

/// The key check a first device stores on the server.
pub fn seal_key_check(key: &Key, owner: &str, nonce: &[u8; NONCE_BYTES]) -> Vec<u8> {
    seal(key, nonce, &key_check_ad(owner), KEY_CHECK_TEXT)
}

/// Whether `key` is the key the stored check was sealed with.
pub fn key_matches(key: &Key, owner: &str, nonce: &[u8], sealed: &[u8]) -> bool {
    open(key, nonce, &key_check_ad(owner), sealed).is_ok_and(|text| text == KEY_CHECK_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: [u8; NONCE_BYTES] = [7; NONCE_BYTES];

    #[test]
    fn a_row_opens_only_where_it_was_sealed() {
        let key = Key::from_bytes([1; KEY_BYTES]);
        let device = Uuid::from_bytes([2; 16]);
        let sealed = seal(&key, &NONCE, &row_ad("ana", device, 3), b"changes");
        assert_eq!(open(&key, &NONCE, &row_ad("ana", device, 3), &sealed).unwrap(), b"changes");
        assert!(open(&key, &NONCE, &row_ad("ana", device, 4), &sealed).is_err());
        assert!(open(&key, &NONCE, &row_ad("bob", device, 3), &sealed).is_err());
        assert!(open(&Key::from_bytes([9; KEY_BYTES]), &NONCE, &row_ad("ana", device, 3), &sealed).is_err());
        assert!(!String::from_utf8_lossy(&sealed).contains("changes"));
    }

    #[test]
    fn the_key_check_tells_a_wrong_key() {
        let key = Key::from_bytes([1; KEY_BYTES]);
        let check = seal_key_check(&key, "ana", &NONCE);
        assert!(key_matches(&key, "ana", &NONCE, &check));
        assert!(!key_matches(&Key::from_bytes([3; KEY_BYTES]), "ana", &NONCE, &check));
        assert!(!key_matches(&key, "bob", &NONCE, &check));
    }

    #[test]
    fn the_key_text_round_trips() {
        let key = Key::from_bytes(core::array::from_fn(|i| i as u8 * 7));
        let text = key.to_text();
        assert_eq!(text.len(), 64 + 7);
        assert_eq!(Key::parse(&text), Some(key.clone()));
        assert_eq!(Key::parse(&text.replace('-', "")), Some(key));
        assert_eq!(Key::parse("abc"), None);
    }
}
