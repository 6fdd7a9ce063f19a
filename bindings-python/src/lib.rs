//! `hooksig._hooksig`: the compiled half of the Python package `hooksig`.
//!
//! This crate only converts: Python objects in, one call into the core
//! (`hooksig`), the core's `Error` out as `hooksig.VerificationError` with the
//! same `.code`. Every argument is taken as a plain object and converted here,
//! so a wrong type, a negative or huge integer or an unknown keyword is
//! `INVALID_ARGUMENT` too, never a bare `TypeError`/`OverflowError`.
//!
//! Bodies (`bytes`, `str`, or any C-contiguous byte buffer) are read in place.
//! The GIL is released while the core hashes a body of [`GIL_MINSIZE`] bytes or
//! more, but only over memory no Python code can change: `bytes`, `str` (its
//! UTF-8 form) and a `memoryview` of `bytes`. A large mutable buffer
//! (`bytearray`, a `memoryview` of one, `array`…) is copied first, so another
//! thread writing to it can never race with the hash; a small one is read in
//! place with the GIL held.
//!
//! `explain` is the core's `explain` the same way: every header (not only the
//! profile's), the verdict and findings copied into frozen `Explanation` and
//! `Finding` objects.

use std::time::{SystemTime, UNIX_EPOCH};

use hooksig::{Error, Explanation, FieldValue, Finding, Profile, SignedHeaders, Tolerance, Verifier};
use pyo3::buffer::PyBuffer;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyList, PyMemoryView, PyString, PyTuple};

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

/// The keyword-only options of a call, taken from `**kwargs` so that an unknown
/// keyword is `INVALID_ARGUMENT` as well. `None` = not given; `Some(obj)` may
/// hold Python `None`.
fn options<'py, const N: usize>(
    py: Python<'py>,
    kwargs: Option<&Bound<'py, PyDict>>,
    names: [&str; N],
) -> PyResult<[Option<Bound<'py, PyAny>>; N]> {
    let mut slots: [Option<Bound<'py, PyAny>>; N] = std::array::from_fn(|_| None);
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

/// An optional `uint`: absent or `None` is `None`.
fn opt_uint(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u64>> {
    obj.filter(|obj| !obj.is_none()).map(uint).transpose()
}

fn text<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    obj.cast::<PyString>().or_invalid(obj.py())?.to_str().or_invalid(obj.py())
}

fn opt_text<'a>(obj: Option<&'a Bound<'_, PyAny>>) -> PyResult<Option<&'a str>> {
    obj.filter(|obj| !obj.is_none()).map(text).transpose()
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
fn now_or_clock(now: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    match now.filter(|now| !now.is_none()) {
        Some(now) => uint(now),
        None => Ok(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())),
    }
}

/// One secret (`str`/`bytes`) or an iterable of them. At most one more than
/// the core accepts is collected, so the core reports the count.
fn secrets(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<u8>>> {
    let py = obj.py();
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Ok(vec![bytes_of(obj)?.to_vec()]);
    }
    obj.try_iter()
        .or_invalid(py)?
        .take(hooksig::MAX_SECRETS + 1)
        .map(|secret| bytes_of(&secret.or_invalid(py)?).map(<[u8]>::to_vec))
        .collect()
}

/// The window options, mapped by the core (`tolerance` absent = the default).
fn tolerance(
    tolerance: Option<&Bound<'_, PyAny>>,
    past: Option<&Bound<'_, PyAny>>,
    future: Option<&Bound<'_, PyAny>>,
    py: Python<'_>,
) -> PyResult<Tolerance> {
    let seconds = match tolerance {
        None => match Tolerance::DEFAULT {
            Tolerance::Window { past, .. } => Some(past),
            Tolerance::Disabled => None,
        },
        Some(given) => opt_uint(Some(given))?,
    };
    Tolerance::from_options(seconds, opt_uint(past)?, opt_uint(future)?).or_raise(py)
}

fn build(
    profile_obj: &Bound<'_, PyAny>,
    secrets_obj: &Bound<'_, PyAny>,
    window: [Option<Bound<'_, PyAny>>; 3],
) -> PyResult<Verifier> {
    let py = profile_obj.py();
    let profile = profile(profile_obj)?;
    let secrets = secrets(secrets_obj)?;
    let [tol, past, future] = window;
    let tolerance = tolerance(tol.as_ref(), past.as_ref(), future.as_ref(), py)?;
    Verifier::new(profile, &secrets).map(|v| v.with_tolerance(tolerance)).or_raise(py)
}

/// The `(name, value)` objects the verifier's profile reads, picked out of any
/// header shape `each_header` takes (names the profile does not read are
/// skipped without looking at their values, so environ entries such as
/// `wsgi.input` are fine), each held by one strong reference: nothing is
/// copied, `borrowed` lends their bytes to the core.
fn wanted_headers<'py>(
    verifier: &Verifier,
    headers: &Bound<'py, PyAny>,
) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let wants = verifier.wanted_headers();
    let mut wanted = Vec::new();
    each_header(headers, |name, value| {
        if wants.contains(bytes_of(name)?) {
            wanted.push((name.clone(), value.clone()));
        }
        Ok(())
    })?;
    Ok(wanted)
}

/// The bytes of `held` headers, borrowed. They stay valid with the GIL
/// released: `held` keeps each object alive, and neither `str` (whose UTF-8
/// form is cached in the object) nor `bytes` can change.
fn borrowed<'a>(held: &'a [(Bound<'_, PyAny>, Bound<'_, PyAny>)]) -> PyResult<Vec<(&'a [u8], &'a [u8])>> {
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
fn two<'py>(pair: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
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
    unsafe { std::slice::from_raw_parts(buffer.buf_ptr().cast::<u8>(), len) }
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
/// 0-based), `timestamp` (or `None`) and `id` (the delivery id, or `None`).
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
}

