//! The request line (method and path) that UnknownPay S2S signs, taken by
//! every verify and sign call: one rule for all callers.

use crate::Error;
use crate::headers;

/// The largest body a framework adapter reads by default (1 MiB); a larger
/// one is answered 413 without being verified. Every language's adapters
/// take this number from here.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// The method and path-and-query of a signed request, checked once.
///
/// Every profile accepts one (a framework adapter can always pass it);
/// profiles whose MAC does not cover the request line ignore it, and
/// `unknownpay-s2s` requires it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RequestLine<'a> {
    method: &'a str,
    path_and_query: &'a str,
}

impl<'a> RequestLine<'a> {
    /// `method` must be an HTTP token; `path_and_query` non-empty and
    /// without control characters (a newline would make the signed string
    /// ambiguous). Both are MACed exactly as given.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] otherwise.
    pub fn new(method: &'a str, path_and_query: &'a str) -> Result<RequestLine<'a>, Error> {
        let method_ok = headers::is_token(method);
        let path_ok = !path_and_query.is_empty() && !path_and_query.bytes().any(|b| b.is_ascii_control());
        if method_ok && path_ok { Ok(RequestLine { method, path_and_query }) } else { Err(Error::InvalidArgument) }
    }

    /// The rule for bindings' optional `method` / `path_and_query`
    /// arguments: both or neither.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if only one is given, or as [`RequestLine::new`].
    pub fn from_parts(
        method: Option<&'a str>,
        path_and_query: Option<&'a str>,
    ) -> Result<Option<RequestLine<'a>>, Error> {
        match (method, path_and_query) {
            (None, None) => Ok(None),
            (Some(method), Some(path)) => RequestLine::new(method, path).map(Some),
            _ => Err(Error::InvalidArgument),
        }
    }

    /// The method, as given.
    #[must_use]
    pub const fn method(&self) -> &'a str {
        self.method
    }

    /// The path and query, as given.
    #[must_use]
    pub const fn path_and_query(&self) -> &'a str {
        self.path_and_query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_or_neither_and_checked() {
        assert_eq!(RequestLine::from_parts(None, None), Ok(None));
        assert_eq!(RequestLine::from_parts(Some("POST"), None), Err(Error::InvalidArgument));
        assert_eq!(RequestLine::from_parts(None, Some("/")), Err(Error::InvalidArgument));
        assert!(matches!(RequestLine::from_parts(Some("POST"), Some("/a?b=1")), Ok(Some(_))));
        for (method, path) in [("", "/"), ("PO ST", "/"), ("POST", ""), ("POST", "/a\nb"), ("POST", "/\u{7f}")] {
            assert_eq!(RequestLine::new(method, path), Err(Error::InvalidArgument), "{method:?} {path:?}");
        }
    }
}
