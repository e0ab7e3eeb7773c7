//! `Proxy`: a TCP proxy in front of the test server, for fault tests. It
//! listens on 127.0.0.1 (a free port), forwards every connection to the
//! server, and can cut all connections on demand or once a number of bytes
//! (both directions together) has passed, or refuse new connections as a
//! server that is down would.
//!
//! ```ignore
//! let proxy = Proxy::start(&pg.host_port());
//! let url = proxy.url(&member_url);          // same URL, through the proxy
//! proxy.cut_after(5_000);                     // one-shot: then it forwards again
//! ```

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

const NEVER: u64 = u64::MAX;

#[derive(Default)]
struct State {
    /// Bytes forwarded so far, both directions.
    forwarded: AtomicU64,
    /// Cut every connection once `forwarded` would pass this.
    limit: AtomicU64,
    /// Connections cut so far.
    cuts: AtomicU64,
    /// Hold (forward nothing more) once `forwarded` would pass this, until
    /// released: the moment a test stops or kills something mid-transfer.
    hold: AtomicU64,
    /// A pump is holding data now.
    holding: AtomicBool,
    refuse: AtomicBool,
    stop: AtomicBool,
    open: Mutex<Vec<TcpStream>>,
}

impl State {
    fn cut_all(&self) {
        self.cuts.fetch_add(1, Ordering::SeqCst);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        for stream in open.drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

pub struct Proxy {
    pub port: u16,
    target: String,
    state: Arc<State>,
}

impl Proxy {
    /// Starts forwarding 127.0.0.1:<port> to `target` (`HOST:PORT`).
    pub fn start(target: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let state = Arc::new(State { limit: AtomicU64::new(NEVER), hold: AtomicU64::new(NEVER), ..State::default() });
        let shared = state.clone();
        let upstream = target.to_string();
        thread::spawn(move || {
            for incoming in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = incoming else { continue };
                if shared.refuse.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (Ok(c2), Ok(s2), Ok(c3), Ok(s3)) =
                    (client.try_clone(), server.try_clone(), client.try_clone(), server.try_clone())
                else {
                    continue;
                };
                shared.open.lock().unwrap_or_else(|e| e.into_inner()).extend([c3, s3]);
                let (a, b) = (shared.clone(), shared.clone());
                thread::spawn(move || pump(client, server, &a));
                thread::spawn(move || pump(s2, c2, &b));
            }
        });
        Proxy { port, target: target.to_string(), state }
    }

    /// `url` with its `HOST:PORT` replaced by the proxy's.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap_or(("postgresql", url));
        let (userinfo, hostpart) = match rest.split_once('@') {
            Some((u, h)) => (format!("{u}@"), h),
            None => (String::new(), rest),
        };
        let tail_at = hostpart.find(['/', '?']).unwrap_or(hostpart.len());
        format!("{scheme}://{userinfo}127.0.0.1:{}{}", self.port, &hostpart[tail_at..])
    }

    /// Cuts every open connection once `bytes` more have been forwarded
    /// (the byte that passes the mark is not delivered). One-shot.
    pub fn cut_after(&self, bytes: u64) {
        let now = self.state.forwarded.load(Ordering::SeqCst);
        self.state.limit.store(now.saturating_add(bytes), Ordering::SeqCst);
    }

    /// Stops forwarding once `bytes` more have passed (the data that would
    /// pass the mark is held back, the connections stay open) until
    /// [`Proxy::release`]: the transfer is frozen mid-way, for a test to
    /// restart the server or kill the client at a known point.
    pub fn hold_after(&self, bytes: u64) {
        let now = self.state.forwarded.load(Ordering::SeqCst);
        self.state.hold.store(now.saturating_add(bytes), Ordering::SeqCst);
    }

