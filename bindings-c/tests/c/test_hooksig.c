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

#define TEXT(s) (s), strlen(s)
#define NO_LINE NULL, 0, NULL, 0

static hooksig_verifier *verifier(const char *profile, const char *secret, const hooksig_window *window) {
    hooksig_bytes secrets[] = {{BYTES(secret)}};
    hooksig_verifier *v = NULL;
    CHECK_RC(hooksig_verifier_new(TEXT(profile), secrets, 1, window, &v), HOOKSIG_RESULT_OK);
    return v;
}

static void test_real_and_tampered(void) {
    hooksig_bytes secrets[] = {{BYTES("an-old-secret")}, {BYTES(K2P_SECRET)}};
    hooksig_verifier *v = NULL;
    CHECK_RC(hooksig_verifier_new("key2pay", 7, secrets, 2, NULL, &v), HOOKSIG_RESULT_OK); /* NULL: default window */
    CHECK(v != NULL && strcmp(hooksig_verifier_scheme(v), "key2pay") == 0);

    hooksig_header headers[] = {header("x-key2pay-signature", K2P_SIG), header("X-Key2Pay-Event", "payment.completed"),
                                header("HTTP_X_KEY2PAY_DELIVERY", "dlv_1zP9e")};
    hooksig_verified out;
    memset(&out, 0, sizeof out);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, TEXT(K2P_BODY), NO_LINE, 1714672900, &out), HOOKSIG_RESULT_OK);
    CHECK(out.secret_index == 1);
    CHECK(out.has_timestamp && out.timestamp == 1714672890);
    CHECK(out.id_len == 9 && memcmp(out.id, "dlv_1zP9e", 9) == 0);
    CHECK(out.id == headers[2].value); /* the id points into the caller's header value */
    CHECK(strcmp(out.scheme, "key2pay") == 0);
    /* A request line is ignored by profiles that do not sign one; half a line is refused. */
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, TEXT(K2P_BODY), "POST", 4, "/", 1, 1714672900, &out),
             HOOKSIG_RESULT_OK);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, TEXT(K2P_BODY), "POST", 4, NULL, 0, 1714672900, &out),
             HOOKSIG_RESULT_INVALID_ARGUMENT);

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
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, TEXT(tampered), NO_LINE, 1714672900, &untouched),
             HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    CHECK(memcmp(&untouched, &copy, sizeof copy) == 0);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, TEXT(K2P_BODY), NO_LINE, 1714672890 + 301, &out),
             HOOKSIG_RESULT_TIMESTAMP_TOO_OLD);
    CHECK_RC(hooksig_verifier_verify(v, headers, 3, TEXT(K2P_BODY), NO_LINE, 1714672890 - 301, &out),
             HOOKSIG_RESULT_TIMESTAMP_IN_FUTURE);
    CHECK_RC(hooksig_verifier_verify(v, headers + 1, 2, TEXT(K2P_BODY), NO_LINE, 1714672900, &out),
             HOOKSIG_RESULT_MISSING_HEADER);
    hooksig_header junk[] = {header("X-Key2Pay-Signature", "t=17146x2890,v1=zz")};
    CHECK_RC(hooksig_verifier_verify(v, junk, 1, TEXT(K2P_BODY), NO_LINE, 1714672900, &out),
             HOOKSIG_RESULT_MALFORMED_HEADER);
    hooksig_verifier_free(v);

    /* Stripe: the fake v0 never counts, the real v1 does. */
    v = verifier("stripe", STRIPE_SECRET, NULL);
    hooksig_header stripe[] = {header("Stripe-Signature", STRIPE_SIG)};
    CHECK_RC(hooksig_verifier_verify(v, stripe, 1, TEXT(STRIPE_BODY), NO_LINE, 1700000000, &out), HOOKSIG_RESULT_OK);
    CHECK(strcmp(out.scheme, "stripe") == 0 && out.id == NULL && out.id_len == 0);
    CHECK_RC(hooksig_verifier_verify(v, stripe, 1, TEXT("{}"), NO_LINE, 1700000000, &out),
             HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    hooksig_verifier_free(v);
}

