<?php
// Shared by the middleware test and its apps: the secrets and the handler's answer.
declare(strict_types=1);

const STRIPE_SECRET = 'whsec_middleware_test';
const S2S_SECRET = 's2s-middleware-secret';

/**
 * The handler: logs that it ran (to HOOKSIG_MW_LOG), throws when asked to (after logging), and answers what it
 * got: the verified id, the raw body, and whether the app's parsed body is the raw body's JSON.
 */
function handled(Hooksig\Verified $verified, string $raw, mixed $parsed, bool $fail): string
{
    file_put_contents((string) getenv('HOOKSIG_MW_LOG'), hash('sha256', $raw) . "\n", FILE_APPEND | LOCK_EX);
    if ($fail) {
        throw new RuntimeException('handler failed');
    }
    return (string) json_encode(['scheme' => $verified->scheme, 'raw' => $raw, 'parsed' => $parsed === json_decode($raw, true)]);
}
