<?php
declare(strict_types=1);

namespace Hooksig;

/**
 * A verification, signing or configuration failure. getErrorCode() is the
 * stable code string (SIGNATURE_MISMATCH, MISSING_HEADER, ...: the same in
 * every language); getMessage() the one-line text; $httpStatus what a webhook
 * endpoint should answer with (400, 401 or 500).
 */
class Exception extends \RuntimeException
{
    public function __construct(public readonly string $hooksigCode, string $message, public readonly int $httpStatus)
    {
        parent::__construct($message);
    }

    /** The stable code string, e.g. "SIGNATURE_MISMATCH". */
    public function getErrorCode(): string
    {
        return $this->hooksigCode;
    }
}
