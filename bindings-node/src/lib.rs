//! hooksig for Node.js (napi-rs): converts JS values, calls the core, maps errors.
//!
//! Every export runs inside [`guard`], so a core error becomes a JS error whose
//! `code` is the core's code string, and a panic becomes `INTERNAL`. The
//! package's `hooksig.js` turns those into `HooksigError` instances.
//!
//! Header names and values are taken the way Node's `http` and `fetch` hand
//! them over: ByteStrings, one character per byte (Latin-1), so the bytes the
//! core sees are the bytes that arrived. A value with a character above
//! U+00FF cannot have come off the wire and is `MALFORMED_HEADER`. Bodies,
//! secrets, ids and key ids given as strings are UTF-8.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{SystemTime, UNIX_EPOCH};

use hooksig::{Error, FieldValue, Profile, Tolerance};
use napi::bindgen_prelude::{
    Array, ArrayBuffer, Either, Either3, Either4, Either5, Function, Null, Object, Uint8ArraySlice, Unknown,
    Utf16String,
};
use napi::bindgen_prelude::{FromNapiValue, JsObjectValue};
use napi::{Env, JsString, JsValue, ValueType, sys};
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

// ---------------------------------------------------------------- values in

/// Bytes: a `Uint8Array` (`Buffer`), an `ArrayBuffer` or a UTF-8 string.
type BytesArg<'a> = Either3<Uint8ArraySlice<'a>, String, Unknown<'a>>;

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

