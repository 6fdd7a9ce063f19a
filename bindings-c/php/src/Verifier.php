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
    private FFI $ffi;
    /** hooksig_verified, allocated once and overwritten by every successful verify. */
    private CData $out;
    private CData $outPtr;
    /** @var array<string, bool> the library's hooksig_verifier_wants_header answers, by header name */
    private array $wanted = [];
    /** @var array<string, true> the names in $wanted that the profile reads */
    private array $picked = [];

    /** How many names $wanted remembers (attackers choose header names; the memory stays bounded). */
    private const WANTED_CACHE = 256;

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
        $this->ffi = $ffi;
        $this->out = $ffi->new('hooksig_verified');
        $this->outPtr = FFI::addr($this->out);
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
        // The hot path, kept flat (each PHP call level costs about as much as the core's HMAC here):
        // one FFI call with the wanted headers packed into one string, PHP strings passed without a
        // copy (const char * parameters), the result struct allocated once in the constructor.
        $packed = $this->pack($headers);
        $result = $this->ffi->hooksig_verifier_verify_packed(
            $this->handle, $packed, strlen($packed), $body, strlen($body), $now ?? time(), $this->outPtr,
        );
        if ($result !== 0) {
            Library::check($result);
        }
        $out = $this->out;
        return new Verified(
            FFI::string($out->scheme),
            $out->secret_index,
            $out->has_timestamp ? $out->timestamp : null,
            FFI::isNull($out->id) ? null : FFI::string($out->id, $out->id_len),
        );
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
    private function run(array $headers, string $body, ?int $now, string $method, string $path): Verified
    {
        $packed = $this->pack($headers);
        Library::check($this->ffi->hooksig_verifier_verify_request_packed(
            $this->handle, $packed, strlen($packed), $body, strlen($body),
            $method, strlen($method), $path, strlen($path), $now ?? time(), $this->outPtr,
        ));
        $out = $this->out;
        return new Verified(
            FFI::string($out->scheme),
            $out->secret_index,
            $out->has_timestamp ? $out->timestamp : null,
            FFI::isNull($out->id) ? null : FFI::string($out->id, $out->id_len),
        );
    }

    /**
     * The headers the profile reads (the library decides, per name: hooksig_verifier_wants_header,
     * remembered), packed for hooksig_verifier_verify_packed: pack('Va*Va*', name length, name,
     * value length, value) each. Shapes: getallheaders(), $_SERVER, [name => value|list of values],
     * a list of [name, value]; non-scalar values (e.g. $_SERVER['argv']) are skipped.
     *
     * @param array<mixed> $headers
     */
    private function pack(array $headers): string
    {
        $packed = '';
        if (array_is_list($headers)) {
            foreach ($headers as $pair) {
                if (is_array($pair) && count($pair) === 2
                    && ($this->wanted[$name = (string) $pair[0]] ?? $this->wants($name))) {
                    $value = (string) $pair[1];
                    $packed .= pack('Va*Va*', strlen($name), $name, strlen($value), $value);
                }
            }
            return $packed;
        }
        // A name => value map: ask about the names not seen before, then keep the wanted ones with
        // one array_intersect_key (no PHP loop over the other headers). Once the memo is full,
        // names it could not keep are asked one by one.
        foreach (array_diff_key($headers, $this->wanted) as $name => $_) {
            $this->wants((string) $name);
        }
        $full = count($this->wanted) >= self::WANTED_CACHE;
        foreach ($full ? $headers : array_intersect_key($headers, $this->picked) as $name => $value) {
            $name = (string) $name;
            if ($full && !($this->wanted[$name] ?? $this->wants($name))) {
                continue;
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                if (is_scalar($one)) {
                    $one = (string) $one;
                    $packed .= pack('Va*Va*', strlen($name), $name, strlen($one), $one);
                }
            }
        }
        return $packed;
    }

    private function wants(string $name): bool
    {
        $wanted = $this->ffi->hooksig_verifier_wants_header($this->handle, $name, strlen($name));
        if (count($this->wanted) < self::WANTED_CACHE) {
            $this->wanted[$name] = $wanted;
            if ($wanted) {
                $this->picked[$name] = true;
            }
        }
        return $wanted;
    }
}
