<?php
// For php-fpm with `ffi.enable=preload` (PHP's default): set `opcache.preload` to this file so
// that the Hooksig classes are preloaded, which is what lets them call FFI under that setting.
declare(strict_types=1);

foreach (['Exception', 'Verified', 'Library', 'Verifier', 'functions', 'ClaimStore', 'replay', 'ApcuStore', 'RedisStore'] as $file) {
    require_once __DIR__ . "/src/$file.php";
}
