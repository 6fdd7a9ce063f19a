<?php
// The middleware test's Slim app (Debian's php-slim, Slim 3, served by `php -S` with this file as the router):
// Hooksig\Psr15Middleware on POST /hook (stripe, ApcuStore) and POST /s2s (unknownpay-s2s, no store), a JSON
// parser in front of it, nyholm/psr7's PSR-17 factory for its answers. Slim 3 predates PSR-15, so a three-line
// bridge runs the middleware; Slim 4 and other PSR-15 stacks take it as is.
declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/middleware_common.php';
require 'Psr/Http/Message/autoload.php';
require __DIR__ . '/middleware_psr15.php';
require 'Slim/autoload.php';
require 'Nyholm/Psr7/autoload.php';

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface as Request;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/** Slim 3's callable middleware running a PSR-15 one. */
function psr15(MiddlewareInterface $middleware): callable
{
    return fn (Request $request, ResponseInterface $response, callable $next): ResponseInterface => $middleware->process(
        $request,
        new class ($next, $response) implements RequestHandlerInterface {
            public function __construct(private $next, private ResponseInterface $response) {}

            public function handle(Request $request): ResponseInterface
            {
                return ($this->next)($request, $this->response);
            }
        },
    );
}

// `php -S` gives a router script the request's path as SCRIPT_NAME, which Slim 3 would take for its base path.
$_SERVER['SCRIPT_NAME'] = '/' . basename(__FILE__);
$factory = new Nyholm\Psr7\Factory\Psr17Factory();
$app = new Slim\App(['settings' => ['displayErrorDetails' => false]]);
$hook = new Hooksig\Psr15Middleware(new Hooksig\Verifier('stripe', [STRIPE_SECRET]), $factory, new Hooksig\ApcuStore());
$handler = function (Request $request, ResponseInterface $response): ResponseInterface {
    $verified = $request->getAttribute(Hooksig\Psr15Middleware::VERIFIED);
    $raw = $request->getAttribute(Hooksig\Psr15Middleware::BODY);
    $response->getBody()->write(handled($verified, $raw, $request->getParsedBody(), $request->getHeaderLine('X-Test-Fail') !== ''));
    return $response->withHeader('Content-Type', 'application/json');
};
// The app's JSON parser, run just before the webhook middleware (after Slim's router, which rewinds a read body):
// it reads the body stream to its end, and the middleware must still verify the raw bytes.
$parseJson = function (Request $request, ResponseInterface $response, callable $next): ResponseInterface {
    return $next($request->withParsedBody(json_decode((string) $request->getBody(), true)), $response);
};
$app->post('/hook', $handler)->add(psr15($hook))->add($parseJson); // Slim 4: ->add($hook)
$app->post('/s2s', $handler)->add(psr15(new Hooksig\Psr15Middleware(new Hooksig\Verifier('unknownpay-s2s', [S2S_SECRET]), $factory)))
    ->add($parseJson);
$app->run();
