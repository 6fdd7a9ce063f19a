<?php
// The PHP binding's tests: every case of testdata/vectors.json through FFI,
// the $_SERVER / getallheaders() shapes, and a real `php -S` round trip with
// curl. Plain PHP (no PHPUnit); prints "N passed, N failed"; exits 1 on failure.
// Run: HOOKSIG_LIB=path/libhooksig.so php -d ffi.enable=1 bindings-c/php/tests/run.php
declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/check.php';

use Hooksig\Exception;
use Hooksig\Verifier;

/** @param mixed $value a string or {"hex": "..."} */
function bytes(mixed $value): string
{
    return is_array($value) ? (string) hex2bin($value['hex']) : (string) $value;
}

function body(array $case): string
{
    return array_key_exists('body_hex', $case) ? (string) hex2bin($case['body_hex']) : $case['body'];
}

/** Runs $fn, returning [code, value]: "OK" or the Exception's code string. */
function attempt(callable $fn): array
{
    try {
        return ['OK', $fn()];
    } catch (Exception $e) {
        return [$e->getErrorCode(), null];
    }
}

$vectors = json_decode((string) file_get_contents(__DIR__ . '/../../../testdata/vectors.json'), true, 512, JSON_THROW_ON_ERROR);

// 1. Every verify case.
foreach ($vectors['cases'] as $case) {
    $options = [];
    $tolerance = $case['tolerance'] ?? null;
    if ($tolerance === 'disabled') {
        $options['tolerance'] = null;
    } elseif (is_array($tolerance)) {
        $options = ['past' => $tolerance['past'], 'future' => $tolerance['future']];
    }
    $headers = array_map(static fn (array $pair) => [bytes($pair[0]), bytes($pair[1])], $case['headers']);
    [$code, $verified] = attempt(static function () use ($case, $options, $headers) {
        $verifier = new Verifier($case['scheme'], $case['secrets'], $options);
        $request = $case['request'] ?? [];
        return $verifier->verify($headers, body($case), $case['now'] ?? 0, $request['method'] ?? null, $request['path_and_query'] ?? null);
    });
    $name = $case['name'];
    check($code === $case['expect'], "$name: expected {$case['expect']}, got $code");
    if ($verified !== null) {
        if (isset($case['matched_secret'])) {
            check($verified->secretIndex === $case['matched_secret'], "$name: secret_index {$verified->secretIndex}");
        }
        if (array_key_exists('expect_timestamp', $case)) {
            check($verified->timestamp === $case['expect_timestamp'], "$name: timestamp");
        }
        if (array_key_exists('expect_id', $case)) {
            check($verified->id === $case['expect_id'], "$name: id " . var_export($verified->id, true));
        }
        if (array_key_exists('expect_replay_key', $case)) {
            check($verified->replayKey === $case['expect_replay_key'], "$name: replayKey {$verified->replayKey}");
        }
        if (array_key_exists('expect_id_signed', $case)) {
            check($verified->idSigned === $case['expect_id_signed'], "$name: idSigned");
        }
    }
}

// 2. Every sign case through the one sign(), exact headers in order.
foreach ($vectors['sign_cases'] as $case) {
    [$code, $headers] = attempt(static function () use ($case) {
        $r = $case['request'] ?? [];
        return Hooksig\sign($case['scheme'], $case['secret'], body($case), $case['timestamp'], $case['id'],
            $r['method'] ?? null, $r['path_and_query'] ?? null, $r['key_id'] ?? null);
    });
    check($code === $case['expect'], "{$case['name']}: expected {$case['expect']}, got $code");
    if ($headers !== null) {
        // Names as text; values carry MACs, compared with hash_equals even here.
        $same = array_keys($headers) === array_column($case['headers'], 0);
        foreach (array_values($headers) as $i => $value) {
            $same = $same && hash_equals($case['headers'][$i][1], $value);
        }
        check($same, "{$case['name']}: headers " . json_encode($headers));
    }
}

