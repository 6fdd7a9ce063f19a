//! hooksig for Node.js (napi-rs): converts JS values, calls the core, maps errors.
//!
//! Every export runs inside [`guard`], so a core error becomes a JS error whose
//! `code` is the core's code string, and a panic becomes `INTERNAL`. The
//! package's `hooksig.js` turns those into `HooksigError` instances.
//!
//! Text is its UTF-8 bytes, whatever it is (a header name or value, a body, a
//! secret, an id); a `Uint8Array` (`Buffer`) or `ArrayBuffer` is taken as is.
#![allow(clippy::missing_errors_doc, reason = "every export throws a HooksigError whose code the core decides")]

use core::panic::AssertUnwindSafe;
use std::borrow::Cow;
use std::panic::catch_unwind;
use std::time::{SystemTime, UNIX_EPOCH};

use hooksig::{Error, Profile, RequestLine, SignOptions, Tolerance, WindowArg, compact};
use napi::bindgen_prelude::{
    Array, ArrayBuffer, Either, Either3, FromNapiValue, Function, JsObjectValue, Object, ToNapiValue, Uint8ArraySlice,
    Unknown,
};
use napi::{Env, JsValue, ValueType, sys};
use napi_derive::napi;

/// The `code` napi-rs puts on a thrown error: the core's code string.
#[derive(Debug)]
pub struct Code(Error);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0.code()
    }
}

/// Runs one export: core errors keep their code, napi errors met while
/// reading the caller's values are `INVALID_ARGUMENT`, a panic is `INTERNAL`.
fn guard<T>(body: impl FnOnce() -> Result<T, Error>) -> napi::Result<T, Code> {
    let error = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => return Ok(value),
        Ok(Err(error)) => error,
        Err(_) => Error::Internal,
    };
    Err(napi::Error::new(Code(error), error.message()))
}

/// `?` for napi calls on the caller's values: any failure is a bad argument.
trait OrInvalid<T> {
    fn or_invalid(self) -> Result<T, Error>;
}

impl<T> OrInvalid<T> for napi::Result<T> {
    fn or_invalid(self) -> Result<T, Error> {
        self.map_err(|_| Error::InvalidArgument)
    }
}

// The packed result of `Verifier#verifyHeaders` (`hooksig::compact`), for `hooksig.js` to decode.
/// Bits of a compact result holding the secret index.
#[napi]
pub const COMPACT_INDEX_BITS: u32 = compact::COMPACT_INDEX_BITS;
/// Where a compact result's id field starts.
#[napi]
pub const COMPACT_ID_SHIFT: u32 = compact::COMPACT_ID_SHIFT;
/// Bits of a compact result's id field (1 + the header's position; 0: no id).
#[napi]
pub const COMPACT_ID_BITS: u32 = compact::COMPACT_ID_BITS;
/// Where a compact result's `timestamp + 1` starts (0: no timestamp).
#[napi]
pub const COMPACT_TIMESTAMP_SHIFT: u32 = compact::COMPACT_TIMESTAMP_SHIFT;
/// Every compact result is below this (2^53).
#[napi]
pub const COMPACT_LIMIT: i64 = compact::COMPACT_LIMIT;
/// "Verified, but not representable": never returned by this package (it returns the parts instead).
#[napi]
pub const COMPACT_DOES_NOT_FIT: i64 = compact::COMPACT_DOES_NOT_FIT;

