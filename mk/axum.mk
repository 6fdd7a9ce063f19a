# adapters/axum/: the crate hooksig-axum (a tower layer + extractor for axum).
# Its tests serve a real axum app on 127.0.0.1 (a free port) and talk to it over TCP.
.PHONY: test-axum

TEST_TARGETS += test-axum

test-axum: ## axum layer: raw body, limit (413), statuses, replay claims released on handler failure, over real HTTP
	$(CARGO) test --locked -p hooksig-axum
