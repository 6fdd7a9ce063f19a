/* C side of `make bench` (run by benches/run.py, one round per call).
 *
 * Every timed call is what a C webhook handler does with the request it was
 * handed (an array of headers: the provider's plus eight usual ones; the raw
 * body), with objects built once built once:
 * - hooksig: `hooksig_verifier_new` once; `hooksig_verifier_verify_now` per
 *   call (reads the clock, default 300 s window);
 * - OpenSSL one-shot `HMAC()` (the baseline): find the header
 *   (strncasecmp), hex-decode it, `HMAC(EVP_sha256(), key, ...)` (keys on
 *   every call), `CRYPTO_memcmp`; UnknownPay's raw-hex scheme;
 * - OpenSSL pre-keyed `EVP_MAC_CTX`: as above, but the HMAC context is keyed
 *   once and re-initialised with `EVP_MAC_init(ctx, NULL, 0, NULL)` (the
 *   stored key's pads reused) per call.
 *
 * Usage: c-bench --data DIR [--seconds S] [--reps N] [--round R]
 * Prints one JSON line per (contestant, size): the median of the reps, in ns.
 */
#define _POSIX_C_SOURCE 200809L
#include <hooksig.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <time.h>

#define NSIZES 4
#define MAXH 16
#define MAXREPS 16
static const size_t SIZES[NSIZES] = {300, 2048, 65536, 1048576};

static void die(const char *what) {
  fprintf(stderr, "c-bench: %s\n", what);
  exit(1);
}

/* ------------------------------------------------------------ inputs */

typedef struct {
  hooksig_header h[MAXH];
  size_t n;
} header_list;

static char *tsv_lines[4096];
static size_t tsv_n;
static unsigned char *bodies[NSIZES];
static char content_length[NSIZES][16];

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) die(path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) die(path);
  buf[n] = 0;
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}

static void load(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/cases.tsv", dir);
  char *text = read_file(path, NULL);
  for (char *line = strtok(text, "\n"); line && tsv_n < 4096; line = strtok(NULL, "\n")) tsv_lines[tsv_n++] = line;
  for (int i = 0; i < NSIZES; i++) {
    size_t len;
    snprintf(path, sizeof path, "%s/body-%zu.json", dir, SIZES[i]);
    bodies[i] = (unsigned char *)read_file(path, &len);
    if (len != SIZES[i]) die("body size");
    snprintf(content_length[i], sizeof content_length[i], "%zu", SIZES[i]);
  }
}

/* Splits a copy of a tab-separated line into at most 6 fields. */
static int fields(const char *line, char **out, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", line);
  int n = 0;
  char *save = NULL;
  for (char *f = strtok_r(buf, "\t", &save); f && n < 6; f = strtok_r(NULL, "\t", &save)) out[n++] = f;
  return n;
}

static void push(header_list *l, const char *name, const char *value) {
  if (l->n >= MAXH) die("too many headers");
  l->h[l->n].name = (const uint8_t *)strdup(name);
  l->h[l->n].name_len = strlen(name);
  l->h[l->n].value = (const uint8_t *)strdup(value);
  l->h[l->n].value_len = strlen(value);
  l->n++;
}

/* The request's headers: the eight usual ones, then the provider's. */
static header_list headers_for(const char *profile, int size_index, int signer) {
  header_list l = {.n = 0};
  char buf[512], *f[6];
  char size[16], who[4];
  snprintf(size, sizeof size, "%zu", SIZES[size_index]);
  snprintf(who, sizeof who, "%d", signer);
  for (size_t i = 0; i < tsv_n; i++) {
    int n = fields(tsv_lines[i], f, buf, sizeof buf);
    if (n == 3 && !strcmp(f[0], "extra"))
      push(&l, f[1], strcasecmp(f[1], "Content-Length") ? f[2] : content_length[size_index]);
  }
  for (size_t i = 0; i < tsv_n; i++) {
    int n = fields(tsv_lines[i], f, buf, sizeof buf);
    if (n == 6 && !strcmp(f[0], "header") && !strcmp(f[1], profile) && !strcmp(f[2], size) && !strcmp(f[3], who))
      push(&l, f[4], f[5]);
  }
  return l;
}