// What the replay stores of `hooksig/replay` share with every other language's.
/// The prefix of a claim's key in a shared store (Redis): `REPLAY_STORE_PREFIX` + the replay key.
#[napi]
pub const REPLAY_STORE_PREFIX: &str = hooksig::REPLAY_STORE_PREFIX;
/// How many unexpired claims a `MemoryStore` holds before it refuses new ones.
#[napi]
#[allow(clippy::cast_possible_truncation)] // 100 000: checked below
pub const DEFAULT_STORE_CAPACITY: u32 = hooksig::DEFAULT_STORE_CAPACITY as u32;
/// Seconds a claim is kept when the window cannot bound it (`Verifier#replayTtl`).
#[napi]
#[allow(clippy::cast_possible_truncation)] // 7 days: checked below
pub const DEFAULT_RETENTION: u32 = hooksig::DEFAULT_RETENTION as u32;
/// The largest body a framework adapter reads by default (bytes): the core's.
#[napi]
#[allow(clippy::cast_possible_truncation)] // 1 MiB: checked below
pub const DEFAULT_BODY_LIMIT: u32 = hooksig::DEFAULT_BODY_LIMIT as u32;
const _: () = assert!(
    DEFAULT_STORE_CAPACITY as usize == hooksig::DEFAULT_STORE_CAPACITY
        && DEFAULT_RETENTION as u64 == hooksig::DEFAULT_RETENTION
        && DEFAULT_BODY_LIMIT as usize == hooksig::DEFAULT_BODY_LIMIT
);

// ---------------------------------------------------------------- values in

/// Bytes borrowed from JS (a string's from its UTF-8 copy).
enum Bytes<'a> {
    Array(Uint8ArraySlice<'a>),
    Buffer(ArrayBuffer<'a>),
    Text(String),
}

impl AsRef<[u8]> for Bytes<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Array(array) => array,
            Bytes::Buffer(buffer) => buffer,
            Bytes::Text(text) => text.as_bytes(),
        }
    }
}

/// A string (UTF-8), `Uint8Array` or `ArrayBuffer`. A body or secret is read
/// only once every other argument has been converted: reading those can run
/// the caller's JS (getters, iterators), which could detach a buffer whose
/// bytes were already borrowed.
fn bytes(value: Unknown<'_>) -> Result<Bytes<'_>, Error> {
    match value.get_type().or_invalid()? {
        ValueType::String => String::from_unknown(value).or_invalid().map(Bytes::Text),
        // Fails (INVALID_ARGUMENT) for a typed array that is not a `Uint8Array`.
        ValueType::Object if value.is_typedarray().or_invalid()? => {
            Uint8ArraySlice::from_unknown(value).or_invalid().map(Bytes::Array)
        }
        _ => array_buffer(value).map(Bytes::Buffer),
    }
}

/// Writes `verifyHeaders`'s compact number (a native-endian `f64`) and
/// `id_signed` (1 or 0) into `out`: the verifier's own `Uint8Array(9)`.
#[allow(unsafe_code)]
fn write_out(out: Unknown<'_>, packed: i64, id_signed: bool) -> Result<(), Error> {
    use core::ptr::null_mut;
    let (mut length, mut data) = (0_usize, null_mut());
    // SAFETY: `out`'s env and handle are the live ones of this call; the
    // out-pointers are valid or null (not asked for: the element type, which
    // is at least a byte, so 9 elements are at least the 9 bytes written).
    let status = unsafe {
        sys::napi_get_typedarray_info(
            out.value().env,
            out.raw(),
            null_mut(),
            &mut length,
            &mut data,
            null_mut(),
            null_mut(),
        )
    };
    if status != sys::Status::napi_ok || length != 9 || data.is_null() {
        return Err(Error::InvalidArgument);
    }
    #[allow(clippy::cast_precision_loss)] // below 2^53: exact
    let [a, b, c, d, e, f, g, h] = (packed as f64).to_ne_bytes();
    // SAFETY: `data` points to at least 9 bytes (checked above) of an array
    // only `hooksig.js`'s `Verifier` holds; no JS runs while this writes it.
    unsafe { data.cast::<[u8; 9]>().write([a, b, c, d, e, f, g, h, u8::from(id_signed)]) };
    Ok(())
}

/// napi-rs has no checked conversion to `ArrayBuffer`, so check, then cast.
#[allow(unsafe_code)]
fn array_buffer(value: Unknown<'_>) -> Result<ArrayBuffer<'_>, Error> {
    if !value.is_arraybuffer().or_invalid()? {
        return Err(Error::InvalidArgument);
    }
    // SAFETY: `value` is an ArrayBuffer (checked just above), which is what
    // `ArrayBuffer::from_napi_value` requires.
    unsafe { value.cast::<ArrayBuffer<'_>>() }.or_invalid()
}

/// A header name or value: text (its UTF-8 bytes) or a `Uint8Array`.
fn header_text(value: Unknown<'_>) -> Result<Vec<u8>, Error> {
    match bytes(value)? {
        Bytes::Buffer(_) => Err(Error::InvalidArgument),
        bytes => Ok(bytes.as_ref().to_vec()),
    }
}

fn text(value: Option<Either<String, Unknown<'_>>>) -> Result<Option<String>, Error> {
    match value {
        None => Ok(None),
        Some(Either::A(text)) => Ok(Some(text)),
        Some(Either::B(_)) => Err(Error::InvalidArgument),
    }
}

/// A whole number of seconds, as JS numbers can hold exactly.
fn whole(value: Option<Either<f64, Unknown<'_>>>) -> Result<Option<u64>, Error> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    match value {
        None => Ok(None),
        Some(Either::A(n)) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked just above
            Ok(Some(n as u64))
        }
        Some(_) => Err(Error::InvalidArgument),
    }
}

type OptionsArg<'a> = Option<Either<Object<'a>, Unknown<'a>>>;

/// The options object, or none; anything else is a bad argument.
fn as_options<'a>(value: OptionsArg<'a>) -> Result<Option<Object<'a>>, Error> {
    match value {
        None => Ok(None),
        Some(Either::A(object)) => Ok(Some(object)),
        Some(Either::B(_)) => Err(Error::InvalidArgument),
    }
}

