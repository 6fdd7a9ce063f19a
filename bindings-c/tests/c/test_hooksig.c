/* C-level checks of the installed hooksig library: a real delivery, a tampered
 * one, signing with buffer sizes, NULLs and junk. Compiled with
 * -std=c11 -Wall -Wextra -Werror -pedantic against the installed header
 * (pkg-config), run plain, under valgrind and with ASan/UBSan by `make test-c`. */
#include <hooksig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond)                                                      \
    do {                                                                 \
        if (cond) {                                                      \
            passed++;                                                    \
        } else {                                                         \
            failed++;                                                    \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                \
    } while (0)

#define CHECK_RC(expr, want)                                                                  \
    do {                                                                                      \
        hooksig_result got_ = (expr);                                                         \
        if (got_ == (want)) {                                                                 \
            passed++;                                                                         \
        } else {                                                                              \
            failed++;                                                                         \
            fprintf(stderr, "FAIL %s:%d: %s gave %s, expected %s\n", __FILE__, __LINE__, #expr, \
                    hooksig_result_code(got_), hooksig_result_code(want));                    \
        }                                                                                     \
    } while (0)

static hooksig_header header(const char *name, const char *value) {
    hooksig_header h = {(const uint8_t *)name, strlen(name), (const uint8_t *)value, strlen(value)};
    return h;
}

#define BYTES(s) ((const uint8_t *)(s)), strlen(s)

/* Stripe known answer (stripe-python tests; testdata/vectors.json "stripe-v1-with-fake-v0"). */
static const char *STRIPE_SECRET = "whsec_test_secret";
static const char *STRIPE_BODY = "{\"id\":\"evt_test_webhook\",\"object\":\"event\"}";
static const char *STRIPE_SIG =
    "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990,"
    "v0=8b061a3051ef689ab7efc7f8d00c5e613d7fbdddb9c90551966d61321795c554";
/* Key2Pay known answer ("key2pay-payment-completed"), with a delivery id. */
static const char *K2P_SECRET = "whsec_k2p_test_secret";
static const char *K2P_BODY =
    "{\"id\":\"evt_k2p_1\",\"type\":\"payment.completed\",\"data\":{\"id\":\"pay_123\",\"amount\":\"100.00\","
    "\"currency\":\"MXN\"}}";
static const char *K2P_SIG = "t=1714672890,v1=a3358290a40070ebb06ce96de8320ecdc55740a52fd9cf2f9f34ae28f3ad33e1";

static void test_real_and_tampered(void) {
    hooksig_bytes secrets[] = {{BYTES("an-old-secret")}, {BYTES(K2P_SECRET)}};
    hooksig_tolerance window = hooksig_tolerance_default();
    CHECK(window.past == 300 && window.future == 300 && !window.disabled);
    hooksig_verifier *v = NULL;
    CHECK_RC(hooksig_verifier_new("key2pay", 7, secrets, 2, &window, &v), HOOKSIG_RESULT_OK);
    CHECK(v != NULL);

    hooksig_header headers[] = {header("x-key2pay-signature", K2P_SIG), header("X-Key2Pay-Event", "payment.completed"),
                                header("HTTP_X_KEY2PAY_DELIVERY", "dlv_1zP9e")};
    hooksig_verified out;
    memset(&out, 0, sizeof out);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, BYTES(K2P_BODY), 1714672900, &out), HOOKSIG_RESULT_OK);
    CHECK(out.secret_index == 1);
    CHECK(out.has_timestamp && out.timestamp == 1714672890);
    CHECK(out.id_len == 9 && memcmp(out.id, "dlv_1zP9e", 9) == 0);
    CHECK(out.id == headers[2].value); /* the id points into the caller's header value */
    CHECK(strcmp(out.scheme, "key2pay") == 0);

    /* Tampered body, stale and future clocks: rejected, and `out` left untouched. */
    char tampered[256];
    strcpy(tampered, K2P_BODY);
    char *amount = strstr(tampered, "100.00");
    CHECK(amount != NULL);
    if (amount != NULL) {
        amount[0] = '9'; /* "100.00" -> "900.00" */
    }
    hooksig_verified untouched;
    memset(&untouched, 0xAB, sizeof untouched);
    hooksig_verified copy = untouched;
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, BYTES(tampered), 1714672900, &untouched),
             HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    CHECK(memcmp(&untouched, &copy, sizeof copy) == 0);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, BYTES(K2P_BODY), 1714672890 + 301, &out),
             HOOKSIG_RESULT_TIMESTAMP_TOO_OLD);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, BYTES(K2P_BODY), 1714672890 - 301, &out),
             HOOKSIG_RESULT_TIMESTAMP_IN_FUTURE);
    /* The system clock is years after the delivery. */
    CHECK_RC(hooksig_verifier_verify_now(v, headers, 3, BYTES(K2P_BODY), &out), HOOKSIG_RESULT_TIMESTAMP_TOO_OLD);
    CHECK_RC(hooksig_verifier_verify(v, headers + 1, 2, BYTES(K2P_BODY), 1714672900, &out),
             HOOKSIG_RESULT_MISSING_HEADER);
    hooksig_header junk[] = {header("X-Key2Pay-Signature", "t=17146x2890,v1=zz")};
    CHECK_RC(hooksig_verifier_verify(v, junk, 1, BYTES(K2P_BODY), 1714672900, &out), HOOKSIG_RESULT_MALFORMED_HEADER);
    /* verify_request is only for request-signing profiles. */
    CHECK_RC(hooksig_verifier_verify_request(v, headers, 3, BYTES(K2P_BODY), "POST", 4, "/", 1, 1714672900, &out),
             HOOKSIG_RESULT_INVALID_ARGUMENT);
    hooksig_verifier_free(v);

    /* One-shot, Stripe: the fake v0 never counts, the real v1 does. */
    hooksig_bytes stripe_secret[] = {{BYTES(STRIPE_SECRET)}};
    hooksig_header stripe[] = {header("Stripe-Signature", STRIPE_SIG)};
    CHECK_RC(hooksig_verify("stripe", 6, stripe_secret, 1, stripe, 1, BYTES(STRIPE_BODY), 1700000000, &out),
             HOOKSIG_RESULT_OK);
    CHECK(strcmp(out.scheme, "stripe") == 0 && out.id == NULL && out.id_len == 0);
    CHECK_RC(hooksig_verify("stripe", 6, stripe_secret, 1, stripe, 1, BYTES("{}"), 1700000000, &out),
             HOOKSIG_RESULT_SIGNATURE_MISMATCH);
}