static char *secret(const char *profile, int index) {
  char buf[512], *f[6], idx[4];
  snprintf(idx, sizeof idx, "%d", index);
  for (size_t i = 0; i < tsv_n; i++) {
    int n = fields(tsv_lines[i], f, buf, sizeof buf);
    if (n == 4 && !strcmp(f[0], "secret") && !strcmp(f[1], profile) && !strcmp(f[2], idx)) return strdup(f[3]);
  }
  die("no secret");
  return NULL;
}

/* ------------------------------------------------------------ contestants */

typedef struct contestant contestant;
struct contestant {
  const char *name, *kind, *pair, *note;
  /* hooksig */
  hooksig_verifier *verifier;
  size_t expect_index;
  /* OpenSSL */
  const char *key;
  EVP_MAC_CTX *mac;
  header_list headers[NSIZES];
  int (*call)(const contestant *, int size_index);
  double ns[NSIZES][MAXREPS];
};

static int hooksig_call(const contestant *c, int s) {
  hooksig_verified out;
  const header_list *l = &c->headers[s];
  enum hooksig_result r = hooksig_verifier_verify(c->verifier, l->h, l->n, (const char *)bodies[s], SIZES[s], NULL, 0,
                                                  NULL, 0, (uint64_t)time(NULL), &out);
  return r == HOOKSIG_RESULT_OK && out.secret_index == c->expect_index;
}

/* The header a hand-written handler looks up, hex-decoded into `tag`. */
static int find_hex_tag(const header_list *l, unsigned char tag[32]) {
  for (size_t i = 0; i < l->n; i++) {
    if (l->h[i].name_len == 19 && !strncasecmp((const char *)l->h[i].name, "X-Webhook-Signature", 19)) {
      if (l->h[i].value_len != 64) return 0;
      long len = 0;
      char hex[65];
      memcpy(hex, l->h[i].value, 64);
      hex[64] = 0;
      unsigned char *decoded = OPENSSL_hexstr2buf(hex, &len);
      if (!decoded || len != 32) {
        OPENSSL_free(decoded);
        return 0;
      }
      memcpy(tag, decoded, 32);
      OPENSSL_free(decoded);
      return 1;
    }
  }
  return 0;
}

static int hmac_oneshot_call(const contestant *c, int s) {
  unsigned char tag[32], mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!find_hex_tag(&c->headers[s], tag)) return 0;
  if (!HMAC(EVP_sha256(), c->key, (int)strlen(c->key), bodies[s], SIZES[s], mac, &mac_len)) return 0;
  return mac_len == 32 && CRYPTO_memcmp(mac, tag, 32) == 0;
}

static int evp_mac_call(const contestant *c, int s) {
  unsigned char tag[32], mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  if (!find_hex_tag(&c->headers[s], tag)) return 0;
  if (!EVP_MAC_init(c->mac, NULL, 0, NULL)) return 0;
  if (!EVP_MAC_update(c->mac, bodies[s], SIZES[s])) return 0;
  if (!EVP_MAC_final(c->mac, mac, &mac_len, sizeof mac)) return 0;
  return mac_len == 32 && CRYPTO_memcmp(mac, tag, 32) == 0;
}

static contestant contestants[16];
static int ncontestants;

static void add_hooksig(const char *profile, int two) {
  contestant *c = &contestants[ncontestants++];
  char *name = malloc(128);
  snprintf(name, 128, "hooksig %s%s", profile, two ? " (2 secrets, 2nd matches)" : "");
  c->name = name;
  c->kind = "hooksig";
  c->pair = c->note = "";
  char *s0 = secret(profile, 0), *s1 = secret(profile, 1);
  hooksig_bytes secrets[2] = {{(const uint8_t *)s0, strlen(s0)}, {(const uint8_t *)s1, strlen(s1)}};
  if (hooksig_verifier_new(profile, strlen(profile), secrets, two ? 2 : 1, NULL, &c->verifier) != HOOKSIG_RESULT_OK)
    die("hooksig_verifier_new");
  c->expect_index = two ? 1 : 0;
  for (int s = 0; s < NSIZES; s++) c->headers[s] = headers_for(profile, s, two ? 1 : 0);
  c->call = hooksig_call;
}