fn field<V: FromNapiValue>(object: Option<&Object<'_>>, name: &str) -> Result<Option<V>, Error> {
    object.map(|o| o.get::<V>(name)).transpose().or_invalid().map(Option::flatten)
}

/// `options.now` (default: the system clock) and `options.method` and
/// `options.pathAndQuery`, for `RequestLine::from_parts`.
fn call_options(o: Option<&Object<'_>>) -> Result<(u64, Option<String>, Option<String>), Error> {
    let now = match whole(field(o, "now")?)? {
        Some(now) => now,
        None => SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| Error::Internal)?.as_secs(),
    };
    Ok((now, text(field(o, "method")?)?, text(field(o, "pathAndQuery")?)?))
}

/// A window option as the core takes it, from the first of `objects` that
/// has it: `undefined` is absent, `null` is null, a number is a float, and
/// anything else (a string, a boolean, a bigint) is invalid.
fn window(objects: &[Option<&Object<'_>>], name: &str) -> Result<WindowArg, Error> {
    for object in objects.iter().flatten() {
        if let Some(value) = object.get::<Unknown<'_>>(name).or_invalid()? {
            return Ok(match value.get_type().or_invalid()? {
                ValueType::Null => WindowArg::Null,
                ValueType::Number => WindowArg::Float(f64::from_unknown(value).or_invalid()?),
                _ => WindowArg::Invalid,
            });
        }
    }
    Ok(WindowArg::Absent)
}

fn tolerance(objects: &[Option<&Object<'_>>]) -> Result<Tolerance, Error> {
    Tolerance::from_args(window(objects, "tolerance")?, window(objects, "past")?, window(objects, "future")?)
}

fn profile(value: &Either<String, Unknown<'_>>) -> Result<Profile, Error> {
    match value {
        Either::A(name) => Profile::parse(name),
        Either::B(_) => Err(Error::InvalidArgument),
    }
}

/// One secret or a list of them: strings (UTF-8) or bytes.
fn secrets(value: Option<Unknown<'_>>) -> Result<Vec<Vec<u8>>, Error> {
    let value = value.ok_or(Error::InvalidArgument)?;
    if !value.is_array().or_invalid()? {
        return Ok(vec![bytes(value)?.as_ref().to_vec()]);
    }
    let list = Array::from_unknown(value).or_invalid()?;
    let one = |i| Ok(bytes(list.get::<Unknown<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?)?.as_ref().to_vec());
    (0..list.len()).map(one).collect()
}

/// The one-shot functions' second argument: the secret(s), or a
/// `VerifierOptions` object, returned too for its window fields.
fn secrets_or_options(value: Unknown<'_>) -> Result<(Vec<Vec<u8>>, Option<Object<'_>>), Error> {
    let options = value.get_type().or_invalid()? == ValueType::Object
        && !(value.is_array().or_invalid()?
            || value.is_typedarray().or_invalid()?
            || value.is_arraybuffer().or_invalid()?);
    if !options {
        return Ok((secrets(Some(value))?, None));
    }
    let object = Object::from_unknown(value).or_invalid()?;
    Ok((secrets(field(Some(&object), "secrets")?)?, Some(object)))
}

// ---------------------------------------------------------------- headers

/// The headers `wants` accepts (the ones a verifier reads, or all of them for
/// `explain`), collected from any supported shape, as `(name, value)` bytes.
struct Headers<'w> {
    wants: &'w dyn Fn(&[u8]) -> bool,
    pairs: Pairs<Vec<u8>>,
}