fn bytes(value: BytesArg<'_>) -> Result<Bytes<'_>, Error> {
    match value {
        Either3::A(array) => Ok(Bytes::Array(array)),
        Either3::B(text) => Ok(Bytes::Text(text)),
        Either3::C(other) => array_buffer(other).map(Bytes::Buffer),
    }
}

/// A body or secret argument, read only once every other argument has been
/// converted: reading those can run the caller's JS (getters, iterators), which
/// could detach a buffer whose bytes were already borrowed.
#[allow(unsafe_code)]
fn bytes_last(value: Unknown<'_>) -> Result<Bytes<'_>, Error> {
    match value.get_type().or_invalid()? {
        // SAFETY: a string is what `String::from_napi_value` requires.
        ValueType::String => unsafe { value.cast::<String>() }.or_invalid().map(Bytes::Text),
        // SAFETY: `Uint8ArraySlice::from_napi_value` takes any typed array and
        // fails (INVALID_ARGUMENT here) for one that is not a `Uint8Array`.
        ValueType::Object if value.is_typedarray().or_invalid()? => {
            unsafe { value.cast::<Uint8ArraySlice<'_>>() }.or_invalid().map(Bytes::Array)
        }
        _ => array_buffer(value).map(Bytes::Buffer),
    }
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

fn text(value: Option<Either<String, Unknown<'_>>>) -> Result<Option<String>, Error> {
    match value {
        None => Ok(None),
        Some(Either::A(text)) => Ok(Some(text)),
        Some(Either::B(_)) => Err(Error::InvalidArgument),
    }
}

/// A whole number of seconds (or of anything), as JS numbers can hold exactly.
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

/// `field` of the first object (in order) that has it.
fn first_field<V: FromNapiValue>(objects: &[Option<&Object<'_>>], name: &str) -> Result<Option<V>, Error> {
    for &object in objects {
        if let Some(value) = field(object, name)? {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

fn now(object: Option<&Object<'_>>) -> Result<u64, Error> {
    match whole(field(object, "now")?)? {
        Some(now) => Ok(now),
        None => SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).map_err(|_| Error::Internal),
    }
}

fn profile(value: &Either<String, Unknown<'_>>) -> Result<Profile, Error> {
    match value {
        Either::A(name) => Profile::parse(name),
        Either::B(_) => Err(Error::InvalidArgument),
    }
}

/// One secret or a list of them: strings (UTF-8) or bytes.
type SecretsArg<'a> = Either<Array<'a>, BytesArg<'a>>;

fn secrets(value: Option<SecretsArg<'_>>) -> Result<Vec<Vec<u8>>, Error> {
    match value {
        Some(Either::A(list)) => secret_list(&list),
        Some(Either::B(one)) => Ok(vec![bytes(one)?.as_ref().to_vec()]),
        None => Err(Error::InvalidArgument),
    }
}

fn secret_list(list: &Array<'_>) -> Result<Vec<Vec<u8>>, Error> {
    (0..list.len())
        .map(|i| {
            let secret = list.get::<BytesArg<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
            Ok(bytes(secret)?.as_ref().to_vec())
        })
        .collect()
}

/// `tolerance` (seconds; `null` disables; absent means the core's default),
/// `past` and `future` (one side each), as `Tolerance::from_options` reads them.
/// Each is taken from the first of `objects` that has it.
fn tolerance(objects: &[Option<&Object<'_>>]) -> Result<Tolerance, Error> {
    let default = match Tolerance::DEFAULT {
        Tolerance::Window { past, .. } => Some(past),
        Tolerance::Disabled => None,
    };
    let both = match first_field::<Either3<f64, Null, Unknown<'_>>>(objects, "tolerance")? {
        None => default,
        Some(Either3::A(seconds)) => whole(Some(Either::A(seconds)))?,
        Some(Either3::B(Null)) => None,
        Some(Either3::C(_)) => return Err(Error::InvalidArgument),
    };
    Tolerance::from_options(both, whole(first_field(objects, "past")?)?, whole(first_field(objects, "future")?)?)
}

// ---------------------------------------------------------------- headers

/// A header name or value: a ByteString, or exact bytes.
type HeaderText<'a> = Either3<JsString<'a>, Uint8ArraySlice<'a>, Unknown<'a>>;

/// A header value in an object: one value, or an array of values.
type HeaderValue<'a> = Either4<JsString<'a>, Uint8ArraySlice<'a>, Array<'a>, Unknown<'a>>;

/// A ByteString's bytes; `None` if a character does not fit in a byte.
/// Short strings (every real header) are read as UTF-8 into a stack buffer
/// and mapped to Latin-1 from there; longer ones as UTF-16. Either way a
/// character above U+00FF (a lone surrogate included: V8 writes it as
/// U+FFFD) gives `None`.
fn latin1(text: &JsString<'_>) -> Result<Option<Vec<u8>>, Error> {
    let mut buffer = [0_u8; VALUE_BUFFER];
    match latin1_into(&text.to_unknown(), &mut buffer)? {
        Fits::Yes(bytes) => Ok(Some(bytes.to_vec())),
        Fits::NotLatin1 => Ok(None),
        Fits::TooLong => latin1_wide(&text.to_unknown()),
    }
}

/// A long ByteString's bytes, read as UTF-16; `None` as for [`latin1`].
fn latin1_wide(text: &Unknown<'_>) -> Result<Option<Vec<u8>>, Error> {
    let wide = Utf16String::from_unknown(*text).or_invalid()?;
    Ok(wide.iter().map(|&unit| u8::try_from(unit).ok()).collect())
}

/// What [`latin1_into`] made of a string.
enum Fits<'b> {
    /// Its bytes, in the buffer.
    Yes(&'b [u8]),
    /// A character above U+00FF.
    NotLatin1,
    /// It may not fit in the buffer.
    TooLong,
}

/// A ByteString's bytes in `buffer`: read as UTF-8 into it, then turned into
/// Latin-1 in place (never longer than its UTF-8). V8 writes valid UTF-8 (a
/// lone surrogate as U+FFFD), so a lead byte other than 0xC2/0xC3 is a
/// character above U+00FF.
fn latin1_into<'b, const N: usize>(text: &Unknown<'_>, buffer: &'b mut [u8; N]) -> Result<Fits<'b>, Error> {
    let Some((len, ascii)) = utf8_into(text, buffer)?.map(|utf8| (utf8.len(), utf8.is_ascii())) else {
        return Ok(Fits::TooLong);
    };
    if ascii {
        // The usual header: its UTF-8 is its Latin-1.
        return Ok(buffer.get(..len).map_or(Fits::TooLong, Fits::Yes));
    }
    let (mut read, mut write) = (0, 0);
    while let Some(&byte) = buffer.get(read) {
        if read >= len {
            break;
        }
        let byte = match byte {
            0..=0x7F => byte,
            0xC2 | 0xC3 => match buffer.get(read + 1) {
                Some(&next) if read + 1 < len && next & 0xC0 == 0x80 => {
                    read += 1;
                    ((byte & 0x03) << 6) | (next & 0x3F)
                }
                _ => return Ok(Fits::NotLatin1),
            },
            _ => return Ok(Fits::NotLatin1),
        };
        if let Some(slot) = buffer.get_mut(write) {
            *slot = byte;
        }
        read += 1;
        write += 1;
    }
    Ok(buffer.get(..write).map_or(Fits::TooLong, Fits::Yes))
}

fn name_bytes(name: &HeaderText<'_>) -> Result<Option<Vec<u8>>, Error> {
    match name {
        // A name that is no ByteString matches no wanted (ASCII) name.
        Either3::A(text) => latin1(text),
        Either3::B(bytes) => Ok(Some(bytes.to_vec())),
        Either3::C(_) => Err(Error::InvalidArgument),
    }
}

/// The headers `wants` accepts (the ones a verifier reads, or all of them for
/// `explain`), collected from any supported shape.
struct Headers<'w> {
    wants: &'w dyn Fn(&[u8]) -> bool,
    pairs: Pairs,
}

/// `(name, value)` byte pairs, as the core takes them.
type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

impl Headers<'_> {
    /// Adds one value, or each value of an array, under a wanted `name`.
    fn push_values(&mut self, name: &[u8], value: HeaderValue<'_>) -> Result<(), Error> {
        match value {
            Either4::A(text) => self.push_one(name, Either3::A(text)),
            Either4::B(bytes) => self.push_one(name, Either3::B(bytes)),
            Either4::C(list) => (0..list.len()).try_for_each(|i| {
                let value = list.get::<HeaderText<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
                self.push_one(name, value)
            }),
            Either4::D(_) => Err(Error::InvalidArgument),
        }
    }

    fn push_wanted(&mut self, name: &[u8], value: HeaderText<'_>) -> Result<(), Error> {
        if (self.wants)(name) { self.push_one(name, value) } else { Ok(()) }
    }

    fn push_one(&mut self, name: &[u8], value: HeaderText<'_>) -> Result<(), Error> {
        let value = match value {
            Either3::A(text) => latin1(&text)?.ok_or(Error::MalformedHeader)?,
            Either3::B(bytes) => bytes.to_vec(),
            Either3::C(_) => return Err(Error::InvalidArgument),
        };
        self.pairs.push((name.to_vec(), value));
        Ok(())
    }

    /// `[[name, value], …]` or a flat `rawHeaders` list `[name, value, …]`.
    fn add_array(&mut self, list: &Array<'_>) -> Result<(), Error> {
        let pairs = list.get::<Either<Array<'_>, Unknown<'_>>>(0).or_invalid()?;
        if let Some(Either::A(_)) = pairs {
            for i in 0..list.len() {
                let pair = list.get::<Array<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
                self.add_pair(&pair)?;
            }
            return Ok(());
        }
        if list.len() % 2 != 0 {
            return Err(Error::InvalidArgument);
        }
        for i in (0..list.len()).step_by(2) {
            let name = list.get::<HeaderText<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
            if let Some(name) = name_bytes(&name)? {
                let value = list.get::<HeaderText<'_>>(i + 1).or_invalid()?.ok_or(Error::InvalidArgument)?;
                self.push_wanted(&name, value)?;
            }
        }
        Ok(())
    }

    fn add_pair(&mut self, pair: &Array<'_>) -> Result<(), Error> {
        if pair.len() != 2 {
            return Err(Error::InvalidArgument);
        }
        let name = pair.get::<HeaderText<'_>>(0).or_invalid()?.ok_or(Error::InvalidArgument)?;
        match name_bytes(&name)? {
            Some(name) => {
                let value = pair.get::<HeaderText<'_>>(1).or_invalid()?.ok_or(Error::InvalidArgument)?;
                self.push_wanted(&name, value)
            }
            None => Ok(()),
        }
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
            let pair = step.get::<Array<'_>>("value").or_invalid()?.ok_or(Error::InvalidArgument)?;
            self.add_pair(&pair)?;
        }
    }

    /// A plain object or Node's `IncomingHttpHeaders`: values are strings,
    /// arrays of strings (each one a value) or `undefined`. The keys are those
    /// `Object.keys` plus `for…in` would give (`napi_get_property_names`); each
    /// is read into a stack buffer for `wants`, and only a wanted key's value is
    /// fetched (by the key itself) and converted.
    fn add_object(&mut self, object: &Object<'_>) -> Result<(), Error> {
        let names = property_names(object)?;
        for i in 0..names.len() {
            let key = names.get::<Unknown<'_>>(i).or_invalid()?.ok_or(Error::InvalidArgument)?;
            if key_wanted(&key, self.wants)? {
                let value = object.get_property_unchecked::<Unknown<'_>, HeaderValue<'_>>(key).or_invalid()?;
                match value {
                    Either4::D(other) if other.get_type().or_invalid()? == ValueType::Undefined => {}
                    value => self.push_values(&key_bytes(&key)?, value)?,
                }
            }
        }
        Ok(())
    }
}

/// Whether `wants` takes a key (a string), by its UTF-8 bytes.
fn key_wanted(key: &Unknown<'_>, wants: &dyn Fn(&[u8]) -> bool) -> Result<bool, Error> {
    let mut buffer = [0_u8; KEY_BUFFER];
    Ok(match utf8_into(key, &mut buffer)? {
        Some(name) => wants(name),
        // Longer than the buffer: no header name is that long, but ask anyway.
        None => wants(&key_bytes(key)?),
    })
}

/// Room for any header name on the stack (names longer than this take the slow path).
const KEY_BUFFER: usize = 128;
/// Room for the usual header value on the stack (a signature list, a timestamp…).
const VALUE_BUFFER: usize = 256;

/// The object's enumerable string-keyed property names, own and inherited
/// (what napi-rs's `Object::keys` reads, without converting every name).
#[allow(unsafe_code)]
fn property_names<'a>(object: &Object<'a>) -> Result<Array<'a>, Error> {
    let env = object.value().env;
    let mut names = std::ptr::null_mut();
    // SAFETY: `env` and the object's handle are the live ones napi-rs handed
    // this call; `names` is a valid out-pointer.
    let status = unsafe { sys::napi_get_property_names(env, object.raw(), &mut names) };
    if status != sys::Status::napi_ok {
        return Err(Error::InvalidArgument);
    }
    // SAFETY: `napi_get_property_names` succeeded, so `names` is an array.
    unsafe { Array::from_napi_value(env, names) }.or_invalid()
}

/// A string's UTF-8 bytes written into `buffer`, or `None` when they might
/// not all fit (V8 stops before a character that would not fit whole).
#[allow(unsafe_code)]
fn utf8_into<'b, const N: usize>(key: &Unknown<'_>, buffer: &'b mut [u8; N]) -> Result<Option<&'b [u8]>, Error> {
    let mut written = 0_usize;
    // SAFETY: `buffer` is writable for `N` bytes, which is the size passed; `written` is a valid out-pointer. A non-string key fails
    // (`napi_string_expected`) without writing.
    let status = unsafe {
        sys::napi_get_value_string_utf8(key.value().env, key.raw(), buffer.as_mut_ptr().cast(), N, &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(Error::InvalidArgument);
    }
    // One byte is the terminating NUL; a character is at most 4 bytes.
    Ok(if written + 4 < N { buffer.get(..written) } else { None })
}

/// A wanted key's bytes (UTF-8, as the core matched it), owned.
fn key_bytes(key: &Unknown<'_>) -> Result<Vec<u8>, Error> {
    let mut buffer = [0_u8; KEY_BUFFER];
    match utf8_into(key, &mut buffer)? {
        Some(name) => Ok(name.to_vec()),
        None => Ok(key.coerce_to_string().or_invalid()?.into_utf8().or_invalid()?.as_slice().to_vec()),
    }
}

/// Headers in any supported shape; told apart by hand (napi-rs's `Either`
/// builds an error message for every variant that does not match).
type HeadersArg<'a> = Unknown<'a>;

fn headers(wants: &dyn Fn(&[u8]) -> bool, value: &HeadersArg<'_>) -> Result<Pairs, Error> {
    let mut headers = Headers { wants, pairs: Vec::with_capacity(4) };
    if value.get_type().or_invalid()? != ValueType::Object {
        return Err(Error::InvalidArgument);
    }
    if value.is_array().or_invalid()? {
        headers.add_array(&Array::from_unknown(value.to_unknown()).or_invalid()?)?;
    } else if value.is_typedarray().or_invalid()? || value.is_arraybuffer().or_invalid()? {
        return Err(Error::InvalidArgument);
    } else {
        let object = Object::from_unknown(value.to_unknown()).or_invalid()?;
        match object.get_c_named_property_unchecked::<Unknown<'_>>(c"entries") {
            Ok(entries) if entries.get_type().or_invalid()? == ValueType::Function => {
                headers.add_entries(&object, &Function::from_unknown(entries).or_invalid()?)?;
            }
            _ => headers.add_object(&object)?,
        }
    }
    Ok(headers.pairs)
}

// ---------------------------------------------------------------- values out

/// A successful verification.
#[napi(object)]
#[derive(Debug)]
pub struct Verified {
    /// The profile's canonical name (`"stripe"`, `"custom"`…).
    pub scheme: String,
    /// Which configured secret matched (0-based, in the order given).
    pub secret_index: u32,
    /// The signed timestamp (Unix seconds), for schemes that have one.
    pub timestamp: Either<i64, Null>,
    /// The delivery id header, if the scheme has one and it was sent.
    pub id: Either<String, Null>,
}

/// What the native `verify`s return: `[scheme, secretIndex, timestamp, id]`,
/// trailing nulls left off, which `hooksig.js` turns into the [`Verified`]
/// object. Array elements cost a fraction of named properties set through
/// N-API (each a string internalised and a map transition on every call); the
/// object literal in JS is allocated from a cached shape.
type VerifiedParts =
    Either3<(&'static str, u32), (&'static str, u32, i64), (&'static str, u32, Either<i64, Null>, String)>;

fn parts(v: hooksig::Verified<'_>) -> VerifiedParts {
    let index = u32::try_from(v.secret_index).unwrap_or(u32::MAX);
    let timestamp = v.timestamp.and_then(|t| i64::try_from(t).ok());
    match (timestamp, v.id) {
        (None, None) => Either3::A((v.scheme, index)),
        (Some(timestamp), None) => Either3::B((v.scheme, index, timestamp)),
        (timestamp, Some(id)) => {
            Either3::C((v.scheme, index, timestamp.map_or(Either::B(Null), Either::A), id.to_owned()))
        }
    }
}

/// What `Verifier#verifyHeaders` returns: the verification packed into one
/// number ([`packed`]), or, when it does not fit, the [`VerifiedParts`]. A
/// number crosses N-API for a fraction of an array holding new strings.
type CompactParts = Either<f64, VerifiedParts>;

/// A verification as one JS number (an integer below 2^53, exact in an
/// `f64`): bits 0–2 the secret index, bits 3–5 which name/value argument pair
/// (1-based; 0: no id) has the id as its whole value, the bits above
/// `timestamp + 1` (0: no timestamp). `hooksig.js` unpacks it, taking the id
/// from the string it passed and `scheme` from the verifier. `None` when it
/// does not fit: an id that is not a whole ASCII value (so not the same string
/// once decoded), a timestamp from 2^47 − 1 on, or a scheme other than the
/// verifier's.
fn packed(v: &hooksig::Verified<'_>, pairs: &[Pair<'_>], scheme: &str) -> Option<f64> {
    const INDEX_BITS: u32 = 3;
    const SLOT_BITS: u32 = 3;
    const LOW_BITS: u32 = INDEX_BITS + SLOT_BITS;
    let index = u64::try_from(v.secret_index).ok().filter(|&i| i < 1 << INDEX_BITS)?;
    let slot = match v.id {
        None => 0,
        Some(id) if id.is_ascii() => {
            let whole = |(_, value): &Pair<'_>| std::ptr::eq(value.as_ptr(), id.as_ptr()) && value.len() == id.len();
            u64::try_from(pairs.iter().position(whole)? + 1).ok()?
        }
        Some(_) => return None,
    };
    let timestamp = match v.timestamp {
        None => 0,
        Some(t) => t.checked_add(1).filter(|&t| t < 1 << (f64::MANTISSA_DIGITS - LOW_BITS))?,
    };
    #[allow(clippy::cast_precision_loss)] // below 2^53 (checked above): exact
    (v.scheme == scheme).then_some(((timestamp << LOW_BITS) | (slot << INDEX_BITS) | index) as f64)
}

/// A header `verifyHeaders` was given: name and value bytes, on the stack when they fit.
type Pair<'b> = (Cow<'b, [u8]>, Cow<'b, [u8]>);

/// The most headers `Verifier#verifyHeaders` takes; `hooksig.js` gives more
/// to `verify`.
const SLOTS: usize = 4;

/// `verifyHeaders`' headers: up to [`SLOTS`] name/value string arguments,
/// names as UTF-8 and values as ByteStrings, each into its own stack buffer
/// when it fits, into `pairs`; returns how many. The first `undefined` name
/// ends the list.
fn pairs_into<'b>(
    args: [(Unknown<'_>, Unknown<'_>); SLOTS],
    names: &'b mut [[u8; KEY_BUFFER]; SLOTS],
    values: &'b mut [[u8; VALUE_BUFFER]; SLOTS],
    pairs: &mut [Pair<'b>; SLOTS],
) -> Result<usize, Error> {
    let mut count = 0;
    for ((((name, value), name_buffer), value_buffer), pair) in args.into_iter().zip(names).zip(values).zip(pairs) {
        if name.get_type().or_invalid()? == ValueType::Undefined {
            break;
        }
        let name = match utf8_into(&name, name_buffer)? {
            Some(bytes) => Cow::Borrowed(bytes),
            None => Cow::Owned(key_bytes(&name)?),
        };
        let value = match latin1_into(&value, value_buffer)? {
            Fits::Yes(bytes) => Cow::Borrowed(bytes),
            Fits::NotLatin1 => return Err(Error::MalformedHeader),
            Fits::TooLong => Cow::Owned(latin1_wide(&value)?.ok_or(Error::MalformedHeader)?),
        };
        *pair = (name, value);
        count += 1;
    }
    Ok(count)
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
    Error::ALL
        .iter()
        .map(|e| ErrorInfo {
            code: e.code().to_owned(),
            http_status: e.http_status().into(),
            message: e.message().to_owned(),
        })
        .collect()
}

/// The signed headers, in sending order, as ByteStrings.
fn header_object<'e>(env: &'e Env, signed: &hooksig::SignedHeaders<'_>) -> Result<Object<'e>, Error> {
    let mut object = Object::new(env).or_invalid()?;
    for header in signed {
        let value: JsString<'_> = env.create_string_latin1(header.value().as_bytes()).or_invalid()?;
        object.set(header.name(), value).or_invalid()?;
    }
    Ok(object)
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

fn build(profile_arg: &Either<String, Unknown<'_>>, options_arg: Option<&Object<'_>>) -> Result<JsVerifier, Error> {
    let profile = profile(profile_arg)?;
    let scheme = profile.name();
    let secrets = secrets(field(options_arg, "secrets")?)?;
    let inner = hooksig::Verifier::new(profile, &secrets)?.with_tolerance(tolerance(&[options_arg])?);
    Ok(JsVerifier { inner, scheme })
}

#[napi]
impl JsVerifier {
    /// `options.secrets`: one secret or up to 8 (tried in order), as the
    /// provider displays them; `tolerance`: seconds either way (default 300,
    /// `null` disables the window); `past`/`future` override one side.
    #[napi(constructor, ts_args_type = "profile: string, options: VerifierOptions")]
    pub fn new(profile: Either<String, Unknown<'_>>, options_arg: OptionsArg<'_>) -> napi::Result<JsVerifier, Code> {
        guard(|| build(&profile, as_options(options_arg)?.as_ref()))
    }

    /// The profile's canonical name, `scheme` of every `Verified` (read once
    /// by `hooksig.js`).
    #[napi(getter, skip_typescript)]
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// Whether the profile reads a header of this name (the core decides;
    /// `hooksig.js` remembers the answers per verifier).
    #[napi(skip_typescript)]
    pub fn wants_header(&self, name: Unknown<'_>) -> napi::Result<bool, Code> {
        guard(|| key_wanted(&name, &|name| self.inner.wants_header(name)))
    }

    /// `verify` for headers `hooksig.js` has already picked from a plain
    /// object: the ones `wantsHeader` takes, as up to four name/value string
    /// pairs after the body and options. One N-API call, no property reads.
    #[napi(skip_typescript)]
    #[allow(clippy::too_many_arguments)] // the pairs as arguments: each a handle napi-rs already has
    pub fn verify_headers(
        &self,
        body: Unknown<'_>,
        options_arg: OptionsArg<'_>,
        n0: Unknown<'_>,
        v0: Unknown<'_>,
        n1: Unknown<'_>,
        v1: Unknown<'_>,
        n2: Unknown<'_>,
        v2: Unknown<'_>,
        n3: Unknown<'_>,
        v3: Unknown<'_>,
    ) -> napi::Result<CompactParts, Code> {
        guard(|| {
            let options = as_options(options_arg)?;
            let now = now(options.as_ref())?;
            let (mut names, mut values) = ([[0_u8; KEY_BUFFER]; SLOTS], [[0_u8; VALUE_BUFFER]; SLOTS]);
            let mut pairs = <[Pair<'_>; SLOTS]>::default();
            let count = pairs_into([(n0, v0), (n1, v1), (n2, v2), (n3, v3)], &mut names, &mut values, &mut pairs)?;
            let headers = pairs.get(..count).unwrap_or_default();
            let body = bytes_last(body)?;
            let verified = self.inner.verify(headers, body.as_ref(), now)?;
            Ok(packed(&verified, headers, self.scheme).map_or_else(|| Either::B(parts(verified)), Either::A))
        })
    }

    /// Verifies a webhook delivery: the headers as received and the raw body.
    /// `options.now` is Unix seconds (default: the system clock).
    #[napi(
        ts_args_type = "headers: HeadersInput, body: BodyInput, options?: VerifyOptions",
        ts_return_type = "Verified"
    )]
    pub fn verify(
        &self,
        headers: HeadersArg<'_>,
        body: Unknown<'_>,
        options_arg: OptionsArg<'_>,
    ) -> napi::Result<VerifiedParts, Code> {
        guard(|| {
            let options = as_options(options_arg)?;
            let now = now(options.as_ref())?;
            let wanted = self.inner.wanted_headers();
            let headers = self::headers(&|name| wanted.contains(name), &headers)?;
            let body = bytes_last(body)?;
            Ok(parts(self.inner.verify(&headers, body.as_ref(), now)?))
        })
    }

    /// Verifies a signed request (UnknownPay S2S): also the request's method
    /// and path with query, exactly as sent.
    #[napi(
        ts_args_type = "headers: HeadersInput, body: BodyInput, options: VerifyRequestOptions",
        ts_return_type = "Verified"
    )]
    pub fn verify_request(
        &self,
        headers: HeadersArg<'_>,
        body: Unknown<'_>,
        options_arg: OptionsArg<'_>,
    ) -> napi::Result<VerifiedParts, Code> {
        guard(|| {
            let options = as_options(options_arg)?;
            let o = options.as_ref();
            let method = text(field(o, "method")?)?.ok_or(Error::InvalidArgument)?;
            let path_and_query = text(field(o, "pathAndQuery")?)?.ok_or(Error::InvalidArgument)?;
            let now = now(o)?;
            let wanted = self.inner.wanted_headers();
            let headers = self::headers(&|name| wanted.contains(name), &headers)?;
            let body = bytes_last(body)?;
            Ok(parts(self.inner.verify_request(&headers, body.as_ref(), &method, &path_and_query, now)?))
        })
    }
}