// 3. The shapes PHP apps have: $_SERVER (CGI names, non-string entries) and getallheaders().
$secret = 'whsec_php_test';
$body = '{"id":"evt_1","amount":100}';
$now = 1700000000;
$signed = Hooksig\sign('stripe', $secret, $body, $now);
$verifier = new Verifier('stripe', ['whsec_old', $secret], ['tolerance' => 60]);
$server = ['REQUEST_METHOD' => 'POST', 'REQUEST_TIME' => $now, 'argv' => [], 'HTTP_STRIPE_SIGNATURE' => $signed['Stripe-Signature']];
[$code, $v] = attempt(static fn () => $verifier->verify($server, $body, $now + 10));
check($code === 'OK' && $v->secretIndex === 1 && $v->timestamp === $now && $v->scheme === 'stripe', '$_SERVER shape');
[$code] = attempt(static fn () => $verifier->verify(['stripe-signature' => $signed['Stripe-Signature']], $body . ' ', $now));
check($code === 'SIGNATURE_MISMATCH', "tampered body: $code");
[$code] = attempt(static fn () => $verifier->verify($signed, $body, $now + 61));
check($code === 'TIMESTAMP_TOO_OLD', "tolerance 60: $code");
[$code] = attempt(static fn () => $verifier->verify([], $body));
check($code === 'MISSING_HEADER', "no headers: $code");
try {
    new Verifier('no-such-provider', ['x']);
    check(false, 'unknown profile must throw');
} catch (Exception $e) {
    check($e->getErrorCode() === 'INVALID_ARGUMENT' && $e->hooksigCode === 'INVALID_ARGUMENT' && $e->httpStatus === 500
        && $e->getMessage() !== '', 'unknown profile: ' . $e->getErrorCode());
}
foreach ([5, 0] as $past) {
    [$code] = attempt(static fn () => new Verifier('stripe', ['x'], ['tolerance' => null, 'past' => $past]));
    check($code === 'INVALID_ARGUMENT', "disabled window with past=$past: $code");
}
// One side overridden: 10 s in the future, the default 300 s in the past.
$oneSide = new Verifier('stripe', [$secret], ['future' => 10]);
$signed = Hooksig\sign('stripe', $secret, $body, $now);
[$code] = attempt(static fn () => $oneSide->verify($signed, $body, $now - 11));
check($code === 'TIMESTAMP_IN_FUTURE', "future 10: $code");
[$code] = attempt(static fn () => $oneSide->verify($signed, $body, $now + 300));
check($code === 'OK', "past stays 300: $code");
// The verifier remembers, per header name, whether its profile reads it (bounded memo): the same
// verifier keeps answering right for the same headers, for new names, once the memo is full (300
// junk names), for names that differ only by case/CGI spelling, for NUL bytes in values, and for
// multi-valued and list shapes.
$memo = new Verifier('stripe', [$secret]);
$signed = Hooksig\sign('stripe', $secret, $body, $now);
$sig = $signed['Stripe-Signature'];
$junk = [];
for ($i = 0; $i < 300; $i++) {
    $junk["X-Junk-$i"] = "v\0$i";
}
$rounds = [
    'map' => ['Content-Type' => 'application/json', 'Stripe-Signature' => $sig],
    'map again' => ['Content-Type' => 'application/json', 'Stripe-Signature' => $sig],
    'memo full' => $junk + ['HTTP_STRIPE_SIGNATURE' => $sig],
    'new name after full' => ['STRIPE-signature' => $sig, 'X-Other' => 'y'],
    'list' => [['X-Other', 'y'], ['stripe_signature', $sig]],
    'multi-valued' => ['stripe-signature' => [$sig]],
];
foreach ($rounds as $what => $headers) {
    [$code, $v] = attempt(static fn () => $memo->verify($headers, $body, $now));
    check($code === 'OK' && $v->scheme === 'stripe', "memo $what: $code");
}
// A new verifier asks about all new names at once (hooksig_verifier_wants_headers), except names
// with a NUL byte inside, which are passed on for the library to match (never asked, never remembered).
$shapes = [
    'NUL in a name' => ["X-A\0B" => 'v', 'Stripe-Signature' => $sig, 'X-C' => 'w'],
    'NUL in a wanted name' => ["Stripe-Signature\0" => 'v', 'Stripe-Signature' => $sig],
    'integer name' => [123 => 'v', 'stripe-signature' => $sig],
    '70 names' => array_slice($junk, 0, 69) + ['HTTP_STRIPE_SIGNATURE' => $sig],
];
foreach ($shapes as $what => $headers) {
    $fresh = new Verifier('stripe', [$secret]);
    foreach (['first', 'again'] as $round) {
        [$code, $v] = attempt(static fn () => $fresh->verify($headers, $body, $now));
        check($code === 'OK' && $v->timestamp === $now, "fresh verifier, $what, $round: $code");
    }
}
[$code] = attempt(static fn () => (new Verifier('stripe', [$secret]))->verify($junk + ['X-Signature' => $sig], $body, $now));
check($code === 'MISSING_HEADER', "fresh verifier, 301 unwanted names: $code");
[$code] = attempt(static fn () => $memo->verify(['Content-Type' => 'x'], $body, $now));
check($code === 'MISSING_HEADER', "memo, unwanted headers only: $code");
[$code] = attempt(static fn () => $memo->verify(['stripe-signature' => [$sig, $sig . '0']], $body, $now));
check($code === 'MALFORMED_HEADER', "memo, conflicting duplicates reach the core: $code");