/// `(name, value)` pairs, as the core takes them.
type Pairs<T> = Vec<(T, T)>;

impl Headers<'_> {
    /// Adds `value` (read only now) under a wanted `name`; one value, or for
    /// an object's key (`list`) each value of an array too.
    fn push<'a>(
        &mut self,
        name: Unknown<'a>,
        value: impl FnOnce() -> Result<Unknown<'a>, Error>,
        list: bool,
    ) -> Result<(), Error> {
        let name = header_text(name)?;
        if !(self.wants)(&name) {
            return Ok(());
        }
        let value = value()?;
        if list && value.is_array().or_invalid()? {
            let values = Array::from_unknown(value).or_invalid()?;
            for i in 0..values.len() {
                let value = values.get::<Unknown<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
                self.pairs.push((name.clone(), header_text(value)?));
            }
        } else if !(list && value.get_type().or_invalid()? == ValueType::Undefined) {
            self.pairs.push((name, header_text(value)?));
        }
        Ok(())
    }

    /// `[[name, value], …]` or a flat `rawHeaders` list `[name, value, …]`.
    fn add_array(&mut self, list: &Array<'_>) -> Result<(), Error> {
        let at = |i| list.get::<Unknown<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument);
        if list.get::<Unknown<'_>>(0).or_invalid()?.map(|first| first.is_array()).transpose().or_invalid()?
            == Some(true)
        {
            return (0..list.len()).try_for_each(|i| self.add_pair(&Array::from_unknown(at(i)?).or_invalid()?));
        }
        if list.len() % 2 != 0 {
            return Err(Error::InvalidArgument);
        }
        (0..list.len()).step_by(2).try_for_each(|i| self.push(at(i)?, || at(i + 1), false))
    }

    fn add_pair(&mut self, pair: &Array<'_>) -> Result<(), Error> {
        let at = |i| pair.get::<Unknown<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument);
        if pair.len() != 2 {
            return Err(Error::InvalidArgument);
        }
        self.push(at(0)?, || at(1), false)
    }

    /// WHATWG `Headers` (or a `Map`): walks `entries()`.
    fn add_entries(&mut self, object: &Object<'_>, entries: &Function<'_, (), Object<'_>>) -> Result<(), Error> {
        let iterator = entries.apply(object, ()).or_invalid()?;
        let next = iterator.get::<Function<'_, (), Object<'_>>>("next").or_invalid()?.ok_or(Error::InvalidArgument)?;
        loop {
            let step = next.apply(iterator, ()).or_invalid()?;
            if step.get::<bool>("done").or_invalid()? == Some(true) {
                return Ok(());
            }
            self.add_pair(&step.get::<Array<'_>>("value").or_invalid()?.ok_or(Error::InvalidArgument)?)?;
        }
    }

    /// A plain object or Node's `IncomingHttpHeaders`: values are strings,
    /// bytes, arrays of those (each one a value) or `undefined`. The keys are
    /// those `Object.keys` plus `for…in` would give; only a wanted key's value
    /// is fetched (by the key itself).
    #[allow(unsafe_code)]
    fn add_object(&mut self, object: &Object<'_>) -> Result<(), Error> {
        let (env, mut names) = (object.value().env, core::ptr::null_mut());
        // SAFETY: `env` and the object's handle are the live ones napi-rs handed
        // this call; `names` is a valid out-pointer.
        if unsafe { sys::napi_get_property_names(env, object.raw(), &mut names) } != sys::Status::napi_ok {
            return Err(Error::InvalidArgument);
        }
        // SAFETY: `napi_get_property_names` succeeded, so `names` is an array.
        let names = unsafe { Array::from_napi_value(env, names) }.or_invalid()?;
        for i in 0..names.len() {
            let key = names.get::<Unknown<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
            self.push(key, || object.get_property_unchecked::<Unknown<'_>, Unknown<'_>>(key).or_invalid(), true)?;
        }
        Ok(())
    }
}