type SecretsOrOptions<'a> = Either5<Array<'a>, Uint8ArraySlice<'a>, String, Object<'a>, Unknown<'a>>;

/// The one-shot functions' second argument: the secret(s), or a
/// `VerifierOptions` object, returned too for its tolerance fields.
fn secrets_or_options(value: SecretsOrOptions<'_>) -> Result<(Vec<Vec<u8>>, Option<Object<'_>>), Error> {
    match value {
        Either5::A(list) => Ok((secret_list(&list)?, None)),
        Either5::B(array) => Ok((vec![array.to_vec()], None)),
        Either5::C(text) => Ok((vec![text.into_bytes()], None)),
        Either5::D(object) if object.is_arraybuffer().or_invalid()? => {
            Ok((vec![array_buffer(object.to_unknown())?.to_vec()], None))
        }
        Either5::D(object) => Ok((secrets(field(Some(&object), "secrets")?)?, Some(object))),
        Either5::E(_) => Err(Error::InvalidArgument),
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
    secrets_or_options: SecretsOrOptions<'_>,
    headers: HeadersArg<'_>,
    body: Unknown<'_>,
    options_arg: OptionsArg<'_>,
) -> napi::Result<VerifiedParts, Code> {
    guard(|| {
        let profile = self::profile(&profile)?;
        let (secrets, verifier_options) = self::secrets_or_options(secrets_or_options)?;
        let verifier =
            hooksig::Verifier::new(profile, &secrets)?.with_tolerance(tolerance(&[verifier_options.as_ref()])?);
        let now = now(as_options(options_arg)?.as_ref())?;
        let wanted = verifier.wanted_headers();
        let headers = self::headers(&|name| wanted.contains(name), &headers)?;
        let body = bytes_last(body)?;
        Ok(parts(verifier.verify(&headers, body.as_ref(), now)?))
    })
}

/// Signs a webhook delivery the way `profile`'s provider does: the headers
/// to send, in order. `timestamp` (Unix seconds) is required by schemes that
/// carry one; `id` becomes the delivery-id header.
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
        let id = text(field(o, "id")?)?;
        let signed = hooksig::sign(
            &profile,
            bytes_last(secret)?.as_ref(),
            bytes_last(body)?.as_ref(),
            timestamp,
            id.as_deref(),
        )?;
        header_object(env, &signed)
    })
}