static void test_sign_round_trip(void) {
    const char *body = "{\"amount\":100}";
    size_t needed = 0;
    hooksig_signed_headers signed_headers;
    /* Size query, then one byte short, then exactly right. */
    CHECK_RC(hooksig_sign("stripe", 6, BYTES(STRIPE_SECRET), BYTES(body), true, 1700000000, NULL, 0, NULL, 0, &needed,
                          &signed_headers),
             HOOKSIG_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == strlen("Stripe-Signature") + 1 + strlen("t=1700000000,v1=") + 64 + 1);
    uint8_t buf[256];
    CHECK_RC(hooksig_sign("stripe", 6, BYTES(STRIPE_SECRET), BYTES(body), true, 1700000000, NULL, 0, buf, needed - 1,
                          &needed, &signed_headers),
             HOOKSIG_RESULT_BUFFER_TOO_SMALL);
    CHECK_RC(hooksig_sign("stripe", 6, BYTES(STRIPE_SECRET), BYTES(body), true, 1700000000, NULL, 0, buf, needed,
                          &needed, &signed_headers),
             HOOKSIG_RESULT_OK);
    CHECK(signed_headers.len == 1);
    CHECK(strcmp((const char *)signed_headers.headers[0].name, "Stripe-Signature") == 0);

    hooksig_bytes secrets[] = {{BYTES(STRIPE_SECRET)}};
    hooksig_verified out;
    CHECK_RC(hooksig_verify("stripe", 6, secrets, 1, signed_headers.headers, signed_headers.len, BYTES(body),
                            1700000000, &out),
             HOOKSIG_RESULT_OK);
    CHECK(out.timestamp == 1700000000);

    /* S2S request signing and verification. */
    hooksig_signed_headers req;
    uint8_t rbuf[512];
    CHECK_RC(hooksig_sign_request(BYTES("s2s-secret"), "POST", 4, "/v1/payouts?x=1", 15, BYTES(body), 1700000000,
                                  "key_1", 5, rbuf, sizeof rbuf, &needed, &req),
             HOOKSIG_RESULT_OK);
    CHECK(req.len == 3);
    hooksig_bytes s2s_secret[] = {{BYTES("s2s-secret")}};
    hooksig_tolerance window = hooksig_tolerance_default();
    hooksig_verifier *v = NULL;
    CHECK_RC(hooksig_verifier_new("unknownpay-s2s", 14, s2s_secret, 1, &window, &v), HOOKSIG_RESULT_OK);
    CHECK_RC(hooksig_verifier_verify_request(v, req.headers, req.len, BYTES(body), "POST", 4, "/v1/payouts?x=1", 15,
                                             1700000010, &out),
             HOOKSIG_RESULT_OK);
    CHECK_RC(hooksig_verifier_verify_request(v, req.headers, req.len, BYTES(body), "POST", 4, "/v1/payouts?x=2", 15,
                                             1700000010, &out),
             HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    hooksig_verifier_free(v);
}

static void test_nulls_and_junk(void) {
    hooksig_bytes secrets[] = {{BYTES("s")}};
    hooksig_tolerance window = hooksig_tolerance_default();
    hooksig_verifier *v = NULL;
    hooksig_verified out;
    hooksig_header h[] = {header("X-Hub-Signature-256", "sha256=00")};

    CHECK_RC(hooksig_verifier_new(NULL, 6, secrets, 1, &window, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("github", 6, NULL, 1, &window, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 1, NULL, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 1, &window, NULL), HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_bytes null_secret[] = {{NULL, 4}};
    CHECK_RC(hooksig_verifier_new("github", 6, null_secret, 1, &window, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK(v == NULL); /* nothing written on failure */
    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 0, &window, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    hooksig_bytes empty_secret[] = {{NULL, 0}};
    CHECK_RC(hooksig_verifier_new("github", 6, empty_secret, 1, &window, &v), HOOKSIG_RESULT_INVALID_SECRET);
    CHECK_RC(hooksig_verifier_new("no-such-provider", 16, secrets, 1, &window, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("\xff\xfe", 2, secrets, 1, &window, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    hooksig_tolerance from_options;
    CHECK_RC(hooksig_tolerance_from_options(true, 300, false, 0, true, 15, &from_options), HOOKSIG_RESULT_OK);
    CHECK(!from_options.disabled && from_options.past == 300 && from_options.future == 15);
    CHECK_RC(hooksig_tolerance_from_options(false, 0, false, 0, false, 0, &from_options), HOOKSIG_RESULT_OK);
    CHECK(from_options.disabled);
    CHECK_RC(hooksig_tolerance_from_options(false, 0, true, 0, false, 0, &from_options),
             HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK_RC(hooksig_tolerance_from_options(true, 300, false, 0, false, 0, NULL), HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_tolerance contradictory = {true, 5, 0};
    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 1, &contradictory, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    hooksig_bytes nine[9];
    for (size_t i = 0; i < 9; i++) {
        nine[i] = secrets[0];
    }
    CHECK_RC(hooksig_verifier_new("github", 6, nine, 9, &window, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK(v == NULL);

    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 1, &window, &v), HOOKSIG_RESULT_OK);
    CHECK_RC(hooksig_verifier_verify(NULL, h, 1, BYTES("x"), 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, NULL, 1, BYTES("x"), 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, NULL, 1, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, BYTES("x"), 0, NULL), HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_header null_value[] = {{(const uint8_t *)"X-Hub-Signature-256", 19, NULL, 7}};
    CHECK_RC(hooksig_verifier_verify(v, null_value, 1, BYTES("x"), 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    /* NULL with length 0 is an empty body / no headers. */
    CHECK_RC(hooksig_verifier_verify(v, NULL, 0, NULL, 0, 0, &out), HOOKSIG_RESULT_MISSING_HEADER);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, NULL, 0, 0, &out), HOOKSIG_RESULT_NO_SIGNATURE);
    /* Junk bytes everywhere: a code, never a crash. */
    uint8_t junk[300];
    for (size_t i = 0; i < sizeof junk; i++) {
        junk[i] = (uint8_t)(i * 37 + 11);
    }
    hooksig_header junk_headers[] = {{junk, 19, junk + 19, 200}, {junk, 0, junk, 0}, {junk + 3, 50, junk, 300}};
    hooksig_result rc = hooksig_verifier_verify(v, junk_headers, 3, junk, sizeof junk, 0, &out);
    CHECK(rc == HOOKSIG_RESULT_MISSING_HEADER);
    hooksig_header sig_junk[] = {{(const uint8_t *)"x-hub-signature-256", 19, junk, sizeof junk}};
    rc = hooksig_verifier_verify(v, sig_junk, 1, junk, sizeof junk, 0, &out);
    CHECK(rc == HOOKSIG_RESULT_NO_SIGNATURE);
    CHECK_RC(hooksig_verifier_verify_request(v, h, 1, BYTES("x"), NULL, 4, "/", 1, 0, &out),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_verifier_free(v);
    hooksig_verifier_free(NULL); /* a no-op */

    size_t needed = 0;
    hooksig_signed_headers sh;
    uint8_t buf[256];
    CHECK_RC(hooksig_sign("github", 6, BYTES("s"), BYTES("b"), false, 0, NULL, 0, buf, sizeof buf, NULL, &sh),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_sign("github", 6, BYTES("s"), BYTES("b"), false, 0, NULL, 0, buf, sizeof buf, &needed, NULL),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_sign("github", 6, BYTES("s"), BYTES("b"), false, 0, NULL, 0, NULL, 500, &needed, &sh),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_sign("github", 6, BYTES("s"), BYTES("b"), false, 0, NULL, 3, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_sign("stripe", 6, BYTES("s"), BYTES("b"), false, 0, NULL, 0, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_INVALID_ARGUMENT); /* Stripe needs a timestamp */
    CHECK_RC(hooksig_sign("github", 6, NULL, 0, BYTES("b"), false, 0, NULL, 0, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_INVALID_SECRET);
    CHECK_RC(hooksig_sign_request(BYTES("s"), "BAD METHOD", 10, "/", 1, NULL, 0, 1, NULL, 0, buf, sizeof buf, &needed,
                                  &sh),
             HOOKSIG_RESULT_INVALID_ARGUMENT);

    /* Result names and messages: static strings for every value, even junk. */
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_OK), "OK") == 0);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_SIGNATURE_MISMATCH), "SIGNATURE_MISMATCH") == 0);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_PANIC), "PANIC") == 0);
    CHECK(strcmp(hooksig_result_code(12345), "UNKNOWN") == 0);
    CHECK(strlen(hooksig_result_message(HOOKSIG_RESULT_MALFORMED_BODY)) > 10);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_OK) == 200);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_TIMESTAMP_TOO_OLD) == 401);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_MISSING_HEADER) == 400);
    CHECK(strlen(hooksig_version()) >= 5);
}