impl From<hooksig::Verified<'_>> for PyVerified {
    fn from(v: hooksig::Verified<'_>) -> Self {
        PyVerified {
            scheme: v.scheme,
            secret_index: v.secret_index,
            timestamp: v.timestamp,
            id: v.id.map(str::to_owned),
        }
    }
}

#[pymethods]
impl PyVerified {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let id = self.id.as_deref().into_pyobject(py)?.repr()?;
        let timestamp = self.timestamp.map_or_else(|| "None".to_owned(), |t| t.to_string());
        Ok(format!(
            "Verified(scheme='{}', secret_index={}, timestamp={timestamp}, id={id})",
            self.scheme, self.secret_index
        ))
    }
}

/// A profile with its secrets keyed once; share one per endpoint, across threads.
#[pyclass(module = "hooksig", name = "Verifier", frozen)]
struct PyVerifier {
    inner: Verifier,
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (profile, secrets, **kwargs), text_signature = "(profile, secrets, *, tolerance=300, past=None, future=None)")]
    fn new(
        profile: &Bound<'_, PyAny>,
        secrets: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let window = options(profile.py(), kwargs, ["tolerance", "past", "future"])?;
        Ok(PyVerifier { inner: build(profile, secrets, window)? })
    }

    /// Verifies a delivery; raises `VerificationError` on any failure.
    #[pyo3(signature = (headers, body, **kwargs), text_signature = "($self, headers, body, *, now=None)")]
    fn verify(
        &self,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyVerified> {
        let [now] = options(headers.py(), kwargs, ["now"])?;
        verify_with(&self.inner, headers, body, None, now.as_ref())
    }

    /// Verifies a signed request (UnknownPay S2S): the headers, the body and
    /// the request line exactly as received.
    #[pyo3(signature = (headers, body, **kwargs), text_signature = "($self, headers, body, *, method, path_and_query, now=None)")]
    fn verify_request(
        &self,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyVerified> {
        let py = headers.py();
        let [method, path, now] = options(py, kwargs, ["method", "path_and_query", "now"])?;
        let method = text(method.as_ref().ok_or_else(|| invalid(py, None))?)?;
        let path = text(path.as_ref().ok_or_else(|| invalid(py, None))?)?;
        verify_with(&self.inner, headers, body, Some((method, path)), now.as_ref())
    }

    fn __repr__(&self) -> String {
        format!("<hooksig.Verifier profile='{}'>", self.inner.profile())
    }
}

/// `verify`, or `verify_request` when the caller gave a request line.
fn verify_with(
    verifier: &Verifier,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    request: Option<(&str, &str)>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyVerified> {
    let py = headers.py();
    let now = now_or_clock(now)?;
    let held = wanted_headers(verifier, headers)?;
    let headers = borrowed(&held)?;
    let verified = with_body(body, |body| match request {
        None => verifier.verify(&headers, body, now).map(PyVerified::from),
        Some((method, path)) => verifier.verify_request(&headers, body, method, path, now).map(PyVerified::from),
    })?;
    verified.or_raise(py)
}

/// One-shot verification (prefer a long-lived `Verifier` in a server).
#[pyfunction]
#[pyo3(signature = (profile, secrets, headers, body, **kwargs), text_signature = "(profile, secrets, headers, body, *, now=None, tolerance=300, past=None, future=None)")]
fn verify(
    profile: &Bound<'_, PyAny>,
    secrets: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyVerified> {
    let [now, tol, past, future] = options(profile.py(), kwargs, ["now", "tolerance", "past", "future"])?;
    let verifier = build(profile, secrets, [tol, past, future])?;
    verify_with(&verifier, headers, body, None, now.as_ref())
}

fn header_dict<'py>(py: Python<'py>, headers: Result<Vec<(String, String)>, Error>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in headers.or_raise(py)? {
        dict.set_item(name, value)?;
    }
    Ok(dict)
}

fn owned(headers: &SignedHeaders<'_>) -> Vec<(String, String)> {
    headers.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect()
}

/// The headers `profile`'s provider would send with `body`.
#[pyfunction]
#[pyo3(signature = (profile, secret, body, **kwargs), text_signature = "(profile, secret, body, *, timestamp=None, id=None)")]
fn sign<'py>(
    profile: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = profile.py();
    let [timestamp, id] = options(py, kwargs, ["timestamp", "id"])?;
    let profile = self::profile(profile)?;
    let secret = bytes_of(secret)?;
    let timestamp = opt_uint(timestamp.as_ref())?;
    let id = opt_text(id.as_ref())?;
    let signed = with_body(body, |body| hooksig::sign(&profile, secret, body, timestamp, id).map(|h| owned(&h)))?;
    header_dict(py, signed)
}

/// The headers of an UnknownPay S2S request (`timestamp` defaults to now).
#[pyfunction]
#[pyo3(signature = (secret, method, path_and_query, body, **kwargs), text_signature = "(secret, method, path_and_query, body, *, timestamp=None, key_id=None)")]
fn sign_request<'py>(
    secret: &Bound<'py, PyAny>,
    method: &Bound<'py, PyAny>,
    path_and_query: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = secret.py();
    let [timestamp, key_id] = options(py, kwargs, ["timestamp", "key_id"])?;
    let secret = bytes_of(secret)?;
    let method = text(method)?;
    let path = text(path_and_query)?;
    let timestamp = now_or_clock(timestamp.as_ref())?;
    let key_id = opt_text(key_id.as_ref())?;
    let signed = with_body(body, |body| {
        hooksig::sign_request(secret, method, path, body, timestamp, key_id).map(|h| owned(&h))
    })?;
    header_dict(py, signed)
}

