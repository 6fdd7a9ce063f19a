<?php
declare(strict_types=1);

namespace Hooksig;

/**
 * A successful verification. $replayKey (64 lowercase hex) is what to de-duplicate on: derived from the signed
 * bytes only, the same for every spelling of one delivery (see verifyOnce()). $id is the delivery id header as
 * sent; only when $idSigned (Standard Webhooks / Svix) does the signature cover it.
 */
final class Verified
{
    public function __construct(
        public readonly string $scheme,
        public readonly int $secretIndex,
        public readonly ?int $timestamp,
        public readonly ?string $id,
        public readonly string $replayKey,
        public readonly bool $idSigned,
    ) {
    }
}
