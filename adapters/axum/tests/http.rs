//! The layer in a real axum app served on 127.0.0.1 (a free port), spoken to
//! over a plain TCP connection.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use core::net::SocketAddr;
use core::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use hooksig::{Profile, RequestLine, SignOptions, Verifier};
use hooksig_axum::{DEFAULT_BODY_LIMIT, Webhook, WebhookLayer};
use hooksig_replay::MemoryStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const SECRET: &str = "whsec_axum_test";

/// The app on a free loopback port; stopped when dropped.
struct Server {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Server {
    async fn start(app: Router) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { addr, task }
    }

    /// Sends one request (`Connection: close`); returns the status and body.
    /// `chunked` sends the body in chunks (no Content-Length).
    async fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(String, String)],
        body: &[u8],
        chunked: bool,
    ) -> (u16, String) {
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        let mut bytes = if chunked {
            request.push_str("Transfer-Encoding: chunked\r\n\r\n");
            let mut bytes = request.into_bytes();
            for chunk in body.chunks(512) {
                bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                bytes.extend_from_slice(chunk);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            bytes
        } else {
            request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            let mut bytes = request.into_bytes();
            bytes.extend_from_slice(body);
            bytes
        };
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        stream.write_all(&bytes).await.unwrap();
        bytes.clear();
        // A closed connection without an answer (a panicking handler) reads as empty.
        let _ = stream.read_to_end(&mut bytes).await;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let Some((head, body)) = text.split_once("\r\n\r\n") else { return (0, text) };
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_owned())
    }

    async fn post(&self, target: &str, delivery: &Delivery) -> (u16, String) {
        self.send("POST", target, &delivery.headers, &delivery.body, false).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Delivery {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn sign(profile: Profile, body: &[u8], timestamp: u64, request: Option<RequestLine<'_>>) -> Delivery {
    // S2S requests carry the API key id too.
    let key_id = request.map(|_| "key_1");
    let options = SignOptions { timestamp: Some(timestamp), request, key_id, ..SignOptions::default() };
    let signed = hooksig::sign(&profile, SECRET.as_bytes(), body, options).unwrap();
    let headers = signed.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect();
    Delivery { headers, body: body.to_vec() }
}

fn stripe(body: &[u8]) -> Delivery {
    sign(Profile::Stripe, body, now(), None)
}

/// How often the handler ran, and what it should do on each run.
#[derive(Clone, Default)]
struct Calls {
    runs: Arc<AtomicUsize>,
    /// Runs (1-based) that answer 500 / panic.
    fail_on: Option<usize>,
    panic_on: Option<usize>,
}

/// Echoes what it was given: `scheme secret_index replay_key|raw body`.
async fn handler(State(calls): State<Calls>, Webhook { verified, body }: Webhook) -> (StatusCode, Vec<u8>) {
    let run = calls.runs.fetch_add(1, Ordering::SeqCst) + 1;
    if calls.panic_on == Some(run) {
        panic!("the handler panics on run {run}");
    }
    if calls.fail_on == Some(run) {
        return (StatusCode::INTERNAL_SERVER_ERROR, b"handler failed".to_vec());
    }
    let mut echo = format!("{} {} {}|", verified.scheme, verified.secret_index, verified.replay_key).into_bytes();
    echo.extend_from_slice(&body);
    (StatusCode::OK, echo)
}

fn verifier(profile: Profile) -> Arc<Verifier> {
    Arc::new(Verifier::new(profile, &[SECRET]).unwrap())
}

fn app(layer: WebhookLayer, calls: &Calls) -> Router {
    Router::new().route("/hook", post(handler).layer(layer)).with_state(calls.clone())
}

fn error(code: &str) -> String {
    format!("{{\"error\":\"{code}\"}}")
}

#[tokio::test]
async fn genuine_delivery_reaches_the_handler_with_the_raw_bytes() {
    let calls = Calls::default();
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)), &calls)).await;
    // Spacing and key order as sent: the handler gets these exact bytes.
    let raw = b"{\"b\": 1,   \"a\":[2 ,3]}\n";
    let (status, body) = server.post("/hook?x=1", &stripe(raw)).await;
    assert_eq!(status, 200, "{body}");
    let (meta, echoed) = body.split_once('|').unwrap();
    assert_eq!(echoed.as_bytes(), raw);
    let [scheme, index, key] = meta.split(' ').collect::<Vec<_>>().try_into().unwrap();
    assert_eq!((scheme, index), ("stripe", "0"));
    assert_eq!(key.len(), 64);
    assert!(key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn failures_are_answered_without_the_handler() {
    let calls = Calls::default();
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)), &calls)).await;
    let good = stripe(b"{\"amount\":100}");
    let tampered = Delivery { body: b"{\"amount\":999}".to_vec(), ..good.clone() };
    assert_eq!(server.post("/hook", &tampered).await, (401, error("SIGNATURE_MISMATCH")));
    let stale = sign(Profile::Stripe, b"{}", now() - 3600, None);
    assert_eq!(server.post("/hook", &stale).await, (401, error("TIMESTAMP_TOO_OLD")));
    let unsigned = Delivery { headers: vec![], body: b"{}".to_vec() };
    assert_eq!(server.post("/hook", &unsigned).await, (400, error("MISSING_HEADER")));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 0);
    // The answer is JSON.
    let (status, body) = server.post("/hook", &tampered).await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, json["error"].as_str()), (401, Some("SIGNATURE_MISMATCH")));
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_declared_or_streamed() {
    assert_eq!(DEFAULT_BODY_LIMIT, 1_048_576);
    let calls = Calls::default();
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)).limit(1024), &calls)).await;
    let at_limit = stripe(&[b'a'; 1024]);
    assert_eq!(server.post("/hook", &at_limit).await.0, 200);
    let over = stripe(&[b'a'; 1025]);
    assert_eq!(server.post("/hook", &over).await, (413, error("PAYLOAD_TOO_LARGE")));
    // Chunked: no length to refuse up front; reading stops at the limit.
    assert_eq!(server.send("POST", "/hook", &over.headers, &over.body, true).await, (413, error("PAYLOAD_TOO_LARGE")));
    assert_eq!(server.send("POST", "/hook", &at_limit.headers, &at_limit.body, true).await.0, 200);
    assert_eq!(calls.runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_duplicate_is_200_and_the_handler_does_not_run_again() {
    let calls = Calls::default();
    let store = Arc::new(MemoryStore::new());
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)).store(store.clone()), &calls)).await;
    let delivery = stripe(b"{\"id\":\"evt_1\"}");
    assert_eq!(server.post("/hook", &delivery).await.0, 200);
    assert_eq!(server.post("/hook", &delivery).await, (200, error("DUPLICATE_DELIVERY")));
    // Re-spelled (upper-case hex signature): the same signed delivery.
    let mut respelled = delivery.clone();
    for (name, value) in &mut respelled.headers {
        if name.eq_ignore_ascii_case("stripe-signature") {
            let (t, v1) = value.split_once(",v1=").unwrap();
            *value = format!("{t},v1={}", v1.to_ascii_uppercase());
        }
    }
    assert_eq!(server.post("/hook", &respelled).await, (200, error("DUPLICATE_DELIVERY")));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 1);
    assert_eq!(store.len().unwrap(), 1);
    // A failed verification never touches the store.
    let tampered = Delivery { body: b"{}".to_vec(), ..delivery };
    assert_eq!(server.post("/hook", &tampered).await.0, 401);
    assert_eq!(store.len().unwrap(), 1);
}

