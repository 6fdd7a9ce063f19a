# replay/: the crate hooksig-replay (claim stores: MemoryStore, RedisStore; verify_once).
# Its tests run a real redis-server (started per test on a free loopback port,
# stopped at the end); `redis-deps` installs Debian's when it is missing.
.PHONY: test-replay bench-replay redis-deps

TEST_TARGETS += test-replay
BENCH_TARGETS += bench-replay
# test-replay runs its tests once redis-server is there; test-rust must not run them first.
CARGO_TEST_EXCLUDE += --exclude hooksig-replay

redis-deps:
	command -v redis-server >/dev/null || { apt-get update && apt-get install -y redis-server; }

test-replay: redis-deps ## Replay stores: exactly once across 2 processes on a real Redis, memory store, fail closed
	$(CARGO) test --locked -p hooksig-replay

bench-replay: redis-deps ## verify + claim (memory, loopback Redis) vs verify alone; Redis deliveries/s, 1 and 2 processes
	$(CARGO) bench --locked -p hooksig-replay --bench replay
