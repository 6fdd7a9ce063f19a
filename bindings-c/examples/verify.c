/* Verify a GitHub delivery (the example from GitHub's docs) with hooksig's C ABI.
 * Build: cc -std=c11 verify.c $(pkg-config --cflags --libs hooksig) */
#include <hooksig.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void) {
    /* Once at start-up: the secrets are validated and keyed here. */
    const char *secret = "It's a Secret to Everybody";
    hooksig_bytes secrets[] = {{(const uint8_t *)secret, strlen(secret)}};
    hooksig_verifier *verifier = NULL; /* NULL window options: the default, 300 s either way */
    hooksig_result rc = hooksig_verifier_new("github", 6, secrets, 1, NULL, &verifier);
    if (rc != HOOKSIG_RESULT_OK) {
        fprintf(stderr, "config: %s\n", hooksig_result_code(rc));
        return 1;
    }

    /* Per request: the headers as received, the raw body, the request line (NULL: none), the clock. */
    const char *names[] = {"X-Hub-Signature-256", "X-GitHub-Delivery"};
    const char *values[] = {"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                            "72d3162e-cc78-11e3-81ab-4c9367dc0958"};
    hooksig_header headers[2];
    for (size_t i = 0; i < 2; i++) {
        headers[i] = (hooksig_header){(const uint8_t *)names[i], strlen(names[i]),
                                      (const uint8_t *)values[i], strlen(values[i])};
    }
    const char *body = "Hello, World!";
    hooksig_verified verified;
    rc = hooksig_verifier_verify(verifier, headers, 2, body, strlen(body), NULL, 0, NULL, 0, (uint64_t)time(NULL),
                                 &verified);
    if (rc == HOOKSIG_RESULT_OK) {
        printf("OK scheme=%s secret_index=%zu id=%.*s\n", verified.scheme, verified.secret_index,
               (int)verified.id_len, (const char *)verified.id);
    } else {
        /* Answer with the suggested status; never tell the sender more than the code. */
        printf("rejected: %s (HTTP %u)\n", hooksig_result_code(rc), (unsigned)hooksig_result_http_status(rc));
    }
    hooksig_verifier_free(verifier);
    return rc == HOOKSIG_RESULT_OK ? 0 : 1;
}