/// Signs a server-to-server request the way UnknownPay's API expects.
#[napi(
    ts_args_type = "secret: Secret, method: string, pathAndQuery: string, body: BodyInput, options: SignRequestOptions",
    ts_return_type = "Record<string, string>"
)]
pub fn sign_request<'e>(
    env: &'e Env,
    secret: Unknown<'_>,
    method: Either<String, Unknown<'_>>,
    path_and_query: Either<String, Unknown<'_>>,
    body: Unknown<'_>,
    options_arg: OptionsArg<'_>,
) -> napi::Result<Object<'e>, Code> {
    guard(|| {
        let options = as_options(options_arg)?;
        let o = options.as_ref();
        let method = text(Some(method))?.ok_or(Error::InvalidArgument)?;
        let path_and_query = text(Some(path_and_query))?.ok_or(Error::InvalidArgument)?;
        let timestamp = whole(field(o, "timestamp")?)?.ok_or(Error::InvalidArgument)?;
        let key_id = text(field(o, "keyId")?)?;
        let signed = hooksig::sign_request(
            bytes_last(secret)?.as_ref(),
            &method,
            &path_and_query,
            bytes_last(body)?.as_ref(),
            timestamp,
            key_id.as_deref(),
        )?;
        header_object(env, &signed)
    })
}