static void add_openssl(void) {
  contestant *c = &contestants[ncontestants++];
  c->name = "OpenSSL HMAC() one-shot";
  c->kind = "baseline";
  c->pair = "hooksig unknownpay";
  c->note = "header found with `strncasecmp`, hex-decoded, `HMAC(EVP_sha256(), key, ...)` (re-keys per call), `CRYPTO_memcmp`";
  c->key = secret("unknownpay", 0);
  for (int s = 0; s < NSIZES; s++) c->headers[s] = headers_for("unknownpay", s, 0);
  c->call = hmac_oneshot_call;

  contestant *e = &contestants[ncontestants++];
  *e = *c;
  e->name = "OpenSSL EVP_MAC_CTX pre-keyed";
  e->kind = "peer";
  e->note = "as the one-shot, but an `EVP_MAC_CTX` keyed once and `EVP_MAC_init(ctx, NULL, 0, NULL)` per call";
  EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  e->mac = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0), OSSL_PARAM_construct_end()};
  if (!e->mac || !EVP_MAC_init(e->mac, (const unsigned char *)e->key, strlen(e->key), params)) die("EVP_MAC");
  e->call = evp_mac_call;
}

/* ------------------------------------------------------------ timing */

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double batch(const contestant *c, int s, double seconds) {
  long n = 1;
  for (;;) {
    int ok = 1;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) ok &= c->call(c, s);
    double dt = now_ns() - t0;
    if (!ok) die(c->name);
    if (dt >= seconds * 1e9 || n >= (1L << 26)) return dt / (double)n;
    long next = (long)((double)n * seconds * 1e9 / (dt > 1 ? dt : 1) * 1.1);
    n = next > 2 * n ? next : 2 * n;
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const char *dir = NULL;
  double seconds = 0.25;
  int reps = 3, round = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--data")) dir = argv[i + 1];
    else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--reps")) reps = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--round")) round = atoi(argv[i + 1]);
  }
  if (!dir) die("usage: c-bench --data DIR [--seconds S] [--reps N] [--round R]");
  if (reps < 1 || reps > MAXREPS) die("--reps: 1 to 16");
  load(dir);
  const char *profiles[] = {"unknownpay", "key2pay", "stripe", "standard-webhooks", "github"};
  for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) add_hooksig(profiles[i], 0);
  add_hooksig("standard-webhooks", 1);
  add_openssl();
  for (int i = 0; i < ncontestants; i++)
    for (int s = 0; s < NSIZES; s++)
      if (!contestants[i].call(&contestants[i], s)) die(contestants[i].name);

  double per = seconds / reps;
  for (int rep = 0; rep < reps; rep++) {
    int shift = (round + rep) % ncontestants;
    for (int s = 0; s < NSIZES; s++)
      for (int k = 0; k < ncontestants; k++) {
        contestant *c = &contestants[(k + shift) % ncontestants];
        c->ns[s][rep] = batch(c, s, per);
      }
  }
  printf("{\"meta\":{\"runtime\":\"gcc %s\",\"packages\":{\"hooksig\":\"%s\",\"OpenSSL\":\"%s\"}}}\n", __VERSION__,
         hooksig_version(), OpenSSL_version(OPENSSL_VERSION));
  for (int i = 0; i < ncontestants; i++) {
    contestant *c = &contestants[i];
    for (int s = 0; s < NSIZES; s++) {
      qsort(c->ns[s], (size_t)reps, sizeof(double), cmp_double);
      double med = reps % 2 ? c->ns[s][reps / 2] : (c->ns[s][reps / 2 - 1] + c->ns[s][reps / 2]) / 2;
      printf("{\"name\":\"%s\",\"kind\":\"%s\",\"pair\":\"%s\",\"note\":\"%s\",\"size\":%zu,\"ns\":%.1f}\n", c->name,
             c->kind, c->pair, c->note, SIZES[s], med);
    }
  }
  return 0;
}
