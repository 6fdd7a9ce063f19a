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
