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
    /** The profile's canonical name: Verified::$scheme of every verification. */
    private string $scheme;
    /** hooksig_verifier_verify_packed_i64 as a function pointer (calling it skips FFI's symbol look-up). */
    private CData $verifyPacked;
    /** hooksig_verified, allocated on first use (verifyRequest, a result that does not fit) and kept. */
    private ?CData $out = null;
    /**
     * @var array<string, string> the names the profile reads (the library's answers, remembered: learn(),
     * prefix()), each with its packed prefix: pack('Va*', strlen(name), name)
     */
    private array $picked = [];
    /** @var array<string, true> names the library said the profile does not read */
    private array $skipped = [];
    /** @var array<int, string> pack('V', n) by n, for the value lengths seen (pack() costs more than the rest of a header) */
    private array $lengths = [];

    /** How many names $picked and $skipped remember (attackers choose header names; memory stays bounded). */
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
        $len = $ffi->new('size_t');
        $this->scheme = FFI::string($ffi->hooksig_verifier_scheme($handle, FFI::addr($len)), $len->cdata);
        $this->verifyPacked = $ffi->hooksig_verifier_verify_packed_i64;
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
        // The hot path, kept flat (each PHP call or FFI field read costs about as much as the core's
        // HMAC here). A name => string map whose names are all known takes one array_diff_key and, per
        // wanted header, its remembered name prefix and value length; anything else goes through pack().
        $packed = '';
        $picked = $this->picked;
        foreach (array_diff_key($headers, $this->skipped) as $name => $value) {
            if (!is_string($value) || ($prefix = $picked[$name] ?? null) === null) {
                $packed = $this->pack($headers);
                break;
            }
            $packed .= $prefix . ($this->lengths[strlen($value)] ?? $this->length(strlen($value))) . $value;
        }
        $now ??= time();
        // One FFI call; the result is one number (hooksig_verifier_verify_packed_i64): the secret index,
        // where the id lies in $packed and its length, the timestamp + 1.
        $result = ($this->verifyPacked)($this->handle, $packed, strlen($packed), $body, strlen($body), $now);
        if ($result >= 0) {
            $at = ($result >> 3) & 0xFFFF;
            return new Verified(
                $this->scheme,
                $result & 7,
                $result >= 1 << 27 ? ($result >> 27) - 1 : null,
                $at === 0 ? null : substr($packed, $at, ($result >> 19) & 0xFF),
            );
        }
        if ($result !== -$this->ffi->HOOKSIG_RESULT_BUFFER_TOO_SMALL) {
            Library::check(-$result);
        }
        // Verified, but the result does not fit one number: the same call with the result struct.
        $out = $this->outPtr();
        Library::check($this->ffi->hooksig_verifier_verify_packed(
            $this->handle, $packed, strlen($packed), $body, strlen($body), $now, $out,
        ));
        return $this->verified($out);
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
        $out = $this->outPtr();
        Library::check($this->ffi->hooksig_verifier_verify_request_packed(
            $this->handle, $packed, strlen($packed), $body, strlen($body),
            $method, strlen($method), $path, strlen($path), $now ?? time(), $out,
        ));
        return $this->verified($out);
    }

    /** The address of this verifier's hooksig_verified (owned by the Verifier, allocated on first use). */
    private function outPtr(): CData
    {
        return FFI::addr($this->out ??= $this->ffi->new('hooksig_verified'));
    }

    /** Verified from the hooksig_verified that $out points to (its id points into the packed string). */
    private function verified(CData $out): Verified
    {
        $out = $out[0];
        return new Verified(
            FFI::string($out->scheme),
            $out->secret_index,
            $out->has_timestamp ? $out->timestamp : null,
            FFI::isNull($out->id) ? null : FFI::string($out->id, $out->id_len),
        );
    }

    /**
     * The headers the profile reads (the library decides, per name: prefix()), packed for
     * hooksig_verifier_verify_packed: pack('Va*Va*', name length, name, value length, value) each.
     * Shapes: getallheaders(), $_SERVER, [name => value|list of values], a list of [name, value];
     * non-scalar values (e.g. $_SERVER['argv']) are skipped.
     *
     * @param array<mixed> $headers
     */
    private function pack(array $headers): string
    {
        $packed = '';
        if (array_is_list($headers)) {
            foreach ($headers as $pair) {
                if (is_array($pair) && count($pair) === 2 && ($prefix = $this->prefix((string) $pair[0])) !== null) {
                    $value = (string) $pair[1];
                    $packed .= $prefix . pack('V', strlen($value)) . $value;
                }
            }
            return $packed;
        }
        // Names not seen before are asked about in one call (a new Verifier per request, as under
        // php-fpm, meets all of them at once); the rest is remembered.
        $this->learn(array_keys(array_diff_key($headers, $this->picked, $this->skipped)));
        foreach ($headers as $name => $value) {
            if (($prefix = $this->prefix((string) $name)) === null) {
                continue;
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                if (is_scalar($one)) {
                    $one = (string) $one;
                    $packed .= $prefix . pack('V', strlen($one)) . $one;
                }
            }
        }
        return $packed;
    }

    /**
     * Asks the library which of these names the profile reads, 64 names per call
     * (hooksig_verifier_wants_headers, names joined with NUL bytes), and remembers the answers while
     * the memo has room. A name with a NUL byte in it is left to prefix(), which asks about one name.
     *
     * @param list<int|string> $names
     */
    private function learn(array $names): void
    {
        foreach (array_chunk($names, 64) as $chunk) {
            $joined = implode("\0", $chunk);
            if (count($this->picked) + count($this->skipped) >= self::WANTED_CACHE) {
                return;
            }
            if (substr_count($joined, "\0") !== count($chunk) - 1) {
                continue;
            }
            $mask = $this->ffi->hooksig_verifier_wants_headers($this->handle, $joined, strlen($joined));
            foreach ($chunk as $i => $name) {
                if (count($this->picked) + count($this->skipped) >= self::WANTED_CACHE) {
                    return;
                }
                $name = (string) $name;
                if (($mask >> $i) & 1) {
                    $this->picked[$name] = pack('Va*', strlen($name), $name);
                } else {
                    $this->skipped[$name] = true;
                }
            }
        }
    }

    /** pack('V', $length), remembered for the first WANTED_CACHE lengths. */
    private function length(int $length): string
    {
        $packed = pack('V', $length);
        if (count($this->lengths) < self::WANTED_CACHE) {
            $this->lengths[$length] = $packed;
        }
        return $packed;
    }

    /**
     * pack('Va*', strlen($name), $name) if the profile reads a header of this name (the library's
     * hooksig_verifier_wants_header), else null; remembered in $picked / $skipped until they are full.
     */
    private function prefix(string $name): ?string
    {
        if (isset($this->picked[$name]) || isset($this->skipped[$name])) {
            return $this->picked[$name] ?? null;
        }
        $wanted = $this->ffi->hooksig_verifier_wants_header($this->handle, $name, strlen($name));
        $prefix = $wanted ? pack('Va*', strlen($name), $name) : null;
        if (count($this->picked) + count($this->skipped) < self::WANTED_CACHE) {
            if ($prefix === null) {
                $this->skipped[$name] = true;
            } else {
                $this->picked[$name] = $prefix;
            }
        }
        return $prefix;
    }
}