/// One cause `explain` found.
#[napi(object)]
#[derive(Debug)]
pub struct Finding {
    /// The stable code, e.g. `"SECRET_WHITESPACE"`.
    #[napi(ts_type = "FindingCode")]
    pub code: String,
    /// One line of plain English.
    pub message: String,
    /// The finding's data, named as in the CLI's `--json` (`secret_index`,
    /// `key`, `profile`, `form`, `to`, `seconds`, `header`, `found`,
    /// `expected`), keys in sorted order.
    #[napi(ts_type = "Record<string, string | number>")]
    pub fields: BTreeMap<String, Either<String, i64>>,
}

/// What `explain` found: the verdict `verify` gives and every cause found.
#[napi(object)]
#[derive(Debug)]
pub struct Explanation {
    /// `"OK"`, or the code `verify` fails with on these exact inputs.
    #[napi(ts_type = "'OK' | ErrorCode")]
    pub verdict: String,
    /// The secret that matched, when the verdict is `"OK"`.
    pub secret_index: Either<u32, Null>,
    /// The causes found, in the core's order; empty when the delivery verifies
    /// or nothing known explains the failure (a wrong secret, a forgery).
    pub findings: Vec<Finding>,
}

impl From<&hooksig::Finding> for Finding {
    fn from(finding: &hooksig::Finding) -> Finding {
        let fields = finding.fields().into_iter().map(|(name, value)| {
            let value = match value {
                FieldValue::Text(text) => Either::A(text),
                FieldValue::Integer(n) => Either::B(n),
            };
            (name.to_owned(), value)
        });
        Finding { code: finding.code().to_owned(), message: finding.to_string(), fields: fields.collect() }
    }
}

