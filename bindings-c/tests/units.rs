//! The C ABI's own rules, through the exported functions: result codes and
//! messages, pointer and length rules, the packed header format, and
//! `hooksig_verifier_wants_headers`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]
#![allow(unsafe_code, reason = "these tests call the C ABI's extern fns, as C does")]

use core::ffi::{CStr, c_char};
use core::ptr;

use hooksig::Error;
use hooksig::compact::{COMPACT_ID_BITS, COMPACT_ID_SHIFT};
use hooksig_ffi::*;

fn text(ptr: *const c_char) -> &'static str {
    // SAFETY: the library returns static NUL-terminated strings.
    unsafe { CStr::from_ptr(ptr) }.to_str().unwrap()
}

fn verifier(profile: &str, secret: &str) -> *mut hooksig_verifier {
    let secrets = [hooksig_bytes { ptr: secret.as_ptr(), len: secret.len() }];
    let mut v = ptr::null_mut();
    // SAFETY: live inputs of the stated lengths.
    let rc = unsafe {
        hooksig_verifier_new(profile.as_ptr().cast(), profile.len(), secrets.as_ptr(), 1, ptr::null(), &mut v)
    };
    assert_eq!(rc, hooksig_result::Ok);
    v
}

#[test]
fn core_codes_are_numbered_in_error_all_order_with_the_core_strings() {
    for (i, error) in Error::ALL.into_iter().enumerate() {
        let value = u32::try_from(i + 1).unwrap();
        assert_eq!(hooksig_result::from(error) as u32, value, "{error:?}");
        assert_eq!(text(hooksig_result_code(value)), error.code());
        assert_eq!(text(hooksig_result_message(value)), error.message());
        assert_eq!(hooksig_result_http_status(value), error.http_status());
        // The compact result's errors are the same numbers, negated.
        assert_eq!(hooksig::compact::compact_error(error), -i64::from(value));
    }
    assert_eq!((text(hooksig_result_code(0)), hooksig_result_http_status(0)), ("OK", 200));
    assert_eq!(text(hooksig_result_code(100)), "NULL_ARGUMENT");
    assert_eq!(text(hooksig_result_code(101)), "BUFFER_TOO_SMALL");
    assert_eq!(text(hooksig_result_code(10)), "INTERNAL");
    for junk in [15, 99, 102, 103, u32::MAX] {
        assert_eq!(text(hooksig_result_code(junk)), "UNKNOWN");
        assert_eq!(text(hooksig_result_message(junk)), "not a hooksig_result value");
        assert_eq!(hooksig_result_http_status(junk), 500);
    }
}