    /// Waits until a transfer is held (true) or `seconds` pass (false).
    pub fn wait_holding(&self, seconds: u64) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        while std::time::Instant::now() < deadline {
            if self.state.holding.load(Ordering::SeqCst) {
                return true;
            }
            thread::sleep(std::time::Duration::from_millis(5));
        }
        false
    }

    /// Forwards again what was held, and everything after it.
    pub fn release(&self) {
        self.state.hold.store(NEVER, Ordering::SeqCst);
    }

    /// Cuts every open connection now.
    pub fn cut_now(&self) {
        self.state.cut_all();
    }

    /// Refuses (closes at once) new connections while `on`.
    pub fn refuse(&self, on: bool) {
        self.state.refuse.store(on, Ordering::SeqCst);
    }

    /// Bytes forwarded so far, both directions.
    pub fn forwarded(&self) -> u64 {
        self.state.forwarded.load(Ordering::SeqCst)
    }

    /// How many times connections were cut.
    pub fn cuts(&self) -> u64 {
        self.state.cuts.load(Ordering::SeqCst)
    }

    pub fn target(&self) -> &str {
        &self.target
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        self.state.cut_all();
        // Wake the accepting thread so that it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn pump(mut from: TcpStream, mut to: TcpStream, state: &State) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n as u64,
        };
        let before = state.forwarded.fetch_add(n, Ordering::SeqCst);
        if before.saturating_add(n) > state.hold.load(Ordering::SeqCst) {
            state.holding.store(true, Ordering::SeqCst);
            while state.hold.load(Ordering::SeqCst) != NEVER && !state.stop.load(Ordering::SeqCst) {
                thread::sleep(std::time::Duration::from_millis(2));
            }
            state.holding.store(false, Ordering::SeqCst);
        }
        let limit = state.limit.load(Ordering::SeqCst);
        if before.saturating_add(n) > limit {
            let allowed = limit.saturating_sub(before) as usize;
            let _ = to.write_all(&buffer[..allowed]);
            let _ = to.flush();
            // One-shot: later connections (a retry) go through.
            state.limit.store(NEVER, Ordering::SeqCst);
            state.cut_all();
            break;
        }
        if to.write_all(&buffer[..n as usize]).is_err() {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server: what comes in goes back out.
    fn echo() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                thread::spawn(move || {
                    let mut reader = stream.try_clone().unwrap();
                    let mut writer = stream;
                    let _ = std::io::copy(&mut reader, &mut writer);
                });
            }
        });
        address
    }

    fn roundtrip(port: u16, text: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
        stream.write_all(text)?;
        let mut back = vec![0u8; text.len()];
        stream.read_exact(&mut back)?;
        Ok(back)
    }

    #[test]
    fn forwards_then_cuts_after_n_bytes_then_forwards_again() {
        let proxy = Proxy::start(&echo());
        assert_eq!(roundtrip(proxy.port, b"hello").unwrap(), b"hello");
        assert_eq!(proxy.forwarded(), 10);
        proxy.cut_after(7);
        assert!(roundtrip(proxy.port, b"0123456789").is_err(), "the connection was not cut");
        assert_eq!(proxy.cuts(), 1);
        assert_eq!(roundtrip(proxy.port, b"again").unwrap(), b"again");
    }

    #[test]
    fn cuts_open_connections_on_demand_and_refuses_new_ones() {
        let proxy = Proxy::start(&echo());
        let mut stream = TcpStream::connect(("127.0.0.1", proxy.port)).unwrap();
        stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
        stream.write_all(b"x").unwrap();
        let mut one = [0u8; 1];
        stream.read_exact(&mut one).unwrap();
        proxy.cut_now();
        let mut rest = [0u8; 1];
        assert!(matches!(stream.read(&mut rest), Ok(0) | Err(_)), "still open after cut_now");
        proxy.refuse(true);
        assert!(roundtrip(proxy.port, b"no").is_err());
        proxy.refuse(false);
        assert_eq!(roundtrip(proxy.port, b"yes").unwrap(), b"yes");
    }

    #[test]
    fn holds_after_n_bytes_until_released() {
        let proxy = Proxy::start(&echo());
        proxy.hold_after(3);
        let port = proxy.port;
        let client = thread::spawn(move || roundtrip(port, b"held"));
        assert!(proxy.wait_holding(5), "nothing was held");
        thread::sleep(std::time::Duration::from_millis(50));
        assert!(!client.is_finished(), "the held data arrived");
        proxy.release();
        assert_eq!(client.join().unwrap().unwrap(), b"held");
    }

    #[test]
    fn url_points_at_the_proxy() {
        let proxy = Proxy::start("127.0.0.1:1");
        let port = proxy.port;
        assert_eq!(
            proxy.url("postgresql://a:b@db.example.org:5432/x?sslmode=disable"),
            format!("postgresql://a:b@127.0.0.1:{port}/x?sslmode=disable")
        );
        assert_eq!(proxy.url("postgresql://a@h"), format!("postgresql://a@127.0.0.1:{port}"));
    }
}
