//! `hooksig._hooksig`: the compiled half of the Python package `hooksig`.
//!
//! This crate only converts: Python objects in, one call into the core
//! (`hooksig`), the core's `Error` out as `hooksig.VerificationError` with the
//! same `.code`. Every argument is taken as a plain object and converted here,
//! so a wrong type, a negative or huge integer or an unknown keyword is
//! `INVALID_ARGUMENT` too, never a bare `TypeError`/`OverflowError`. Window
//! options go to the core as they were given (`Tolerance::from_args`), the
//! request line as its two optional parts (`RequestLine::from_parts`).
//!
//! Secrets and headers are not copied: the `str`/`bytes` objects are held and
//! their bytes lent to the core (both are immutable, so this holds with the GIL
//! released too). Bodies (`bytes`, `str`, or any C-contiguous byte buffer) are
//! read in place. The GIL is released while the core hashes a body of
//! [`GIL_MINSIZE`] bytes or more, but only over memory no Python code can
//! change: `bytes`, `str` (its UTF-8 form) and a `memoryview` of `bytes`. A
//! large mutable buffer (`bytearray`, a `memoryview` of one, `array`…) is copied
//! first, so another thread writing to it can never race with the hash; a small
//! one is read in place with the GIL held.
//!
//! `explain` returns the core's one serialisation, `Explanation::to_json()`;
//! the package's `__init__.py` reads it into frozen `Explanation`/`Finding`s.

use std::time::{SystemTime, UNIX_EPOCH};

use hooksig::{Error, Profile, RequestLine, SignOptions, Tolerance, Verifier, WindowArg};
use pyo3::buffer::PyBuffer;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple};

/// Bodies at least this long are hashed with the GIL released (4 KiB; CPython's
/// `hashlib` uses 2 KiB, and a webhook MAC is a little more work than one hash).
const GIL_MINSIZE: usize = 4 * 1024;

create_exception!(
    hooksig,
    VerificationError,
    PyValueError,
    "A webhook failed verification, or an argument was unusable. `.code` is the stable code \
     (e.g. \"SIGNATURE_MISMATCH\"), `.http_status` the HTTP answer the core suggests."
);

/// The core's error as a `VerificationError` carrying `.code` and `.http_status`.
fn raise(py: Python<'_>, error: Error) -> PyErr {
    let err = VerificationError::new_err(format!("{}: {}", error.code(), error.message()));
    let value = err.value(py);
    // Setting an attribute on a fresh exception instance cannot fail.
    let _ = value.setattr("code", error.code());
    let _ = value.setattr("http_status", error.http_status());
    err
}

/// `INVALID_ARGUMENT`, with the conversion failure (if any) as `__cause__`.
fn invalid(py: Python<'_>, cause: Option<PyErr>) -> PyErr {
    let err = raise(py, Error::InvalidArgument);
    err.set_cause(py, cause);
    err
}

trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| raise(py, error))
    }
}

trait OrInvalid<T> {
    fn or_invalid(self, py: Python<'_>) -> PyResult<T>;
}

impl<T, E: Into<PyErr>> OrInvalid<T> for Result<T, E> {
    fn or_invalid(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|cause| invalid(py, Some(cause.into())))
    }
}

// ---- argument conversion ----------------------------------------------------

/// A keyword argument: `None` = not given; `Some(obj)` may hold Python `None`.
type Arg<'py> = Option<Bound<'py, PyAny>>;
/// A header's `(name, value)` objects, held.
type Pair<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>);

/// The keyword-only options of a call, taken from `**kwargs` so that an unknown
/// keyword is `INVALID_ARGUMENT` as well.
fn options<'py, const N: usize>(
    py: Python<'py>,
    kwargs: Option<&Bound<'py, PyDict>>,
    names: [&str; N],
) -> PyResult<[Arg<'py>; N]> {
    let mut slots: [Arg<'py>; N] = core::array::from_fn(|_| None);
    for (key, value) in kwargs.into_iter().flat_map(PyDictMethods::iter) {
        let key = key.cast::<PyString>().or_invalid(py)?.to_str().or_invalid(py)?;
        let slot = slots.iter_mut().zip(names).find(|(_, name)| *name == key).map(|(slot, _)| slot);
        *slot.ok_or_else(|| invalid(py, None))? = Some(value);
    }
    Ok(slots)
}

/// A non-negative integer that fits `u64` (`bool` is refused).
fn uint(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    let py = obj.py();
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(invalid(py, None));
    }
    obj.extract::<u64>().or_invalid(py)
}