// ---- explain ----------------------------------------------------------------

/// One cause `explain` found: `code` (e.g. `"SECRET_WHITESPACE"`), `message`
/// (one line of English) and `fields` (the finding's data, the names the CLI's
/// `--json` uses).
#[pyclass(module = "hooksig", name = "Finding", frozen, eq)]
#[derive(Clone, PartialEq, Eq)]
struct PyFinding {
    #[pyo3(get)]
    code: &'static str,
    #[pyo3(get)]
    message: String,
    fields: Vec<(&'static str, FieldValue)>,
}

impl From<&Finding> for PyFinding {
    fn from(finding: &Finding) -> Self {
        PyFinding { code: finding.code(), message: finding.to_string(), fields: finding.fields() }
    }
}

#[pymethods]
impl PyFinding {
    /// A new `dict` on each access (the finding itself cannot change).
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.fields {
            match value {
                FieldValue::Text(text) => dict.set_item(name, text)?,
                FieldValue::Integer(n) => dict.set_item(name, n)?,
            }
        }
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let message = self.message.as_str().into_pyobject(py)?.repr()?;
        let fields = self.fields(py)?.repr()?;
        Ok(format!("Finding(code='{}', message={message}, fields={fields})", self.code))
    }
}

/// What `explain` found: `verdict` (`"OK"` or the error code `verify` gives),
/// `secret_index` (when OK) and `findings` (every known cause found).
#[pyclass(module = "hooksig", name = "Explanation", frozen, eq)]
#[derive(PartialEq, Eq)]
struct PyExplanation {
    #[pyo3(get)]
    verdict: &'static str,
    #[pyo3(get)]
    secret_index: Option<usize>,
    findings: Vec<PyFinding>,
}