impl From<&hooksig::Explanation> for Explanation {
    fn from(e: &hooksig::Explanation) -> Explanation {
        Explanation {
            verdict: e.verdict_code().to_owned(),
            secret_index: e.verdict.ok().and_then(|i| u32::try_from(i).ok()).map_or(Either::B(Null), Either::A),
            findings: e.findings.iter().map(Finding::from).collect(),
        }
    }
}

/// A verdict with nothing tried: inputs the core could not even take.
fn verdict_only(error: Error) -> Explanation {
    Explanation { verdict: error.code().to_owned(), secret_index: Either::B(Null), findings: Vec::new() }
}

/// Why a delivery fails to verify: `verify` with these exact inputs (the same
/// as the one-shot `verify`'s), then, if it fails, the known mistakes that
/// make it pass. A failed verification is the verdict, never a throw; only
/// wrong argument types throw (`INVALID_ARGUMENT`). `options.method` and
/// `options.pathAndQuery` (both or neither) explain a signed request
/// (UnknownPay S2S); `tolerance`, `past` and `future` there override the
/// second argument's.
#[napi(ts_args_type = "profile: string, secretsOrOptions: Secrets | VerifierOptions, headers: HeadersInput, \
                     body: BodyInput, options?: ExplainOptions")]
pub fn explain(
    profile: Either<String, Unknown<'_>>,
    secrets_or_options: SecretsOrOptions<'_>,
    headers: HeadersArg<'_>,
    body: Unknown<'_>,
    options_arg: OptionsArg<'_>,
) -> napi::Result<Explanation, Code> {
    guard(|| {
        let options = as_options(options_arg)?;
        let o = options.as_ref();
        let (secrets, verifier_options) = self::secrets_or_options(secrets_or_options)?;
        let tolerance = tolerance(&[o, verifier_options.as_ref()])?;
        let method = text(field(o, "method")?)?;
        let path_and_query = text(field(o, "pathAndQuery")?)?;
        let request = match (&method, &path_and_query) {
            (Some(method), Some(path)) => Some((method.as_str(), path.as_str())),
            (None, None) => None,
            _ => return Err(Error::InvalidArgument),
        };
        let now = now(o)?;
        let profile = match &profile {
            Either::A(name) => Profile::parse(name),
            Either::B(_) => return Err(Error::InvalidArgument),
        };
        // Every header: the causes include misnamed headers and other profiles'.
        let headers = match self::headers(&|_| true, &headers) {
            Err(Error::InvalidArgument) => return Err(Error::InvalidArgument),
            other => other,
        };
        let body = bytes_last(body)?;
        let (profile, headers) = match (profile, headers) {
            (Ok(profile), Ok(headers)) => (profile, headers),
            (Err(error), _) | (_, Err(error)) => return Ok(verdict_only(error)),
        };
        let explanation = hooksig::explain(&profile, &secrets, tolerance, &headers, body.as_ref(), request, now);
        Ok(Explanation::from(&explanation))
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
