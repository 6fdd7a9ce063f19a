//! `hooksig`: verify, explain, sign, send and receive webhook deliveries
//! from the command line. Every decision (profiles, headers, MACs, codes,
//! findings) is the core's; this binary reads files and the environment,
//! speaks HTTP and prints.
//!
//! Exit codes: 0 valid (or sent and answered 2xx), 1 rejected (or a non-2xx
//! answer), 2 usage or configuration error (clap errors, a missing variable
//! or file, an unknown profile, an unusable secret, INVALID_ARGUMENT from the
//! core such as a bad window option or request line).

mod http;
mod output;
mod serve;

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand};
use hooksig::{Error, Profile, RequestLine, SignOptions, Tolerance, Verifier, WindowArg};

/// Webhook signatures for every common provider: verify a delivery, explain
/// why one fails, sign test deliveries, send them, or listen for them locally.
#[derive(Debug, Parser)]
#[command(name = "hooksig", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify one delivery: exit 0 if valid, 1 if rejected.
    Verify(VerifyArgs),
    /// Verify one delivery and, if it fails, say why (one line per finding).
    Explain(VerifyArgs),
    /// Print the headers a provider would send for a body.
    Sign(SignArgs),
    /// Sign a delivery and POST it to URL; print the endpoint's answer.
    Send(SendArgs),
    /// Receive deliveries on 127.0.0.1, verify each and accept it once: 200, 200 DUPLICATE_DELIVERY, 4xx or 503.
    Listen(ListenArgs),
    /// List the built-in profiles.
    Profiles {
        /// Print JSON: [{"name", "timestamp", "id_header", "signs_request"}, …].
        #[arg(long)]
        json: bool,
    },
}

/// Where the secrets come from: never the command line itself.
#[derive(Debug, Args)]
struct Secrets {
    /// Profile name (stripe, github, standard-webhooks, …) or `custom;header=…`.
    #[arg(long, short = 'p')]
    profile: String,
    /// Environment variable holding a secret (repeat for rotation; tried first, in order).
    #[arg(long = "secret-env", value_name = "NAME")]
    secret_env: Vec<String>,
    /// File holding a secret, used byte for byte (repeat for rotation; tried after --secret-env).
    #[arg(long = "secret-file", value_name = "FILE")]
    secret_file: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    #[command(flatten)]
    secrets: Secrets,
    /// A received header, `Name: value` (repeat).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The raw body as received (`-` for stdin).
    #[arg(long = "body-file", value_name = "FILE")]
    body_file: PathBuf,
    /// The clock, in Unix seconds (default: now).
    #[arg(long)]
    now: Option<u64>,
    #[command(flatten)]
    window: Window,
    /// Request method, for profiles that sign the request line (unknownpay-s2s); give --path too.
    #[arg(long)]
    method: Option<String>,
    /// Request path and query, for profiles that sign the request line; give --method too.
    #[arg(long)]
    path: Option<String>,
    /// Print JSON (verify: the schema in the README; explain: the core's explanation JSON).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct SignArgs {
    #[command(flatten)]
    secrets: Secrets,
    /// The body to sign (`-` for stdin).
    #[arg(long = "body-file", value_name = "FILE")]
    body_file: PathBuf,
    #[command(flatten)]
    delivery: Delivery,
    /// Print a ready curl command that POSTs the signed body to URL.
    #[arg(long, value_name = "URL")]
    curl: Option<String>,
    /// Print JSON: {"headers": [[name, value], …]}.
    #[arg(long)]
    json: bool,
}

/// The timestamp window, as given: the core checks every value and supplies the default.
#[derive(Debug, Args)]
struct Window {
    #[arg(long, value_name = "SECONDS", value_parser = window_arg, allow_negative_numbers = true,
          help = format!("Seconds a timestamp may be off either way (default {})", hooksig::DEFAULT_WINDOW))]
    tolerance: Option<WindowArg>,
    /// Override the past side of the window, in seconds.
    #[arg(long, value_name = "SECONDS", value_parser = window_arg, allow_negative_numbers = true)]
    past: Option<WindowArg>,
    /// Override the future side of the window, in seconds.
    #[arg(long, value_name = "SECONDS", value_parser = window_arg, allow_negative_numbers = true)]
    future: Option<WindowArg>,
    /// No timestamp window at all (replaying stored deliveries).
    #[arg(long, conflicts_with = "tolerance")]
    no_window: bool,
}

/// A window option's text as the core's `WindowArg`: an integer, or `Invalid` (the core says why).
fn window_arg(text: &str) -> Result<WindowArg, core::convert::Infallible> {
    Ok(text.parse::<i64>().map_or(WindowArg::Invalid, WindowArg::Int))
}