#[tokio::test]
async fn a_store_that_cannot_claim_is_503() {
    let calls = Calls::default();
    let full = Arc::new(MemoryStore::with_capacity(0));
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)).store(full), &calls)).await;
    assert_eq!(server.post("/hook", &stripe(b"{}")).await, (503, error("REPLAY_STORE_UNAVAILABLE")));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_failing_handler_releases_the_claim_and_the_retry_is_accepted() {
    let calls = Calls { fail_on: Some(1), ..Calls::default() };
    let store = Arc::new(MemoryStore::new());
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)).store(store.clone()), &calls)).await;
    let delivery = stripe(b"{\"id\":\"evt_retry\"}");
    assert_eq!(server.post("/hook", &delivery).await, (500, "handler failed".to_owned()));
    assert_eq!(store.len().unwrap(), 0);
    assert_eq!(server.post("/hook", &delivery).await.0, 200);
    assert_eq!(server.post("/hook", &delivery).await, (200, error("DUPLICATE_DELIVERY")));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_panicking_handler_releases_the_claim_and_the_retry_is_accepted() {
    let calls = Calls { panic_on: Some(1), ..Calls::default() };
    let store = Arc::new(MemoryStore::new());
    let server = Server::start(app(WebhookLayer::new(verifier(Profile::Stripe)).store(store.clone()), &calls)).await;
    let delivery = stripe(b"{\"id\":\"evt_panic\"}");
    // The panic propagates: the connection closes without an answer.
    assert_eq!(server.post("/hook", &delivery).await, (0, String::new()));
    assert_eq!(store.len().unwrap(), 0);
    assert_eq!(server.post("/hook", &delivery).await.0, 200);
    assert_eq!(server.post("/hook", &delivery).await, (200, error("DUPLICATE_DELIVERY")));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 2);
}

