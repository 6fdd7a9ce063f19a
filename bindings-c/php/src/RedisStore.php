<?php
declare(strict_types=1);

namespace Hooksig;

use FFI;

/**
 * A ClaimStore in Redis (or anything speaking its protocol), shared by every process using the same server,
 * prefix and verifier secrets, in any language: a claim is the key HOOKSIG_REPLAY_STORE_PREFIX . replay key.
 * Needs the redis extension (php-redis).
 *
 * - claim: SET key token NX PX ttl*1000 (atomic in Redis): OK is a claim, nil a duplicate;
 * - release: a Lua compare-and-delete on the token (EVAL), atomic;
 * - connect and read timeouts are $timeout seconds (1 s); the connection is opened on first use and kept for
 *   the process; every RedisException, error reply (OOM, READONLY…) or unexpected answer is
 *   REPLAY_STORE_UNAVAILABLE (never a claim), and drops the connection (the next call reconnects).
 */
final class RedisStore implements ClaimStore
{
    private const RELEASE = "if redis.call('get',KEYS[1])==ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end";

    private ?\Redis $redis = null;
    private readonly string $prefix;

    /** @param mixed $auth as \Redis::auth(): a password, [user, password], or null for none */
    public function __construct(
        private readonly string $host = '127.0.0.1',
        private readonly int $port = 6379,
        private readonly float $timeout = 1.0,
        ?string $prefix = null,
        #[\SensitiveParameter] private readonly mixed $auth = null,
    ) {
        $this->prefix = $prefix ?? FFI::string(Library::load()->HOOKSIG_REPLAY_STORE_PREFIX);
    }

    public function claim(string $replayKey, int $ttl): Claim
    {
        $ffi = Library::load();
        $ttl >= 1 && $ttl <= intdiv(PHP_INT_MAX, 1000) || Library::check($ffi->HOOKSIG_RESULT_INVALID_ARGUMENT);
        $token = bin2hex(random_bytes(16));
        $set = $this->run(fn (\Redis $r) => $r->set($this->prefix . $replayKey, $token, ['nx', 'px' => $ttl * 1000]));
        $set === true || Library::check($ffi->HOOKSIG_RESULT_DUPLICATE_DELIVERY);
        return new Claim($replayKey, $token);
    }

    public function release(Claim $claim): bool
    {
        return $this->run(fn (\Redis $r) => $r->eval(self::RELEASE, [$this->prefix . $claim->replayKey, $claim->token], 1)) === 1;
    }

    /** Runs $command on the connection; false is a nil answer, anything failing is REPLAY_STORE_UNAVAILABLE. */
    private function run(callable $command): mixed
    {
        try {
            if ($this->redis === null) {
                $redis = new \Redis();
                $redis->connect($this->host, $this->port, $this->timeout, null, 0, $this->timeout) || throw new \RedisException('connect');
                $this->auth === null || $redis->auth($this->auth);
                $this->redis = $redis;
            }
            $this->redis->clearLastError();
            $answer = $command($this->redis);
            if ($this->redis->getLastError() === null && ($answer === true || $answer === false || \is_int($answer))) {
                return $answer;
            }
        } catch (\Throwable) { // RedisException, or no redis extension at all
        }
        $this->redis = null;
        Library::check(Library::load()->HOOKSIG_RESULT_REPLAY_STORE_UNAVAILABLE);
    }
}
