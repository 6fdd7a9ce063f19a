<?php
// The framework adapters over real HTTP: each app (middleware_slim.php: Hooksig\Psr15Middleware in Slim;
// middleware_laravel.php: Hooksig\LaravelMiddleware in Laravel) served by `php -S` on a free 127.0.0.1 port,
// POSTed to with PHP's HTTP stream. Genuine, tampered, stale, too large, duplicate (ApcuStore), a handler that
// throws then the retry, the request line passed (unknownpay-s2s), and a JSON parser in front that does not
// change what is verified. Run by `make test-php`.
declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/check.php';
require __DIR__ . '/middleware_common.php';

/** @return array{0: resource, 1: int} the server process and its port */
function serve(string $router, string $log, string $dir): array
{
    $socket = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
    fclose($socket);
    $env = getenv();
    $env['HOOKSIG_MW_LOG'] = $log;
    $env['HOOKSIG_MW_DIR'] = $dir;
    $args = [PHP_BINARY, '-d', 'ffi.enable=1', '-d', 'apc.enable_cli=1', '-S', "127.0.0.1:$port", $router];
    $null = ['file', '/dev/null', 'w'];
    $process = proc_open($args, [0 => ['pipe', 'r'], 1 => $null, 2 => $null], $pipes, dirname($router), $env);
    for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
        usleep(50_000);
    }
    return [$process, $port];
}

/**
 * @param array<string, string> $headers
 * @return array{0: int, 1: string} the status and the body
 */
function post(int $port, string $target, array $headers, string $body): array
{
    $lines = ['Content-Type: application/json'];
    foreach ($headers as $name => $value) {
        $lines[] = "$name: $value";
    }
    $context = stream_context_create(['http' => [
        'method' => 'POST', 'header' => $lines, 'content' => $body, 'ignore_errors' => true, 'timeout' => 30,
    ]]);
    $answer = (string) @file_get_contents("http://127.0.0.1:$port$target", false, $context);
    $status = (int) (explode(' ', $http_response_header[0] ?? '')[1] ?? 0);
    return [$status, $answer];
}

function runs(string $log, string $body): int
{
    return substr_count((string) @file_get_contents($log), hash('sha256', $body) . "\n");
}

function error(string $code): string
{
    return (string) json_encode(['error' => $code]);
}

$apps = ['slim' => __DIR__ . '/middleware_slim.php', 'laravel' => __DIR__ . '/middleware_laravel.php'];
foreach ($apps as $app => $router) {
    $dir = sys_get_temp_dir() . '/hooksig-mw-' . getmypid();
    $log = "$dir/handler.log";
    @mkdir($dir);
    [$server, $port] = serve($router, $log, $dir);
    try {
        $now = time();
        // Genuine, with bytes a JSON parser would not give back (spacing, key order): the raw bytes are verified.
        $body = "{ \"id\" : \"evt_$app\",\n  \"amount\":4200 , \"b\":[1, 2] }";
        $signed = Hooksig\sign('stripe', STRIPE_SECRET, $body, $now);
        [$status, $answer] = post($port, '/hook?source=test', $signed, $body);
        $got = json_decode($answer, true);
        check($status === 200 && is_array($got) && $got['raw'] === $body && $got['scheme'] === 'stripe',
            "$app: genuine: $status $answer");
        check(is_array($got) && ($got['parsed'] ?? null) === true, "$app: the app's JSON parser saw the same body: $answer");
        check(runs($log, $body) === 1, "$app: the handler ran once");

        // The same delivery again: DUPLICATE_DELIVERY with 200, the handler not run again.
        [$status, $answer] = post($port, '/hook?source=test', $signed, $body);
        check($status === 200 && $answer === error('DUPLICATE_DELIVERY'), "$app: duplicate: $status $answer");
        check(runs($log, $body) === 1, "$app: the handler did not run for the duplicate");

        // Tampered and stale: 401, no input echoed, the handler not run.
        $tampered = str_replace('4200', '9999', $body);
        [$status, $answer] = post($port, '/hook', $signed, $tampered);
        check($status === 401 && $answer === error('SIGNATURE_MISMATCH'), "$app: tampered: $status $answer");
        $stale = '{"id":"evt_stale"}';
        [$status, $answer] = post($port, '/hook', Hooksig\sign('stripe', STRIPE_SECRET, $stale, $now - 3600), $stale);
        check($status === 401 && $answer === error('TIMESTAMP_TOO_OLD'), "$app: stale: $status $answer");
        [$status, $answer] = post($port, '/hook', [], $stale);
        check($status === 400 && $answer === error('MISSING_HEADER'), "$app: unsigned: $status $answer");
        check(runs($log, $tampered) + runs($log, $stale) === 0, "$app: the handler never ran for a rejected delivery");

        // Over the default 1 MiB: 413; exactly 1 MiB: verified.
        foreach ([1_048_577 => [413, null], 1_048_576 => [200, true]] as $size => [$want, $ran]) {
            $big = '{"x":"' . str_repeat('x', $size - 8) . '"}';
            [$status, $answer] = post($port, '/hook', Hooksig\sign('stripe', STRIPE_SECRET, $big, $now), $big);
            check($status === $want && ($ran || $answer === error('PAYLOAD_TOO_LARGE')), "$app: $size bytes: $status");
            check(runs($log, $big) === ($ran ? 1 : 0), "$app: $size bytes: the handler ran " . runs($log, $big));
        }

        // The handler throws: the claim is released, the sender's retry is accepted.
        $retry = '{"id":"evt_retry"}';
        $signed = Hooksig\sign('stripe', STRIPE_SECRET, $retry, $now);
        [$status] = post($port, '/hook', $signed + ['X-Test-Fail' => '1'], $retry);
        check($status === 500 && runs($log, $retry) === 1, "$app: the handler threw: $status");
        [$status, $answer] = post($port, '/hook', $signed, $retry);
        check($status === 200 && (json_decode($answer, true)['raw'] ?? null) === $retry && runs($log, $retry) === 2,
            "$app: the retry after the handler threw: $status $answer");
        [$status, $answer] = post($port, '/hook', $signed, $retry);
        check($status === 200 && $answer === error('DUPLICATE_DELIVERY'), "$app: then a duplicate: $status $answer");

        // The request line as received goes to verify: unknownpay-s2s signs method + path with query.
        $s2s = '{"deposit":1}';
        $signed = Hooksig\sign('unknownpay-s2s', S2S_SECRET, $s2s, $now, null, 'POST', '/s2s?ref=a%2Fb&x=1', 'k');
        [$status, $answer] = post($port, '/s2s?ref=a%2Fb&x=1', $signed, $s2s);
        check($status === 200 && (json_decode($answer, true)['raw'] ?? null) === $s2s, "$app: s2s with its request line: $status $answer");
        [$status, $answer] = post($port, '/s2s?ref=a%2Fb&x=2', $signed, $s2s);
        check($status === 401 && $answer === error('SIGNATURE_MISMATCH'), "$app: s2s, another query: $status $answer");
    } finally {
        proc_terminate($server);
        proc_close($server);
        shell_exec('rm -rf ' . escapeshellarg($dir));
    }
}
summary();
