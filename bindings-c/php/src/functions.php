<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * Signs a delivery (or, for unknownpay-s2s, a request) the way $profile's sender does; returns the headers
 * to send (name => value, in order). $timestamp is required by schemes with one; $id becomes the delivery-id
 * header (unknownpay-s2s: Idempotency-Key); $method with $pathAndQuery is the request line unknownpay-s2s
 * signs; $keyId its X-Api-Key. The library refuses what the profile does not take.
 *
 * @return array<string, string>
 * @throws Exception INVALID_ARGUMENT, INVALID_SECRET, MALFORMED_BODY
 */
function sign(
    string $profile,
    #[\SensitiveParameter] string $secret,
    string $body,
    ?int $timestamp = null,
    ?string $id = null,
    ?string $method = null,
    ?string $pathAndQuery = null,
    ?string $keyId = null,
): array {
    $ffi = Library::load();
    $options = $ffi->new('hooksig_sign_options');
    [$options->has_timestamp, $options->timestamp] = [$timestamp !== null, $timestamp ?? 0];
    $keep = [];
    foreach (['id' => $id, 'method' => $method, 'path_and_query' => $pathAndQuery, 'key_id' => $keyId] as $field => $text) {
        Library::fill($options->{$field}, 'ptr', 'len', $text, $keep);
    }
    $out = $ffi->new('hooksig_signed_headers');
    [$buffer] = Library::buffered('uint8_t', 512, static fn (CData $buf, int $size, CData $needed) => $ffi->hooksig_sign(
        $profile, strlen($profile), $secret, strlen($secret), $body, strlen($body),
        FFI::addr($options), $buf, $size, $needed, FFI::addr($out),
    ));
    $headers = []; // $out points into $buffer, alive here
    for ($i = 0; $i < $out->len; $i++) {
        $header = $out->headers[$i];
        $headers[FFI::string($header->name, $header->name_len)] = FFI::string($header->value, $header->value_len);
    }
    return $headers;
}

/**
 * Explains why a delivery fails to verify (or confirms it verifies): the library's explanation JSON,
 * decoded, with the verdict and the known causes found, e.g. a secret with a trailing newline or a body
 * re-serialised by a JSON parser. Never throws for a failed verification: the verdict carries the code.
 *
 *     ['verdict' => 'SIGNATURE_MISMATCH', 'secret_index' => null,
 *      'findings' => [['code' => 'SECRET_WHITESPACE', 'message' => '...', 'fields' => ['secret_index' => 0]]]]
 *
 * Options: 'tolerance', 'past', 'future' (as for Verifier), 'now' (Unix seconds; default the system clock),
 * 'method' and 'pathAndQuery' (the request line, as for Verifier::verify()).
 *
 * @param list<string> $secrets
 * @param array<mixed> $headers getallheaders(), $_SERVER, [name => value] or a list of [name, value]
 * @param array<string, mixed> $options
 * @return array<string, mixed> read keys by name: verdict, secret_index, findings, …
 * @throws Exception INVALID_ARGUMENT for wrong argument types, an unknown profile or bad options
 */
function explain(string $profile, #[\SensitiveParameter] array $secrets, array $headers, string $body, array $options = []): array
{
    $ffi = Library::load();
    [$now, $method, $path] = [$options['now'] ?? time(), $options['method'] ?? null, $options['pathAndQuery'] ?? null];
    if (!is_int($now) || !is_string($method ?? '') || !is_string($path ?? '')) {
        Library::check($ffi->HOOKSIG_RESULT_INVALID_ARGUMENT);
    }
    $args = $ffi->new('hooksig_explain_args');
    $keep = [];
    try {
        [$args->secrets, $args->secrets_len] = [Library::secrets($secrets, $keep), count($secrets)];
        [$args->headers, $args->headers_len] = Library::headers($headers, $keep);
        foreach (['profile' => $profile, 'body' => $body, 'method' => $method, 'path_and_query' => $path] as $field => $text) {
            Library::fill($args->{$field}, 'ptr', 'len', $text, $keep);
        }
        $args->window = Library::window($options);
        $args->now = $now;
        $verdict = $ffi->new('hooksig_result');
        [$json, $length] = Library::buffered('char', 4096, static fn (CData $buf, int $size, CData $needed)
            => $ffi->hooksig_explain(FFI::addr($args), $buf, $size, $needed, FFI::addr($verdict)));
    } finally {
        Library::wipe($keep);
    }
    return json_decode(FFI::string($json, $length - 1), true, 512, JSON_THROW_ON_ERROR);
}

/** The library's version, e.g. "0.1.0" (hooksig_version(): the same number as every hooksig package). */
function version(): string
{
    return (string) Library::load()->hooksig_version(); // FFI returns a const char * as a PHP string
}