/* Window options are passed as given; the core refuses what is not a sane number of seconds. */
static void test_window_options(void) {
    const hooksig_window_arg absent = {HOOKSIG_WINDOW_KIND_ABSENT, 0, 0.0};
    const hooksig_window_arg bad[] = {
        {HOOKSIG_WINDOW_KIND_INT, -1, 0.0},        /* -1 */
        {HOOKSIG_WINDOW_KIND_FLOAT, 0, 1.5},       /* 1.5 */
        {HOOKSIG_WINDOW_KIND_INVALID, 300, 0.0},   /* "300" */
        {HOOKSIG_WINDOW_KIND_INVALID, 1, 0.0},     /* true */
        {HOOKSIG_WINDOW_KIND_INT, INT64_MAX, 0.0}, /* huge */
        {HOOKSIG_WINDOW_KIND_FLOAT, 0, 1e30},      /* 10**30 */
        {99, 300, 0.0},                            /* not a kind */
    };
    hooksig_bytes secrets[] = {{BYTES("s")}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int side = 0; side < 3; side++) {
            hooksig_window window = {absent, absent, absent};
            *(side == 0 ? &window.tolerance : side == 1 ? &window.past : &window.future) = bad[i];
            hooksig_verifier *v = NULL;
            CHECK_RC(hooksig_verifier_new("stripe", 6, secrets, 1, &window, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
            CHECK(v == NULL);
        }
    }
    /* A Stripe delivery signed in 2001 is stale, and tolerance -1 never makes it acceptable. */
    uint8_t buf[256];
    size_t needed = 0;
    hooksig_signed_headers sh;
    hooksig_sign_options at_2001 = {true, 1000000000, {NULL, 0}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    CHECK_RC(hooksig_sign(TEXT("stripe"), TEXT(STRIPE_SECRET), TEXT("{}"), &at_2001, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_OK);
    hooksig_verified out;
    hooksig_verifier *v = verifier("stripe", STRIPE_SECRET, NULL);
    CHECK_RC(hooksig_verifier_verify(v, sh.headers, sh.len, TEXT("{}"), NO_LINE, 1700000000, &out),
             HOOKSIG_RESULT_TIMESTAMP_TOO_OLD);
    hooksig_verifier_free(v);
    hooksig_window minus_one = {{HOOKSIG_WINDOW_KIND_INT, -1, 0.0}, absent, absent};
    CHECK_RC(hooksig_verifier_new("stripe", 6, secrets, 1, &minus_one, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    /* Accepted: a whole float, a disabled window, one side overridden. */
    hooksig_window whole = {{HOOKSIG_WINDOW_KIND_FLOAT, 0, 60.0}, absent, absent};
    hooksig_window disabled = {{HOOKSIG_WINDOW_KIND_NULL, 0, 0.0}, absent, absent};
    hooksig_window future_10 = {absent, absent, {HOOKSIG_WINDOW_KIND_INT, 10, 0.0}};
    hooksig_window *windows[] = {&whole, &disabled, &future_10};
    uint64_t nows[] = {1000000000 + 60, 1700000000, 1000000000 + 300};
    for (size_t i = 0; i < 3; i++) {
        v = verifier("stripe", STRIPE_SECRET, windows[i]);
        CHECK_RC(hooksig_verifier_verify(v, sh.headers, sh.len, TEXT("{}"), NO_LINE, nows[i], &out), HOOKSIG_RESULT_OK);
        CHECK_RC(hooksig_verifier_verify(v, sh.headers, sh.len, TEXT("{}"), NO_LINE, 1000000000 - 61, &out),
                 i == 1 ? HOOKSIG_RESULT_OK : HOOKSIG_RESULT_TIMESTAMP_IN_FUTURE);
        hooksig_verifier_free(v);
    }
    hooksig_window contradictory = {{HOOKSIG_WINDOW_KIND_NULL, 0, 0.0}, {HOOKSIG_WINDOW_KIND_INT, 5, 0.0}, absent};
    CHECK_RC(hooksig_verifier_new("stripe", 6, secrets, 1, &contradictory, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
}

static void test_sign_round_trip(void) {
    const char *body = "{\"amount\":100}";
    size_t needed = 0;
    hooksig_signed_headers signed_headers;
    hooksig_sign_options options = {true, 1700000000, {NULL, 0}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    /* Size query, then one byte short, then exactly right. */
    CHECK_RC(hooksig_sign(TEXT("stripe"), TEXT(STRIPE_SECRET), TEXT(body), &options, NULL, 0, &needed, &signed_headers),
             HOOKSIG_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == strlen("Stripe-Signature") + 1 + strlen("t=1700000000,v1=") + 64 + 1);
    uint8_t buf[256];
    CHECK_RC(hooksig_sign(TEXT("stripe"), TEXT(STRIPE_SECRET), TEXT(body), &options, buf, needed - 1, &needed,
                          &signed_headers),
             HOOKSIG_RESULT_BUFFER_TOO_SMALL);
    CHECK_RC(hooksig_sign(TEXT("stripe"), TEXT(STRIPE_SECRET), TEXT(body), &options, buf, needed, &needed,
                          &signed_headers),
             HOOKSIG_RESULT_OK);
    CHECK(signed_headers.len == 1);
    CHECK(strcmp((const char *)signed_headers.headers[0].name, "Stripe-Signature") == 0);
    hooksig_verified out;
    hooksig_verifier *v = verifier("stripe", STRIPE_SECRET, NULL);
    CHECK_RC(hooksig_verifier_verify(v, signed_headers.headers, signed_headers.len, TEXT(body), NO_LINE, 1700000000,
                                     &out),
             HOOKSIG_RESULT_OK);
    CHECK(out.timestamp == 1700000000);
    hooksig_verifier_free(v);

    /* S2S request signing (key id and idempotency key) and verification through the same two functions. */
    hooksig_signed_headers req;
    uint8_t rbuf[512];
    hooksig_sign_options s2s = {true, 1700000000, {BYTES("idem-7")}, {BYTES("POST")}, {BYTES("/v1/payouts?x=1")},
                                {BYTES("key_1")}};
    CHECK_RC(hooksig_sign(TEXT("unknownpay-s2s"), TEXT("s2s-secret"), TEXT(body), &s2s, rbuf, sizeof rbuf, &needed,
                          &req),
             HOOKSIG_RESULT_OK);
    CHECK(req.len == 4);
    v = verifier("unknownpay-s2s", "s2s-secret", NULL);
    CHECK_RC(hooksig_verifier_verify(v, req.headers, req.len, TEXT(body), "POST", 4, "/v1/payouts?x=1", 15,
                                     1700000010, &out),
             HOOKSIG_RESULT_OK);
    CHECK(out.id_len == 6 && memcmp(out.id, "idem-7", 6) == 0);
    CHECK_RC(hooksig_verifier_verify(v, req.headers, req.len, TEXT(body), "POST", 4, "/v1/payouts?x=2", 15,
                                     1700000010, &out),
             HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    CHECK_RC(hooksig_verifier_verify(v, req.headers, req.len, TEXT(body), NO_LINE, 1700000010, &out),
             HOOKSIG_RESULT_INVALID_ARGUMENT); /* s2s needs the request line */
    hooksig_verifier_free(v);
    hooksig_sign_options key_for_github = {false, 0, {NULL, 0}, {NULL, 0}, {NULL, 0}, {BYTES("k")}};
    CHECK_RC(hooksig_sign(TEXT("github"), TEXT("s"), TEXT("b"), &key_for_github, rbuf, sizeof rbuf, &needed, &req),
             HOOKSIG_RESULT_INVALID_ARGUMENT);

    /* The id (and the secret) may lie inside the output buffer: read before the buffer is written. */
    uint8_t shared[256];
    memset(shared, 0, sizeof shared);
    memcpy(shared, "secret-in-buf", 13);
    memcpy(shared + 20, "delivery-in-buf", 15);
    hooksig_sign_options inside = {false, 0, {shared + 20, 15}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    CHECK_RC(hooksig_sign(TEXT("github"), (const char *)shared, 13, TEXT("b"), &inside, shared, sizeof shared, &needed,
                          &req),
             HOOKSIG_RESULT_OK);
    hooksig_sign_options apart = {false, 0, {BYTES("delivery-in-buf")}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    hooksig_signed_headers expected;
    CHECK_RC(hooksig_sign(TEXT("github"), TEXT("secret-in-buf"), TEXT("b"), &apart, rbuf, sizeof rbuf, &needed,
                          &expected),
             HOOKSIG_RESULT_OK);
    CHECK(req.len == 2 && expected.len == 2 && memcmp(shared, rbuf, needed) == 0);
    CHECK(strcmp((const char *)req.headers[1].value, "delivery-in-buf") == 0);
}

static void test_nulls_and_junk(void) {
    hooksig_bytes secrets[] = {{BYTES("s")}};
    hooksig_verifier *v = NULL;
    hooksig_verified out;
    hooksig_header h[] = {header("X-Hub-Signature-256", "sha256=00")};

    CHECK_RC(hooksig_verifier_new(NULL, 6, secrets, 1, NULL, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("github", 6, NULL, 1, NULL, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 1, NULL, NULL), HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_bytes null_secret[] = {{NULL, 4}};
    CHECK_RC(hooksig_verifier_new("github", 6, null_secret, 1, NULL, &v), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK(v == NULL); /* nothing written on failure */
    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 0, NULL, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    hooksig_bytes empty_secret[] = {{NULL, 0}};
    CHECK_RC(hooksig_verifier_new("github", 6, empty_secret, 1, NULL, &v), HOOKSIG_RESULT_INVALID_SECRET);
    CHECK_RC(hooksig_verifier_new("no-such-provider", 16, secrets, 1, NULL, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK_RC(hooksig_verifier_new("\xff\xfe", 2, secrets, 1, NULL, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    hooksig_bytes nine[9];
    for (size_t i = 0; i < 9; i++) {
        nine[i] = secrets[0];
    }
    CHECK_RC(hooksig_verifier_new("github", 6, nine, 9, NULL, &v), HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK(v == NULL);

    CHECK_RC(hooksig_verifier_new("github", 6, secrets, 1, NULL, &v), HOOKSIG_RESULT_OK);
    CHECK_RC(hooksig_verifier_verify(NULL, h, 1, TEXT("x"), NO_LINE, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, NULL, 1, TEXT("x"), NO_LINE, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, NULL, 1, NO_LINE, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, TEXT("x"), NO_LINE, 0, NULL), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, TEXT("x"), NULL, 4, "/", 1, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    hooksig_header null_value[] = {{(const uint8_t *)"X-Hub-Signature-256", 19, NULL, 7}};
    CHECK_RC(hooksig_verifier_verify(v, null_value, 1, TEXT("x"), NO_LINE, 0, &out), HOOKSIG_RESULT_NULL_ARGUMENT);
    /* NULL with length 0 is an empty body / no headers. */
    CHECK_RC(hooksig_verifier_verify(v, NULL, 0, NULL, 0, NO_LINE, 0, &out), HOOKSIG_RESULT_MISSING_HEADER);
    CHECK_RC(hooksig_verifier_verify(v, h, 1, NULL, 0, NO_LINE, 0, &out), HOOKSIG_RESULT_NO_SIGNATURE);
    /* Junk bytes everywhere: a code, never a crash. */
    uint8_t junk[300];
    for (size_t i = 0; i < sizeof junk; i++) {
        junk[i] = (uint8_t)(i * 37 + 11);
    }
    const char *j = (const char *)junk;
    hooksig_header junk_headers[] = {{junk, 19, junk + 19, 200}, {junk, 0, junk, 0}, {junk + 3, 50, junk, 300}};
    CHECK_RC(hooksig_verifier_verify(v, junk_headers, 3, j, sizeof junk, NO_LINE, 0, &out),
             HOOKSIG_RESULT_MISSING_HEADER);
    hooksig_header sig_junk[] = {{(const uint8_t *)"x-hub-signature-256", 19, junk, sizeof junk}};
    CHECK_RC(hooksig_verifier_verify(v, sig_junk, 1, j, sizeof junk, j, 5, j, 7, 0, &out),
             HOOKSIG_RESULT_INVALID_ARGUMENT); /* a request line of junk bytes */
    CHECK_RC(hooksig_verifier_verify(v, sig_junk, 1, j, sizeof junk, NO_LINE, 0, &out), HOOKSIG_RESULT_NO_SIGNATURE);
    hooksig_verifier_free(v);
    hooksig_verifier_free(NULL); /* a no-op */
    CHECK(strcmp(hooksig_verifier_scheme(NULL), "") == 0);

    size_t needed = 0;
    hooksig_signed_headers sh;
    uint8_t buf[256];
    hooksig_sign_options none = {false, 0, {NULL, 0}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    hooksig_sign_options null_id = {false, 0, {NULL, 3}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    CHECK_RC(hooksig_sign(TEXT("github"), TEXT("s"), TEXT("b"), NULL, buf, sizeof buf, NULL, &sh),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_sign(TEXT("github"), TEXT("s"), TEXT("b"), &none, buf, sizeof buf, &needed, NULL),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    /* A NULL buffer that claims room: NULL_ARGUMENT, with the size written all the same. */
    needed = 0;
    CHECK_RC(hooksig_sign(TEXT("github"), TEXT("s"), TEXT("b"), NULL, NULL, 500, &needed, &sh),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK(needed == strlen("X-Hub-Signature-256") + 1 + strlen("sha256=") + 64 + 1);
    CHECK_RC(hooksig_sign(TEXT("github"), TEXT("s"), TEXT("b"), &null_id, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_sign(TEXT("stripe"), TEXT("s"), TEXT("b"), NULL, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_INVALID_ARGUMENT); /* Stripe needs a timestamp */
    CHECK_RC(hooksig_sign(TEXT("github"), NULL, 0, TEXT("b"), NULL, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_INVALID_SECRET);
    hooksig_sign_options bad_method = {true, 1, {NULL, 0}, {BYTES("BAD METHOD")}, {BYTES("/")}, {NULL, 0}};
    CHECK_RC(hooksig_sign(TEXT("unknownpay-s2s"), TEXT("s"), NULL, 0, &bad_method, buf, sizeof buf, &needed, &sh),
             HOOKSIG_RESULT_INVALID_ARGUMENT);

    /* Result names and messages: static strings for every value, even junk. */
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_OK), "OK") == 0);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_SIGNATURE_MISMATCH), "SIGNATURE_MISMATCH") == 0);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_INTERNAL), "INTERNAL") == 0);
    CHECK(strcmp(hooksig_result_code(102), "UNKNOWN") == 0); /* the retired PANIC */
    CHECK(strcmp(hooksig_result_code(12345), "UNKNOWN") == 0);
    CHECK(strlen(hooksig_result_message(HOOKSIG_RESULT_MALFORMED_BODY)) > 10);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_OK) == 200);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_TIMESTAMP_TOO_OLD) == 401);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_MISSING_HEADER) == 400);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_INTERNAL) == 500);
    CHECK(strlen(hooksig_version()) >= 5);
}

/* explain: the Key2Pay delivery with the secret read from a file (trailing newline). */
static void test_explain(void) {
    hooksig_bytes secrets[] = {{BYTES("an-old-secret")}, {BYTES("whsec_k2p_test_secret\n")}};
    hooksig_header headers[] = {header("X-Key2Pay-Signature", K2P_SIG)};
    hooksig_explain_args args;
    memset(&args, 0, sizeof args); /* all-zero: default window, no request line */
    args.profile = (hooksig_bytes){BYTES("key2pay")};
    args.secrets = secrets;
    args.secrets_len = 2;
    args.headers = headers;
    args.headers_len = 1;
    args.body = (hooksig_bytes){BYTES(K2P_BODY)};
    args.now = 1714672890;
    size_t needed = 0;
    hooksig_result verdict = HOOKSIG_RESULT_INTERNAL;
    /* First call: no buffer, asks for the size (the verdict is already written). */
    CHECK_RC(hooksig_explain(&args, NULL, 0, &needed, &verdict), HOOKSIG_RESULT_BUFFER_TOO_SMALL);
    char *json = malloc(needed);
    CHECK(json != NULL);
    if (json == NULL) {
        return;
    }
    hooksig_result rc = hooksig_explain(&args, json, needed, &needed, &verdict);
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

    /* The right secret: verdict OK, no findings. Junk: argument errors. */
    char small[512];
    secrets[1] = (hooksig_bytes){BYTES(K2P_SECRET)};
    CHECK_RC(hooksig_explain(&args, small, sizeof small, &needed, &verdict), HOOKSIG_RESULT_OK);
    CHECK_RC(verdict, HOOKSIG_RESULT_OK);
    CHECK(strncmp(small, "{\"verdict\":\"OK\",\"secret_index\":1,", 33) == 0);
    CHECK(strstr(small, "\"findings\":[]") != NULL);
    hooksig_explain_args bad = args;
    bad.profile = (hooksig_bytes){BYTES("nope")};
    CHECK_RC(hooksig_explain(&bad, small, sizeof small, &needed, &verdict), HOOKSIG_RESULT_INVALID_ARGUMENT);
    bad = args;
    bad.window.tolerance = (hooksig_window_arg){HOOKSIG_WINDOW_KIND_INT, -1, 0.0};
    CHECK_RC(hooksig_explain(&bad, small, sizeof small, &needed, &verdict), HOOKSIG_RESULT_INVALID_ARGUMENT);
    bad = args;
    bad.method = (hooksig_bytes){BYTES("POST")};
    CHECK_RC(hooksig_explain(&bad, small, sizeof small, &needed, &verdict), HOOKSIG_RESULT_INVALID_ARGUMENT);
    CHECK_RC(hooksig_explain(NULL, small, sizeof small, &needed, &verdict), HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK_RC(hooksig_explain(&args, small, 4, NULL, &verdict), HOOKSIG_RESULT_NULL_ARGUMENT);
}

/* Appends one length-prefixed field (u32 little-endian length, then the bytes) to a packed header string. */
static size_t pack_field(uint8_t *dst, size_t at, const char *bytes, size_t len) {
    for (size_t i = 0; i < 4; i++) {
        dst[at + i] = (uint8_t)((len >> (8 * i)) & 0xFF);
    }
    memcpy(dst + at + 4, bytes, len);
    return at + 4 + len;
}

/* PHP's fast path: packed headers in, one hooksig::compact number out, decoded with the exported constants. */
static void test_compact_and_wants_headers(void) {
    hooksig_verifier *v = verifier("key2pay", K2P_SECRET, NULL);
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
    len = pack_field(packed, len, "dlv_1zP9e", 9);
    const char *p = (const char *)packed;
    int64_t index_mask = (1 << HOOKSIG_COMPACT_INDEX_BITS) - 1, id_mask = (1 << HOOKSIG_COMPACT_ID_BITS) - 1;
    int64_t r = hooksig_verifier_verify_compact(v, p, len, TEXT(K2P_BODY), 1714672900, NULL);
    CHECK(r >= 0 && (r & index_mask) == 0);
    CHECK(((r >> HOOKSIG_COMPACT_ID_SHIFT) & id_mask) == 3); /* the id is the value of header 2 (+1) */
    CHECK((r >> HOOKSIG_COMPACT_TIMESTAMP_SHIFT) == 1714672890 + 1);
    r = hooksig_verifier_verify_compact(v, p, sig_end, TEXT(K2P_BODY), 1714672900, NULL);
    CHECK(r >= 0 && ((r >> HOOKSIG_COMPACT_ID_SHIFT) & id_mask) == 0); /* no id sent */
    CHECK(hooksig_verifier_verify_compact(v, p, len, TEXT("{}"), 1714672900, NULL) ==
          -HOOKSIG_RESULT_SIGNATURE_MISMATCH);
    /* Every truncation is INVALID_ARGUMENT, except at a header boundary: fewer headers (the id is optional). */
    for (size_t cut = 1; cut < len; cut++) {
        r = hooksig_verifier_verify_compact(v, p, cut, TEXT(K2P_BODY), 1714672900, NULL);
        CHECK(r == (cut == sig_end     ? r & ~(id_mask << HOOKSIG_COMPACT_ID_SHIFT)
                    : cut == first_end ? -HOOKSIG_RESULT_MISSING_HEADER
                                       : -HOOKSIG_RESULT_INVALID_ARGUMENT));
    }
    CHECK(hooksig_verifier_verify_compact(v, NULL, 0, NULL, 0, 0, NULL) == -HOOKSIG_RESULT_MISSING_HEADER);
    CHECK(hooksig_verifier_verify_compact(NULL, p, len, TEXT(K2P_BODY), 0, NULL) == -HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK(hooksig_verifier_verify_compact(v, NULL, len, TEXT(K2P_BODY), 0, NULL) == -HOOKSIG_RESULT_NULL_ARGUMENT);
    CHECK(hooksig_verifier_verify_compact(v, p, len, NULL, 1, 0, NULL) == -HOOKSIG_RESULT_NULL_ARGUMENT);
    /* An id with spaces around it is trimmed by the core: not "that header's value", so not compact. */
    len = pack_field(packed, sig_end, "HTTP_X_KEY2PAY_DELIVERY", 23);
    len = pack_field(packed, len, " dlv_1zP9e", 10);
    CHECK(hooksig_verifier_verify_compact(v, p, len, TEXT(K2P_BODY), 1714672900, NULL) ==
          HOOKSIG_COMPACT_DOES_NOT_FIT);
    hooksig_verifier_free(v);
}

static int is_lower_hex(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

/* Replay protection: the key in both results, its codes, the claim TTL and the store constants. */
static void test_replay(void) {
    hooksig_verifier *v = verifier("stripe", STRIPE_SECRET, NULL);
    hooksig_header headers[] = {header("Stripe-Signature", STRIPE_SIG)};
    hooksig_verified out;
    CHECK_RC(hooksig_verifier_verify(v, headers, 1, TEXT(STRIPE_BODY), NO_LINE, 1700000000, &out), HOOKSIG_RESULT_OK);
    CHECK(strlen(out.replay_key) == 64 && is_lower_hex(out.replay_key, 64) && !out.id_signed);
    /* The same delivery re-spelled (upper-case hex, no v0): the same key. */
    char upper[256];
    snprintf(upper, sizeof upper, "%s", STRIPE_SIG);
    for (char *c = upper; *c; c++) {
        *c = (*c >= 'a' && *c <= 'f') ? (char)(*c - 'a' + 'A') : *c;
    }
    *strstr(upper, ",v0=") = '\0';
    hooksig_header respelled[] = {header("stripe-signature", upper)};
    hooksig_verified again;
    CHECK_RC(hooksig_verifier_verify(v, respelled, 1, TEXT(STRIPE_BODY), NO_LINE, 1700000000, &again), HOOKSIG_RESULT_OK);
    CHECK(strcmp(again.replay_key, out.replay_key) == 0);
    /* The fast path writes the same key, then '0' (id not signed). */
    uint8_t packed[256], replay[66];
    memset(replay, 'x', sizeof replay);
    size_t len = pack_field(packed, 0, "Stripe-Signature", 16);
    len = pack_field(packed, len, STRIPE_SIG, strlen(STRIPE_SIG));
    CHECK(hooksig_verifier_verify_compact(v, (const char *)packed, len, TEXT(STRIPE_BODY), 1700000000, replay) >= 0);
    CHECK(memcmp(replay, out.replay_key, 64) == 0 && replay[64] == '0' && replay[65] == 'x');
    /* The claim TTL: the window for a timestamped profile, else the retention (default 7 days). */
    CHECK(hooksig_verifier_replay_ttl(v, false, 0) == 600 && hooksig_verifier_replay_ttl(v, true, 60) == 600);
    hooksig_verifier_free(v);
    v = verifier("github", "s", NULL);
    CHECK(hooksig_verifier_replay_ttl(v, false, 0) == 7 * 86400 && hooksig_verifier_replay_ttl(v, true, 60) == 60);
    CHECK(hooksig_verifier_replay_ttl(NULL, true, 60) == 0);
    hooksig_verifier_free(v);
    /* Standard Webhooks signs its id. */
    hooksig_sign_options options = {true, 1700000000, {BYTES("msg_1")}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    uint8_t buf[512];
    size_t needed;
    hooksig_signed_headers signed_headers;
    CHECK_RC(hooksig_sign(TEXT("standard-webhooks"), TEXT("whsec_c2VjcmV0"), TEXT("{}"), &options, buf, sizeof buf, &needed,
                          &signed_headers),
             HOOKSIG_RESULT_OK);
    v = verifier("standard-webhooks", "whsec_c2VjcmV0", NULL);
    CHECK_RC(hooksig_verifier_verify(v, signed_headers.headers, signed_headers.len, TEXT("{}"), NO_LINE, 1700000000, &out),
             HOOKSIG_RESULT_OK);
    CHECK(out.id_signed && out.id_len == 5 && is_lower_hex(out.replay_key, 64));
    hooksig_verifier_free(v);
    /* The codes keep the core's Error::ALL numbering. */
    CHECK(HOOKSIG_RESULT_DUPLICATE_DELIVERY == 11 && HOOKSIG_RESULT_REPLAY_STORE_UNAVAILABLE == 12);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_DUPLICATE_DELIVERY), "DUPLICATE_DELIVERY") == 0);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_REPLAY_STORE_UNAVAILABLE), "REPLAY_STORE_UNAVAILABLE") == 0);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_DUPLICATE_DELIVERY) == 200);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_REPLAY_STORE_UNAVAILABLE) == 503);
    /* The framework adapters' two codes are the core's too. */
    CHECK(HOOKSIG_RESULT_PAYLOAD_TOO_LARGE == 13 && HOOKSIG_RESULT_RAW_BODY_UNAVAILABLE == 14);
    CHECK(strcmp(hooksig_result_code(HOOKSIG_RESULT_PAYLOAD_TOO_LARGE), "PAYLOAD_TOO_LARGE") == 0);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_PAYLOAD_TOO_LARGE) == 413);
    CHECK(hooksig_result_http_status(HOOKSIG_RESULT_RAW_BODY_UNAVAILABLE) == 500);
    CHECK(strcmp(HOOKSIG_REPLAY_STORE_PREFIX, "hooksig:replay:") == 0 && HOOKSIG_DEFAULT_STORE_CAPACITY == 100000);
}

int main(void) {
    test_real_and_tampered();
    test_window_options();
    test_sign_round_trip();
    test_nulls_and_junk();
    test_explain();
    test_compact_and_wants_headers();
    test_replay();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
