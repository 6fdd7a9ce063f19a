"""Why does a delivery fail? (the README's `explain` example; tests/test_explain.py runs it).

Run it: ``python -m examples.explain_secret``.
"""

import hooksig


def diagnose() -> hooksig.Explanation:
    body = b'{"id":"evt_1","type":"payment.completed"}'
    headers = hooksig.sign("stripe", "whsec_test_secret", body, timestamp=1_700_000_000)
    # The endpoint read its secret from a file, trailing newline included.
    explanation = hooksig.explain("stripe", "whsec_test_secret\n", headers, body, now=1_700_000_000)
    print(explanation.verdict)  # SIGNATURE_MISMATCH: what verify() raises
    for finding in explanation.findings:
        print(finding.code, finding.fields)  # SECRET_WHITESPACE {'secret_index': 0}
        print(finding.message)  # secret #0 has whitespace around it (...); the trimmed secret matches
    return explanation


if __name__ == "__main__":
    diagnose()