#[test]
fn null_and_length_rules() {
    let v = verifier("github", "s");
    let mut out = core::mem::MaybeUninit::<hooksig_verified>::uninit();
    let body = b"x".as_ptr().cast::<c_char>();
    let verify = |headers: *const hooksig_header, n: usize, body: *const c_char, len: usize, out| {
        // SAFETY: NULLs and oversize lengths are refused before any use.
        unsafe { hooksig_verifier_verify(v, headers, n, body, len, ptr::null(), 0, ptr::null(), 0, 0, out) }
    };
    assert_eq!(verify(ptr::null(), 0, ptr::null(), 0, out.as_mut_ptr()), hooksig_result::MissingHeader);
    assert_eq!(verify(ptr::null(), 1, body, 1, out.as_mut_ptr()), hooksig_result::NullArgument);
    assert_eq!(verify(ptr::null(), 0, body, usize::MAX, out.as_mut_ptr()), hooksig_result::InvalidArgument);
    assert_eq!(verify(ptr::null(), 0, body, 1, ptr::null_mut()), hooksig_result::NullArgument);
    // SAFETY: a NULL verifier is refused.
    let rc = unsafe {
        hooksig_verifier_verify(
            ptr::null(),
            ptr::null(),
            0,
            body,
            1,
            ptr::null(),
            0,
            ptr::null(),
            0,
            0,
            out.as_mut_ptr(),
        )
    };
    assert_eq!(rc, hooksig_result::NullArgument);
    // SAFETY: from hooksig_verifier_new.
    unsafe { hooksig_verifier_free(v) };

    // An optional text: NULL is "not given", any other pointer (even with length 0) is given.
    let headers_with_id = |id: hooksig_bytes| {
        let none = hooksig_bytes { ptr: ptr::null(), len: 0 };
        let options = hooksig_sign_options {
            has_timestamp: false,
            timestamp: 0,
            id,
            method: none,
            path_and_query: none,
            key_id: none,
        };
        let (mut buf, mut needed) = ([0u8; 512], 0usize);
        let mut out = core::mem::MaybeUninit::<hooksig_signed_headers>::uninit();
        // SAFETY: live inputs of the stated lengths; outs are locals.
        let rc = unsafe {
            hooksig_sign(
                c"github".as_ptr(),
                6,
                c"s".as_ptr(),
                1,
                body,
                1,
                &options,
                buf.as_mut_ptr(),
                512,
                &mut needed,
                out.as_mut_ptr(),
            )
        };
        // SAFETY: written on OK.
        (rc, (rc == hooksig_result::Ok).then(|| unsafe { out.assume_init() }.len))
    };
    assert_eq!(headers_with_id(hooksig_bytes { ptr: ptr::null(), len: 0 }), (hooksig_result::Ok, Some(1)));
    // Given but empty: the core refuses an empty id (it would not be refused if read as "not given").
    assert_eq!(headers_with_id(hooksig_bytes { ptr: b"".as_ptr(), len: 0 }), (hooksig_result::InvalidArgument, None));
    assert_eq!(headers_with_id(hooksig_bytes { ptr: b"d".as_ptr(), len: 1 }), (hooksig_result::Ok, Some(2)));
    assert_eq!(headers_with_id(hooksig_bytes { ptr: ptr::null(), len: 3 }), (hooksig_result::NullArgument, None));
    assert_eq!(
        headers_with_id(hooksig_bytes { ptr: b"\xff".as_ptr(), len: 1 }),
        (hooksig_result::InvalidArgument, None)
    );
}

fn pack(headers: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut packed = Vec::new();
    for (name, value) in headers {
        for part in [name, value] {
            packed.extend_from_slice(&u32::try_from(part.len()).unwrap().to_le_bytes());
            packed.extend_from_slice(part);
        }
    }
    packed
}

#[test]
fn packed_headers_keep_nuls_empties_and_positions() {
    let signed = hooksig::sign(&hooksig::Profile::GitHub, b"s", b"b", hooksig::SignOptions::default()).unwrap();
    let signature = signed.iter().next().unwrap().value().as_bytes().to_vec();
    let headers: [(&[u8], &[u8]); 5] = [
        (b"X-A", b"v\0w"),
        (b"", b""),
        (b"HTTP_X_B", b"\xff\x00"),
        (b"x-hub-signature-256", &signature),
        (b"HTTP_X_GITHUB_DELIVERY", b"dlv\0-1"),
    ];
    let packed = pack(&headers);
    let v = verifier("github", "s");
    // SAFETY: live inputs of the stated lengths.
    let compact = |packed: &[u8]| unsafe {
        hooksig_verifier_verify_compact(v, packed.as_ptr().cast(), packed.len(), c"b".as_ptr(), 1, 0, ptr::null_mut())
    };
    // The id is the value of the 5th header: every length and byte before it was read exactly.
    assert_eq!((compact(&packed) >> COMPACT_ID_SHIFT) & ((1 << COMPACT_ID_BITS) - 1), 5);
    // On success the replay key (64 hex) and id_signed ('0': GitHub's id is not signed) fill the out buffer,
    // the same key as the core's; on failure it is left alone.
    let mut replay = [b'x'; 66];
    let want = hooksig::Verifier::new(hooksig::Profile::GitHub, &["s"]).unwrap().verify(&headers, b"b", 0).unwrap();
    // SAFETY: live inputs of the stated lengths; 65 writable bytes (and one more, to see it untouched).
    let packed_ok = unsafe {
        hooksig_verifier_verify_compact(
            v,
            packed.as_ptr().cast(),
            packed.len(),
            c"b".as_ptr(),
            1,
            0,
            replay.as_mut_ptr(),
        )
    };
    assert!(packed_ok >= 0);
    assert_eq!(&replay[..64], want.replay_key.to_hex().as_slice());
    assert_eq!(&replay[64..], b"0x");
    let mut untouched = [b'x'; 65];
    // SAFETY: as above; a body that does not verify.
    let failed = unsafe {
        hooksig_verifier_verify_compact(
            v,
            packed.as_ptr().cast(),
            packed.len(),
            c"c".as_ptr(),
            1,
            0,
            untouched.as_mut_ptr(),
        )
    };
    assert_eq!((failed, untouched), (-(hooksig_result::SignatureMismatch as i64), [b'x'; 65]));
    assert_eq!(compact(&packed[..packed.len() - 1]), -(hooksig_result::InvalidArgument as i64));
    assert_eq!(compact(b"\x01\0\0\0X"), -(hooksig_result::InvalidArgument as i64), "a name without a value");
    assert_eq!(compact(b""), -(hooksig_result::MissingHeader as i64));
    // SAFETY: from hooksig_verifier_new.
    unsafe { hooksig_verifier_free(v) };
}