fn text<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    obj.cast::<PyString>().or_invalid(obj.py())?.to_str().or_invalid(obj.py())
}

/// An optional argument: absent or `None` is `None`.
fn opt<'a, 'py, T>(arg: &'a Arg<'py>, f: impl FnOnce(&'a Bound<'py, PyAny>) -> PyResult<T>) -> PyResult<Option<T>> {
    arg.as_ref().filter(|obj| !obj.is_none()).map(f).transpose()
}

/// A `str` (as UTF-8) or `bytes`: header names and values, secrets.
fn bytes_of<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<&'a [u8]> {
    match obj.cast::<PyBytes>() {
        Ok(bytes) => Ok(bytes.as_bytes()),
        Err(_) => text(obj).map(str::as_bytes),
    }
}

fn profile(obj: &Bound<'_, PyAny>) -> PyResult<Profile> {
    Profile::parse(text(obj)?).or_raise(obj.py())
}

/// Unix seconds: the given `now`, or the system clock when absent or `None`.
fn now_or_clock(now: &Arg<'_>) -> PyResult<u64> {
    let clock = || SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs());
    Ok(opt(now, uint)?.unwrap_or_else(clock))
}

/// The optional `method` and `path_and_query`, checked by the core.
fn request_line<'a>(py: Python<'_>, method: &'a Arg<'_>, path: &'a Arg<'_>) -> PyResult<Option<RequestLine<'a>>> {
    RequestLine::from_parts(opt(method, text)?, opt(path, text)?).or_raise(py)
}

/// One secret (`str`/`bytes`) or an iterable of them, held (never copied). At
/// most one more than the core accepts is collected, so the core reports the count.
fn secrets<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let py = obj.py();
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Ok(vec![obj.clone()]);
    }
    obj.try_iter().or_invalid(py)?.take(hooksig::MAX_SECRETS + 1).map(|s| s.or_invalid(py)).collect()
}

/// A window option as the caller wrote it; the core decides what it means.
fn window_arg(arg: &Arg<'_>) -> WindowArg {
    match arg {
        None => WindowArg::Absent,
        Some(obj) if obj.is_none() => WindowArg::Null,
        Some(obj) if obj.is_instance_of::<PyBool>() => WindowArg::Invalid,
        Some(obj) if obj.is_instance_of::<PyInt>() => obj.extract().map_or(WindowArg::Invalid, WindowArg::Int),
        Some(obj) => obj.cast::<PyFloat>().map_or(WindowArg::Invalid, |x| WindowArg::Float(x.value())),
    }
}

/// `tolerance`, `past`, `future`, mapped by the core.
fn tolerance(py: Python<'_>, window: &[Arg<'_>; 3]) -> PyResult<Tolerance> {
    let [tolerance, past, future] = window.each_ref().map(window_arg);
    Tolerance::from_args(tolerance, past, future).or_raise(py)
}

fn build(profile_obj: &Bound<'_, PyAny>, secrets_obj: &Bound<'_, PyAny>, window: &[Arg<'_>; 3]) -> PyResult<Verifier> {
    let py = profile_obj.py();
    let profile = profile(profile_obj)?;
    let held = secrets(secrets_obj)?;
    let secrets = held.iter().map(bytes_of).collect::<PyResult<Vec<_>>>()?;
    let tolerance = tolerance(py, window)?;
    Verifier::new(profile, &secrets).map(|v| v.with_tolerance(tolerance)).or_raise(py)
}

/// The `(name, value)` objects of any header shape `each_header` takes for
/// which `keep(name, value)` holds, each held by one strong reference: nothing
/// is copied, `borrowed` lends their bytes to the core.
fn held_headers<'py>(
    headers: &Bound<'py, PyAny>,
    keep: impl Fn(&[u8], &Bound<'py, PyAny>) -> bool,
) -> PyResult<Vec<Pair<'py>>> {
    let mut held = Vec::new();
    each_header(headers, |name, value| {
        if keep(bytes_of(name)?, value) {
            held.push((name.clone(), value.clone()));
        }
        Ok(())
    })?;
    Ok(held)
}

/// The bytes of `held` headers, borrowed. They stay valid with the GIL
/// released: `held` keeps each object alive, and neither `str` (whose UTF-8
/// form is cached in the object) nor `bytes` can change.
fn borrowed<'a>(held: &'a [Pair<'_>]) -> PyResult<Vec<(&'a [u8], &'a [u8])>> {
    held.iter().map(|(name, value)| Ok((bytes_of(name)?, bytes_of(value)?))).collect()
}