impl From<&Explanation> for PyExplanation {
    fn from(explanation: &Explanation) -> Self {
        PyExplanation {
            verdict: explanation.verdict_code(),
            secret_index: explanation.verdict.ok(),
            findings: explanation.findings.iter().map(PyFinding::from).collect(),
        }
    }
}

#[pymethods]
impl PyExplanation {
    /// A new `list` on each access.
    #[getter]
    fn findings(&self) -> Vec<PyFinding> {
        self.findings.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let findings = self.findings().into_pyobject(py)?.repr()?;
        let index = self.secret_index.map_or_else(|| "None".to_owned(), |i| i.to_string());
        Ok(format!("Explanation(verdict='{}', secret_index={index}, findings={findings})", self.verdict))
    }
}

/// Every header, for `explain` (it also looks at names the profile does not
/// read: a close misspelling, another provider's header). A value that is not
/// `str`/`bytes` is `INVALID_ARGUMENT` under a name the profile reads, as in
/// `verify`, and skipped otherwise (a WSGI environ holds `wsgi.input`…); with no
/// usable verifier (the secrets are the verdict) such values are all skipped.
fn every_header(verifier: Option<&Verifier>, headers: &Bound<'_, PyAny>) -> PyResult<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut all = Vec::new();
    each_header(headers, |name, value| {
        let name = bytes_of(name)?;
        match bytes_of(value) {
            Ok(value) => all.push((name.to_vec(), value.to_vec())),
            Err(err) if verifier.is_some_and(|v| v.wants_header(name)) => return Err(err),
            Err(_) => {}
        }
        Ok(())
    })?;
    Ok(all)
}

/// Why a delivery fails: never raises for a failed verification (the verdict
/// carries the code), only for unusable arguments.
#[pyfunction]
#[pyo3(signature = (profile, secrets, headers, body, **kwargs), text_signature = "(profile, secrets, headers, body, *, now=None, tolerance=300, past=None, future=None, method=None, path_and_query=None)")]
fn explain(
    profile: &Bound<'_, PyAny>,
    secrets: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyExplanation> {
    let py = profile.py();
    let names = ["now", "tolerance", "past", "future", "method", "path_and_query"];
    let [now, tol, past, future, method, path] = options(py, kwargs, names)?;
    let profile = self::profile(profile)?;
    let secrets = self::secrets(secrets)?;
    let tolerance = tolerance(tol.as_ref(), past.as_ref(), future.as_ref(), py)?;
    let request = match (opt_text(method.as_ref())?, opt_text(path.as_ref())?) {
        (Some(method), Some(path)) => Some((method, path)),
        (None, None) => None,
        _ => return Err(invalid(py, None)),
    };
    let now = now_or_clock(now.as_ref())?;
    let verifier = Verifier::new(profile, &secrets).ok();
    let headers = every_header(verifier.as_ref(), headers)?;
    let explanation =
        with_body(body, |body| hooksig::explain(&profile, &secrets, tolerance, &headers, body, request, now))?;
    Ok(PyExplanation::from(&explanation))
}

/// The compiled module; `hooksig/__init__.py` re-exports it. It keeps pyo3's
/// default `gil_used = true` (a free-threaded interpreter re-enables the GIL
/// for it): small mutable buffers are read in place under the GIL.
#[pymodule]
fn _hooksig(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("VerificationError", m.py().get_type::<VerificationError>())?;
    m.add_class::<PyVerifier>()?;
    m.add_class::<PyVerified>()?;
    m.add_class::<PyExplanation>()?;
    m.add_class::<PyFinding>()?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(sign_request, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