// verify() gets its result as one hooksig::compact number (hooksig_verifier_verify_compact), decoded
// with the library's HOOKSIG_COMPACT_* values; what is not one number (the id's header past position
// 30, an id the library trimmed) comes back through the result struct, equal.
$ffi = Hooksig\Library::load();
check(Hooksig\COMPACT_TIMESTAMP_SHIFT === $ffi->HOOKSIG_COMPACT_TIMESTAMP_SHIFT && Hooksig\COMPACT_DOES_NOT_FIT === $ffi->HOOKSIG_COMPACT_DOES_NOT_FIT
    && Hooksig\COMPACT_INDEX_BITS === $ffi->HOOKSIG_COMPACT_INDEX_BITS, 'compact layout from the library');
$longId = str_repeat('d', 300);
$signed = Hooksig\sign('github', 's', $body, null, $longId);
[$code, $v] = attempt(static fn () => (new Verifier('github', ['s']))->verify($signed, $body, $now));
check($code === 'OK' && $v->id === $longId && $v->scheme === 'github' && $v->timestamp === null, "300-byte id: $code");
$signed = Hooksig\sign('github', 's', $body, null, 'short-id');
[$code, $v] = attempt(static fn () => (new Verifier('github', ['s']))->verify(['X-GitHub-Delivery' => 'short-id'] + $signed, $body, $now));
check($code === 'OK' && $v->id === 'short-id' && $v->secretIndex === 0, "short id: $code");
[$code, $v] = attempt(static fn () => (new Verifier('github', ['s']))->verify(['X-GitHub-Delivery' => " short-id\t"] + $signed, $body, $now));
check($code === 'OK' && $v->id === 'short-id', "id with spaces around it, trimmed by the library: $code " . var_export($v?->id, true));
$full = new Verifier('github', ['s']);
$full->verify($junk + $signed, $body, $now); // 256 names remembered, 44 junk names unknown from now on
[$code, $v] = attempt(static fn () => $full->verify(array_slice($junk, 256) + $signed, $body, $now));
check($code === 'OK' && $v->id === 'short-id', "id in the 45th packed header: $code " . var_export($v?->id, true));
foreach ([(1 << 36) - 3, (1 << 36) - 2, 1 << 36, 99_999_999_999, 999_999_999_999] as $stamp) {
    $signed = Hooksig\sign('stripe', $secret, $body, $stamp);
    [$code, $v] = attempt(static fn () => (new Verifier('stripe', [$secret], ['tolerance' => null]))->verify($signed, $body, $now));
    check($code === 'OK' && $v->timestamp === $stamp && $v->scheme === 'stripe', "timestamp $stamp: $code");
}
$eight = array_map(static fn (int $i) => "other-secret-$i", range(0, 6));
$signed = Hooksig\sign('stripe', $secret, $body, $now);
[$code, $v] = attempt(static fn () => (new Verifier('stripe', [...$eight, $secret]))->verify($signed, $body, $now));
check($code === 'OK' && $v->secretIndex === 7 && $v->timestamp === $now, "8th secret: $code");

