//! `listen`: a small HTTP/1.1 server on 127.0.0.1 (std only).
//!
//! One thread per connection, at most [`MAX_CONNECTIONS`] at once (more get
//! 503 at once), one request per connection, and each request read within
//! [`REQUEST_DEADLINE`] (else 408): a client that stalls, or trickles bytes,
//! holds only its own connection. Verification is the core's; the request as
//! received is printed for people with its control characters escaped.
//!
//! Each verified delivery is claimed once in a replay store (`hooksig-replay`'s
//! `verify_once`): in memory, or in Redis with `--redis URL` (shared by every
//! `listen` using that server). A duplicate is answered 200 and not counted as
//! accepted; a store that cannot answer, 503.

use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use core::time::Duration;
use std::io::{self, BufRead, BufReader, Read, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use hooksig::{RequestLine, Verifier};
use hooksig_replay::{MemoryStore, RedisStore, verify_once};
use serde_json::json;

use crate::output::{self, Report};
use crate::{Fail, ListenArgs, Outcome};

/// Largest body read (16 MiB); larger gets 413.
const MAX_BODY: usize = 16 << 20;
/// Largest request line plus headers (64 KiB); larger gets 431.
const MAX_HEAD: usize = 64 << 10;
/// Connections served at once; one more is answered 503 and closed.
const MAX_CONNECTIONS: usize = 32;
/// Time a client has to send its whole request (line, headers and body).
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// Time an answer may take to be written.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn listen(args: &ListenArgs) -> Outcome {
    let profile = args.secrets.profile()?;
    let secrets = args.secrets.load()?;
    let verifier = Verifier::new(profile, &secrets)?.with_tolerance(args.window.tolerance()?);
    let store = match &args.redis {
        Some(url) => Store::Redis(
            RedisStore::open(url).map_err(|e| Fail::Usage(format!("{}: --redis is not a Redis URL", e.code())))?,
        ),
        None => Store::Memory(MemoryStore::new()),
    };
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .map_err(|e| Fail::Usage(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
    let port = listener.local_addr().map_or(args.port, |addr| addr.port());
    let claims = match store {
        Store::Memory(_) => "in memory",
        Store::Redis(_) => "in Redis",
    };
    println!(
        "hooksig listening on http://127.0.0.1:{port}/ for {profile} deliveries, each accepted once (claims {claims}; Ctrl-C to stop)"
    );
    if args.max_requests == Some(0) {
        return Ok(());
    }
    let (done, finished) = mpsc::channel();
    let server = Server {
        verifier,
        store,
        retention: args.retention,
        json: args.json,
        deadline: REQUEST_DEADLINE,
        served: AtomicU64::new(0),
        max_requests: args.max_requests,
        done,
    };
    let server = Arc::new(server);
    thread::spawn(move || accept(&listener, &server));
    // Returns once the last counted request was answered (never without --max-requests).
    let _ = finished.recv();
    Ok(())
}

/// Where verified deliveries are claimed.
#[derive(Debug)]
enum Store {
    Memory(MemoryStore),
    Redis(RedisStore),
}

/// What every connection's thread shares.
#[derive(Debug)]
struct Server {
    verifier: Verifier,
    store: Store,
    /// `--retention`: how long claims of deliveries without a timestamp window last (the core's default if None).
    retention: Option<u64>,
    json: bool,
    deadline: Duration,
    served: AtomicU64,
    max_requests: Option<u64>,
    /// Told when `max_requests` requests were answered.
    done: mpsc::Sender<()>,
}

/// A place among the [`MAX_CONNECTIONS`], given back on drop.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn accept(listener: &TcpListener, server: &Arc<Server>) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            // Out of file descriptors or the like: wait for connections to end.
            thread::sleep(Duration::from_millis(50));
            continue;
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = respond(&mut stream, 503, &refusal("too many connections"));
            continue;
        }
        let slot = Slot(Arc::clone(&active));
        let server = Arc::clone(server);
        let spawned = thread::Builder::new().name("hooksig-conn".into()).spawn(move || {
            let _slot = slot;
            serve(stream, &server);
        });
        if let Err(e) = spawned {
            eprintln!("hooksig: cannot serve a connection: {e}");
        }
    }
}

/// A request as received.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
}

/// Why a request gets no verdict.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    /// The client went away (or never sent a line): nothing to answer.
    Closed,
    /// Answer this status, with this reason.
    Answer(u16, &'static str),
}

fn serve(mut stream: TcpStream, server: &Server) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(Deadline { stream: read_half, until: Instant::now() + server.deadline });
    let mut line = String::new();
    let (status, answer) = match read_request(&mut reader, &mut stream, &mut line) {
        Ok(request) => verify(&request, server),
        Err(Stop::Closed) => return,
        Err(Stop::Answer(status, reason)) => {
            eprintln!("hooksig: answered {status} to {}: {reason}", output::escape(&line));
            (status, refusal(reason))
        }
    };
    if respond(&mut stream, status, &answer).is_ok() {
        // Let the client read the answer before the socket closes (unread input would reset it).
        let _ = stream.shutdown(Shutdown::Write);
        reader.get_mut().until = Instant::now() + Duration::from_millis(200);
        let _ = io::copy(&mut reader.take(1 << 20), &mut io::sink());
    }
    let served = server.served.fetch_add(1, Ordering::SeqCst) + 1;
    if server.max_requests == Some(served) {
        let _ = server.done.send(());
    }
}

