<?php
// Replay protection: verifyOnce() and the Claim it returns (the stores are ClaimStore, ApcuStore, RedisStore).
declare(strict_types=1);

namespace Hooksig;

/** A successful claim: the replay key and a token only this claim holds (so release() never frees a later one). */
final class Claim
{
    public function __construct(public readonly string $replayKey, public readonly string $token)
    {
    }
}

/**
 * Verifies a delivery, then claims its replay key in $store for $verifier->replayTtl($options['retention']) seconds.
 * A delivery that fails verification never reaches the store. Run the handler on success; if it fails,
 * $store->release($claim) so that the sender's retry is processed.
 *
 *     try {
 *         [$verified, $claim] = Hooksig\verifyOnce($verifier, $store, getallheaders(), file_get_contents('php://input'));
 *     } catch (Hooksig\Exception $e) {
 *         http_response_code($e->httpStatus); // DUPLICATE_DELIVERY: 200 (skip the handler); REPLAY_STORE_UNAVAILABLE: 503
 *     }
 *
 * Options: 'now' (Unix seconds), 'method' and 'pathAndQuery' (as Verifier::verify()), 'retention' (seconds a claim
 * is kept for profiles without a timestamp or with the window disabled; default 7 days).
 *
 * @param array<mixed> $headers getallheaders(), $_SERVER, [name => value] or a list of [name, value]
 * @param array{now?: ?int, method?: ?string, pathAndQuery?: ?string, retention?: ?int} $options
 * @return array{0: Verified, 1: Claim}
 * @throws Exception every verify() code, then DUPLICATE_DELIVERY or REPLAY_STORE_UNAVAILABLE
 */
function verifyOnce(Verifier $verifier, ClaimStore $store, array $headers, string $body, array $options = []): array
{
    $verified = $verifier->verify($headers, $body, $options['now'] ?? null, $options['method'] ?? null, $options['pathAndQuery'] ?? null);
    return [$verified, $store->claim($verified->replayKey, $verifier->replayTtl($options['retention'] ?? null))];
}
