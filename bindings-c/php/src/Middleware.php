<?php
declare(strict_types=1);

namespace Hooksig;

/**
 * What every framework adapter (Psr15Middleware, LaravelMiddleware) shares: the attribute names, the body limit,
 * and the one verification step. Loads no framework.
 */
final class Middleware
{
    /** The request attribute holding the Verified. */
    public const VERIFIED = 'hooksig.verified';
    /** The request attribute holding the raw body bytes. */
    public const BODY = 'hooksig.body';
    /** The default body limit (1 MiB, the core's DEFAULT_BODY_LIMIT, which tests/replay.php compares); a larger
     *  body is answered 413 PAYLOAD_TOO_LARGE without being verified. */
    public const DEFAULT_LIMIT = 1_048_576;

    /** The library's PAYLOAD_TOO_LARGE (413): a body over the limit, not verified. */
    public static function tooLarge(): Exception
    {
        return Library::exception(Library::load()->HOOKSIG_RESULT_PAYLOAD_TOO_LARGE);
    }

    /**
     * Verifies (and claims, with a store) a delivery: the headers as [name => list of values], the raw body, the
     * request line as received.
     *
     * @param iterable<array-key, iterable<string>> $headers
     * @return array{0: Verified, 1: ?Claim}
     * @throws Exception every verify() code, DUPLICATE_DELIVERY, REPLAY_STORE_UNAVAILABLE
     */
    public static function verify(
        Verifier $verifier,
        ?ClaimStore $store,
        iterable $headers,
        string $body,
        string $method,
        string $pathAndQuery,
        ?int $retention,
    ): array {
        $pairs = [];
        foreach ($headers as $name => $values) {
            foreach ($values as $value) {
                $pairs[] = [(string) $name, (string) $value];
            }
        }
        if ($store === null) {
            return [$verifier->verify($pairs, $body, null, $method, $pathAndQuery), null];
        }
        return verifyOnce($verifier, $store, $pairs, $body, ['method' => $method, 'pathAndQuery' => $pathAndQuery, 'retention' => $retention]);
    }

    /** The JSON body of a failure: the code only, never anything from the request. */
    public static function error(string $code): string
    {
        return (string) json_encode(['error' => $code]);
    }
}