/// Headers in any supported shape, told apart by hand (napi-rs's `Either`
/// builds an error message for every variant that does not match).
fn headers(wants: &dyn Fn(&[u8]) -> bool, value: &Unknown<'_>) -> Result<Pairs<Vec<u8>>, Error> {
    let mut headers = Headers { wants, pairs: Vec::with_capacity(4) };
    if value.get_type().or_invalid()? != ValueType::Object || value.is_typedarray().or_invalid()? {
        return Err(Error::InvalidArgument);
    }
    if value.is_array().or_invalid()? {
        headers.add_array(&Array::from_unknown(*value).or_invalid()?)?;
    } else if value.is_arraybuffer().or_invalid()? {
        return Err(Error::InvalidArgument);
    } else {
        let object = Object::from_unknown(*value).or_invalid()?;
        match object.get_c_named_property_unchecked::<Unknown<'_>>(c"entries") {
            Ok(entries) if entries.get_type().or_invalid()? == ValueType::Function => {
                headers.add_entries(&object, &Function::from_unknown(entries).or_invalid()?)?;
            }
            _ => headers.add_object(&object)?,
        }
    }
    Ok(headers.pairs)
}

/// Room for any header name on the stack (longer names take the slow path).
const KEY_BUFFER: usize = 128;
/// Room for the usual header value on the stack (a signature list, a timestamp…).
const VALUE_BUFFER: usize = 256;