impl Window {
    fn tolerance(&self) -> Result<Tolerance, Error> {
        let given = |arg: Option<WindowArg>| arg.unwrap_or(WindowArg::Absent);
        let tolerance = if self.no_window { WindowArg::Null } else { given(self.tolerance) };
        Tolerance::from_args(tolerance, given(self.past), given(self.future))
    }
}

/// What a sender chooses besides the body.
#[derive(Debug, Args)]
struct Delivery {
    /// Timestamp to sign, Unix seconds (default: now; ignored by schemes without one).
    #[arg(long)]
    timestamp: Option<u64>,
    /// Delivery id (default: `evt_test_<timestamp>` for schemes with an id header).
    #[arg(long)]
    id: Option<String>,
    /// Request method, for profiles that sign the request line (default POST).
    #[arg(long, default_value = "POST")]
    method: String,
    /// Request path and query, for profiles that sign the request line (default: the URL's, or `/`).
    #[arg(long)]
    path: Option<String>,
    /// API key id, for profiles that send one (unknownpay-s2s; default `hooksig-test` there).
    #[arg(long)]
    key_id: Option<String>,
}

#[derive(Debug, Args)]
struct SendArgs {
    /// Where to POST the delivery (http:// or https://).
    url: String,
    #[command(flatten)]
    secrets: Secrets,
    /// The body to send (default: a `webhook.test` sample event).
    #[arg(long = "body-file", value_name = "FILE")]
    body_file: Option<PathBuf>,
    #[command(flatten)]
    delivery: Delivery,
    /// Content-Type of the body.
    #[arg(long, default_value = "application/json")]
    content_type: String,
    /// Change one byte of the body after signing: the endpoint must reject it.
    #[arg(long)]
    tamper: bool,
    /// Print JSON: {"url", "status", "response"}.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ListenArgs {
    #[command(flatten)]
    secrets: Secrets,
    /// Port on 127.0.0.1 (0 picks a free one; the first line printed says which).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Stop after this many requests (default: run until killed).
    #[arg(long)]
    max_requests: Option<u64>,
    #[command(flatten)]
    window: Window,
    /// Claim deliveries in this Redis (`redis://host:port/db`), shared with every `listen` using it (default: in memory).
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..),
          help = format!("Seconds a delivery without a timestamp window stays claimed (default {}); \
                          timestamped ones stay for the window", hooksig::DEFAULT_RETENTION))]
    retention: Option<u64>,
    /// Print one JSON object per delivery (schema in the README).
    #[arg(long)]
    json: bool,
}

/// Why a command stopped.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Exit 1: rejected (the verdict was already printed).
    Rejected,
    /// Exit 2: usage or configuration, with a message for stderr.
    Usage(String),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::Usage(format!("{}: {}", e.code(), e.message()))
    }
}

type Outcome = Result<(), Fail>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(args) => verify(&args, false),
        Command::Explain(args) => verify(&args, true),
        Command::Sign(args) => sign(&args),
        Command::Send(args) => http::send(&args),
        Command::Listen(args) => serve::listen(&args),
        Command::Profiles { json } => {
            profiles(json);
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Rejected) => ExitCode::from(1),
        Err(Fail::Usage(message)) => {
            eprintln!("hooksig: {message}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Secrets {
    fn profile(&self) -> Result<Profile, Fail> {
        Profile::parse(&self.profile)
            .map_err(|e| Fail::Usage(format!("{}: unknown profile {:?}", e.code(), self.profile)))
    }

    /// Every secret, env ones first, exactly as stored (no trimming: `explain` reports stray whitespace).
    fn load(&self) -> Result<Vec<Vec<u8>>, Fail> {
        let mut out = Vec::new();
        for name in &self.secret_env {
            let value =
                std::env::var_os(name).ok_or_else(|| Fail::Usage(format!("environment variable {name} is not set")))?;
            out.push(value.into_encoded_bytes());
        }
        for path in &self.secret_file {
            out.push(read_file(path)?);
        }
        if out.is_empty() {
            return Err(Fail::Usage("give a secret with --secret-env NAME or --secret-file FILE".into()));
        }
        Ok(out)
    }

    /// The one secret a signer uses.
    fn one(&self) -> Result<Vec<u8>, Fail> {
        match <[Vec<u8>; 1]>::try_from(self.load()?) {
            Ok([secret]) => Ok(secret),
            Err(_) => Err(Fail::Usage("signing takes exactly one secret".into())),
        }
    }
}

pub(crate) fn read_file(path: &PathBuf) -> Result<Vec<u8>, Fail> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| Fail::Usage(format!("stdin: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| Fail::Usage(format!("{}: {e}", path.display())))
}

/// `Name: value` → (name, value); the value's leading spaces are dropped, the rest kept as given.
fn parse_header(text: &str) -> Result<(String, String), Fail> {
    let (name, value) =
        text.split_once(':').ok_or_else(|| Fail::Usage(format!("--header {text:?}: expected `Name: value`")))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Fail::Usage(format!("--header {text:?}: empty name")));
    }
    Ok((name.to_owned(), value.trim_start_matches([' ', '\t']).to_owned()))
}