// A large signed id needs a bigger output buffer than the first guess.
$longId = str_repeat('i', 2000);
$signed = Hooksig\sign('github', 's', 'b', null, $longId);
check(($signed['X-GitHub-Delivery'] ?? '') === $longId, 'sign grows its buffer');

// 3b. Window options reach the library as given: -1, 1.5, '300', true and 10**30 are INVALID_ARGUMENT for each of
//     tolerance, past and future; 60.0 is 60; a Stripe delivery signed in 2001 is never accepted through -1.
foreach (['tolerance', 'past', 'future'] as $option) {
    foreach ([-1, 1.5, '300', true, 10 ** 30, NAN, [], 366 * 86400 + 1] as $bad) {
        [$code] = attempt(static fn () => new Verifier('stripe', ['x'], [$option => $bad]));
        check($code === 'INVALID_ARGUMENT', "$option => " . var_export($bad, true) . ": $code");
        [$code] = attempt(static fn () => Hooksig\explain('stripe', ['x'], [], '', [$option => $bad]));
        check($code === 'INVALID_ARGUMENT', "explain, $option => " . var_export($bad, true) . ": $code");
    }
}
$in2001 = Hooksig\sign('stripe', $secret, $body, 1_000_000_000);
[$code] = attempt(static fn () => (new Verifier('stripe', [$secret], ['tolerance' => -1]))->verify($in2001, $body));
check($code === 'INVALID_ARGUMENT', "tolerance -1, a delivery from 2001: $code");
[$code] = attempt(static fn () => (new Verifier('stripe', [$secret]))->verify($in2001, $body));
check($code === 'TIMESTAMP_TOO_OLD', "default window, a delivery from 2001: $code");
[$code] = attempt(static fn () => (new Verifier('stripe', [$secret], ['tolerance' => 60.0]))->verify($in2001, $body, 1_000_000_061));
check($code === 'TIMESTAMP_TOO_OLD', "tolerance 60.0: $code");
[$code] = attempt(static fn () => (new Verifier('stripe', [$secret], ['tolerance' => 60.0]))->verify($in2001, $body, 1_000_000_059));
check($code === 'OK', "tolerance 60.0, 59 s later: $code");

// 3c. Cloning shares the native verifier: no double free, either copy keeps working alone.
$original = new Verifier('stripe', [$secret]);
$copy = clone $original;
unset($original);
$signed = Hooksig\sign('stripe', $secret, $body, $now);
[$code] = attempt(static fn () => $copy->verify($signed, $body, $now));
check($code === 'OK', "a clone after the original is gone: $code");
$again = clone $copy;
unset($copy, $again);
$handle = (new ReflectionProperty(Verifier::class, 'handle'))->getValue(new Verifier('stripe', [$secret]));
try {
    $twin = clone $handle;
    check(false, 'a Handle must not be cloneable');
} catch (Error $e) {
    check(str_contains($e->getMessage(), '__clone'), 'cloning a Handle: ' . $e->getMessage());
}

// 3d. Secrets never show in a stack trace (#[\SensitiveParameter]), even with arguments recorded.
ini_set('zend.exception_ignore_args', '0');
$hidden = 'hunter2-secret';
$traces = [
    'new Verifier' => static fn () => new Verifier('no-such-prov', [$hidden]),
    'new Verifier, bad window' => static fn () => new Verifier('stripe', [$hidden], ['tolerance' => -1]),
    'sign' => static fn () => Hooksig\sign('no-such-prov', $hidden, 'body'),
    'explain' => static fn () => Hooksig\explain('no-such-prov', [$hidden], [], ''),
    'explain, a secret not a string' => static fn () => Hooksig\explain('stripe', [$hidden, 1], [], ''),
];
foreach ($traces as $what => $fn) {
    try {
        $fn();
        check(false, "$what must throw");
    } catch (Exception $e) {
        $trace = $e->getTraceAsString() . print_r(array_column($e->getTrace(), 'args'), true);
        check(!str_contains($trace, 'hunter2') && str_contains($trace, 'SensitiveParameterValue'), "$what: trace $trace");
    }
}