/// Calls `f` on each `(name, value)` of any header shape: a `dict` (WSGI
/// environ, Django `META`), anything with `.items()` (any `Mapping`,
/// Django/Starlette/Werkzeug headers), or an iterable of `(name, value)` pairs.
fn each_header<'py, F>(headers: &Bound<'py, PyAny>, mut f: F) -> PyResult<()>
where
    F: FnMut(&Bound<'py, PyAny>, &Bound<'py, PyAny>) -> PyResult<()>,
{
    let py = headers.py();
    if let Ok(dict) = headers.cast_exact::<PyDict>() {
        for (name, value) in dict.iter() {
            f(&name, &value)?;
        }
        return Ok(());
    }
    let text_like = headers.is_instance_of::<PyString>()
        || headers.is_instance_of::<PyBytes>()
        || headers.is_instance_of::<PyByteArray>();
    if text_like {
        return Err(invalid(py, None));
    }
    let pairs = match headers.getattr_opt("items").or_invalid(py)? {
        Some(items) => items.call0().or_invalid(py)?,
        None => headers.clone(),
    };
    for pair in pairs.try_iter().or_invalid(py)? {
        let (name, value) = two(&pair.or_invalid(py)?)?;
        f(&name, &value)?;
    }
    Ok(())
}

/// A `(name, value)` tuple or a `[name, value]` list.
fn two<'py>(pair: &Bound<'py, PyAny>) -> PyResult<Pair<'py>> {
    let py = pair.py();
    if let Ok(list) = pair.cast::<PyList>()
        && list.len() == 2
    {
        return Ok((list.get_item(0)?, list.get_item(1)?));
    }
    match pair.cast::<PyTuple>() {
        Ok(tuple) if tuple.len() == 2 => Ok((tuple.get_item(0)?, tuple.get_item(1)?)),
        _ => Err(invalid(py, None)),
    }
}

// ---- bodies -----------------------------------------------------------------

/// Runs `f` over the body's bytes, without copying them where possible and
/// with the GIL released for large bodies (see the module docs).
fn with_body<T, F>(body: &Bound<'_, PyAny>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&[u8]) -> T + Send,
{
    let py = body.py();
    if let Ok(bytes) = body.cast::<PyBytes>() {
        return Ok(run(py, bytes.as_bytes(), true, f));
    }
    if body.is_instance_of::<PyString>() {
        return Ok(run(py, text(body)?.as_bytes(), true, f));
    }
    let buffer = PyBuffer::<u8>::get(body).or_invalid(py)?;
    if !buffer.is_c_contiguous() {
        return Err(invalid(py, None));
    }
    let frozen = body.is_instance_of::<PyMemoryView>()
        && body.getattr("obj").is_ok_and(|exporter| exporter.is_instance_of::<PyBytes>());
    Ok(run(py, buffer_bytes(&buffer), frozen, f))
}

/// The bytes of a C-contiguous `u8` buffer, in place.
#[allow(unsafe_code)]
fn buffer_bytes(buffer: &PyBuffer<u8>) -> &[u8] {
    let len = buffer.len_bytes();
    if len == 0 {
        return &[];
    }
    // SAFETY: `buffer` is a live buffer export (PyBUF_FULL_RO) of `len` bytes
    // that `with_body` checked to be C-contiguous with `u8` items, so
    // `buf_ptr()` points at `len` initialised bytes, non-null as `len > 0`. The
    // export pins the memory (a `bytearray` cannot resize while exported) for
    // as long as `buffer`, which the returned slice borrows, lives. The slice
    // is read only while the GIL is held (so no Python code can write to it),
    // or, when `run` releases the GIL, only if the exporter is immutable
    // `bytes`; a mutable buffer is copied before the GIL is released.
    unsafe { core::slice::from_raw_parts(buffer.buf_ptr().cast::<u8>(), len) }
}

fn run<T, F>(py: Python<'_>, bytes: &[u8], frozen: bool, f: F) -> T
where
    T: Send,
    F: FnOnce(&[u8]) -> T + Send,
{
    if bytes.len() < GIL_MINSIZE {
        f(bytes)
    } else if frozen {
        py.detach(|| f(bytes))
    } else {
        let copy = bytes.to_vec();
        py.detach(|| f(&copy))
    }
}

// ---- the Python API ---------------------------------------------------------

/// A successful verification: `scheme`, `secret_index` (which secret matched,
/// 0-based), `timestamp` (or `None`), `id` (the delivery id, or `None`),
/// `replay_key` (the core's `ReplayKey`, 64 lowercase hex) and `id_signed`
/// (whether the MAC covers `id`).
#[pyclass(module = "hooksig", name = "Verified", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
struct PyVerified {
    #[pyo3(get)]
    scheme: &'static str,
    #[pyo3(get)]
    secret_index: usize,
    #[pyo3(get)]
    timestamp: Option<u64>,
    #[pyo3(get)]
    id: Option<String>,
    #[pyo3(get)]
    replay_key: String,
    #[pyo3(get)]
    id_signed: bool,
}

impl From<hooksig::Verified<'_>> for PyVerified {
    fn from(v: hooksig::Verified<'_>) -> Self {
        PyVerified {
            scheme: v.scheme,
            secret_index: v.secret_index,
            timestamp: v.timestamp,
            id: v.id.map(str::to_owned),
            replay_key: v.replay_key.to_hex().iter().copied().map(char::from).collect(),
            id_signed: v.id_signed,
        }
    }
}

#[pymethods]
impl PyVerified {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let id = self.id.as_deref().into_pyobject(py)?.repr()?;
        let timestamp = self.timestamp.map_or_else(|| "None".to_owned(), |t| t.to_string());
        Ok(format!(
            "Verified(scheme='{}', secret_index={}, timestamp={timestamp}, id={id}, replay_key='{}', id_signed={})",
            self.scheme,
            self.secret_index,
            self.replay_key,
            if self.id_signed { "True" } else { "False" }
        ))
    }
}

