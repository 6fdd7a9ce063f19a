<?php
// Replay protection in PHP: verifyOnce() with ApcuStore (APCu: this CLI with apc.enable_cli=1, then a real php-fpm
// pool of several workers hit concurrently) and RedisStore (a real redis-server started here on a free loopback
// port and stopped at the end, even on failure): exactly once, re-spelled replays are duplicates, release lets
// the retry through, every store failure is REPLAY_STORE_UNAVAILABLE and nothing is accepted.
// Run by `make test-php`: HOOKSIG_LIB=… php -d ffi.enable=1 -d apc.enable_cli=1 bindings-c/php/tests/replay.php
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

use Hooksig\ApcuStore;
use Hooksig\Claim;
use Hooksig\ClaimStore;
use Hooksig\Exception;
use Hooksig\RedisStore;
use Hooksig\Verifier;

use function Hooksig\verifyOnce;

// A child process of the two-process Redis test: claims every delivery of the file once it reads "go".
if (($argv[1] ?? '') === 'worker') {
    [, , $port, $file] = $argv;
    $work = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
    $verifier = new Verifier('github', [$work['secret']]);
    $store = new RedisStore('127.0.0.1', (int) $port);
    fgets(STDIN);
    $out = [];
    foreach ($work['attempts'] as $i) {
        try {
            $out[] = 'ACCEPTED ' . verifyOnce($verifier, $store, $work['deliveries'][$i], $work['body'] . $i)[0]->replayKey;
        } catch (Exception $e) {
            $out[] = $e->getErrorCode();
        }
    }
    echo implode("\n", $out), "\n";
    exit(0);
}

require __DIR__ . '/check.php';

function fail(string $why): never
{
    fwrite(STDERR, "replay.php: $why\n");
    exit(1);
}

function code(callable $fn): string
{
    try {
        $fn();
        return 'OK';
    } catch (Exception $e) {
        return $e->getErrorCode();
    }
}

function free_port(): int
{
    $socket = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
    fclose($socket);
    return $port;
}

/** Starts redis-server on a free loopback port; it is stopped at exit, whatever happens. @return array{0: resource, 1: int} */
function start_redis(): array
{
    $port = free_port();
    $null = ['file', '/dev/null', 'w'];
    $process = proc_open(['redis-server', '--port', (string) $port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        [0 => ['pipe', 'r'], 1 => $null, 2 => $null], $pipes);
    register_shutdown_function(static fn () => proc_get_status($process)['running'] && proc_terminate($process));
    for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
        usleep(50_000);
    }
    return [$process, $port];
}

function stop(mixed $process): void
{
    proc_terminate($process);
    for ($i = 0; $i < 100 && proc_get_status($process)['running']; $i++) {
        usleep(20_000);
    }
}

/** A store that only counts claims: a failed verification must never reach it. */
final class Spy implements ClaimStore
{
    public int $claims = 0;

    public function claim(string $replayKey, int $ttl): Claim
    {
        $this->claims++;
        return new Claim($replayKey, 'spy');
    }

    public function release(Claim $claim): bool
    {
        return false;
    }
}

extension_loaded('apcu') && apcu_enabled() || fail('APCu is not enabled (make php-setup installs php-apcu; run with -d apc.enable_cli=1)');
extension_loaded('redis') || fail('no redis extension (make php-setup installs php-redis)');
$ffi = Hooksig\Library::load();
$now = 1_700_000_000;
$body = '{"id":"evt_replay","amount":100}';

// 1. The library's codes, constants and TTL rule.
$prefix = FFI::string($ffi->HOOKSIG_REPLAY_STORE_PREFIX);
check($prefix === 'hooksig:replay:' && $ffi->HOOKSIG_DEFAULT_STORE_CAPACITY === 100_000, "store constants: $prefix");
// PHP class constants cannot come from FFI: the adapters' default limit is the core's, checked here.
check(Hooksig\Middleware::DEFAULT_LIMIT === $ffi->HOOKSIG_DEFAULT_BODY_LIMIT, 'the adapters\' body limit is the core\'s');
foreach (['DUPLICATE_DELIVERY' => [11, 200], 'REPLAY_STORE_UNAVAILABLE' => [12, 503]] as $name => [$value, $status]) {
    check($ffi->{"HOOKSIG_RESULT_$name"} === $value && $ffi->hooksig_result_code($value) === $name
        && $ffi->hooksig_result_http_status($value) === $status, "$name is $value, HTTP $status");
}
check((new Verifier('stripe', ['s']))->replayTtl() === 600 && (new Verifier('stripe', ['s']))->replayTtl(60) === 600, 'stripe TTL: the window');
check((new Verifier('stripe', ['s'], ['tolerance' => null]))->replayTtl(60) === 60, 'stripe without a window: the retention');
check((new Verifier('github', ['s']))->replayTtl() === 7 * 86400 && (new Verifier('github', ['s']))->replayTtl(5) === 5, 'github TTL: the retention');
check(code(static fn () => (new Verifier('github', ['s']))->replayTtl(-1)) === 'INVALID_ARGUMENT', 'negative retention');

