<?php
// The counters and `check()` every PHP test script shares; `summary()` prints
// "N passed, N failed" and is the script's exit status (1 on any failure).
declare(strict_types=1);

$passed = 0;
$failed = 0;

function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL $what\n");
    }
}

function summary(): never
{
    global $passed, $failed;
    printf("%d passed, %d failed\n", $passed, $failed);
    exit($failed === 0 ? 0 : 1);
}
