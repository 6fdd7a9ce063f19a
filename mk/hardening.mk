# Hardening evidence that is measured, not asserted in CI:
#   make bench-cost   criterion: 32 entries x 8 secrets costs ~8 body HMACs; deep JSON / long headers rejected fast
#   make bench-canonical  criterion: AkashicPay's canonical JSON in MB/s (its peak heap, <= 2x the body,
#                     is asserted by core/tests/canonical_json_memory.rs)
#   make ct           dudect: t-statistic through the full verify: MAC mismatch in the first vs the last
#                     byte (hex, base64, 32 candidates), near miss as the first vs the last of 32 candidates
# The exact MAC count is asserted by the core unit test
# verifier::tests::at_most_one_mac_per_secret (run by `make test`).
BENCH_TARGETS += bench-cost bench-canonical

.PHONY: bench-cost bench-canonical ct

bench-cost: ## Cost bound: 32 signatures x 8 secrets vs 1 and 8 plain HMACs; bounded rejection times
	$(CARGO) bench --locked -p hooksig-benches --bench cost_bound

bench-canonical: ## AkashicPay canonical JSON throughput (MB/s) on ~1 MiB documents; reported, not asserted
	$(CARGO) bench --locked -p hooksig-benches --bench canonical_json

ct: ## Constant-time check (dudect): |t| < 5 means no evidence of a timing leak; reported, not asserted
	$(CARGO) build --locked --release -p hooksig-ct
	@for run in 1 2 3; do ./target/release/hooksig-ct | grep 'max t' || exit 1; done
	@echo "ct: 3 runs done; |max t| < 5 is 'no evidence of a leak' (see SECURITY.md for recorded results)"