/* explain: the Key2Pay delivery with the secret read from a file (trailing newline). */
static void test_explain(void) {
    hooksig_bytes secrets[] = {{BYTES("an-old-secret")}, {BYTES("whsec_k2p_test_secret\n")}};
    hooksig_header headers[] = {header("X-Key2Pay-Signature", K2P_SIG)};
    hooksig_tolerance window = hooksig_tolerance_default();
    size_t needed = 0;
    hooksig_result verdict = HOOKSIG_RESULT_PANIC;
    /* First call: no buffer, asks for the size (the verdict is already written). */
    hooksig_result rc = hooksig_explain("key2pay", 7, secrets, 2, &window, headers, 1, BYTES(K2P_BODY),
                                        NULL, 0, NULL, 0, true, 1714672890, NULL, 0, &needed, &verdict);
    CHECK_RC(rc, HOOKSIG_RESULT_BUFFER_TOO_SMALL);
    char *json = malloc(needed);
    CHECK(json != NULL);
    if (json == NULL) {
        return;
    }
    rc = hooksig_explain("key2pay", 7, secrets, 2, &window, headers, 1, BYTES(K2P_BODY),
                         NULL, 0, NULL, 0, true, 1714672890, json, needed, &needed, &verdict);
    if (rc == HOOKSIG_RESULT_OK && verdict != HOOKSIG_RESULT_OK) {
        /* {"verdict":"SIGNATURE_MISMATCH","secret_index":null,"findings":[{"code":"SECRET_WHITESPACE",…}]} */
        printf("rejected (%s), explanation: %s\n", hooksig_result_code(verdict), json);
    }
    CHECK_RC(rc, HOOKSIG_RESULT_OK);
    CHECK_RC(verdict, HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    CHECK(strlen(json) + 1 == needed);
    CHECK(strncmp(json, "{\"verdict\":\"SIGNATURE_MISMATCH\",\"secret_index\":null,", 52) == 0);
    CHECK(strstr(json, "{\"code\":\"SECRET_WHITESPACE\"") != NULL);
    CHECK(strstr(json, "\"fields\":{\"secret_index\":1}") != NULL);
    free(json);

    /* The right secret: verdict OK, no findings. Junk: argument errors, outs untouched. */
    char small[128];
    secrets[1] = (hooksig_bytes){BYTES(K2P_SECRET)};
    CHECK_RC(hooksig_explain("key2pay", 7, secrets, 2, &window, headers, 1, BYTES(K2P_BODY), NULL, 0, NULL, 0,
                             true, 1714672890, small, sizeof small, &needed, &verdict),
             HOOKSIG_RESULT_OK);
    CHECK_RC(verdict, HOOKSIG_RESULT_OK);
    CHECK(strcmp(small, "{\"verdict\":\"OK\",\"secret_index\":1,\"findings\":[]}") == 0);
    CHECK_RC(hooksig_explain("nope", 4, secrets, 2, &window, headers, 1, BYTES(K2P_BODY), NULL, 0, NULL, 0,
                             true, 0, small, sizeof small, &needed, &verdict),
             HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK_RC(hooksig_explain("key2pay", 7, secrets, 2, NULL, headers, 1, BYTES(K2P_BODY), NULL, 0, NULL, 0,
                             true, 0, small, sizeof small, &needed, &verdict),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_explain("key2pay", 7, secrets, 2, &window, headers, 1, BYTES(K2P_BODY), "POST", 4, NULL, 0,
                             true, 0, small, sizeof small, &needed, &verdict),
             HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK_RC(hooksig_explain("key2pay", 7, secrets, 2, &window, headers, 1, BYTES(K2P_BODY), NULL, 0, NULL, 0,
                             true, 0, small, 4, NULL, &verdict),
             HOOKSIG_RESULT_NULL_ARGUMENT);
}

/* Appends one length-prefixed field (u32 little-endian length, then the bytes) to a packed header string. */
static size_t pack_field(uint8_t *dst, size_t at, const char *bytes, size_t len) {
    for (size_t i = 0; i < 4; i++) {
        dst[at + i] = (uint8_t)((len >> (8 * i)) & 0xFF);
    }
    memcpy(dst + at + 4, bytes, len);
    return at + 4 + len;
}

static void test_packed_and_wants_header(void) {
    hooksig_bytes secrets[] = {{BYTES(K2P_SECRET)}};
    hooksig_tolerance window = hooksig_tolerance_default();
    hooksig_verifier *v = NULL;
    CHECK_RC(hooksig_verifier_new("key2pay", 7, secrets, 1, &window, &v), HOOKSIG_RESULT_OK);
    CHECK(hooksig_verifier_wants_header(v, "x-key2pay-signature", 19));
    CHECK(hooksig_verifier_wants_header(v, "HTTP_X_KEY2PAY_DELIVERY", 23));
    CHECK(!hooksig_verifier_wants_header(v, "Content-Type", 12));
    CHECK(!hooksig_verifier_wants_header(NULL, "x-key2pay-signature", 19));
    CHECK(!hooksig_verifier_wants_header(v, NULL, 19));
    /* Many names at once, NUL-separated: bit i for the i-th name. */
    const char names[] = "Content-Type\0x-key2pay-signature\0\0HTTP_X_KEY2PAY_DELIVERY\0X-Other";
    CHECK(hooksig_verifier_wants_headers(v, names, sizeof names - 1) == ((1u << 1) | (1u << 3)));
    CHECK(hooksig_verifier_wants_headers(v, "x-key2pay-signature", 19) == 1);
    CHECK(hooksig_verifier_wants_headers(v, NULL, 0) == 0);
    CHECK(hooksig_verifier_wants_headers(v, NULL, 5) == 0);
    CHECK(hooksig_verifier_wants_headers(NULL, names, sizeof names - 1) == 0);

    /* Every header in one string; a NUL inside an unrelated value stays exact. */
    uint8_t packed[512];
    size_t len = 0;
    len = pack_field(packed, len, "Content-Type", 12);
    len = pack_field(packed, len, "a\0b", 3);
    size_t first_end = len;
    len = pack_field(packed, len, "x-key2pay-signature", 19);
    len = pack_field(packed, len, K2P_SIG, strlen(K2P_SIG));
    size_t sig_end = len;
    len = pack_field(packed, len, "HTTP_X_KEY2PAY_DELIVERY", 23);
    size_t id_at = len + 4;
    len = pack_field(packed, len, "dlv_1zP9e", 9);
    const char *p = (const char *)packed;
    hooksig_verified out;
    memset(&out, 0, sizeof out);
    CHECK_RC(hooksig_verifier_verify_packed(v, p, len, K2P_BODY, strlen(K2P_BODY), 1714672900, &out),
             HOOKSIG_RESULT_OK);
    CHECK(out.secret_index == 0 && out.has_timestamp && out.timestamp == 1714672890);
    CHECK(out.id == packed + id_at && out.id_len == 9); /* the id points into the packed string */
    CHECK(strcmp(out.scheme, "key2pay") == 0);
    CHECK_RC(hooksig_verifier_verify_packed(v, p, len, "{}", 2, 1714672900, &out), HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    /* Every truncation is INVALID_ARGUMENT, except at a header boundary: fewer headers (the id is optional). */
    for (size_t cut = 1; cut < len; cut++) {
        hooksig_result rc = hooksig_verifier_verify_packed(v, p, cut, K2P_BODY, strlen(K2P_BODY), 1714672900, &out);
        CHECK(rc == (cut == sig_end ? HOOKSIG_RESULT_OK
                     : cut == first_end ? HOOKSIG_RESULT_MISSING_HEADER
                                        : HOOKSIG_RESULT_INVALID_ARGUMENT));
    }
    CHECK_RC(hooksig_verifier_verify_packed(v, NULL, 0, NULL, 0, 0, &out), HOOKSIG_RESULT_MISSING_HEADER);
    CHECK_RC(hooksig_verifier_verify_packed(NULL, p, len, K2P_BODY, 1, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify_packed(v, NULL, len, K2P_BODY, 1, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify_packed(v, p, len, NULL, 1, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify_packed(v, p, len, K2P_BODY, 1, 0, NULL), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify_request_packed(v, p, len, K2P_BODY, 1, "POST", 4, "/", 1, 0, &out),
             HOOKSIG_RESULT_INVALID_ARGUMENT); /* key2pay signs no request */
    /* The same verification as one number: secret index, id offset and length in `packed`, timestamp + 1. */
    int64_t r = hooksig_verifier_verify_packed_i64(v, p, len, K2P_BODY, strlen(K2P_BODY), 1714672900);
    CHECK(r >= 0 && (r & 7) == 0 && ((r >> 3) & 0xFFFF) == (int64_t)id_at && ((r >> 19) & 0xFF) == 9);
    CHECK((r >> 27) == 1714672890 + 1);
    r = hooksig_verifier_verify_packed_i64(v, p, sig_end, K2P_BODY, strlen(K2P_BODY), 1714672900);
    CHECK(r >= 0 && ((r >> 3) & 0xFFFF) == 0 && (r >> 27) == 1714672890 + 1); /* no id sent: offset 0 */
    CHECK(hooksig_verifier_verify_packed_i64(v, p, len, "{}", 2, 1714672900) == -HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    CHECK(hooksig_verifier_verify_packed_i64(v, p, 3, K2P_BODY, 1, 0) == -HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK(hooksig_verifier_verify_packed_i64(NULL, p, len, K2P_BODY, 1, 0) == -HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK(hooksig_verifier_verify_packed_i64(v, p, len, NULL, 1, 0) == -HOOKSIG_RESULT_NULL_ARGUMENT);
    size_t scheme_len = 99;
    const uint8_t *scheme = hooksig_verifier_scheme(v, &scheme_len);
    CHECK(scheme != NULL && scheme_len == 7 && memcmp(scheme, "key2pay", 7) == 0);
    CHECK(hooksig_verifier_scheme(NULL, &scheme_len) == NULL && scheme_len == 0);
    CHECK(hooksig_verifier_scheme(v, NULL) != NULL);

    CHECK_RC(hooksig_verifier_verify_request_packed(v, p, len, K2P_BODY, 1, NULL, 4, "/", 1, 0, &out),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_verifier_free(v);
}

int main(void) {
    test_real_and_tampered();
    test_sign_round_trip();
    test_nulls_and_junk();
    test_explain();
    test_packed_and_wants_header();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
