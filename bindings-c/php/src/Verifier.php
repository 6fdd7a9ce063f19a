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
 * hooksig shared library (see Library). Cloning is safe: clones share the
 * native verifier.
 */
final class Verifier
{
    private object $handle;
    /** The profile's canonical name: Verified::$scheme of every verification. */
    private string $scheme;
    /** hooksig_verifier_verify_compact as a function pointer (calling it skips FFI's symbol look-up). */
    private CData $verifyCompact;
    /** The native verifier (owned by $handle, which clones share). */
    private CData $verifier;
    /** uint8_t[65] the fast path writes the replay key (64 hex) and id_signed ('1'/'0') into. */
    private CData $replay;
    /**
     * @var array<string, string> the names the profile reads (the library's answers, remembered: learn()),
     * each with its packed prefix: pack('Va*', strlen(name), name)
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
     * @param array{tolerance?: mixed, past?: mixed, future?: mixed, library?: string} $options
     * @throws Exception INVALID_ARGUMENT (unknown profile, bad options), INVALID_SECRET
     */
    public function __construct(string $profile, #[\SensitiveParameter] array $secrets, array $options = [])
    {
        $ffi = Library::load($options['library'] ?? null);
        $window = Library::window($options);
        $handle = $ffi->new('hooksig_verifier*');
        $keep = [];
        try {
            Library::check($ffi->hooksig_verifier_new(
                $profile, strlen($profile), Library::secrets($secrets, $keep), count($secrets), FFI::addr($window), FFI::addr($handle),
            ));
        } finally {
            Library::wipe($keep);
        }
        // Owns the native verifier and frees it once, when the last reference goes: a clone of this
        // Verifier shares it (PHP clones are shallow), so `clone` never double-frees; it cannot be cloned itself.
        $this->handle = new class($this->verifier = $handle) {
            public function __construct(private CData $verifier) {}

            public function __destruct()
            {
                Library::load()->hooksig_verifier_free($this->verifier);
            }

            private function __clone() {}
        };
        $this->scheme = $ffi->hooksig_verifier_scheme($handle);
        $this->verifyCompact = $ffi->hooksig_verifier_verify_compact;
        $this->replay = $ffi->new('uint8_t[65]');
        Library::defineCompactLayout();
    }

    /**
     * Verifies a delivery of any profile: the headers as received, the raw body, the clock, and the request
     * line when there is one (unknownpay-s2s requires it; the other profiles ignore it).
     *
     * @param array<mixed> $headers getallheaders(), $_SERVER, [name => value] or a list of [name, value]
     * @param string $body the raw body (file_get_contents('php://input'))
     * @param ?int $now Unix seconds; null reads the system clock
     * @param ?string $method with $pathAndQuery (both or neither): the request line as sent
     * @throws Exception with the first applicable code
     */
    public function verify(array $headers, string $body, ?int $now = null, ?string $method = null, ?string $pathAndQuery = null): Verified
    {
        if (isset($method) || isset($pathAndQuery)) {
            return $this->verifyFull($headers, $body, $now, $method, $pathAndQuery);
        }
        // The hot path, kept flat (each PHP call or FFI field read costs about as much as the core's
        // HMAC here; \strlen and \is_string compile to opcodes, not calls: -0.4k instructions). A
        // name => string map whose names are all known takes one array_diff_key and, per wanted header,
        // its remembered name prefix and value length; anything else goes through pack().
        $packed = '';
        $picked = $this->picked;
        $values = array_diff_key($headers, $this->skipped);
        foreach ($values as $name => $value) {
            if (!\is_string($value) || ($prefix = $picked[$name] ?? null) === null) {
                [$packed, $values] = $this->pack($headers);
                break;
            }
            $packed .= $prefix . ($this->lengths[\strlen($value)] ?? $this->length(\strlen($value))) . $value;
        }
        // One FFI call; the result is one hooksig::compact number (layout: the library's HOOKSIG_COMPACT_*,
        // see Library::compactLayout): the secret index, which packed header's value is the id (+1), the
        // timestamp + 1. $values are the packed values, in order.
        $result = ($this->verifyCompact)($this->verifier, $packed, \strlen($packed), $body, \strlen($body), $now ?? time(), $this->replay);
        if ($result >= 0) {
            $slot = ($result >> COMPACT_ID_SHIFT) & ((1 << COMPACT_ID_BITS) - 1);
            $timestamp = $result >> COMPACT_TIMESTAMP_SHIFT;
            return new Verified(
                $this->scheme,
                $result & ((1 << COMPACT_INDEX_BITS) - 1),
                $timestamp === 0 ? null : $timestamp - 1,
                $slot === 0 ? null : array_values($values)[$slot - 1],
                FFI::string($this->replay, 64),
                $this->replay[64] === 49, // "1"
            );
        }
        $result === COMPACT_DOES_NOT_FIT || Library::check(-$result);
        return $this->verifyFull($headers, $body, $now, null, null);
    }

    /** The general path (hooksig_verifier_verify): a request line, or a result that is not one number. */
    private function verifyFull(array $headers, string $body, ?int $now, ?string $method, ?string $path): Verified
    {
        $keep = [];
        [$array, $count] = Library::headers($headers, $keep);
        $out = Library::load()->new('hooksig_verified');
        Library::check(Library::load()->hooksig_verifier_verify(
            $this->verifier, $array, $count, $body, strlen($body),
            $method, strlen($method ?? ''), $path, strlen($path ?? ''), $now ?? time(), FFI::addr($out),
        ));
        return new Verified(
            FFI::string($out->scheme),
            $out->secret_index,
            $out->has_timestamp ? $out->timestamp : null,
            FFI::isNull($out->id) ? null : FFI::string($out->id, $out->id_len),
            FFI::string($out->replay_key),
            $out->id_signed,
        );
    }

    /**
     * How long (seconds) a replay claim for a delivery this verifier accepted must be kept (the library's
     * hooksig_verifier_replay_ttl): past + future for a timestamped profile with a window, else $retention
     * (null: the default, 7 days).
     */
    public function replayTtl(?int $retention = null): int
    {
        ($retention ?? 0) >= 0 || Library::check(Library::load()->HOOKSIG_RESULT_INVALID_ARGUMENT);
        return Library::load()->hooksig_verifier_replay_ttl($this->verifier, $retention !== null, $retention ?? 0);
    }

    /**
     * The headers packed for hooksig_verifier_verify_compact (format: bindings-c/src/packed.rs), every
     * header but those the library said its profile does not read, and their values in the same order.
     *
     * @param array<mixed> $headers
     * @return array{0: string, 1: list<string>}
     */
    private function pack(array $headers): array
    {
        $pairs = Library::pairs($headers);
        $this->learn(array_column($pairs, 0));
        $packed = '';
        $values = [];
        foreach ($pairs as [$name, $value]) {
            if (!isset($this->skipped[$name])) {
                $packed .= ($this->picked[$name] ?? pack('Va*', strlen($name), $name)) . pack('V', strlen($value)) . $value;
                $values[] = $value;
            }
        }
        return [$packed, $values];
    }

    /**
     * Asks the library which of the names not seen before its profile reads, 64 names per call
     * (hooksig_verifier_wants_headers, names joined with NUL bytes), and remembers the answers while
     * the memo has room. A name with a NUL byte in it is not asked about: it is passed on, for the library.
     *
     * @param list<string> $names
     */
    private function learn(array $names): void
    {
        $new = preg_grep('/\x00/', array_keys(array_diff_key(array_flip($names), $this->picked, $this->skipped)), PREG_GREP_INVERT);
        foreach (array_chunk($new, 64) as $chunk) {
            if (count($this->picked) + count($this->skipped) + count($chunk) > self::WANTED_CACHE) {
                return;
            }
            $joined = implode("\0", $chunk);
            $mask = Library::load()->hooksig_verifier_wants_headers($this->verifier, $joined, strlen($joined));
            foreach ($chunk as $i => $name) {
                $name = (string) $name;
                ($mask >> $i) & 1 ? $this->picked[$name] = pack('Va*', strlen($name), $name) : $this->skipped[$name] = true;
            }
        }
    }

    /** pack('V', $length), remembered for the first WANTED_CACHE lengths. */
    private function length(int $length): string
    {
        return count($this->lengths) < self::WANTED_CACHE ? $this->lengths[$length] = pack('V', $length) : pack('V', $length);
    }
}