fn verify(args: &VerifyArgs, explain: bool) -> Outcome {
    let profile = args.secrets.profile()?;
    let secrets = args.secrets.load()?;
    let headers = args.headers.iter().map(|h| parse_header(h)).collect::<Result<Vec<_>, _>>()?;
    let body = read_file(&args.body_file)?;
    let now = args.now.unwrap_or_else(now_secs);
    let tolerance = args.window.tolerance()?;
    let request = RequestLine::from_parts(args.method.as_deref(), args.path.as_deref())?;
    if explain {
        let explanation = hooksig::explain(&profile, &secrets, tolerance, &headers, &body, request, now);
        output::print_explanation(&profile, &explanation, args.json);
        return output::exit(explanation.verdict);
    }
    let verifier = Verifier::new(profile, &secrets);
    let result = verifier.and_then(|v| v.with_tolerance(tolerance).verify_request(&headers, &body, request, now));
    let report = output::Report::from_result(&profile, result);
    report.print(args.json);
    output::exit(report.result)
}

/// The id a test delivery carries: the one given, or one made up when the scheme has an id header.
pub(crate) fn delivery_id(profile: &Profile, delivery: &Delivery, timestamp: u64) -> Option<String> {
    delivery.id.clone().or_else(|| profile.id_header().map(|_| format!("evt_test_{timestamp}")))
}

/// The API key id a test delivery sends when none is given, for the profile that requires one.
const DEFAULT_KEY_ID: &str = "hooksig-test";

/// Signs `body` for `profile` (the core writes every header, the id's included): the headers in sending order.
pub(crate) fn sign_headers(
    profile: &Profile,
    secret: &[u8],
    body: &[u8],
    delivery: &Delivery,
    timestamp: u64,
    default_path: &str,
) -> Result<Vec<(String, String)>, Fail> {
    let id = delivery_id(profile, delivery, timestamp);
    let path = delivery.path.as_deref().unwrap_or(default_path);
    let key_id = delivery.key_id.as_deref().or_else(|| profile.signs_request().then_some(DEFAULT_KEY_ID));
    let options = SignOptions {
        timestamp: Some(timestamp),
        id: id.as_deref(),
        request: Some(RequestLine::new(&delivery.method, path)?),
        key_id,
    };
    let signed = hooksig::sign(profile, secret, body, options)?;
    Ok(signed.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect())
}

fn sign(args: &SignArgs) -> Outcome {
    let profile = args.secrets.profile()?;
    let secret = args.secrets.one()?;
    let body = read_file(&args.body_file)?;
    let path = args.curl.as_deref().map_or_else(|| "/".to_owned(), http::path_and_query);
    let timestamp = args.delivery.timestamp.unwrap_or_else(now_secs);
    let headers = sign_headers(&profile, &secret, &body, &args.delivery, timestamp, &path)?;
    if args.json {
        let pairs: Vec<[&str; 2]> = headers.iter().map(|(n, v)| [n.as_str(), v.as_str()]).collect();
        println!("{}", serde_json::json!({ "headers": pairs }));
    } else if let Some(url) = &args.curl {
        println!("{}", output::curl_command(url, &args.delivery.method, &headers, &args.body_file));
    } else {
        for (name, value) in &headers {
            println!("{name}: {value}");
        }
    }
    Ok(())
}

fn profiles(json: bool) {
    if json {
        let list: Vec<serde_json::Value> = Profile::BUILTIN
            .iter()
            .map(|p| {
                serde_json::json!({
                    "name": p.name(),
                    "timestamp": p.has_timestamp(),
                    "id_header": p.id_header(),
                    "signs_request": p.signs_request(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::from(list));
    } else {
        for p in Profile::BUILTIN {
            println!("{}", p.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_at_the_first_colon() {
        assert_eq!(parse_header("X-A:  b: c ").ok(), Some(("X-A".into(), "b: c ".into())));
        assert_eq!(parse_header("X-A:\"q\"").ok(), Some(("X-A".into(), "\"q\"".into())));
        assert!(parse_header("no colon").is_err());
        assert!(parse_header(" : v").is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
