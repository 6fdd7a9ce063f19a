<?php
// A webhook endpoint: verify, then act; answer 2xx only for authentic deliveries.
// Run: HOOKSIG_LIB=/path/libhooksig.so STRIPE_WEBHOOK_SECRET=whsec_... php -d ffi.enable=1 -S 127.0.0.1:8080 endpoint.php
declare(strict_types=1);

require __DIR__ . '/../autoload.php'; // with Composer: vendor/autoload.php

// Built once per process in php-fpm with preloading; cheap enough per request otherwise.
$verifier = new Hooksig\Verifier('stripe', [(string) getenv('STRIPE_WEBHOOK_SECRET')]);

try {
    // getallheaders() and $_SERVER (HTTP_STRIPE_SIGNATURE) both work.
    $verified = $verifier->verify(getallheaders(), (string) file_get_contents('php://input'));
} catch (Hooksig\Exception $e) {
    http_response_code($e->httpStatus); // 400 broken, 401 forged or stale
    echo $e->getErrorCode(), "\n";     // e.g. SIGNATURE_MISMATCH; never echo more than the code
    return;
}
// Authentic: act on the event (de-duplicate on $verified->id where the scheme has one).
http_response_code(200);
echo "OK {$verified->scheme} secret={$verified->secretIndex} t={$verified->timestamp}\n";
