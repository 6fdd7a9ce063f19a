"""One more OS process sharing a Redis (run by tests/test_replay.py, not a tool).

``python -m tests.replay_worker URL PREFIX DELIVERIES COPIES``: builds the same signed
Stripe deliveries as its parent, one thread per send (each delivery COPIES times), prints
``ready``, waits for a line on stdin, then lets every thread call ``verify_once`` at once
and prints one line per send: ``<delivery number> <OK or error code>``.
"""

import sys
import threading

import hooksig
from hooksig.replay import RedisStore, verify_once
from tests import replay_support as support


def main(url: str, prefix: str, count: int, copies: int) -> None:
    store = RedisStore(url, prefix=prefix)
    verifier = support.verifier()
    start = threading.Barrier(count * copies + 1)
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def send(n: int, delivery: support.Delivery) -> None:
        start.wait()
        try:
            verify_once(verifier, store, delivery.headers, delivery.body, now=support.NOW)
            outcome = "OK"
        except hooksig.VerificationError as err:
            outcome = err.code
        with lock:
            outcomes.append((n, outcome))

    threads = []
    for n in range(count):
        delivery = support.stripe("race", n)
        threads += [threading.Thread(target=send, args=(n, delivery)) for _ in range(copies)]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    sys.stdin.readline()
    start.wait()
    for thread in threads:
        thread.join()
    for n, outcome in outcomes:
        print(n, outcome)


if __name__ == "__main__":
    url, prefix, count, copies = sys.argv[1:]
    main(url, prefix, int(count), int(copies))
