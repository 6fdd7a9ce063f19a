//! `send`: an HTTP client (ureq). Verification is the core's.

use core::time::Duration;

use serde_json::json;

use crate::output;
use crate::{Fail, Outcome, SendArgs};

/// The path and query of `url` (`/` if it has none or does not parse).
pub(crate) fn path_and_query(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|uri| uri.path_and_query().map(|p| p.as_str().to_owned()))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/".to_owned())
}

/// True for `localhost`, `127.x.y.z` and `[::1]` URLs.
fn is_loopback(url: &str) -> bool {
    let host = url.parse::<ureq::http::Uri>().ok().and_then(|uri| uri.host().map(str::to_owned));
    host.is_some_and(|host| {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        bare.eq_ignore_ascii_case("localhost") || bare.parse::<core::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    })
}

/// The default delivery: a `webhook.test` event, like a provider's "Test webhook" button.
fn sample_event(id: &str, timestamp: u64) -> Vec<u8> {
    json!({
        "event_id": id,
        "event_type": "webhook.test",
        "created_at": timestamp,
        "data": { "message": "Test delivery from hooksig send", "amount": 1250, "currency": "USD" },
    })
    .to_string()
    .into_bytes()
}

/// The body with its last digit changed (or its last byte): still JSON if it was.
pub(crate) fn tamper(body: &[u8]) -> Vec<u8> {
    let mut bytes = body.to_vec();
    let at = bytes.iter().rposition(u8::is_ascii_digit).unwrap_or(bytes.len().saturating_sub(1));
    match bytes.get_mut(at) {
        Some(b) => *b = if *b == b'9' { b'8' } else { b.wrapping_add(1) },
        None => bytes.push(b'x'),
    }
    bytes
}

pub(crate) fn send(args: &SendArgs) -> Outcome {
    let profile = args.secrets.profile()?;
    let secret = args.secrets.one()?;
    let timestamp = args.delivery.timestamp.unwrap_or_else(crate::now_secs);
    let body = match &args.body_file {
        Some(path) => crate::read_file(path)?,
        None => {
            let id = crate::delivery_id(&profile, &args.delivery, timestamp);
            sample_event(id.as_deref().unwrap_or("evt_test"), timestamp)
        }
    };
    let headers = crate::sign_headers(&profile, &secret, &body, &args.delivery, timestamp, &path_and_query(&args.url))?;
    let body = if args.tamper { tamper(&body) } else { body };

    let mut request = ureq::http::Request::builder()
        .method(args.delivery.method.as_str())
        .uri(args.url.as_str())
        .header("Content-Type", args.content_type.as_str())
        .header("User-Agent", concat!("hooksig/", env!("CARGO_PKG_VERSION")));
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let request = request.body(body).map_err(|e| Fail::Usage(format!("{}: {e}", args.url)))?;
    // The endpoint's own answer: no redirects followed; no proxy for a local endpoint.
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)));
    if is_loopback(&args.url) {
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let (status, answer) = match agent.run(request) {
        Ok(response) => {
            let status = response.status();
            let mut body = response.into_body();
            let text = body.with_config().limit(64 * 1024).read_to_string().unwrap_or_default();
            (status, text)
        }
        Err(e) => {
            eprintln!("hooksig: POST {} failed: {e}", args.url);
            return Err(Fail::Rejected);
        }
    };
    if args.json {
        let pairs: Vec<[&str; 2]> = headers.iter().map(|(n, v)| [n.as_str(), v.as_str()]).collect();
        let out = json!({
            "url": args.url,
            "status": status.as_u16(),
            "response": answer,
            "headers": pairs,
            "tampered": args.tamper,
        });
        println!("{out}");
    } else {
        let what = if args.tamper { "tampered" } else { "signed" };
        println!("sent a {what} {profile} delivery to {}: HTTP {status}", args.url);
        if !answer.is_empty() {
            println!("  answer: {}", output::escape(answer.trim_end()));
        }
    }
    if status.is_success() { Ok(()) } else { Err(Fail::Rejected) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_tampering() {
        assert_eq!(path_and_query("http://127.0.0.1:9/hook?a=1"), "/hook?a=1");
        assert_eq!(path_and_query("http://127.0.0.1:9"), "/");
        assert_eq!(tamper(b"{\"a\":19}"), b"{\"a\":18}");
        assert_eq!(tamper(b"ab"), b"ac");
        assert_eq!(tamper(b""), b"x");
        assert!(is_loopback("http://127.0.0.1:8787/hook"));
        assert!(is_loopback("http://LOCALHOST/"));
        assert!(is_loopback("http://[::1]:9/"));
        assert!(!is_loopback("https://example.com/hook"));
        assert!(!is_loopback("not a url"));
    }
}