/// A string's UTF-8 bytes, written into `buffer` when they fit.
#[allow(unsafe_code)]
fn utf8<'b, const N: usize>(text: Unknown<'_>, buffer: &'b mut [u8; N]) -> Result<Cow<'b, [u8]>, Error> {
    let mut written = 0_usize;
    // SAFETY: `buffer` is writable for `N` bytes, the size passed; `written`
    // is a valid out-pointer. A non-string fails (`napi_string_expected`).
    let status = unsafe {
        sys::napi_get_value_string_utf8(text.value().env, text.raw(), buffer.as_mut_ptr().cast(), N, &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(Error::InvalidArgument);
    }
    // One byte is the terminating NUL; a character is at most 4 bytes (V8
    // stops before one that would not fit whole).
    match buffer.get(..written) {
        Some(bytes) if written + 4 < N => Ok(Cow::Borrowed(bytes)),
        _ => Ok(Cow::Owned(String::from_unknown(text).or_invalid()?.into_bytes())),
    }
}

// ---------------------------------------------------------------- values out

/// A replay key as JS text: `ReplayKey::to_hex`, made a string without a copy on the heap.
#[derive(Debug)]
pub struct KeyHex([u8; 64]);

impl ToNapiValue for KeyHex {
    #[allow(unsafe_code)]
    unsafe fn to_napi_value(env: sys::napi_env, key: KeyHex) -> napi::Result<sys::napi_value> {
        let mut text = core::ptr::null_mut();
        // SAFETY: napi-rs passes the call's live `env`; the 64 bytes are
        // readable for the length given; `text` is a valid out-pointer.
        let status = unsafe { sys::napi_create_string_latin1(env, key.0.as_ptr().cast(), 64, &mut text) };
        napi::check_status!(status, "replay key")?;
        Ok(text)
    }
}

/// A successful verification as `[scheme, secretIndex, timestamp, id,
/// replayKey, idSigned]`, which `hooksig.js` turns into the `Verified` object
/// (array elements cost a fraction of named properties set through N-API).
type VerifiedParts = (&'static str, u32, Option<i64>, Option<String>, KeyHex, bool);

fn parts(v: hooksig::Verified<'_>) -> VerifiedParts {
    let index = u32::try_from(v.secret_index).unwrap_or(u32::MAX);
    let (timestamp, id) = (v.timestamp.and_then(|t| i64::try_from(t).ok()), v.id.map(str::to_owned));
    (v.scheme, index, timestamp, id, KeyHex(v.replay_key.to_hex()), v.id_signed)
}

/// One error code with its suggested HTTP status and message.
#[napi(object)]
#[derive(Debug)]
pub struct ErrorInfo {
    /// The stable code, e.g. `"SIGNATURE_MISMATCH"`.
    pub code: String,
    /// The HTTP status a webhook endpoint should answer with.
    pub http_status: u32,
    /// A one-line human explanation.
    pub message: String,
}

/// Every error code, in the core's order (what `HooksigError.code` can be).
#[napi]
pub fn error_codes() -> Vec<ErrorInfo> {
    let info = |e: &Error| ErrorInfo {
        code: e.code().into(),
        http_status: e.http_status().into(),
        message: e.message().into(),
    };
    Error::ALL.iter().map(info).collect()
}

// ---------------------------------------------------------------- exports

/// A profile with its secrets validated and keyed once; reuse it for every request.
#[napi(js_name = "Verifier")]
#[derive(Debug)]
pub struct JsVerifier {
    inner: hooksig::Verifier,
    /// The profile's canonical name: `Verified::scheme` of every verification.
    scheme: &'static str,
}

/// The shared body of the `verify`s taking any header shape.
fn verify_with(
    verifier: &hooksig::Verifier,
    headers: &Unknown<'_>,
    body: Unknown<'_>,
    options: OptionsArg<'_>,
) -> Result<VerifiedParts, Error> {
    let (now, method, path) = call_options(as_options(options)?.as_ref())?;
    let line = RequestLine::from_parts(method.as_deref(), path.as_deref())?;
    let wanted = verifier.wanted_headers();
    let headers = self::headers(&|name| wanted.contains(name), headers)?;
    let body = bytes(body)?;
    Ok(parts(verifier.verify_request(&headers, body.as_ref(), line, now)?))
}

#[napi]
impl JsVerifier {
    /// `options.secrets`: one secret or up to 8 (tried in order), as the
    /// provider displays them; `tolerance`: seconds either way (`null`
    /// disables the window); `past`/`future` override one side.
    #[napi(constructor, ts_args_type = "profile: string, options: VerifierOptions")]
    pub fn new(profile: Either<String, Unknown<'_>>, options_arg: OptionsArg<'_>) -> napi::Result<JsVerifier, Code> {
        guard(|| {
            let (profile, options) = (self::profile(&profile)?, as_options(options_arg)?);
            let scheme = profile.name();
            let secrets = secrets(field(options.as_ref(), "secrets")?)?;
            let inner = hooksig::Verifier::new(profile, &secrets)?.with_tolerance(tolerance(&[options.as_ref()])?);
            Ok(JsVerifier { inner, scheme })
        })
    }

    /// The profile's canonical name, `scheme` of every `Verified` (read once
    /// by `hooksig.js`).
    #[napi(getter, skip_typescript)]
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// Whether this profile reads a header called `name` (any case): the
    /// core decides. `hooksig/express` asks it to pick the requests whose raw
    /// body it keeps.
    #[napi(ts_args_type = "name: string")]
    pub fn wants_header(&self, name: Unknown<'_>) -> napi::Result<bool, Code> {
        guard(|| Ok(self.inner.wants_header(&utf8(name, &mut [0_u8; KEY_BUFFER])?)))
    }

    /// `verify` for headers `hooksig.js` has already picked from a plain
    /// object: the ones `wantsHeader` takes, as up to four name/value string
    /// pairs after the body, the options and `out` (see [`write_out`]). One N-API call, no property reads but the
    /// options'. A failure returns the `hooksig::compact` number (negative);
    /// a success returns the replay key's hex with the compact number and
    /// `id_signed` written into `out`, or the parts when the id is not a
    /// whole ASCII value (not the same string once back in JS) or it does not fit.
    #[napi(skip_typescript)]
    #[allow(clippy::too_many_arguments)] // the pairs as arguments: each a handle napi-rs already has
    pub fn verify_headers(
        &self,
        body: Unknown<'_>,
        options_arg: OptionsArg<'_>,
        out: Unknown<'_>,
        n0: Unknown<'_>,
        v0: Unknown<'_>,
        n1: Unknown<'_>,
        v1: Unknown<'_>,
        n2: Unknown<'_>,
        v2: Unknown<'_>,
        n3: Unknown<'_>,
        v3: Unknown<'_>,
    ) -> napi::Result<Either3<f64, KeyHex, VerifiedParts>, Code> {
        guard(|| {
            let (now, method, path) = call_options(as_options(options_arg)?.as_ref())?;
            let line = RequestLine::from_parts(method.as_deref(), path.as_deref())?;
            let (mut names, mut values) = ([[0_u8; KEY_BUFFER]; 4], [[0_u8; VALUE_BUFFER]; 4]);
            let (mut pairs, mut count) = (<[(Cow<'_, [u8]>, Cow<'_, [u8]>); 4]>::default(), 0);
            let args = [(n0, v0), (n1, v1), (n2, v2), (n3, v3)].into_iter().zip(&mut names).zip(&mut values);
            for ((((name, value), name_buffer), value_buffer), pair) in args.zip(&mut pairs) {
                if name.get_type().or_invalid()? == ValueType::Undefined {
                    break;
                }
                *pair = (utf8(name, name_buffer)?, utf8(value, value_buffer)?);
                count += 1;
            }
            let pairs = pairs.get(..count).unwrap_or_default();
            let body = bytes(body)?;
            let result = self.inner.verify_request(pairs, body.as_ref(), line, now);
            let packed = compact::compact(result, pairs);
            let whole =
                |id: &str| id.is_ascii() && pairs.iter().any(|(_, v)| v.len() == id.len() && v.as_ptr() == id.as_ptr());
            match result {
                Ok(v) if packed == compact::COMPACT_DOES_NOT_FIT || !v.id.is_none_or(whole) => Ok(Either3::C(parts(v))),
                Ok(v) => {
                    write_out(out, packed, v.id_signed)?;
                    Ok(Either3::B(KeyHex(v.replay_key.to_hex())))
                }
                #[allow(clippy::cast_precision_loss)] // a small negative number: exact
                Err(_) => Ok(Either3::A(packed as f64)),
            }
        })
    }

    /// How long (seconds) to keep a replay claim for what this verifier
    /// accepts: the window (`past + future`) for timestamped profiles, else
    /// `retention` (default `DEFAULT_RETENTION`, 7 days). The core decides.
    #[napi(ts_args_type = "retention?: number")]
    pub fn replay_ttl(&self, retention: Option<Either<f64, Unknown<'_>>>) -> napi::Result<f64, Code> {
        #[allow(clippy::cast_precision_loss)] // at most 2^53 - 1 or twice MAX_WINDOW: exact
        guard(|| Ok(self.inner.replay_ttl(whole(retention)?) as f64))
    }

    /// Verifies a delivery: the headers as received and the raw body.
    /// `options.now` is Unix seconds (default: the system clock);
    /// `options.method` and `options.pathAndQuery` (both or neither) are the
    /// request line, required by UnknownPay S2S and ignored by the others.
    #[napi(
        ts_args_type = "headers: HeadersInput, body: BodyInput, options?: VerifyOptions",
        ts_return_type = "Verified"
    )]
    pub fn verify(
        &self,
        headers: Unknown<'_>,
        body: Unknown<'_>,
        options_arg: OptionsArg<'_>,
    ) -> napi::Result<VerifiedParts, Code> {
        guard(|| verify_with(&self.inner, &headers, body, options_arg))
    }
}