/// Verifies one delivery, prints the verdict; the status and JSON answer.
fn verify(request: &Request, server: &Server) -> (u16, String) {
    let Ok(line) = RequestLine::new(&request.method, &request.path) else {
        let what = output::escape(&format!("{} {}", request.method, request.path));
        eprintln!("hooksig: answered 400 to {what}: bad request line");
        return (400, refusal("bad request line"));
    };
    let (headers, body, now) = (&request.headers, &request.body, crate::now_secs());
    let result = match &server.store {
        Store::Memory(store) => verify_once(&server.verifier, store, headers, body, Some(line), now, server.retention),
        Store::Redis(store) => verify_once(&server.verifier, store, headers, body, Some(line), now, server.retention),
    };
    // Nothing runs after acceptance that could fail, so a claim is never released.
    let report = Report::from_result(server.verifier.profile(), result.map(|(verified, _claim)| verified));
    let text = if server.json {
        let mut line = report.to_json();
        if let Some(object) = line.as_object_mut() {
            object.insert("method".into(), request.method.clone().into());
            object.insert("path".into(), request.path.clone().into());
            object.insert("body".into(), String::from_utf8_lossy(&request.body).into());
        }
        format!("{line}\n")
    } else {
        let mut text = output::escape(&format!("{} {} -> ", request.method, request.path));
        text.push_str(&report.line());
        text.push('\n');
        for body_line in output::pretty_body(&request.body).lines() {
            text.push_str(&format!("    {}\n", output::escape(body_line)));
        }
        text
    };
    // One write per delivery, so that concurrent deliveries do not interleave.
    let mut stdout = io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    (report.http_status(), json!({ "ok": report.code() == "OK", "code": report.code() }).to_string())
}

fn refusal(reason: &str) -> String {
    json!({ "ok": false, "error": reason }).to_string()
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

/// A socket whose reads all end by one instant: a stalled or trickling
/// client times out as a whole, not per read.
#[derive(Debug)]
struct Deadline {
    stream: TcpStream,
    until: Instant,
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock => io::ErrorKind::TimedOut.into(),
            _ => e,
        })
    }
}

fn io_stop(e: &io::Error) -> Stop {
    match e.kind() {
        io::ErrorKind::TimedOut => Stop::Answer(408, "request not received in time"),
        _ => Stop::Closed,
    }
}

/// One line without its CRLF (or LF), at most `*budget` bytes, taken from the budget.
fn read_line(reader: &mut impl BufRead, budget: &mut usize, too_long: Stop) -> Result<Vec<u8>, Stop> {
    let mut line = Vec::new();
    let limit = u64::try_from(*budget).unwrap_or(u64::MAX);
    reader.take(limit).read_until(b'\n', &mut line).map_err(|e| io_stop(&e))?;
    if line.pop() != Some(b'\n') {
        return Err(if line.len() >= *budget { too_long } else { Stop::Closed });
    }
    *budget = budget.saturating_sub(line.len() + 1);
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(line)
}

/// Reads the request line, the headers and the body (Content-Length or chunked).
/// `line` gets the request line as received, for messages.
fn read_request(reader: &mut impl BufRead, stream: &mut TcpStream, line: &mut String) -> Result<Request, Stop> {
    let too_long = || Stop::Answer(431, "request line and headers over 64 KiB");
    let bad = |reason| Stop::Answer(400, reason);
    let mut budget = MAX_HEAD;
    let mut first = Vec::new();
    while first.is_empty() {
        first = read_line(reader, &mut budget, too_long())?;
    }
    *line = String::from_utf8_lossy(&first).into_owned();
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, path, version] = parts.as_slice() else { return Err(bad("malformed request line")) };
    if !matches!(*version, "HTTP/1.1" | "HTTP/1.0") || core::str::from_utf8(&first).is_err() {
        return Err(bad("malformed request line"));
    }
    let (method, path, http11) = ((*method).to_owned(), (*path).to_owned(), *version == "HTTP/1.1");

    let mut headers = Vec::new();
    loop {
        let field = read_line(reader, &mut budget, too_long())?;
        if field.is_empty() {
            break;
        }
        let colon = field.iter().position(|b| *b == b':').ok_or(bad("malformed header"))?;
        let (name, value) = field.split_at(colon);
        let value = value.get(1..).unwrap_or_default().trim_ascii();
        if name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace()) {
            return Err(bad("malformed header"));
        }
        headers.push((name.to_vec(), value.to_vec()));
    }

    let values = |wanted: &str| -> Vec<&[u8]> {
        headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(wanted.as_bytes())).map(|(_, v)| v.as_slice()).collect()
    };
    let lengths = values("content-length");
    let chunked = match values("transfer-encoding").as_slice() {
        [] => false,
        [coding] if coding.eq_ignore_ascii_case(b"chunked") && lengths.is_empty() => true,
        [_] if lengths.is_empty() => return Err(Stop::Answer(501, "unsupported transfer coding")),
        _ => return Err(bad("ambiguous message length")),
    };
    let length = match lengths.as_slice() {
        [] => 0,
        [first, rest @ ..] if rest.iter().all(|v| v == first) && first.iter().all(u8::is_ascii_digit) => {
            core::str::from_utf8(first).ok().and_then(|t| t.parse::<usize>().ok()).unwrap_or(usize::MAX)
        }
        _ => return Err(bad("malformed Content-Length")),
    };
    if length > MAX_BODY {
        return Err(Stop::Answer(413, "body over 16 MiB"));
    }
    let expects_continue = values("expect").iter().any(|v| v.eq_ignore_ascii_case(b"100-continue"));
    if http11 && expects_continue && (chunked || length > 0) {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").map_err(|_| Stop::Closed)?;
    }
    let body = if chunked { read_chunked(reader)? } else { read_exact(reader, length)? };
    Ok(Request { method, path, headers, body })
}