// 4. explain: every case of testdata/explain.json (verdict, exact findings with their fields, in order),
//    the $_SERVER shape, a signed request, and wrong types.
$explainCases = json_decode((string) file_get_contents(__DIR__ . '/../../../testdata/explain.json'), true, 512, JSON_THROW_ON_ERROR);
foreach ($explainCases['cases'] as $case) {
    $options = ['now' => $case['now']];
    $tolerance = $case['tolerance'] ?? null;
    if ($tolerance === 'disabled') {
        $options['tolerance'] = null;
    } elseif (is_array($tolerance)) {
        $options += ['past' => $tolerance['past'], 'future' => $tolerance['future']];
    }
    [$code, $e] = attempt(static fn () => Hooksig\explain($case['scheme'], $case['secrets'], $case['headers'], $case['body'], $options));
    $name = $case['name'];
    if (isset($case['raises'])) { // bad arguments (an unknown profile…) are an error, not a verdict
        check($code === $case['raises'], "explain $name: expected {$case['raises']}, got $code");
        continue;
    }
    check($code === 'OK' && $e['verdict'] === $case['expect'], "explain $name: verdict " . ($e['verdict'] ?? $code));
    check(($case['expect'] === 'OK') === is_int($e['secret_index'] ?? null), "explain $name: secret_index");
    $flat = array_map(static fn (array $f) => ['code' => $f['code'], 'fields' => $f['fields']], $e['findings'] ?? []);
    check($flat === $case['findings'], "explain $name: findings " . json_encode($flat));
    check(array_filter($e['findings'] ?? [], static fn (array $f) => $f['message'] === '') === [], "explain $name: messages");
}
$secret = 'whsec_php_test';
$body = '{"id":"evt_1","amount":100}';
$signed = Hooksig\sign('stripe', $secret, $body, $now);
$server = ['REQUEST_METHOD' => 'POST', 'argv' => [], 'HTTP_STRIPE_SIGNATURE' => $signed['Stripe-Signature']];
// The secret was read from a file, trailing newline included:
$explanation = Hooksig\explain('stripe', [$secret . "\n"], $server, $body, ['now' => $now]);
// ['verdict' => 'SIGNATURE_MISMATCH', 'secret_index' => null, 'findings' => [['code' => 'SECRET_WHITESPACE', …]]]
check($explanation['verdict'] === 'SIGNATURE_MISMATCH' && $explanation['secret_index'] === null, 'explain $_SERVER: verdict');
check(array_column($explanation['findings'], 'code') === ['SECRET_WHITESPACE']
    && $explanation['findings'][0]['fields'] === ['secret_index' => 0], 'explain $_SERVER: ' . json_encode($explanation));