/// A profile with its secrets keyed once; share one per endpoint, across threads.
/// `tolerance` absent is the default window, `None` disables it; `past`/`future`
/// override one side.
#[pyclass(module = "hooksig", name = "Verifier", frozen)]
struct PyVerifier {
    inner: Verifier,
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (profile, secrets, **kwargs), text_signature = "(profile, secrets, *, tolerance=..., past=None, future=None)")]
    fn new(
        profile: &Bound<'_, PyAny>,
        secrets: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let window = options(profile.py(), kwargs, ["tolerance", "past", "future"])?;
        Ok(PyVerifier { inner: build(profile, secrets, &window)? })
    }

    /// Verifies a delivery of any profile; raises `VerificationError` on any
    /// failure. `method` and `path_and_query` (both or neither) are the request
    /// line: UnknownPay S2S requires it, the other profiles ignore it.
    #[pyo3(signature = (headers, body, **kwargs), text_signature = "($self, headers, body, *, method=None, path_and_query=None, now=None)")]
    fn verify(
        &self,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyVerified> {
        let request = options(headers.py(), kwargs, ["method", "path_and_query", "now"])?;
        verify_with(&self.inner, headers, body, &request)
    }

    /// Seconds a replay claim for a delivery this verifier accepted must last
    /// (the core's `Verifier::replay_ttl`): `past + future` for a timestamped
    /// profile with a window, else `retention` (`None`: 7 days).
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self, retention=None)")]
    fn replay_ttl(&self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<u64> {
        let py = args.py();
        let [mut retention] = options(py, kwargs, ["retention"])?;
        match (args.len(), &retention) {
            (0, _) => {}
            (1, None) => retention = Some(args.get_item(0)?),
            _ => return Err(invalid(py, None)),
        }
        let retention = opt(&retention, uint)?;
        Ok(self.inner.replay_ttl(retention))
    }

    fn __repr__(&self) -> String {
        format!("<hooksig.Verifier profile='{}'>", self.inner.profile())
    }
}