/// A handler with axum's JSON parser: it runs after the layer.
async fn json_handler(webhook: Webhook, Json(event): Json<serde_json::Value>) -> String {
    format!("{}|{}", event["amount"], String::from_utf8_lossy(&webhook.body))
}

#[tokio::test]
async fn the_body_is_verified_before_any_json_parser() {
    let calls = Calls::default();
    let layer = WebhookLayer::new(verifier(Profile::Stripe));
    let app = Router::new()
        .route("/json", post(json_handler))
        .route("/raw", post(handler))
        .layer(layer)
        .with_state(calls.clone());
    let server = Server::start(app).await;
    let json = ("Content-Type".to_owned(), "application/json".to_owned());
    // Not JSON and tampered: the signature is what fails (401), not the parser (400).
    let mut tampered = stripe(b"{\"amount\":1}");
    tampered.body = b"{not json".to_vec();
    tampered.headers.push(json.clone());
    assert_eq!(server.post("/json", &tampered).await, (401, error("SIGNATURE_MISMATCH")));
    // Genuine and not JSON: the raw handler gets the bytes untouched.
    let mut odd = stripe(b"{not json");
    odd.headers.push(json.clone());
    let (status, body) = server.post("/raw", &odd).await;
    assert_eq!((status, body.split_once('|').unwrap().1), (200, "{not json"));
    // Genuine JSON: the parser and the raw bytes both see the verified body.
    let mut genuine = stripe(b"{ \"amount\" : 42 }");
    genuine.headers.push(json);
    assert_eq!(server.post("/json", &genuine).await, (200, "42|{ \"amount\" : 42 }".to_owned()));
}

#[tokio::test]
async fn the_request_line_as_received_is_verified() {
    let calls = Calls::default();
    let layer = WebhookLayer::new(verifier(Profile::UnknownPayS2s));
    // Nested: the handler's router sees "/hook", the sender signed "/api/hook?..".
    let app = Router::new().nest("/api", app(layer, &calls));
    let server = Server::start(app).await;
    let target = "/api/hook?order=7&x=%20y";
    let line = RequestLine::new("POST", target).unwrap();
    let delivery = sign(Profile::UnknownPayS2s, b"{\"order\":7}", now(), Some(line));
    let (status, body) = server.post(target, &delivery).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.post("/api/hook?order=8&x=%20y", &delivery).await, (401, error("SIGNATURE_MISMATCH")));
    // The method is signed too (the layer wraps every method of the route).
    assert_eq!(
        server.send("PUT", target, &delivery.headers, &delivery.body, false).await,
        (401, error("SIGNATURE_MISMATCH"))
    );
    assert_eq!(calls.runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn without_the_layer_the_extractor_refuses() {
    let calls = Calls::default();
    let server = Server::start(Router::new().route("/hook", post(handler)).with_state(calls.clone())).await;
    assert_eq!(server.post("/hook", &stripe(b"{}")).await, (500, error("INTERNAL")));
    assert_eq!(calls.runs.load(Ordering::SeqCst), 0);
}
