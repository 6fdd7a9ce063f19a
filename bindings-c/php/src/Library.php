<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * Loads the C library once and converts PHP values to its arguments. No
 * verification logic lives here: every decision is the library's.
 *
 * The library is the first of: the path given to load() (or the 'library'
 * option of Verifier), the HOOKSIG_LIB environment variable, the copy the
 * Composer package carries for this platform (lib/<platform>/, see
 * bundledLibrary()), or "libhooksig.so" found by the system loader (e.g.
 * after `make install`). The declarations are include/hooksig_php.h:
 * HOOKSIG_HEADER, else the package's or the source tree's copy, else
 * <libdir>/../include/hooksig_php.h.
 */
final class Library
{
    private static ?FFI $ffi = null;

    public static function load(?string $library = null): FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        $library ??= (getenv('HOOKSIG_LIB') ?: self::bundledLibrary()
            ?? (PHP_OS_FAMILY === 'Darwin' ? 'libhooksig.dylib' : 'libhooksig.so'));
        $header = getenv('HOOKSIG_HEADER') ?: null;
        $candidates = [__DIR__ . '/../include/hooksig_php.h', __DIR__ . '/../../include/hooksig_php.h',
            dirname($library) . '/../include/hooksig_php.h'];
        foreach ($candidates as $candidate) {
            if ($header === null && is_file($candidate)) {
                $header = $candidate;
            }
        }
        if ($header === null) {
            throw new \RuntimeException('hooksig_php.h not found: set HOOKSIG_HEADER');
        }
        return self::$ffi = FFI::cdef((string) file_get_contents($header), $library);
    }

    /**
     * The prebuilt library the Composer package carries for this platform, if any:
     * lib/linux-x86_64-gnu/libhooksig.so on x86_64 Linux with glibc (the one platform built
     * for now; RELEASING.md). Null elsewhere, e.g. in the source tree or on musl (Alpine).
     */
    public static function bundledLibrary(): ?string
    {
        $machine = php_uname('m');
        $platform = match (true) {
            PHP_OS_FAMILY === 'Linux' && in_array($machine, ['x86_64', 'amd64'], true)
                && glob('/lib/ld-musl-*') === [] => 'linux-x86_64-gnu',
            default => null,
        };
        $path = $platform === null ? null : dirname(__DIR__) . "/lib/$platform/libhooksig.so";
        return $path !== null && is_file($path) ? $path : null;
    }

    /** Throws Exception unless $result is HOOKSIG_RESULT_OK. */
    public static function check(int $result): void
    {
        if ($result !== self::load()->HOOKSIG_RESULT_OK) {
            $ffi = self::load();
            throw new Exception(
                $ffi->hooksig_result_code($result),
                $ffi->hooksig_result_message($result),
                $ffi->hooksig_result_http_status($result),
            );
        }
    }

    /**
     * The hooksig_tolerance for the options 'tolerance' (seconds either way, default 300; null disables
     * the window), 'past' and 'future' (override one side), through hooksig_tolerance_from_options.
     *
     * @param array<string, mixed> $options
     * @throws Exception INVALID_ARGUMENT
     */
    public static function tolerance(array $options): CData
    {
        $ffi = self::load();
        $tolerance = array_key_exists('tolerance', $options) ? $options['tolerance'] : 300;
        foreach ([$tolerance, $options['past'] ?? null, $options['future'] ?? null] as $value) {
            if ($value !== null && !is_int($value)) {
                self::check($ffi->HOOKSIG_RESULT_INVALID_ARGUMENT);
            }
        }
        $window = $ffi->new('hooksig_tolerance');
        self::check($ffi->hooksig_tolerance_from_options(
            $tolerance !== null, $tolerance ?? 0,
            isset($options['past']), $options['past'] ?? 0,
            isset($options['future']), $options['future'] ?? 0,
            FFI::addr($window),
        ));
        return $window;
    }

    /** A C copy of $bytes (kept alive by the returned CData); NULL for "". */
    public static function bytes(string $bytes): ?CData
    {
        $len = strlen($bytes);
        if ($len === 0) {
            return null;
        }
        $copy = self::load()->new("uint8_t[$len]");
        FFI::memcpy($copy, $bytes, $len);
        return $copy;
    }

    /**
     * hooksig_bytes[] for a list of strings. Returns [array, count, keep-alive buffers].
     *
     * @param list<string> $strings
     * @return array{0: ?CData, 1: int, 2: list<?CData>}
     */
    public static function byteList(array $strings): array
    {
        $count = count($strings);
        if ($count === 0) {
            return [null, 0, []];
        }
        $array = self::load()->new("hooksig_bytes[$count]");
        $keep = [];
        foreach (array_values($strings) as $i => $string) {
            $keep[] = $copy = self::bytes((string) $string);
            $array[$i]->ptr = $copy === null ? null : FFI::addr($copy[0]);
            $array[$i]->len = strlen((string) $string);
        }
        return [$array, $count, $keep];
    }

    /**
     * hooksig_header[] from getallheaders(), $_SERVER, [name => value|list] or a list of [name, value].
     * Non-scalar, non-list values (e.g. $_SERVER['argv']) are skipped; names are the library's to match.
     *
     * @param array<mixed> $headers
     * @return array{0: ?CData, 1: int, 2: ?CData}
     */
    public static function headers(array $headers): array
    {
        $pairs = [];
        if (array_is_list($headers)) {
            foreach ($headers as $pair) {
                if (is_array($pair) && count($pair) === 2) {
                    $pairs[] = [(string) $pair[0], (string) $pair[1]];
                }
            }
        } else {
            foreach ($headers as $name => $value) {
                foreach (is_array($value) ? $value : [$value] as $one) {
                    if (is_scalar($one)) {
                        $pairs[] = [(string) $name, (string) $one];
                    }
                }
            }
        }
        $count = count($pairs);
        if ($count === 0) {
            return [null, 0, null];
        }
        $blob = '';
        foreach ($pairs as [$name, $value]) {
            $blob .= $name . $value;
        }
        $buffer = self::bytes($blob);
        $array = self::load()->new("hooksig_header[$count]");
        $offset = 0;
        foreach ($pairs as $i => [$name, $value]) {
            foreach (['name' => $name, 'value' => $value] as $field => $text) {
                $len = strlen($text);
                $array[$i]->{$field} = $len === 0 ? null : FFI::addr($buffer[$offset]);
                $array[$i]->{$field . '_len'} = $len;
                $offset += $len;
            }
        }
        return [$array, $count, $buffer];
    }

    /** @return array<string, string> the signed headers, name => value, in sending order */
    public static function signedHeaders(callable $sign): array
    {
        $ffi = self::load();
        $needed = $ffi->new('size_t');
        $out = $ffi->new('hooksig_signed_headers');
        $size = 512;
        do {
            $buffer = $ffi->new("uint8_t[$size]");
            $result = $sign(FFI::addr($buffer[0]), $size, FFI::addr($needed), FFI::addr($out));
            $size = $needed->cdata;
        } while ($result === $ffi->HOOKSIG_RESULT_BUFFER_TOO_SMALL && $size > 0 && FFI::sizeof($buffer) < $size);
        self::check($result);
        $headers = [];
        for ($i = 0; $i < $out->len; $i++) {
            $header = $out->headers[$i];
            $headers[FFI::string($header->name, $header->name_len)] = FFI::string($header->value, $header->value_len);
        }
        return $headers;
    }
}
