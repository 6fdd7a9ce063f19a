<?php
declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/**
 * Owns one native hooksig_verifier and frees it exactly once, when the last reference goes: a
 * cloned Verifier shares its Handle (PHP clones are shallow), so `clone` can never double-free.
 * A Handle itself cannot be cloned.
 *
 * @internal
 */
final class Handle
{
    public function __construct(public readonly CData $verifier)
    {
    }

    public function __destruct()
    {
        Library::load()->hooksig_verifier_free($this->verifier);
    }

    private function __clone()
    {
    }
}