// 2. Both verify paths (the compact fast path and the result struct) give the same replayKey and idSigned.
$full = new ReflectionMethod(Verifier::class, 'verifyFull');
$sw = Hooksig\sign('standard-webhooks', 'whsec_' . base64_encode('sw-secret'), $body, $now, 'msg_1');
foreach ([['stripe', 's', Hooksig\sign('stripe', 's', $body, $now), false], ['github', 's', Hooksig\sign('github', 's', $body, null, 'd1'), false],
    ['standard-webhooks', 'whsec_' . base64_encode('sw-secret'), $sw, true]] as [$profile, $secret, $headers, $idSigned]) {
    $verifier = new Verifier($profile, [$secret]);
    $fast = $verifier->verify($headers, $body, $now);
    $slow = $full->invoke($verifier, $headers, $body, $now, null, null);
    check(preg_match('/^[0-9a-f]{64}$/', $fast->replayKey) === 1 && $fast->replayKey === $slow->replayKey
        && $fast->idSigned === $idSigned && $slow->idSigned === $idSigned, "$profile: both paths, key {$fast->replayKey}");
}

// 3. A failed verification never reaches the store.
$spy = new Spy();
$github = new Verifier('github', ['gh-secret']);
$signed = Hooksig\sign('github', 'gh-secret', $body, null, 'dlv-1');
check(code(static fn () => verifyOnce($github, $spy, $signed, $body . ' ')) === 'SIGNATURE_MISMATCH' && $spy->claims === 0, 'failed verify: no claim');
check(code(static fn () => verifyOnce($github, $spy, [], $body)) === 'MISSING_HEADER' && $spy->claims === 0, 'no signature: no claim');

/** The semantics every store must have; $label names the store. */
function exercise(ClaimStore $store, string $label, string $body, int $now): void
{
    // Re-spelled replays of one signed delivery are duplicates.
    $github = new Verifier('github', ['gh-secret']);
    $signed = Hooksig\sign('github', 'gh-secret', $body, null, "dlv-$label");
    [$first, $claim] = verifyOnce($github, $store, $signed, $body);
    check($claim->replayKey === $first->replayKey && !$first->idSigned, "$label: first delivery accepted");
    $newId = ['X-GitHub-Delivery' => 'another-id'] + $signed;
    check(code(static fn () => verifyOnce($github, $store, $newId, $body)) === 'DUPLICATE_DELIVERY', "$label: changed unsigned id");
    $upper = $signed;
    $upper['X-Hub-Signature-256'] = 'sha256=' . strtoupper(substr($signed['X-Hub-Signature-256'], 7));
    check($upper !== $signed && code(static fn () => verifyOnce($github, $store, $upper, $body)) === 'DUPLICATE_DELIVERY', "$label: upper-case hex");
    // Stripe key rotation: the sender signs with both secrets; either v1 alone is the same delivery.
    $stripe = new Verifier('stripe', ['whsec_new', 'whsec_old']);
    $t = (string) $now;
    $v1 = static fn (string $secret) => explode('v1=', Hooksig\sign('stripe', $secret, $body, $now)['Stripe-Signature'])[1];
    $pair = ['Stripe-Signature' => "t=$t,v1={$v1('whsec_new')},v1={$v1('whsec_old')}"];
    [$rotated] = verifyOnce($stripe, $store, $pair, $body, ['now' => $now]);
    foreach (['whsec_new' => 0, 'whsec_old' => 1] as $secret => $index) {
        $one = ['Stripe-Signature' => "t=$t,v1={$v1($secret)}"];
        check($stripe->verify($one, $body, $now)->secretIndex === $index && $stripe->verify($one, $body, $now)->replayKey === $rotated->replayKey
            && code(static fn () => verifyOnce($stripe, $store, $one, $body, ['now' => $now])) === 'DUPLICATE_DELIVERY', "$label: rotation, v1 of $secret alone");
    }
    // The handler failed: release, and the retry is processed; a release only frees its own claim.
    check($store->release($claim) === true, "$label: release");
    check($store->release($claim) === false, "$label: second release");
    [, $retry] = verifyOnce($github, $store, $signed, $body);
    check($retry->token !== $claim->token, "$label: retry accepted after release");
    check($store->release($claim) === false && code(static fn () => verifyOnce($github, $store, $signed, $body)) === 'DUPLICATE_DELIVERY',
        "$label: a stale claim's release leaves the retry's claim");
    check($store->release(new Claim($retry->replayKey, 'not-the-token')) === false
        && code(static fn () => verifyOnce($github, $store, $newId, $body)) === 'DUPLICATE_DELIVERY', "$label: a wrong token frees nothing");
    check(code(static fn () => $store->claim($first->replayKey, 0)) === 'INVALID_ARGUMENT', "$label: TTL 0");
    // Standard Webhooks: the id is signed.
    $secret = 'whsec_' . base64_encode("sw-$label");
    [$v] = verifyOnce(new Verifier('standard-webhooks', [$secret]), $store, Hooksig\sign('standard-webhooks', $secret, $body, $now, 'msg_1'), $body, ['now' => $now]);
    check($v->idSigned && $v->id === 'msg_1', "$label: standard-webhooks idSigned");
}

