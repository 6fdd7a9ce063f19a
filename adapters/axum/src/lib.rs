#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hooksig::{Error, RequestLine, Verified, Verifier};
use hooksig_replay::{Claim, ClaimStore};
use http_body_util::LengthLimitError;
use tower_layer::Layer;
use tower_service::Service;

/// The largest body read by default, in bytes (1 MiB); a longer one is
/// answered `413` with [`Error::PayloadTooLarge`] without running the handler.
pub const DEFAULT_BODY_LIMIT: usize = hooksig::DEFAULT_BODY_LIMIT;

/// A claim store shared by every request.
type Store = Arc<dyn ClaimStore + Send + Sync>;

/// What a verified delivery tells the handler: an owned copy of
/// [`hooksig::Verified`] (the replay key as hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDelivery {
    /// The profile's canonical name (`"stripe"`, `"github"`…).
    pub scheme: &'static str,
    /// Which configured secret matched (0-based, in the order given).
    pub secret_index: usize,
    /// The signed timestamp, for schemes that have one.
    pub timestamp: Option<u64>,
    /// The delivery id header, as sent. Covered by the signature only when
    /// [`id_signed`](VerifiedDelivery::id_signed); de-duplicate on
    /// [`replay_key`](VerifiedDelivery::replay_key), not on this.
    pub id: Option<String>,
    /// True if the MAC covers `id` (Standard Webhooks / Svix only).
    pub id_signed: bool,
    /// The delivery's replay key: 64 lowercase hex characters, the same for
    /// every spelling of one signed delivery.
    pub replay_key: String,
}

impl From<&Verified<'_>> for VerifiedDelivery {
    fn from(verified: &Verified<'_>) -> Self {
        VerifiedDelivery {
            scheme: verified.scheme,
            secret_index: verified.secret_index,
            timestamp: verified.timestamp,
            id: verified.id.map(str::to_owned),
            id_signed: verified.id_signed,
            replay_key: verified.replay_key.to_hex().iter().map(|&b| char::from(b)).collect(),
        }
    }
}

/// The extractor for a handler behind a [`WebhookLayer`]: the verified
/// delivery and the raw body bytes that were verified (parse them yourself;
/// the request's body is also still there for `Json<T>` or `Bytes`).
///
/// Without the layer in front, extraction fails with `500`
/// `{"error":"INTERNAL"}` (a wiring mistake, never an unverified pass).
#[derive(Debug, Clone)]
pub struct Webhook {
    /// What was verified.
    pub verified: VerifiedDelivery,
    /// The raw body, exactly as received and verified.
    pub body: Bytes,
}

impl<S: Send + Sync> FromRequestParts<S> for Webhook {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Webhook>().cloned().ok_or_else(|| failure(Error::Internal))
    }
}

/// The layer's settings, shared by its services.
#[derive(Clone)]
struct Config {
    verifier: Arc<Verifier>,
    store: Option<Store>,
    limit: usize,
    retention: Option<u64>,
}

/// A tower [`Layer`] that verifies every request before the inner service
/// (an axum handler or router) sees it.
///
/// It reads the whole body (up to [`WebhookLayer::limit`], else `413`),
/// verifies it with the request's method and path-and-query as received,
/// then, with a [`store`](WebhookLayer::store), claims the delivery's replay
/// key ([`hooksig_replay::verify_once`]). Failures are answered here with
/// `{"error": CODE}` and the code's status ([`Error::http_status`]):
/// 400/401/500, `200` for `DUPLICATE_DELIVERY` (the handler does not run),
/// `503` for `REPLAY_STORE_UNAVAILABLE`. On success the inner service gets
/// the request with a [`Webhook`] in its extensions and the same bytes as
/// its body. If it answers a 5xx, panics, fails or is dropped unfinished,
/// the claim is released so that the sender's retry is processed.
#[derive(Clone)]
pub struct WebhookLayer {
    config: Config,
}

impl fmt::Debug for WebhookLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookLayer")
            .field("verifier", &self.config.verifier)
            .field("store", &self.config.store.is_some())
            .field("limit", &self.config.limit)
            .field("retention", &self.config.retention)
            .finish()
    }
}

impl WebhookLayer {
    /// A layer verifying with `verifier` (built once at start-up; a
    /// [`Verifier`] or an `Arc` of one), no replay store, the default limit.
    #[must_use]
    pub fn new(verifier: impl Into<Arc<Verifier>>) -> WebhookLayer {
        WebhookLayer {
            config: Config { verifier: verifier.into(), store: None, limit: DEFAULT_BODY_LIMIT, retention: None },
        }
    }

