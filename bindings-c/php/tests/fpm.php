<?php
// The PHP binding under php-fpm, the way PHP shops run it: a real php-fpm master with
// `ffi.enable=preload` (PHP's default) and `opcache.preload` set to preload.php, serving
// examples/endpoint.php over FastCGI; requests are sent with `cgi-fcgi` (libfcgi-bin), so the
// headers reach PHP as php-fpm passes them (HTTP_* variables, read by getallheaders()).
// A second master without `opcache.preload` must fail: it shows the preload setting is what
// makes FFI usable there, so the first run proves the preload path and not a permissive setup.
// Run by `make test-php`: HOOKSIG_LIB=… php -d ffi.enable=1 bindings-c/php/tests/fpm.php (the workers get
// this environment; without HOOKSIG_LIB, as `make test-dist` runs it, the package finds its library).
declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/check.php';

function fail(string $why): never
{
    fwrite(STDERR, "fpm.php: $why\n");
    exit(1);
}

$fpm = getenv('PHP_FPM') ?: (glob('/usr/sbin/php-fpm*')[0] ?? '');
if ($fpm === '' || !is_executable($fpm)) {
    fail('no php-fpm binary (make php-setup installs php-fpm; or set PHP_FPM)');
}
$cgiFcgi = trim((string) shell_exec('command -v cgi-fcgi'));
if ($cgiFcgi === '') {
    fail('no cgi-fcgi (make php-setup installs libfcgi-bin)');
}
$endpoint = (string) realpath(__DIR__ . '/../examples/endpoint.php');
$preload = (string) realpath(__DIR__ . '/../preload.php');
$root = trim((string) shell_exec('id -u')) === '0';

/**
 * Starts a php-fpm master in the foreground on a Unix socket; returns [process, socket, dir].
 * @param list<string> $ini
 */
function start_fpm(string $fpm, array $ini, bool $root, array $env): array
{
    $dir = sys_get_temp_dir() . '/hooksig-fpm-' . bin2hex(random_bytes(4));
    mkdir($dir);
    $socket = "$dir/fpm.sock";
    $pool = ["[global]", "error_log = $dir/fpm.log", "daemonize = no", "[www]", "listen = $socket",
        "pm = static", "pm.max_children = 2", "clear_env = no", "catch_workers_output = yes"];
    if ($root) {
        array_push($pool, 'user = root', 'group = root');
    }
    file_put_contents("$dir/fpm.conf", implode("\n", $pool) . "\n");
    $args = [$fpm, '-F', '-y', "$dir/fpm.conf", '-p', $dir];
    if ($root) {
        $args[] = '-R';
    }
    foreach ($ini as $setting) {
        array_push($args, '-d', $setting);
    }
    $null = ['file', '/dev/null', 'w'];
    $process = proc_open($args, [0 => ['pipe', 'r'], 1 => $null, 2 => ['file', "$dir/stderr.log", 'w']], $pipes, null, $env);
    for ($i = 0; $i < 100 && !file_exists($socket); $i++) {
        usleep(50_000);
    }
    if (!file_exists($socket)) {
        fail("php-fpm did not start:\n" . @file_get_contents("$dir/stderr.log") . @file_get_contents("$dir/fpm.log"));
    }
    return [$process, $socket, $dir];
}

function stop_fpm($process, string $dir): void
{
    proc_terminate($process);
    proc_close($process);
    array_map('unlink', glob("$dir/*") ?: []);
    rmdir($dir);
}

/**
 * POSTs $body to the endpoint through php-fpm; returns [HTTP status, response body].
 * @param array<string, string> $headers
 */
function fastcgi_post(string $cgiFcgi, string $socket, string $script, array $headers, string $body): array
{
    $env = ['SCRIPT_FILENAME' => $script, 'SCRIPT_NAME' => '/webhook', 'REQUEST_URI' => '/webhook',
        'REQUEST_METHOD' => 'POST', 'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1',
        'CONTENT_TYPE' => 'application/json', 'CONTENT_LENGTH' => (string) strlen($body)];
    foreach ($headers as $name => $value) {
        $env['HTTP_' . strtoupper(str_replace('-', '_', $name))] = $value;
    }
    $process = proc_open([$cgiFcgi, '-bind', '-connect', $socket], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'],
        2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
    fwrite($pipes[0], $body);
    fclose($pipes[0]);
    $response = (string) stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($process);
    [$head, $content] = array_pad(explode("\r\n\r\n", $response, 2), 2, '');
    $status = preg_match('/^Status: (\d{3})/mi', $head, $m) === 1 ? $m[1] : ($head === '' ? 'none' : '200');
    return [$status, trim($content)];
}

$secret = 'whsec_fpm_round_trip_secret';
$body = '{"id":"evt_fpm","type":"payment_intent.succeeded","amount":4200}';
$env = getenv();
$env['STRIPE_WEBHOOK_SECRET'] = $secret;
$preloaded = ['ffi.enable=preload', 'opcache.enable=1', "opcache.preload=$preload"];
if ($root) {
    $preloaded[] = 'opcache.preload_user=root';
}

// 1. php-fpm as production runs it: preload, ffi.enable=preload.
[$process, $socket, $dir] = start_fpm($fpm, $preloaded, $root, $env);
$signed = Hooksig\sign('stripe', $secret, $body, time());
[$status, $text] = fastcgi_post($cgiFcgi, $socket, $endpoint, $signed, $body);
check($status === '200' && str_starts_with($text, 'OK stripe secret=0'), "php-fpm: signed POST got $status $text");
[$status, $text] = fastcgi_post($cgiFcgi, $socket, $endpoint, $signed, str_replace('4200', '9999', $body));
check($status === '401' && $text === 'SIGNATURE_MISMATCH', "php-fpm: tampered POST got $status $text");
[$status, $text] = fastcgi_post($cgiFcgi, $socket, $endpoint, [], $body);
check($status === '400' && $text === 'MISSING_HEADER', "php-fpm: unsigned POST got $status $text");
$stale = Hooksig\sign('stripe', $secret, $body, time() - 3600);
[$status, $text] = fastcgi_post($cgiFcgi, $socket, $endpoint, $stale, $body);
check($status === '401' && $text === 'TIMESTAMP_TOO_OLD', "php-fpm: stale POST got $status $text");
// Several requests on the same workers: the verifier and FFI state survive between requests.
for ($i = 0; $i < 10; $i++) {
    $again = Hooksig\sign('stripe', $secret, $body, time());
    [$status] = fastcgi_post($cgiFcgi, $socket, $endpoint, $again, $body);
    check($status === '200', "php-fpm: repeated signed POST $i got $status");
}
stop_fpm($process, $dir);

// 2. The control: the same master without opcache.preload cannot use FFI, so the endpoint fails.
[$process, $socket, $dir] = start_fpm($fpm, ['ffi.enable=preload', 'opcache.enable=1'], $root, $env);
[$status] = fastcgi_post($cgiFcgi, $socket, $endpoint, $signed, $body);
// The master copies a worker's stderr into its log on its own time: wait for it (at most 5 s).
$log = '';
for ($i = 0; $i < 100 && !str_contains($log, 'FFI API is restricted'); $i++) {
    $log = (string) @file_get_contents("$dir/fpm.log");
    str_contains($log, 'FFI API is restricted') || usleep(50_000);
}
check($status === '500' && str_contains($log, 'FFI API is restricted'),
    "php-fpm without opcache.preload: expected 500 for restricted FFI, got $status; log: " . substr($log, -300));
stop_fpm($process, $dir);

summary();