/// One-shot verification. The second argument is the secret(s), or the
/// same options object `new Verifier` takes. Prefer a long-lived `Verifier`.
#[napi(
    ts_args_type = "profile: string, secretsOrOptions: Secrets | VerifierOptions, headers: HeadersInput, \
                    body: BodyInput, options?: VerifyOptions",
    ts_return_type = "Verified"
)]
pub fn verify(
    profile: Either<String, Unknown<'_>>,
    secrets_or_options: Unknown<'_>,
    headers: Unknown<'_>,
    body: Unknown<'_>,
    options_arg: OptionsArg<'_>,
) -> napi::Result<VerifiedParts, Code> {
    guard(|| {
        let profile = self::profile(&profile)?;
        let (secrets, options) = self::secrets_or_options(secrets_or_options)?;
        let verifier = hooksig::Verifier::new(profile, &secrets)?.with_tolerance(tolerance(&[options.as_ref()])?);
        verify_with(&verifier, &headers, body, options_arg)
    })
}

/// Signs a delivery (or an UnknownPay S2S request) the way `profile`'s
/// provider does: the headers to send, in order. Which options a profile
/// needs or refuses is the core's decision.
#[napi(
    ts_args_type = "profile: string, secret: Secret, body: BodyInput, options?: SignOptions",
    ts_return_type = "Record<string, string>"
)]
pub fn sign<'e>(
    env: &'e Env,
    profile: Either<String, Unknown<'_>>,
    secret: Unknown<'_>,
    body: Unknown<'_>,
    options_arg: OptionsArg<'_>,
) -> napi::Result<Object<'e>, Code> {
    guard(|| {
        let options = as_options(options_arg)?;
        let o = options.as_ref();
        let profile = self::profile(&profile)?;
        let timestamp = whole(field(o, "timestamp")?)?;
        let (id, key_id) = (text(field(o, "id")?)?, text(field(o, "keyId")?)?);
        let (method, path) = (text(field(o, "method")?)?, text(field(o, "pathAndQuery")?)?);
        let request = RequestLine::from_parts(method.as_deref(), path.as_deref())?;
        let sign_options = SignOptions { timestamp, id: id.as_deref(), request, key_id: key_id.as_deref() };
        let signed = hooksig::sign(&profile, bytes(secret)?.as_ref(), bytes(body)?.as_ref(), sign_options)?;
        let mut object = Object::new(env).or_invalid()?;
        for header in &signed {
            object.set(header.name(), header.value()).or_invalid()?;
        }
        Ok(object)
    })
}

