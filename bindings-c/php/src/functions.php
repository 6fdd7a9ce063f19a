<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;

/**
 * Signs a webhook the way $profile's provider does; returns the headers to send (name => value).
 * $timestamp is required by schemes with one; $id becomes the delivery-id header.
 *
 * @return array<string, string>
 * @throws Exception INVALID_ARGUMENT, INVALID_SECRET, MALFORMED_BODY
 */
function sign(string $profile, string $secret, string $body, ?int $timestamp = null, ?string $id = null): array
{
    $ffi = Library::load();
    $secretCopy = Library::bytes($secret);
    $bodyCopy = Library::bytes($body);
    $secretPtr = $secretCopy === null ? null : FFI::addr($secretCopy[0]);
    $bodyPtr = $bodyCopy === null ? null : FFI::addr($bodyCopy[0]);
    return Library::signedHeaders(static fn ($buffer, int $size, $needed, $out) => $ffi->hooksig_sign(
        $profile, strlen($profile),
        $secretPtr, strlen($secret),
        $bodyPtr, strlen($body),
        $timestamp !== null, $timestamp ?? 0,
        $id, $id === null ? 0 : strlen($id),
        $buffer, $size, $needed, $out,
    ));
}

/**
 * Signs a server-to-server request (unknownpay-s2s); returns X-Api-Key (when $keyId is given),
 * X-Timestamp and X-Signature. $timestamp defaults to now.
 *
 * @return array<string, string>
 * @throws Exception INVALID_ARGUMENT, INVALID_SECRET
 */
function signRequest(
    string $secret,
    string $method,
    string $pathAndQuery,
    string $body,
    ?int $timestamp = null,
    ?string $keyId = null,
): array {
    $ffi = Library::load();
    $secretCopy = Library::bytes($secret);
    $bodyCopy = Library::bytes($body);
    $secretPtr = $secretCopy === null ? null : FFI::addr($secretCopy[0]);
    $bodyPtr = $bodyCopy === null ? null : FFI::addr($bodyCopy[0]);
    $timestamp ??= time();
    return Library::signedHeaders(static fn ($buffer, int $size, $needed, $out) => $ffi->hooksig_sign_request(
        $secretPtr, strlen($secret),
        $method, strlen($method),
        $pathAndQuery, strlen($pathAndQuery),
        $bodyPtr, strlen($body),
        $timestamp,
        $keyId, $keyId === null ? 0 : strlen($keyId),
        $buffer, $size, $needed, $out,
    ));
}

/**
 * Explains why a delivery fails to verify (or confirms it verifies): the verdict and the known causes found,
 * e.g. a secret with a trailing newline or a body re-serialised by a JSON parser. Never throws for a failed
 * verification: the verdict carries the code.
 *
 *     ['verdict' => 'SIGNATURE_MISMATCH', 'secret_index' => null,
 *      'findings' => [['code' => 'SECRET_WHITESPACE', 'message' => '...', 'fields' => ['secret_index' => 0]]]]
 *
 * Options: 'tolerance', 'past', 'future' (as for Verifier), 'now' (Unix seconds; default the system clock),
 * 'method' and 'pathAndQuery' (both, for a signed request: unknownpay-s2s).
 *
 * @param list<string> $secrets
 * @param array<mixed> $headers getallheaders(), $_SERVER, [name => value] or a list of [name, value]
 * @param array{tolerance?: ?int, past?: int, future?: int, now?: int, method?: string, pathAndQuery?: string} $options
 * @return array{verdict: string, secret_index: ?int, findings: list<array{code: string, message: string, fields: array<string, string|int>}>}
 * @throws Exception INVALID_ARGUMENT for wrong argument types, an unknown profile or bad options
 */
function explain(string $profile, array $secrets, array $headers, string $body, array $options = []): array
{
    $ffi = Library::load();
    $now = $options['now'] ?? null;
    $method = $options['method'] ?? null;
    $path = $options['pathAndQuery'] ?? null;
    $wrongType = array_filter($secrets, static fn ($s) => !is_string($s)) !== []
        || ($now !== null && !is_int($now)) || ($method !== null && !is_string($method))
        || ($path !== null && !is_string($path));
    if ($wrongType) {
        Library::check($ffi->HOOKSIG_RESULT_INVALID_ARGUMENT);
    }
    $window = Library::tolerance($options);
    [$secretArray, $secretCount, $keepSecrets] = Library::byteList($secrets);
    [$headerArray, $headerCount, $keepHeaders] = Library::headers($headers);
    $bodyCopy = Library::bytes($body);
    $needed = $ffi->new('size_t');
    $verdict = $ffi->new('hooksig_result');
    $size = 4096;
    do {
        $buffer = $ffi->new("char[$size]");
        $result = $ffi->hooksig_explain(
            $profile, strlen($profile),
            $secretArray === null ? null : FFI::addr($secretArray[0]), $secretCount,
            FFI::addr($window),
            $headerArray === null ? null : FFI::addr($headerArray[0]), $headerCount,
            $bodyCopy === null ? null : FFI::addr($bodyCopy[0]), strlen($body),
            $method, $method === null ? 0 : strlen($method),
            $path, $path === null ? 0 : strlen($path),
            $now !== null, $now ?? 0,
            FFI::addr($buffer[0]), $size, FFI::addr($needed), FFI::addr($verdict),
        );
        $size = $needed->cdata;
    } while ($result === $ffi->HOOKSIG_RESULT_BUFFER_TOO_SMALL && $size > 0 && FFI::sizeof($buffer) < $size);
    Library::check($result);
    return json_decode(FFI::string($buffer, $needed->cdata - 1), true, 512, JSON_THROW_ON_ERROR);
}

/** The library's version, e.g. "0.1.0" (hooksig_version(): the same number as every hooksig package). */
function version(): string
{
    return (string) Library::load()->hooksig_version(); // FFI returns a const char * as a PHP string
}