#[test]
fn wants_headers_answers_the_first_64_names_in_order() {
    let v = verifier("stripe", "s");
    let mask = |names: &str| {
        // SAFETY: a live verifier; `names` is live for its length.
        unsafe { hooksig_verifier_wants_headers(v, names.as_ptr().cast(), names.len()) }
    };
    let w = "stripe-signature";
    assert_eq!(mask(&format!("{w}\0x\0\0HTTP_STRIPE_SIGNATURE")), 0b1001);
    assert_eq!(mask(""), 0);
    assert_eq!(mask(w), 1);
    assert_eq!(mask(&vec![w; 70].join("\0")), u64::MAX);
    assert_eq!(mask(&[vec!["x"; 63], vec![w]].concat().join("\0")), 1 << 63);
    // SAFETY: NULL with a length, and a NULL verifier, are refused.
    unsafe {
        assert_eq!(hooksig_verifier_wants_headers(v, ptr::null(), 5), 0);
        assert_eq!(hooksig_verifier_wants_headers(ptr::null(), w.as_ptr().cast(), w.len()), 0);
        hooksig_verifier_free(v);
    }
}

#[test]
fn replay_ttl_and_store_constants_come_from_the_core() {
    assert_eq!(Error::ALL.len(), 14);
    assert_eq!(hooksig_result::DuplicateDelivery as u32, 11);
    assert_eq!(hooksig_result::ReplayStoreUnavailable as u32, 12);
    assert_eq!(hooksig_result::PayloadTooLarge as u32, 13);
    assert_eq!(hooksig_result::RawBodyUnavailable as u32, 14);
    let statuses = [11, 12, 13, 14].map(|value| hooksig_result_http_status(value));
    assert_eq!(statuses, [200, 503, 413, 500]);
    // SAFETY: a NUL-terminated static array.
    let prefix = unsafe { CStr::from_ptr(HOOKSIG_REPLAY_STORE_PREFIX.as_ptr()) };
    assert_eq!(prefix.to_str().unwrap(), hooksig::REPLAY_STORE_PREFIX);
    assert_eq!(HOOKSIG_DEFAULT_STORE_CAPACITY, hooksig::DEFAULT_STORE_CAPACITY);
    for (profile, retention, want) in [
        ("stripe", None, 2 * hooksig::DEFAULT_WINDOW),
        ("stripe", Some(60), 2 * hooksig::DEFAULT_WINDOW),
        ("github", None, hooksig::DEFAULT_RETENTION),
        ("github", Some(60), 60),
    ] {
        let v = verifier(profile, "s");
        // SAFETY: a live verifier, then freed.
        let ttl = unsafe { hooksig_verifier_replay_ttl(v, retention.is_some(), retention.unwrap_or(0)) };
        // SAFETY: from hooksig_verifier_new.
        unsafe { hooksig_verifier_free(v) };
        assert_eq!(ttl, want, "{profile} {retention:?}");
    }
    // SAFETY: NULL is answered with 0.
    assert_eq!(unsafe { hooksig_verifier_replay_ttl(ptr::null(), false, 0) }, 0);
}
