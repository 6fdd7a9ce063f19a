<?php
// The middleware test's Laravel app (Debian's php-laravel-framework, served by `php -S` with this file as the
// router): Hooksig\LaravelMiddleware on POST /hook (stripe, ApcuStore) and POST /s2s (unknownpay-s2s, no store),
// with a global middleware in front that parses the JSON body (as an app's own parser would).
declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/middleware_common.php';
require 'Illuminate/autoload.php';

use Illuminate\Http\Request;

// The app's directory: what `laravel new` would lay out, reduced to the configuration this app reads.
$base = (string) getenv('HOOKSIG_MW_DIR') . '/laravel';
if (!is_dir("$base/config")) {
    foreach (['bootstrap/cache', 'storage/logs', 'storage/views', 'resources/views', 'config'] as $dir) {
        @mkdir("$base/$dir", 0777, true);
    }
    $config = [
        'app' => ['name' => 'hooksig-test', 'env' => 'production', 'debug' => false, 'locale' => 'en', 'aliases' => [], 'providers' => [
            Illuminate\Filesystem\FilesystemServiceProvider::class, Illuminate\Translation\TranslationServiceProvider::class,
            Illuminate\View\ViewServiceProvider::class,
        ]],
        'logging' => ['default' => 'single', 'channels' => ['single' => ['driver' => 'single', 'path' => "$base/storage/logs/laravel.log"]]],
        'view' => ['paths' => ["$base/resources/views"], 'compiled' => "$base/storage/views"],
    ];
    foreach ($config as $name => $values) {
        file_put_contents("$base/config/$name.php", '<?php return ' . var_export($values, true) . ';');
    }
}
$app = new Illuminate\Foundation\Application($base);
$app->singleton(Illuminate\Contracts\Http\Kernel::class, Illuminate\Foundation\Http\Kernel::class);
$app->singleton(Illuminate\Contracts\Debug\ExceptionHandler::class, Illuminate\Foundation\Exceptions\Handler::class);
$app->singleton(Hooksig\LaravelMiddleware::class, static fn () => new Hooksig\LaravelMiddleware(
    new Hooksig\Verifier('stripe', [STRIPE_SECRET]), new Hooksig\ApcuStore(),
));
$app->singleton('hooksig.s2s', static fn () => new Hooksig\LaravelMiddleware(new Hooksig\Verifier('unknownpay-s2s', [S2S_SECRET])));

/** The app's JSON parser, in front of everything: reads the body before the route middleware runs. */
final class ParseJson
{
    public function handle(Request $request, Closure $next): mixed
    {
        $request->json()->all();
        return $next($request);
    }
}

$kernel = $app->make(Illuminate\Contracts\Http\Kernel::class);
$kernel->pushMiddleware(ParseJson::class);
$handler = static fn (Request $request) => response(handled(
    $request->attributes->get(Hooksig\LaravelMiddleware::VERIFIED),
    $request->attributes->get(Hooksig\LaravelMiddleware::BODY),
    $request->json()->all(),
    $request->header('X-Test-Fail') !== null,
), 200, ['Content-Type' => 'application/json']);
$app['router']->post('/hook', $handler)->middleware(Hooksig\LaravelMiddleware::class);
$app['router']->post('/s2s', $handler)->middleware('hooksig.s2s');

$response = $kernel->handle($request = Request::capture());
$response->send();
$kernel->terminate($request, $response);
