<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;

/**
 * A ClaimStore in APCu: shared by the workers of one php-fpm pool (one master), no server. Several pools or
 * machines need RedisStore. Needs the apcu extension (php-apcu; for the CLI also apc.enable_cli=1); without it
 * every claim is REPLAY_STORE_UNAVAILABLE.
 *
 * - claim: apcu_add(prefix . key, token, ttl), atomic in APCu; a key whose claim was released holds 0 and is
 *   taken back with apcu_cas(key, 0, token), atomic too. Exactly one of concurrent claims wins.
 * - release: apcu_cas(key, token, 0), atomic: frees the key only while it holds this claim's token. The freed
 *   entry keeps its expiry, so a claim taken back after a release lasts only what was left of the released one:
 *   harmless for timestamped profiles (the window rejects the delivery by then), shorter than 'retention' otherwise.
 * - bounded: at most $capacity unexpired claims (default: the library's HOOKSIG_DEFAULT_STORE_CAPACITY; freed
 *   entries count until they expire). When full, and when APCu has less than 1 MiB free (a full APCu with
 *   apc.ttl=0 empties its whole cache, which would forget live claims), a new claim is REPLAY_STORE_UNAVAILABLE
 *   rather than anything being forgotten. Concurrent workers may overshoot the bound by one claim each. The
 *   count (an APCUIterator walk) is only taken once APCu holds more than $capacity entries' worth of memory.
 * - time: APCu's clock (with apc.use_request_time=1, the request's start). Claims do not survive a restart of
 *   the pool, and apcu_clear_cache() or other code filling APCu can drop them: give APCu room (apc.shm_size;
 *   a claim takes about 240 bytes).
 */
final class ApcuStore implements ClaimStore
{
    /** The value of a released key. */
    private const FREE = 0;
    /** The fewest bytes one APCu entry takes (measured: 160 for a 1-byte key): below capacity × this, not full. */
    private const MIN_ENTRY = 128;
    /** Free APCu memory below which claims are refused. */
    private const RESERVE = 1 << 20;

    private readonly int $capacity;
    private readonly string $prefix;

    public function __construct(?int $capacity = null, ?string $prefix = null)
    {
        $ffi = Library::load();
        $this->capacity = $capacity ?? $ffi->HOOKSIG_DEFAULT_STORE_CAPACITY;
        $this->prefix = $prefix ?? FFI::string($ffi->HOOKSIG_REPLAY_STORE_PREFIX);
    }

    public function claim(string $replayKey, int $ttl): Claim
    {
        $ffi = Library::load();
        $ttl >= 1 || Library::check($ffi->HOOKSIG_RESULT_INVALID_ARGUMENT);
        $key = $this->prefix . $replayKey;
        $token = random_int(1, PHP_INT_MAX);
        if ($this->usable() && (apcu_add($key, $token, $ttl) || apcu_cas($key, self::FREE, $token))) {
            return new Claim($replayKey, (string) $token);
        }
        // Not claimed: a live claim holds the key (a duplicate), or APCu refused (full, disabled): fail closed.
        $held = \function_exists('apcu_fetch') ? apcu_fetch($key, $found) : null;
        Library::check(($found ?? false) && \is_int($held) && $held !== self::FREE
            ? $ffi->HOOKSIG_RESULT_DUPLICATE_DELIVERY : $ffi->HOOKSIG_RESULT_REPLAY_STORE_UNAVAILABLE);
    }

    public function release(Claim $claim): bool
    {
        $token = (int) $claim->token;
        (\function_exists('apcu_enabled') && apcu_enabled()) || Library::check(Library::load()->HOOKSIG_RESULT_REPLAY_STORE_UNAVAILABLE);
        return $token > 0 && (string) $token === $claim->token && apcu_cas($this->prefix . $claim->replayKey, $token, self::FREE);
    }

    /** APCu is there, has room, and holds fewer than $capacity unexpired claims of this prefix. */
    private function usable(): bool
    {
        $memory = \function_exists('apcu_enabled') && apcu_enabled() ? apcu_sma_info(true) : false;
        if ($memory === false || $memory['avail_mem'] < self::RESERVE) {
            return false;
        }
        $used = $memory['num_seg'] * $memory['seg_size'] - $memory['avail_mem'];
        return $used < $this->capacity * self::MIN_ENTRY
            || (new \APCUIterator('/^' . preg_quote($this->prefix, '/') . '/', APC_ITER_NONE))->getTotalCount() < $this->capacity;
    }
}
