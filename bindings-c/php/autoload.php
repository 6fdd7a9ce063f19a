<?php
// Without Composer: `require 'path/to/bindings-c/php/autoload.php';` (PSR-4 `Hooksig\` -> src/,
// as composer.json declares, plus the namespaced functions and replay.php).
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Hooksig\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 8)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
require_once __DIR__ . '/src/functions.php';
require_once __DIR__ . '/src/replay.php';
