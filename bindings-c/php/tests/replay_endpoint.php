<?php
// The replay test's php-fpm endpoint: verifyOnce() with an ApcuStore shared by the pool's workers.
// Answers "ACCEPTED <replay key>" or the error code, with the code's HTTP status.
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

$verifier = new Hooksig\Verifier('github', [(string) getenv('REPLAY_TEST_SECRET')]);
try {
    [$verified] = Hooksig\verifyOnce($verifier, new Hooksig\ApcuStore(), getallheaders(), (string) file_get_contents('php://input'));
    usleep(2000); // the handler: keep the claim held while other workers answer
    echo "ACCEPTED {$verified->replayKey}";
} catch (Hooksig\Exception $e) {
    http_response_code($e->httpStatus);
    echo $e->getErrorCode();
}