$e = Hooksig\explain('stripe', ['x', $secret], $signed, $body, ['now' => $now + 10, 'tolerance' => 60]);
check([$e['verdict'], $e['secret_index'], $e['findings'], $e['skipped']] === ['OK', 1, [], []], 'explain OK: ' . json_encode($e));
$e = Hooksig\explain('stripe', [$secret], $signed, $body); // the system clock: years later
check($e['verdict'] === 'TIMESTAMP_TOO_OLD' && $e['findings'][0]['code'] === 'CLOCK_SKEW', 'explain now: ' . json_encode($e));
$s2s = Hooksig\sign('unknownpay-s2s', 's2s-secret', '{}', $now, null, 'POST', '/v1/deposits', 'k');
$e = Hooksig\explain('unknownpay-s2s', ["s2s-secret\r\n"], $s2s, '{}', ['now' => $now, 'method' => 'POST', 'pathAndQuery' => '/v1/deposits']);
check(array_column($e['findings'], 'code') === ['SECRET_WHITESPACE'], 'explain signed request: ' . json_encode($e));
$e = Hooksig\explain('github', [], [], '');
check($e['verdict'] === 'INVALID_ARGUMENT' && $e['findings'] === [], 'explain without secrets: verdict ' . $e['verdict']);
$wrong = [
    'secret not a string' => static fn () => Hooksig\explain('stripe', [['x']], $signed, $body),
    'now not an int' => static fn () => Hooksig\explain('stripe', [$secret], $signed, $body, ['now' => '1700000000']),
    'tolerance not an int' => static fn () => Hooksig\explain('stripe', [$secret], $signed, $body, ['tolerance' => '60']),
    'method not a string' => static fn () => Hooksig\explain('stripe', [$secret], $signed, $body, ['method' => 1]),
    'method without path' => static fn () => Hooksig\explain('unknownpay-s2s', [$secret], $s2s, '{}', ['method' => 'POST']),
    'unknown profile' => static fn () => Hooksig\explain('no-such-provider', [$secret], $signed, $body),
    'non-UTF-8 profile' => static fn () => Hooksig\explain("\xff", [$secret], $signed, $body),
];
foreach ($wrong as $what => $fn) {
    [$code] = attempt($fn);
    check($code === 'INVALID_ARGUMENT', "explain, $what: $code");
}

// 5. A real HTTP round trip: `php -S` serving examples/endpoint.php, curl POSTing signed and tampered bodies;
//    once with ffi.enable=1, once as php-fpm is usually set up: ffi.enable=preload + opcache.preload.
/** @param list<string> $ini */
function serve(array $ini, string $secret): array
{
    $socket = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
    fclose($socket);
    $env = getenv();
    $env['STRIPE_WEBHOOK_SECRET'] = $secret;
    $args = [PHP_BINARY];
    foreach ($ini as $setting) {
        array_push($args, '-d', $setting);
    }
    array_push($args, '-S', "127.0.0.1:$port", __DIR__ . '/../examples/endpoint.php');
    $null = ['file', '/dev/null', 'w'];
    $process = proc_open($args, [0 => ['pipe', 'r'], 1 => $null, 2 => $null], $pipes, null, $env);
    for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
        usleep(50_000);
    }
    return [$process, $port];
}

/** @param array<string, string> $headers */
function post(int $port, array $headers, string $body): string
{
    $file = (string) tempnam(sys_get_temp_dir(), 'hooksig');
    file_put_contents($file, $body);
    $cmd = ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '--data-binary', "@$file",
        '-H', 'Content-Type: application/json'];
    foreach ($headers as $name => $value) {
        array_push($cmd, '-H', "$name: $value");
    }
    $cmd[] = "http://127.0.0.1:$port/webhook";
    $status = (string) shell_exec(implode(' ', array_map('escapeshellarg', $cmd)));
    unlink($file);
    return $status;
}

$whsec = 'whsec_round_trip_secret';
$body = '{"id":"evt_round_trip","type":"payment_intent.succeeded","amount":4200}';
$user = trim((string) shell_exec('id -un'));
$setups = [
    'ffi.enable=1' => ['ffi.enable=1'],
    'ffi.enable=preload' => ['ffi.enable=preload', 'opcache.enable=1', 'opcache.enable_cli=1',
        'opcache.preload=' . realpath(__DIR__ . '/../preload.php'), "opcache.preload_user=$user"],
];
foreach ($setups as $label => $ini) {
    [$server, $port] = serve($ini, $whsec);
    $signed = Hooksig\sign('stripe', $whsec, $body, time());
    check(($s = post($port, $signed, $body)) === '200', "php -S ($label): signed POST got HTTP $s");
    check(($s = post($port, $signed, str_replace('4200', '9999', $body))) === '401', "php -S ($label): tampered POST got HTTP $s");
    check(($s = post($port, [], $body)) === '400', "php -S ($label): unsigned POST got HTTP $s");
    $stale = Hooksig\sign('stripe', $whsec, $body, time() - 3600);
    check(($s = post($port, $stale, $body)) === '401', "php -S ($label): stale POST got HTTP $s");
    proc_terminate($server);
    proc_close($server);
}

summary();
