<?php
// PSR-15's two interfaces (psr/http-server-handler and psr/http-server-middleware 1.0, verbatim), for the test
// only and only when missing: Debian packages no PHP copy of them (the php-psr extension has them but conflicts
// with php-laravel-framework's dependencies). Applications get them from Composer or their framework.
declare(strict_types=1);

namespace Psr\Http\Server;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;

if (!interface_exists(RequestHandlerInterface::class)) {
    interface RequestHandlerInterface
    {
        public function handle(ServerRequestInterface $request): ResponseInterface;
    }
}
if (!interface_exists(MiddlewareInterface::class)) {
    interface MiddlewareInterface
    {
        public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface;
    }
}