/// The one verify path: `Verifier::verify_request` with the request line (if any).
fn verify_with(
    verifier: &Verifier,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    [method, path, now]: &[Arg<'_>; 3],
) -> PyResult<PyVerified> {
    let py = headers.py();
    let request = request_line(py, method, path)?;
    let now = now_or_clock(now)?;
    let wants = verifier.wanted_headers();
    let held = held_headers(headers, |name, _| wants.contains(name))?;
    let headers = borrowed(&held)?;
    let verified = with_body(body, |body| verifier.verify_request(&headers, body, request, now).map(PyVerified::from))?;
    verified.or_raise(py)
}

/// One-shot verification (prefer a long-lived `Verifier` in a server).
#[pyfunction]
#[pyo3(signature = (profile, secrets, headers, body, **kwargs), text_signature = "(profile, secrets, headers, body, *, now=None, tolerance=..., past=None, future=None, method=None, path_and_query=None)")]
fn verify(
    profile: &Bound<'_, PyAny>,
    secrets: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyVerified> {
    let names = ["tolerance", "past", "future", "method", "path_and_query", "now"];
    let [tol, past, future, method, path, now] = options(profile.py(), kwargs, names)?;
    let verifier = build(profile, secrets, &[tol, past, future])?;
    verify_with(&verifier, headers, body, &[method, path, now])
}

/// The headers `profile`'s provider would send with `body` (for UnknownPay S2S,
/// with the request line `method` + `path_and_query`), in order.
#[pyfunction]
#[pyo3(signature = (profile, secret, body, **kwargs), text_signature = "(profile, secret, body, *, timestamp=None, id=None, method=None, path_and_query=None, key_id=None)")]
fn sign<'py>(
    profile: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = profile.py();
    let names = ["timestamp", "id", "method", "path_and_query", "key_id"];
    let [timestamp, id, method, path, key_id] = options(py, kwargs, names)?;
    let profile = self::profile(profile)?;
    let secret = bytes_of(secret)?;
    let options = SignOptions {
        timestamp: opt(&timestamp, uint)?,
        id: opt(&id, text)?,
        request: request_line(py, &method, &path)?,
        key_id: opt(&key_id, text)?,
    };
    let signed = with_body(body, |body| hooksig::sign(&profile, secret, body, options))?.or_raise(py)?;
    let dict = PyDict::new(py);
    for header in signed.iter() {
        dict.set_item(header.name(), header.value())?;
    }
    Ok(dict)
}

/// `hooksig.explain`'s compiled half: `Explanation::to_json()`. Every header is
/// passed (a misspelt name or another provider's header is a finding); a value
/// that is not `str`/`bytes` is `INVALID_ARGUMENT` under a name the profile
/// reads, as in `verify`, and skipped otherwise (a WSGI environ holds
/// `wsgi.input`…); with no usable verifier (the secrets are the verdict) such
/// values are all skipped.
#[pyfunction]
#[pyo3(signature = (profile, secrets, headers, body, **kwargs))]
fn explain_json(
    profile: &Bound<'_, PyAny>,
    secrets: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let py = profile.py();
    let names = ["tolerance", "past", "future", "method", "path_and_query", "now"];
    let [tol, past, future, method, path, now] = options(py, kwargs, names)?;
    let profile = self::profile(profile)?;
    let held_secrets = self::secrets(secrets)?;
    let secrets = held_secrets.iter().map(bytes_of).collect::<PyResult<Vec<_>>>()?;
    let tolerance = tolerance(py, &[tol, past, future])?;
    let request = request_line(py, &method, &path)?;
    let now = now_or_clock(&now)?;
    let verifier = Verifier::new(profile, &secrets).ok();
    let wants = verifier.as_ref().map(Verifier::wanted_headers);
    let wanted = |name: &[u8]| wants.as_ref().is_some_and(|w| w.contains(name));
    let held = held_headers(headers, |name, value| wanted(name) || bytes_of(value).is_ok())?;
    let headers = borrowed(&held)?;
    with_body(body, |body| hooksig::explain(&profile, &secrets, tolerance, &headers, body, request, now).to_json())
}

/// The binding's error for a core code (`hooksig.replay`'s stores raise the
/// core's `DUPLICATE_DELIVERY` and `REPLAY_STORE_UNAVAILABLE` through it, so
/// that message and HTTP status come from the core). An unknown code is `INTERNAL`.
#[pyfunction]
fn error(py: Python<'_>, code: &str) -> Py<PyAny> {
    let error = Error::from_code(code).unwrap_or(Error::Internal);
    raise(py, error).into_value(py).into_any()
}

/// The compiled module; `hooksig/__init__.py` re-exports it. It keeps pyo3's
/// default `gil_used = true` (a free-threaded interpreter re-enables the GIL
/// for it): small mutable buffers are read in place under the GIL.
#[pymodule]
fn _hooksig(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("REPLAY_STORE_PREFIX", hooksig::REPLAY_STORE_PREFIX)?;
    m.add("DEFAULT_STORE_CAPACITY", hooksig::DEFAULT_STORE_CAPACITY)?;
    m.add("DEFAULT_RETENTION", hooksig::DEFAULT_RETENTION)?;
    m.add("MAX_REPLAY_TTL", hooksig::MAX_REPLAY_TTL)?;
    m.add("DEFAULT_BODY_LIMIT", hooksig::DEFAULT_BODY_LIMIT)?;
    m.add("VerificationError", m.py().get_type::<VerificationError>())?;
    m.add_class::<PyVerifier>()?;
    m.add_class::<PyVerified>()?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(explain_json, m)?)?;
    m.add_function(wrap_pyfunction!(error, m)?)?;
    Ok(())
}