fn read_exact(reader: &mut impl BufRead, length: usize) -> Result<Vec<u8>, Stop> {
    let mut body = Vec::new();
    reader.take(u64::try_from(length).unwrap_or(u64::MAX)).read_to_end(&mut body).map_err(|e| io_stop(&e))?;
    if body.len() < length {
        return Err(Stop::Closed);
    }
    Ok(body)
}

fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, Stop> {
    let bad = || Stop::Answer(400, "malformed chunked body");
    let mut body = Vec::new();
    let mut budget = MAX_HEAD;
    loop {
        let line = read_line(reader, &mut budget, bad())?;
        let size = line.split(|b| *b == b';').next().unwrap_or_default().trim_ascii();
        if size.is_empty() || !size.iter().all(u8::is_ascii_hexdigit) {
            return Err(bad());
        }
        let size = core::str::from_utf8(size).ok().and_then(|t| usize::from_str_radix(t, 16).ok());
        let size = size.ok_or(Stop::Answer(413, "body over 16 MiB"))?;
        if size == 0 {
            // Trailer fields, up to the empty line.
            while !read_line(reader, &mut budget, bad())?.is_empty() {}
            return Ok(body);
        }
        if size > MAX_BODY - body.len() {
            return Err(Stop::Answer(413, "body over 16 MiB"));
        }
        body.extend(read_exact(reader, size)?);
        if !read_line(reader, &mut budget, bad())?.is_empty() {
            return Err(bad());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `read_request` on what a client sends (and then keeps the
    /// connection open without sending more), with a 300 ms deadline.
    fn receive(sent: &[u8]) -> Result<Request, Stop> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|_| Stop::Closed)?;
        let mut client =
            TcpStream::connect(listener.local_addr().map_err(|_| Stop::Closed)?).map_err(|_| Stop::Closed)?;
        client.write_all(sent).map_err(|_| Stop::Closed)?;
        let (mut stream, _) = listener.accept().map_err(|_| Stop::Closed)?;
        let read_half = stream.try_clone().map_err(|_| Stop::Closed)?;
        let until = Instant::now() + Duration::from_millis(300);
        let mut reader = BufReader::new(Deadline { stream: read_half, until });
        let result = read_request(&mut reader, &mut stream, &mut String::new());
        drop(client);
        result
    }

    #[test]
    fn reads_length_and_chunked_bodies() {
        let plain = receive(b"POST /a?b=1 HTTP/1.1\r\nX-A:  v w \r\nContent-Length: 5\r\n\r\nhello");
        let plain = plain.ok().unwrap_or_else(|| unreachable!());
        assert_eq!((plain.method.as_str(), plain.path.as_str()), ("POST", "/a?b=1"));
        assert_eq!(plain.headers.first(), Some(&(b"X-A".to_vec(), b"v w".to_vec())));
        assert_eq!(plain.body, b"hello");
        let chunked =
            receive(b"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nT: 1\r\n\r\n");
        assert_eq!(chunked.ok().map(|r| r.body), Some(b"hello".to_vec()));
    }

    #[test]
    fn refuses_bad_requests() {
        let cases: [(&[u8], u16); 7] = [
            (b"POST / HTTP/1.1\r\nContent-Length: 10000000000\r\n\r\n", 413),
            (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            (b"POST  / HTTP/1.1\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\n folded\r\n\r\n", 400),
            (b"POST / HTTP/2\r\n\r\n", 400),
        ];
        for (sent, status) in cases {
            assert!(
                matches!(receive(sent), Err(Stop::Answer(s, _)) if s == status),
                "{}",
                String::from_utf8_lossy(sent)
            );
        }
    }

    #[test]
    fn a_stalled_client_times_out_as_a_whole() {
        // Headers promise 10 bytes, 3 arrive, then nothing: 408 at the deadline.
        let stalled = receive(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        assert!(matches!(stalled, Err(Stop::Answer(408, _))), "{stalled:?}");
        let half_head = receive(b"POST / HTTP/1.1\r\nX-A: 1");
        assert!(matches!(half_head, Err(Stop::Answer(408, _))), "{half_head:?}");
    }
}