// 4. ApcuStore in this process.
$apcuPrefix = 'hooksig-test-' . bin2hex(random_bytes(4)) . ':';
exercise(new ApcuStore(null, $apcuPrefix), 'apcu', $body, $now);
check(code(static fn () => verifyOnce($github, new ApcuStore(), $signed, $body)) === 'OK'
    && apcu_exists($prefix . $github->verify($signed, $body)->replayKey), 'apcu: default prefix is the library\'s');
// Bounded: full of unexpired claims, a new one is refused (a duplicate is still a duplicate).
$small = new ApcuStore(3, $apcuPrefix . 'small:');
$keys = array_map(static fn (int $i) => hash('sha256', "key-$i"), range(0, 3));
foreach (array_slice($keys, 0, 3) as $key) {
    $small->claim($key, 60);
}
check(code(static fn () => $small->claim($keys[3], 60)) === 'REPLAY_STORE_UNAVAILABLE', 'apcu: full store refuses');
check(code(static fn () => $small->claim($keys[0], 60)) === 'DUPLICATE_DELIVERY', 'apcu: full store, duplicate');
// Claims expire (APCu's clock: seconds).
$short = new ApcuStore(null, $apcuPrefix . 'ttl:');
$short->claim($keys[0], 1);
check(code(static fn () => $short->claim($keys[0], 1)) === 'DUPLICATE_DELIVERY', 'apcu: unexpired');
sleep(2);
check(code(static fn () => $short->claim($keys[0], 1)) === 'OK', 'apcu: expired claim is claimable again');
// APCu off (the CLI default): fail closed.
$off = [PHP_BINARY, '-d', 'ffi.enable=1', '-d', 'apc.enable_cli=0', '-r', 'require ' . var_export(__DIR__ . '/../autoload.php', true) . ';
    try { (new Hooksig\ApcuStore())->claim(str_repeat("a", 64), 60); echo "CLAIMED"; } catch (Hooksig\Exception $e) { echo $e->getErrorCode(); }'];
$result = trim((string) shell_exec(implode(' ', array_map('escapeshellarg', $off))));
check($result === 'REPLAY_STORE_UNAVAILABLE', "apcu disabled: $result");

// 5. RedisStore on a real redis-server.
[$redis, $port] = start_redis();
exercise(new RedisStore('127.0.0.1', $port), 'redis', $body, $now);
$client = new Redis();
$client->connect('127.0.0.1', $port);
$key = hash('sha256', 'a key claimed once');
(new RedisStore('127.0.0.1', $port))->claim($key, 60);
$ttl = $client->pttl($prefix . $key);
check(strlen((string) $client->get($prefix . $key)) === 32 && $ttl > 59_000 && $ttl <= 60_000, "redis: key, token and PX ($ttl ms)");

// Two OS processes sharing one Redis: 20 deliveries, each sent 10 times (5 per process, interleaved) -> exactly once.
$deliveries = [];
for ($i = 0; $i < 20; $i++) {
    $deliveries[] = Hooksig\sign('github', 'gh-secret', "$body$i", null, "dlv-$i");
}
$processes = [];
foreach ([0, 1] as $p) {
    $attempts = array_merge(...array_fill(0, 5, range(0, 19)));
    mt_srand($p);
    shuffle($attempts);
    $file = tempnam(sys_get_temp_dir(), 'hooksig-replay');
    file_put_contents($file, json_encode(['secret' => 'gh-secret', 'body' => $body, 'deliveries' => $deliveries, 'attempts' => $attempts]));
    $proc = proc_open([PHP_BINARY, '-d', 'ffi.enable=1', __FILE__, 'worker', (string) $port, $file],
        [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes, null, ['HOOKSIG_LIB' => getenv('HOOKSIG_LIB')]);
    $processes[] = [$proc, $pipes, $file];
}
usleep(300_000); // both have loaded and wait for "go"
foreach ($processes as [, $pipes]) {
    fwrite($pipes[0], "go\n");
}
$answers = [];
foreach ($processes as [$proc, $pipes, $file]) {
    array_push($answers, ...explode("\n", trim((string) stream_get_contents($pipes[1]))));
    proc_close($proc);
    unlink($file);
}
$accepted = array_filter($answers, static fn (string $a) => str_starts_with($a, 'ACCEPTED '));
$counts = array_count_values($answers);
check(count($answers) === 200 && count($accepted) === 20 && count(array_unique($accepted)) === 20
    && ($counts['DUPLICATE_DELIVERY'] ?? 0) === 180, 'redis, 2 processes: ' . json_encode(array_count_values(array_map(static fn ($a) => substr($a, 0, 8), $answers))));

// An error reply (Redis out of memory) is REPLAY_STORE_UNAVAILABLE, not a duplicate.
$store = new RedisStore('127.0.0.1', $port);
$client->config('SET', 'maxmemory', '1');
check(code(static fn () => $store->claim(hash('sha256', 'oom'), 60)) === 'REPLAY_STORE_UNAVAILABLE', 'redis OOM reply: unavailable');
$client->config('SET', 'maxmemory', '0');
// An error reply php-redis does not throw for (WRONGTYPE inside the release script) is unavailable too.
$client->lPush($prefix . hash('sha256', 'a list'), 'x');
check(code(static fn () => $store->release(new Claim(hash('sha256', 'a list'), 'token'))) === 'REPLAY_STORE_UNAVAILABLE', 'redis error reply: unavailable');
check(code(static fn () => $store->claim(hash('sha256', 'oom'), 60)) === 'OK', 'redis: reconnects after a failure');

// Redis stopped mid-run: every delivery is REPLAY_STORE_UNAVAILABLE, nothing accepted.
$fresh = array_map(static fn (int $i) => Hooksig\sign('github', 'gh-secret', "$body-stopped-$i", null, "s-$i"), range(0, 4));
[, $before] = verifyOnce($github, $store, $fresh[0], "$body-stopped-0");
stop($redis);
$codes = array_map(static fn (int $i) => code(static fn () => verifyOnce($github, $store, $fresh[$i], "$body-stopped-$i")), range(1, 4));
check($codes === array_fill(0, 4, 'REPLAY_STORE_UNAVAILABLE'), 'redis stopped: ' . implode(',', $codes));
check(code(static fn () => $store->release($before)) === 'REPLAY_STORE_UNAVAILABLE', 'redis stopped: release');
check(code(static fn () => verifyOnce($github, new RedisStore('127.0.0.1', $port), $fresh[1], "$body-stopped-1")) === 'REPLAY_STORE_UNAVAILABLE', 'redis refused: unavailable');
// A server that accepts and never answers: the read timeout, then unavailable.
$hung = stream_socket_server('tcp://127.0.0.1:0');
$hungPort = (int) substr((string) strrchr((string) stream_socket_get_name($hung, false), ':'), 1);
check(code(static fn () => (new RedisStore('127.0.0.1', $hungPort, 0.3))->claim(hash('sha256', 'hung'), 60)) === 'REPLAY_STORE_UNAVAILABLE', 'redis hung: unavailable');
fclose($hung);

// 6. ApcuStore under concurrency: a php-fpm pool of 4 workers sharing APCu, 20 GitHub deliveries each sent 10 times
//    at once (cgi-fcgi per request) -> each accepted exactly once, 180 DUPLICATE_DELIVERY.
$fpm = getenv('PHP_FPM') ?: (glob('/usr/sbin/php-fpm*')[0] ?? '');
$cgiFcgi = trim((string) shell_exec('command -v cgi-fcgi'));
($fpm !== '' && $cgiFcgi !== '') || fail('no php-fpm or cgi-fcgi (make php-setup installs them)');
$dir = sys_get_temp_dir() . '/hooksig-replay-fpm-' . bin2hex(random_bytes(4));
mkdir($dir);
$root = trim((string) shell_exec('id -u')) === '0';
file_put_contents("$dir/fpm.conf", implode("\n", ['[global]', "error_log = $dir/fpm.log", 'daemonize = no', '[www]',
    "listen = $dir/fpm.sock", 'listen.backlog = 511', 'pm = static', 'pm.max_children = 4', 'clear_env = no',
    ...($root ? ['user = root', 'group = root'] : [])]) . "\n");
$env = getenv() + ['REPLAY_TEST_SECRET' => 'gh-fpm-secret'];
$master = proc_open([$fpm, '-F', '-y', "$dir/fpm.conf", '-p', $dir, ...($root ? ['-R'] : []), '-d', 'ffi.enable=1', '-d', 'apc.enabled=1'],
    [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/stderr.log", 'w']], $pipes, null, $env);
register_shutdown_function(static function () use ($master, $dir): void {
    proc_get_status($master)['running'] && proc_terminate($master);
    array_map('unlink', glob("$dir/*") ?: []);
    @rmdir($dir);
});
for ($i = 0; $i < 100 && !file_exists("$dir/fpm.sock"); $i++) {
    usleep(50_000);
}
file_exists("$dir/fpm.sock") || fail('php-fpm did not start: ' . @file_get_contents("$dir/stderr.log"));
$script = (string) realpath(__DIR__ . '/replay_endpoint.php');
$requests = [];
for ($i = 0; $i < 20; $i++) {
    $payload = "$body-fpm-$i";
    $requests = [...$requests, ...array_fill(0, 10, [Hooksig\sign('github', 'gh-fpm-secret', $payload, null, "f-$i"), $payload])];
}
shuffle($requests);
$answers = [];
foreach (array_chunk($requests, 50) as $wave) { // 50 requests in flight at once, 4 workers answering
    $running = [];
    foreach ($wave as [$headers, $payload]) {
        $cgi = ['SCRIPT_FILENAME' => $script, 'SCRIPT_NAME' => '/webhook', 'REQUEST_URI' => '/webhook', 'REQUEST_METHOD' => 'POST',
            'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1', 'CONTENT_LENGTH' => (string) strlen($payload)];
        foreach ($headers as $name => $value) {
            $cgi['HTTP_' . strtoupper(str_replace('-', '_', $name))] = $value;
        }
        $proc = proc_open([$cgiFcgi, '-bind', '-connect', "$dir/fpm.sock"], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'],
            2 => ['file', '/dev/null', 'w']], $p, null, $cgi);
        fwrite($p[0], $payload);
        fclose($p[0]);
        $running[] = [$proc, $p[1]];
    }
    foreach ($running as [$proc, $out]) {
        [$head, $content] = array_pad(explode("\r\n\r\n", (string) stream_get_contents($out), 2), 2, '');
        $answers[] = (preg_match('/^Status: (\d{3})/mi', $head, $m) === 1 ? $m[1] : '200') . ' ' . trim($content);
        proc_close($proc);
    }
}
$accepted = array_filter($answers, static fn (string $a) => str_starts_with($a, '200 ACCEPTED '));
$counts = array_count_values(array_map(static fn (string $a) => substr($a, 0, 12), $answers));
check(count($answers) === 200 && count($accepted) === 20 && count(array_unique($accepted)) === 20
    && ($counts['200 DUPLICAT'] ?? 0) === 180, 'php-fpm + APCu, 4 workers: ' . json_encode($counts));
$pids = array_unique(array_map('intval', preg_split('/\s+/', trim((string) shell_exec('pgrep -P ' . proc_get_status($master)['pid'])))));
check(count($pids) === 4, 'php-fpm ran 4 workers: ' . count($pids));

summary();
