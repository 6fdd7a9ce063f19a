<?php
declare(strict_types=1);

namespace Hooksig;

/**
 * Where replay keys are claimed (see verifyOnce()): ApcuStore (one php-fpm pool, no server) or RedisStore
 * (every process sharing one Redis). claim() is atomic: of concurrent claims of one key exactly one wins.
 * Both fail closed: a store that cannot answer throws REPLAY_STORE_UNAVAILABLE, never a claim.
 */
interface ClaimStore
{
    /**
     * Claims $replayKey (a Verified->replayKey) for $ttl seconds (Verifier::replayTtl()).
     *
     * @throws Exception DUPLICATE_DELIVERY (an unexpired claim exists), REPLAY_STORE_UNAVAILABLE, INVALID_ARGUMENT ($ttl < 1)
     */
    public function claim(string $replayKey, int $ttl): Claim;

    /**
     * Undoes $claim (the handler failed: the sender's retry must be processed). Removes the claim only while it
     * still holds this claim's token; false if it had expired or was replaced.
     *
     * @throws Exception REPLAY_STORE_UNAVAILABLE
     */
    public function release(Claim $claim): bool;
}