    /// Claims each verified delivery in `store` (a
    /// [`MemoryStore`](hooksig_replay::MemoryStore) or
    /// [`RedisStore`](hooksig_replay::RedisStore)): a replay is answered
    /// `200` `DUPLICATE_DELIVERY` without running the handler.
    ///
    /// The store is called synchronously on the request's task: a
    /// `RedisStore` may hold it up to its timeout (1 s by default).
    #[must_use]
    pub fn store<S: ClaimStore + Send + Sync + 'static>(mut self, store: Arc<S>) -> WebhookLayer {
        self.config.store = Some(store);
        self
    }

    /// The largest body read, in bytes ([`DEFAULT_BODY_LIMIT`] by default).
    #[must_use]
    pub const fn limit(mut self, bytes: usize) -> WebhookLayer {
        self.config.limit = bytes;
        self
    }

    /// How long a claim lasts for profiles without a timestamp window, in
    /// seconds ([`Verifier::replay_ttl`]; default [`hooksig::DEFAULT_RETENTION`]).
    #[must_use]
    pub const fn retention(mut self, seconds: u64) -> WebhookLayer {
        self.config.retention = Some(seconds);
        self
    }
}

impl<S> Layer<S> for WebhookLayer {
    type Service = WebhookService<S>;

    fn layer(&self, inner: S) -> WebhookService<S> {
        WebhookService { inner, config: Arc::new(self.config.clone()) }
    }
}

/// The service [`WebhookLayer`] wraps around an inner service.
#[derive(Clone)]
pub struct WebhookService<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S: fmt::Debug> fmt::Debug for WebhookService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookService").field("inner", &self.inner).finish_non_exhaustive()
    }
}

impl<S> Service<Request<Body>> for WebhookService<S>
where
    S: Service<Request<Body>> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // Keep the service that was polled ready; leave a clone in its place.
        let clone = self.inner.clone();
        let inner = core::mem::replace(&mut self.inner, clone);
        let config = Arc::clone(&self.config);
        Box::pin(handle(config, inner, request))
    }
}

/// Releases a claim when dropped, unless kept: the handler answered a 5xx,
/// failed, panicked (the unwinding drops the future) or was cancelled.
struct Release {
    store: Store,
    claim: Option<Claim>,
}

impl Release {
    fn keep(mut self) {
        self.claim = None;
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        if let Some(claim) = self.claim.take() {
            // Nothing more to do if the store cannot answer: the claim
            // expires with its TTL.
            let _ = self.store.release(&claim);
        }
    }
}

async fn handle<S>(config: Arc<Config>, mut inner: S, request: Request<Body>) -> Result<Response, S::Error>
where
    S: Service<Request<Body>>,
    S::Response: IntoResponse,
{
    let (mut parts, body) = request.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > u64::try_from(config.limit).unwrap_or(u64::MAX)) {
        return Ok(failure(Error::PayloadTooLarge));
    }
    let bytes = match axum::body::to_bytes(body, config.limit).await {
        Ok(bytes) => bytes,
        Err(e) if over_limit(&e) => return Ok(failure(Error::PayloadTooLarge)),
        // The body could not be read (the client went away, bad chunking).
        Err(_) => return Ok(failure(Error::MalformedBody)),
    };
    let (webhook, claim) = match verify(&config, &parts, &bytes) {
        Ok(verified) => verified,
        Err(e) => return Ok(failure(e)),
    };
    let release = claim.zip(config.store.clone()).map(|(claim, store)| Release { store, claim: Some(claim) });
    parts.extensions.insert(webhook);
    let response = inner.call(Request::from_parts(parts, Body::from(bytes))).await?.into_response();
    if let Some(release) = release
        && !response.status().is_server_error()
    {
        release.keep();
    }
    Ok(response)
}

/// Verifies (and claims) one delivery: the wanted headers, the raw body,
/// the request line as received, the system clock.
fn verify(config: &Config, parts: &Parts, body: &Bytes) -> Result<(Webhook, Option<Claim>), Error> {
    let wanted = config.verifier.wanted_headers();
    let headers: Vec<(&str, &[u8])> = parts
        .headers
        .iter()
        .filter(|(name, _)| wanted.contains(name.as_str().as_bytes()))
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    // Under `Router::nest`, the URI is the nested remainder; the path as
    // received is the original one.
    let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |original| &original.0);
    let path = uri.path_and_query().map_or_else(|| uri.path(), |p| p.as_str());
    let line = Some(RequestLine::new(parts.method.as_str(), path)?);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (verified, claim) = match &config.store {
        Some(store) => {
            let (verified, claim) =
                hooksig_replay::verify_once(&config.verifier, store, &headers, body, line, now, config.retention)?;
            (verified, Some(claim))
        }
        None => (config.verifier.verify_request(&headers, body, line, now)?, None),
    };
    Ok((Webhook { verified: VerifiedDelivery::from(&verified), body: body.clone() }, claim))
}

/// True if reading the body stopped at the limit.
fn over_limit(error: &axum::Error) -> bool {
    let mut current: Option<&(dyn core::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if e.is::<LengthLimitError>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// The answer for a rejection: the core's status for the code and
/// `{"error": CODE}` (`200` for a duplicate); the code is one of the closed
/// set, never input.
fn failure(error: Error) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, format!("{{\"error\":\"{}\"}}", error.code())).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