/// Why a delivery fails to verify (the core's `explain`, with the one-shot
/// `verify`'s inputs; `tolerance`, `past` and `future` in `options` override
/// the second argument's): `Explanation::to_json`, which `hooksig.js` parses.
/// Bad arguments throw `INVALID_ARGUMENT`; everything about the delivery and
/// the secrets is in the verdict.
#[napi(
    ts_args_type = "profile: string, secretsOrOptions: Secrets | VerifierOptions, headers: HeadersInput, \
                    body: BodyInput, options?: ExplainOptions",
    ts_return_type = "Explanation"
)]
pub fn explain(
    profile: Either<String, Unknown<'_>>,
    secrets_or_options: Unknown<'_>,
    headers: Unknown<'_>,
    body: Unknown<'_>,
    options_arg: OptionsArg<'_>,
) -> napi::Result<String, Code> {
    guard(|| {
        let options = as_options(options_arg)?;
        let o = options.as_ref();
        let profile = self::profile(&profile)?;
        let (secrets, secrets_options) = self::secrets_or_options(secrets_or_options)?;
        let tolerance = tolerance(&[o, secrets_options.as_ref()])?;
        let (now, method, path) = call_options(o)?;
        let request = RequestLine::from_parts(method.as_deref(), path.as_deref())?;
        // Every header: the causes include misnamed headers and other profiles'.
        let headers = self::headers(&|_| true, &headers)?;
        let body = bytes(body)?;
        Ok(hooksig::explain(&profile, &secrets, tolerance, &headers, body.as_ref(), request, now).to_json())
    })
}

/// Panics inside [`guard`], so that the tests can prove a panic reaches JS as
/// `INTERNAL` instead of aborting the process. Not part of the typed API.
#[doc(hidden)]
#[napi(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests() -> napi::Result<(), Code> {
    #[allow(clippy::panic)]
    guard(|| panic!("hooksig-node: the panic the tests ask for"))
}
