<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * Loads the C library once and converts PHP values to its arguments. No
 * verification logic lives here: every decision is the library's. C copies
 * of PHP strings are made only where the C ABI takes a struct field; a
 * copy that may hold a secret is zeroed after the call (wipe()).
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
        $result === self::load()->HOOKSIG_RESULT_OK || throw self::exception($result);
    }

    /** The Exception for a result value: the library's code, message and HTTP status. */
    public static function exception(int $result): Exception
    {
        $ffi = self::load();
        return new Exception(
            $ffi->hooksig_result_code($result),
            $ffi->hooksig_result_message($result),
            $ffi->hooksig_result_http_status($result),
        );
    }

    /**
     * The hooksig_window for the options 'tolerance', 'past' and 'future' exactly as given: each
     * value's kind (absent, null, int, float, anything else) and raw value; the library decides
     * (Tolerance::from_args: default 300 s, null disables, a negative or non-integer value is INVALID_ARGUMENT).
     *
     * @param array<string, mixed> $options
     */
    public static function window(array $options): CData
    {
        $window = ($ffi = self::load())->new('hooksig_window');
        foreach (array_intersect_key($options, ['tolerance' => 1, 'past' => 1, 'future' => 1]) as $name => $value) {
            [$window->{$name}->kind, $field] = match (true) {
                $value === null => [$ffi->HOOKSIG_WINDOW_KIND_NULL, null],
                is_int($value) => [$ffi->HOOKSIG_WINDOW_KIND_INT, 'integer'],
                is_float($value) => [$ffi->HOOKSIG_WINDOW_KIND_FLOAT, 'number'],
                default => [$ffi->HOOKSIG_WINDOW_KIND_INVALID, null],
            };
            $field === null || $window->{$name}->{$field} = $value;
        }
        return $window;
    }

    /**
     * Defines Hooksig\COMPACT_* (INDEX_BITS, ID_SHIFT, ID_BITS, TIMESTAMP_SHIFT, DOES_NOT_FIT) from the library's
     * exported HOOKSIG_COMPACT_* values, once: the hooksig::compact layout is never written down in PHP.
     */
    public static function defineCompactLayout(): void
    {
        foreach (['INDEX_BITS', 'ID_SHIFT', 'ID_BITS', 'TIMESTAMP_SHIFT', 'DOES_NOT_FIT'] as $name) {
            defined("Hooksig\\COMPACT_$name") || define("Hooksig\\COMPACT_$name", self::load()->{"HOOKSIG_COMPACT_$name"});
        }
    }

    /**
     * Points $struct->$ptr at a C copy of $bytes (never NULL, even for "") and sets $struct->$len; the copy is
     * kept alive by $keep. null leaves the field NULL: "not given".
     */
    public static function fill(CData $struct, string $ptr, string $len, #[\SensitiveParameter] ?string $bytes, array &$keep): void
    {
        if ($bytes !== null) {
            $keep[] = $copy = self::load()->new('uint8_t[' . max(strlen($bytes), 1) . ']');
            FFI::memcpy($copy, $bytes, strlen($bytes));
            [$struct->{$ptr}, $struct->{$len}] = [FFI::addr($copy[0]), strlen($bytes)];
        }
    }

    /** Zeroes the C copies in $keep (secrets among them) once the call that needed them returned. */
    public static function wipe(array $keep): void
    {
        array_map(static fn (CData $copy) => FFI::memset($copy, 0, FFI::sizeof($copy)), $keep);
    }

    /**
     * A hooksig_bytes[] of C copies of the secrets (wipe() $keep after the call); a non-string is INVALID_ARGUMENT.
     *
     * @param array<mixed> $secrets
     */
    public static function secrets(#[\SensitiveParameter] array $secrets, array &$keep): CData
    {
        $keep[] = $array = self::load()->new('hooksig_bytes[' . max(count($secrets), 1) . ']');
        foreach (array_values($secrets) as $i => $secret) {
            is_string($secret) || self::check(self::load()->HOOKSIG_RESULT_INVALID_ARGUMENT);
            self::fill($array[$i], 'ptr', 'len', $secret, $keep);
        }
        return FFI::addr($array[0]);
    }

    /**
     * [name, value] pairs from getallheaders(), $_SERVER, [name => value|list of values] or a list of
     * [name, value]. Non-scalar entries (e.g. $_SERVER['argv']) are skipped; matching names is the library's.
     *
     * @param array<mixed> $headers
     * @return list<array{0: string, 1: string}>
     */
    public static function pairs(array $headers): array
    {
        $pairs = [];
        $list = \array_is_list($headers);
        foreach ($headers as $name => $values) {
            if ($list) {
                [$name, $values] = \is_array($values) && \count($values) === 2 && \array_is_list($values) ? $values : [null, null];
            }
            foreach (\is_array($values) && !$list ? $values : [$values] as $value) {
                if (\is_scalar($name) && \is_scalar($value)) {
                    $pairs[] = [(string) $name, (string) $value];
                }
            }
        }
        return $pairs;
    }

    /**
     * A hooksig_header[] of C copies of the headers (any shape pairs() takes): [pointer, count].
     *
     * @param array<mixed> $headers
     * @return array{0: CData, 1: int}
     */
    public static function headers(array $headers, array &$keep): array
    {
        $pairs = self::pairs($headers);
        $keep[] = $array = self::load()->new('hooksig_header[' . max(count($pairs), 1) . ']');
        foreach ($pairs as $i => [$name, $value]) {
            self::fill($array[$i], 'name', 'name_len', $name, $keep);
            self::fill($array[$i], 'value', 'value_len', $value, $keep);
        }
        return [FFI::addr($array[0]), count($pairs)];
    }

    /**
     * The buffer protocol (bindings-c/README.md): calls $call(buffer, size, &needed) with a $type[$size]
     * buffer, once more with the size the library asked for if that was too small. ($call may hold a secret.)
     *
     * @return array{0: CData, 1: int} the buffer and the bytes the library wrote
     */
    public static function buffered(string $type, int $size, #[\SensitiveParameter] callable $call): array
    {
        $ffi = self::load();
        $needed = $ffi->new('size_t');
        do {
            $buffer = $ffi->new("{$type}[$size]");
            $result = $call(FFI::addr($buffer[0]), $size, FFI::addr($needed));
            $retry = $result === $ffi->HOOKSIG_RESULT_BUFFER_TOO_SMALL && $needed->cdata > $size;
            $size = $needed->cdata;
        } while ($retry);
        self::check($result);
        return [$buffer, $needed->cdata];
    }
}
