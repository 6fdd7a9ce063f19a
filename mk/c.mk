# bindings-c: the C ABI (crate hooksig-ffi), its checked-in headers, install, and the C and PHP tests.

PREFIX ?= /usr/local
FFI_LIB_DIR := target/release
FFI_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
FFI_MAJOR = $(word 1,$(subst ., ,$(FFI_VERSION)))
FFI_MINOR = $(word 2,$(subst ., ,$(FFI_VERSION)))
C_TEST_DIR := target/c-test
C_TEST_PREFIX = $(abspath $(C_TEST_DIR))/prefix
C_STRICT := -std=c11 -Wall -Wextra -Werror -pedantic
C_PKG = PKG_CONFIG_PATH=$(C_TEST_PREFIX)/lib/pkgconfig pkg-config
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
PHP_TEST_PREFIX = $(abspath target/php-test)/prefix
PHP_RUN = HOOKSIG_LIB=$(PHP_TEST_PREFIX)/lib/libhooksig.so php -d ffi.enable=1 -d apc.enable_cli=1

TEST_TARGETS += test-c test-php
CLEAN_TARGETS += clean-c

.PHONY: lib-c header install test-c test-php php-setup clean-c

lib-c: ## Build the C library (target/release/libhooksig_ffi.{so,a})
	$(CARGO) build --release --locked -p hooksig-ffi

header: ## Regenerate bindings-c/include/hooksig.h and hooksig_php.h (pinned cbindgen 0.29.4, as a library)
	HOOKSIG_WRITE_HEADERS=1 $(CARGO) test --locked -p hooksig-ffi --test header

install: lib-c ## Install libhooksig.so.0 (SONAME, versioned symlinks), libhooksig.a, hooksig.h (+ hooksig_php.h), hooksig.pc, the CMake package and the licences under PREFIX (default /usr/local)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/cmake/hooksig $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/share/licenses/hooksig
	install -m 644 LICENSE-MIT LICENSE-APACHE $(DESTDIR)$(PREFIX)/share/licenses/hooksig/
	install -m 755 $(FFI_LIB_DIR)/libhooksig_ffi.so $(DESTDIR)$(PREFIX)/lib/libhooksig.so.$(FFI_VERSION)
	ln -sfn libhooksig.so.$(FFI_VERSION) $(DESTDIR)$(PREFIX)/lib/libhooksig.so.$(FFI_MAJOR)
	ln -sfn libhooksig.so.$(FFI_MAJOR) $(DESTDIR)$(PREFIX)/lib/libhooksig.so
	install -m 644 $(FFI_LIB_DIR)/libhooksig_ffi.a $(DESTDIR)$(PREFIX)/lib/libhooksig.a
	install -m 644 bindings-c/include/hooksig.h bindings-c/include/hooksig_php.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@VERSION@|$(FFI_VERSION)|' bindings-c/hooksig.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/hooksig.pc
	for f in hooksigConfig hooksigConfigVersion; do \
		sed -e 's|@VERSION@|$(FFI_VERSION)|g' -e 's|@MAJOR@|$(FFI_MAJOR)|g' -e 's|@MINOR@|$(FFI_MINOR)|g' \
			bindings-c/cmake/$$f.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/hooksig/$$f.cmake || exit 1; \
	done

