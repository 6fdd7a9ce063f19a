<?php
declare(strict_types=1);

namespace Hooksig;

use Psr\Http\Message\ResponseFactoryInterface;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * PSR-15 middleware (Slim 4, Mezzio, any PSR-15 stack): reads the raw body from the request's stream (up to
 * $limit bytes), verifies it with the request line as received, and claims the delivery in $store when given
 * (verifyOnce). On success the handler gets the Verified in the request attribute VERIFIED ('hooksig.verified')
 * and the raw body in BODY ('hooksig.body'); if the handler throws, the claim is released and the exception
 * propagates. Failures are answered here, with $responses: {"error": CODE} and the code's HTTP status (200 for
 * DUPLICATE_DELIVERY, the handler not run; 503 for REPLAY_STORE_UNAVAILABLE; 413 PAYLOAD_TOO_LARGE over $limit).
 *
 *     $app->post('/webhooks', $handler)->add(new Hooksig\Psr15Middleware(
 *         new Hooksig\Verifier('stripe', [$secret]), $psr17Factory, new Hooksig\ApcuStore()));
 */
final class Psr15Middleware implements MiddlewareInterface
{
    public const VERIFIED = Middleware::VERIFIED;
    public const BODY = Middleware::BODY;

    /** @param ?int $retention seconds a claim is kept where the profile has no window (see verifyOnce) */
    public function __construct(
        private readonly Verifier $verifier,
        private readonly ResponseFactoryInterface $responses,
        private readonly ?ClaimStore $store = null,
        private readonly int $limit = Middleware::DEFAULT_LIMIT,
        private readonly ?int $retention = null,
    ) {
    }

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        // The request line as received: REQUEST_URI when the server gave one, else PSR-7's request target.
        $target = $request->getServerParams()['REQUEST_URI'] ?? null;
        $target = \is_string($target) && $target !== '' ? $target : $request->getRequestTarget();
        try {
            $body = self::read($request->getBody(), $this->limit) ?? throw Middleware::tooLarge();
            [$verified, $claim] = Middleware::verify(
                $this->verifier, $this->store, $request->getHeaders(), $body, $request->getMethod(), $target, $this->retention,
            );
        } catch (Exception $e) {
            return $this->fail($e->httpStatus, $e->getErrorCode());
        }
        try {
            return $handler->handle($request->withAttribute(self::VERIFIED, $verified)->withAttribute(self::BODY, $body));
        } catch (\Throwable $t) {
            $claim === null || $this->store?->release($claim);
            throw $t;
        }
    }

    /** The stream's bytes from the start (a parser may have read it already), or null when over $limit. */
    private static function read(StreamInterface $stream, int $limit): ?string
    {
        if ($stream->isSeekable()) {
            $stream->rewind();
        }
        $body = '';
        while (!$stream->eof() && \strlen($body) <= $limit) {
            $chunk = $stream->read(min(65536, $limit + 1 - \strlen($body)));
            if ($chunk === '') {
                break;
            }
            $body .= $chunk;
        }
        if ($stream->isSeekable()) {
            $stream->rewind();
        }
        return \strlen($body) > $limit ? null : $body;
    }

    private function fail(int $status, string $code): ResponseInterface
    {
        $response = $this->responses->createResponse($status)->withHeader('Content-Type', 'application/json');
        $response->getBody()->write(Middleware::error($code));
        return $response;
    }
}
