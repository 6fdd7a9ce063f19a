<?php
declare(strict_types=1);

namespace Hooksig;

/** A successful verification. $id is the delivery id to de-duplicate replays on. */
final class Verified
{
    public function __construct(
        public readonly string $scheme,
        public readonly int $secretIndex,
        public readonly ?int $timestamp,
        public readonly ?string $id,
    ) {
    }
}