# The C test and the README's example, built against the *installed* header and library (pkg-config),
# then run plain, under valgrind memcheck, and rebuilt with ASan+UBSan; any report fails the target.
test-c: ## C tests against the installed library: plain, valgrind memcheck, ASan+UBSan
	rm -rf $(C_TEST_DIR) && mkdir -p $(C_TEST_DIR)
	$(MAKE) --no-print-directory install PREFIX=$(C_TEST_PREFIX)
	@for prog in tests/c/test_hooksig examples/verify; do \
		name=$$(basename $$prog); \
		flags="$$($(C_PKG) --cflags --libs hooksig) -Wl,-rpath,$(C_TEST_PREFIX)/lib"; \
		echo "cc $(C_STRICT) bindings-c/$$prog.c (pkg-config hooksig)"; \
		gcc $(C_STRICT) -g bindings-c/$$prog.c $$flags -o $(C_TEST_DIR)/$$name || exit 1; \
		gcc $(C_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
			bindings-c/$$prog.c $$flags -o $(C_TEST_DIR)/$$name-san || exit 1; \
		echo "== $$name"; $(C_TEST_DIR)/$$name || exit 1; \
		echo "== $$name under valgrind"; $(VALGRIND) $(C_TEST_DIR)/$$name || exit 1; \
		echo "== $$name with ASan+UBSan"; $(SAN_ENV) $(C_TEST_DIR)/$$name-san || exit 1; \
	done
	@flags="$$($(C_PKG) --cflags --libs hooksig) -Wl,-rpath,$(C_TEST_PREFIX)/lib"; \
	gcc $(C_STRICT) -g bindings-c/tests/c/planted_bug.c $$flags -o $(C_TEST_DIR)/planted && \
	gcc $(C_STRICT) -g -fsanitize=address,undefined -fno-sanitize-recover=all bindings-c/tests/c/planted_bug.c \
		$$flags -o $(C_TEST_DIR)/planted-san || exit 1; \
	for mode in leak read; do \
		$(VALGRIND) --log-file=/dev/null $(C_TEST_DIR)/planted $$mode >/dev/null; rc=$$?; \
		[ $$rc = 99 ] || { echo "valgrind missed the planted $$mode (exit $$rc)" >&2; exit 1; }; \
		$(SAN_ENV) $(C_TEST_DIR)/planted-san $$mode >/dev/null 2>&1 && \
			{ echo "ASan missed the planted $$mode" >&2; exit 1; }; \
	done; echo "== planted leak and invalid read: caught by valgrind and by ASan (the checks can fail)"
	@echo "test-c: plain, valgrind and ASan+UBSan runs clean"

php-setup: ## Install php-cli (with FFI), php-fpm, php-apcu, php-redis, cgi-fcgi, curl and the middleware tests' frameworks (Slim, nyholm/psr7, Laravel) when missing (apt-get, as root or via sudo)
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	if ! command -v php >/dev/null || ! command -v curl >/dev/null || ! command -v cgi-fcgi >/dev/null \
		|| ! ls /usr/sbin/php-fpm* >/dev/null 2>&1 || ! php -m | grep -qx apcu || ! php -m | grep -qx redis \
		|| ! [ -f /usr/share/php/Slim/autoload.php -a -f /usr/share/php/Nyholm/Psr7/autoload.php -a -f /usr/share/php/Illuminate/autoload.php ]; then \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			php-cli php-fpm php-apcu php-redis libfcgi-bin curl php-slim php-nyholm-psr7 php-laravel-framework \
			|| { echo "php-setup: cannot install php-cli/php-fpm/php-apcu/php-redis/libfcgi-bin/curl/php-slim/php-nyholm-psr7/php-laravel-framework" >&2; exit 1; }; \
	fi
	@php -d ffi.enable=1 -r 'exit(extension_loaded("FFI") ? 0 : 1);' || { echo "php-setup: PHP has no FFI" >&2; exit 1; }

test-php: php-setup redis-deps ## PHP over FFI: every vectors.json case, $_SERVER/getallheaders shapes, php -S + curl and php-fpm round trips; replay stores (APCu under php-fpm, a real Redis); the PSR-15 and Laravel middleware in Slim and Laravel over php -S; README snippets
	$(MAKE) --no-print-directory install PREFIX=$(PHP_TEST_PREFIX)
	$(PHP_RUN) bindings-c/php/tests/run.php
	$(PHP_RUN) bindings-c/php/tests/fpm.php
	$(PHP_RUN) bindings-c/php/tests/replay.php
	$(PHP_RUN) bindings-c/php/tests/middleware.php
	$(PHP_RUN) -l bindings-c/php/examples/endpoint.php >/dev/null
	$(PYTHON) bindings-c/tests/readme_snippets.py

clean-c:
	rm -rf $(C_TEST_DIR) target/php-test
