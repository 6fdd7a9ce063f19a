<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * A profile with its secrets validated and keyed once; build it at start-up
 * and call verify() per request.
 *
 *     $verifier = new Hooksig\Verifier('key2pay', [$secret]);
 *     $verified = $verifier->verify(getallheaders(), file_get_contents('php://input'));
 *
 * Options: 'tolerance' => seconds either way (default 300; null disables the
 * window), 'past' / 'future' => override one side, 'library' => path of the
 * hooksig shared library (see Library).
 */
final class Verifier
{
    private CData $handle;

    /**
     * @param list<string> $secrets 1 to 8, tried in order
     * @param array{tolerance?: ?int, past?: int, future?: int, library?: string} $options
     * @throws Exception INVALID_ARGUMENT (unknown profile, bad options), INVALID_SECRET
     */
    public function __construct(string $profile, array $secrets, array $options = [])
    {
        $ffi = Library::load($options['library'] ?? null);
        $window = Library::tolerance($options);
        [$array, $count, $keep] = Library::byteList($secrets);
        $handle = $ffi->new('hooksig_verifier*');
        Library::check($ffi->hooksig_verifier_new(
            $profile,
            strlen($profile),
            $array === null ? null : FFI::addr($array[0]),
            $count,
            FFI::addr($window),
            FFI::addr($handle),
        ));
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::load()->hooksig_verifier_free($this->handle);
        }
    }

    /**
     * Verifies a webhook delivery.
     *
     * @param array<mixed> $headers getallheaders(), $_SERVER, [name => value] or a list of [name, value]
     * @param string $body the raw body (file_get_contents('php://input'))
     * @param ?int $now Unix seconds; null reads the system clock
     * @throws Exception with the first applicable code
     */
    public function verify(array $headers, string $body, ?int $now = null): Verified
    {
        return $this->run($headers, $body, $now, null, null);
    }

    /**
     * Verifies a signed request (unknownpay-s2s): as verify(), plus the method and path+query as sent.
     *
     * @param array<mixed> $headers
     * @throws Exception
     */
    public function verifyRequest(array $headers, string $body, string $method, string $pathAndQuery, ?int $now = null): Verified
    {
        return $this->run($headers, $body, $now, $method, $pathAndQuery);
    }

    /** @param array<mixed> $headers */
    private function run(array $headers, string $body, ?int $now, ?string $method, ?string $path): Verified
    {
        $ffi = Library::load();
        [$array, $count, $keep] = Library::headers($headers);
        $bodyCopy = Library::bytes($body);
        $out = $ffi->new('hooksig_verified');
        $headerPtr = $array === null ? null : FFI::addr($array[0]);
        $bodyPtr = $bodyCopy === null ? null : FFI::addr($bodyCopy[0]);
        $now ??= time();
        $result = $method === null
            ? $ffi->hooksig_verifier_verify($this->handle, $headerPtr, $count, $bodyPtr, strlen($body), $now, FFI::addr($out))
            : $ffi->hooksig_verifier_verify_request(
                $this->handle, $headerPtr, $count, $bodyPtr, strlen($body),
                $method, strlen($method), (string) $path, strlen((string) $path), $now, FFI::addr($out),
            );
        Library::check($result);
        return new Verified(
            FFI::string($out->scheme),
            $out->secret_index,
            $out->has_timestamp ? $out->timestamp : null,
            FFI::isNull($out->id) ? null : FFI::string($out->id, $out->id_len),
        );
    }
}
