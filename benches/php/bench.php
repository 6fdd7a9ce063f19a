<?php
// PHP side of `make bench` (run by benches/run.py, one round per call).
//
// Every timed call is what a PHP webhook handler does with the request (a
// header array: the provider's headers plus eight usual ones, as
// getallheaders() gives them; the raw body string from php://input), with
// objects built once built once:
// - hooksig (FFI over the C ABI): `new Hooksig\Verifier($profile, [$secret])`
//   once; `->verify($headers, $body)` per call (real clock, 300 s window);
// - hash_hmac + hash_equals (the baseline): the header looked up, then
//   `hash_equals(hash_hmac('sha256', $body, $secret), $header)` (UnknownPay's
//   raw-hex scheme).
// Usage: php -d ffi.enable=1 bench.php --data DIR [--seconds S] [--reps N] [--round R]
// Needs HOOKSIG_LIB (path of libhooksig_ffi.so); bindings-c/php is loaded
// from this tree.

declare(strict_types=1);

require __DIR__ . '/../../bindings-c/php/autoload.php';

$opts = getopt('', ['data:', 'seconds:', 'reps:', 'round:']);
$dir = $opts['data'] ?? null;
if (!is_string($dir)) {
    fwrite(STDERR, "usage: bench.php --data DIR [--seconds S] [--reps N] [--round R]\n");
    exit(1);
}
$seconds = (float) ($opts['seconds'] ?? 0.25);
$reps = (int) ($opts['reps'] ?? 3);
$round = (int) ($opts['round'] ?? 0);

$cases = json_decode((string) file_get_contents("$dir/cases.json"), true, 512, JSON_THROW_ON_ERROR);
$sizes = array_map('intval', $cases['sizes']);
$bodies = [];
foreach ($sizes as $size) {
    $bodies[$size] = (string) file_get_contents("$dir/body-$size.json");
}

function headers_for(array $cases, string $profile, int $size, string $key = 'headers'): array
{
    return array_merge($cases['extra_headers'], ['Content-Length' => (string) $size],
        $cases['profiles'][$profile]['sizes'][(string) $size][$key]);
}

$contestants = [];
foreach (['unknownpay', 'key2pay', 'stripe', 'standard-webhooks', 'github'] as $profile) {
    $verifier = new Hooksig\Verifier($profile, [$cases['profiles'][$profile]['secrets'][0]]);
    $contestants[] = [
        'name' => "hooksig $profile", 'kind' => 'hooksig', 'pair' => '', 'note' => '',
        'make' => function (int $size) use ($verifier, $cases, $profile, $bodies): Closure {
            $headers = headers_for($cases, $profile, $size);
            $body = $bodies[$size];
            $verifier->verify($headers, $body);
            return fn () => $verifier->verify($headers, $body);
        },
    ];
}
$sw = new Hooksig\Verifier('standard-webhooks', $cases['profiles']['standard-webhooks']['secrets']);
$contestants[] = [
    'name' => 'hooksig standard-webhooks (2 secrets, 2nd matches)', 'kind' => 'hooksig', 'pair' => '', 'note' => '',
    'make' => function (int $size) use ($sw, $cases, $bodies): Closure {
        $headers = headers_for($cases, 'standard-webhooks', $size, 'headers_old');
        $body = $bodies[$size];
        if ($sw->verify($headers, $body)->secretIndex !== 1) {
            throw new RuntimeException('wrong secret index');
        }
        return fn () => $sw->verify($headers, $body);
    },
];
$rawSecret = $cases['profiles']['unknownpay']['secrets'][0];
$contestants[] = [
    'name' => 'hash_hmac + hash_equals', 'kind' => 'baseline', 'pair' => 'hooksig unknownpay',
    'note' => "`hash_equals(hash_hmac('sha256', \$body, \$secret), \$header)`, raw-hex header (UnknownPay's scheme)",
    'make' => function (int $size) use ($cases, $bodies, $rawSecret): Closure {
        $headers = headers_for($cases, 'unknownpay', $size);
        $body = $bodies[$size];
        $call = function () use ($headers, $body, $rawSecret): bool {
            $sig = $headers['X-Webhook-Signature'] ?? null;
            if (!is_string($sig) || !hash_equals(hash_hmac('sha256', $body, $rawSecret), $sig)) {
                throw new RuntimeException('mismatch');
            }
            return true;
        };
        $call();
        return $call;
    },
];

function batch(Closure $call, float $seconds): float
{
    $n = 1;
    for (;;) {
        $t0 = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $call();
        }
        $dt = hrtime(true) - $t0;
        if ($dt >= $seconds * 1e9 || $n >= (1 << 24)) {
            return $dt / $n;
        }
        $n = max($n * 2, (int) ($n * $seconds * 1e9 / max($dt, 1) * 1.1));
    }
}

$calls = [];
$times = [];
foreach ($contestants as $i => $c) {
    foreach ($sizes as $size) {
        $calls[$i][$size] = ($c['make'])($size);
        $times[$i][$size] = [];
    }
}
$per = $seconds / $reps;
$count = count($contestants);
for ($rep = 0; $rep < $reps; $rep++) {
    $shift = ($round + $rep) % $count;
    foreach ($sizes as $size) {
        for ($k = 0; $k < $count; $k++) {
            $i = ($k + $shift) % $count;
            $times[$i][$size][] = batch($calls[$i][$size], $per);
        }
    }
}
echo json_encode(['meta' => ['runtime' => 'PHP ' . PHP_VERSION . ' (FFI)', 'packages' => ['hooksig' => 'bindings-c/php']]]), "\n";
foreach ($contestants as $i => $c) {
    foreach ($sizes as $size) {
        $xs = $times[$i][$size];
        sort($xs);
        $m = intdiv(count($xs), 2);
        $med = count($xs) % 2 ? $xs[$m] : ($xs[$m - 1] + $xs[$m]) / 2;
        echo json_encode(['name' => $c['name'], 'kind' => $c['kind'], 'pair' => $c['pair'], 'note' => $c['note'],
            'size' => $size, 'ns' => $med]), "\n";
    }
}
