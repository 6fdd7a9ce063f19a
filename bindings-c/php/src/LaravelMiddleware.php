<?php
declare(strict_types=1);

namespace Hooksig;

use Closure;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;

/**
 * Laravel route middleware: reads the raw body (up to $limit bytes), verifies it with the request line as
 * received (the real method, not an override), and claims the delivery in $store when given (verifyOnce).
 * On success the handler finds the Verified in $request->attributes->get('hooksig.verified') and the raw body in
 * 'hooksig.body'; if the handler throws, the claim is released (Laravel renders the exception as usual). Failures
 * are answered here: {"error": CODE} with the code's HTTP status (200 for DUPLICATE_DELIVERY, the handler not run;
 * 503 for REPLAY_STORE_UNAVAILABLE; 413 PAYLOAD_TOO_LARGE over $limit). Bind it once, then name it on routes:
 *
 *     $this->app->singleton(Hooksig\LaravelMiddleware::class, fn () => new Hooksig\LaravelMiddleware(
 *         new Hooksig\Verifier('stripe', [env('STRIPE_WEBHOOK_SECRET')]), new Hooksig\ApcuStore()));
 *     Route::post('/webhooks', $handler)->middleware(Hooksig\LaravelMiddleware::class);
 */
final class LaravelMiddleware
{
    public const VERIFIED = Middleware::VERIFIED;
    public const BODY = Middleware::BODY;

    /** @param ?int $retention seconds a claim is kept where the profile has no window (see verifyOnce) */
    public function __construct(
        private readonly Verifier $verifier,
        private readonly ?ClaimStore $store = null,
        private readonly int $limit = Middleware::DEFAULT_LIMIT,
        private readonly ?int $retention = null,
    ) {
    }

    public function handle(Request $request, Closure $next): mixed
    {
        // A fresh handle on the raw body (php://input, or the content a parser already read), never the parsed input.
        $stream = $request->getContent(true);
        $body = (string) stream_get_contents($stream, $this->limit + 1);
        try {
            \strlen($body) <= $this->limit || throw Middleware::tooLarge();
            [$verified, $claim] = Middleware::verify(
                $this->verifier, $this->store, $request->headers->all(), $body, $request->getRealMethod(), $request->getRequestUri(), $this->retention,
            );
        } catch (Exception $e) {
            return self::fail($e->httpStatus, $e->getErrorCode());
        }
        $request->attributes->set(self::VERIFIED, $verified);
        $request->attributes->set(self::BODY, $body);
        try {
            $response = $next($request);
        } catch (\Throwable $t) {
            $claim === null || $this->store?->release($claim);
            throw $t;
        }
        // Laravel's pipeline turns the handler's exception into a response that carries it.
        if ($claim !== null && ($response->exception ?? null) !== null) {
            $this->store?->release($claim);
        }
        return $response;
    }

    private static function fail(int $status, string $code): JsonResponse
    {
        return JsonResponse::fromJsonString(Middleware::error($code), $status);
    }
}
