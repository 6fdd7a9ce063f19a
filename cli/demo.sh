#!/usr/bin/env bash
# `make demo`, part two: the hooksig CLI against itself on 127.0.0.1.
#   1. for every built-in profile: `listen`, then `send` a valid and a tampered delivery to it;
#   2. `listen` accepts a delivery once: the same GitHub delivery resent with another (unsigned) id is a duplicate;
#   3. `explain` on a re-serialised body and on a secret read from a file with a trailing newline.
# Usage: cli/demo.sh [path/to/hooksig]
set -euo pipefail

HOOKSIG=${1:-target/debug/hooksig}
export DEMO_SECRET="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # base64 after whsec_, so every profile accepts it
tmp=$(mktemp -d)
listener=""
cleanup() {
    if [ -n "$listener" ]; then kill "$listener" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Starts `hooksig listen` for profile $1 in the background, logging to $log; sets $listener and $port.
start_listener() {
    log="$tmp/listen-$1.log"
    "$HOOKSIG" listen --profile "$1" --secret-env DEMO_SECRET --port 0 > "$log" 2>&1 &
    listener=$!
    port=""
    tries=0
    while [ -z "$port" ]; do
        port=$(sed -n 's|^hooksig listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log" 2>/dev/null || true)
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then echo "listen did not start" >&2; cat "$log" >&2; exit 1; fi
        [ -n "$port" ] || sleep 0.05
    done
}

stop_listener() {
    kill "$listener" 2>/dev/null || true
    wait "$listener" 2>/dev/null || true
    listener=""
}

echo "== hooksig listen + send: a valid and a tampered delivery of every profile =="
first=1
for profile in $("$HOOKSIG" profiles); do
    start_listener "$profile"
    url="http://127.0.0.1:$port/webhooks/$profile"
    "$HOOKSIG" send "$url" --profile "$profile" --secret-env DEMO_SECRET > "$tmp/send.log"
    if "$HOOKSIG" send "$url" --profile "$profile" --secret-env DEMO_SECRET --tamper >> "$tmp/send.log"; then
        echo "the tampered $profile delivery was accepted" >&2
        exit 1
    fi
    stop_listener
    echo "-- $profile"
    sed 's/^/  send   | /' "$tmp/send.log"
    if [ "$first" = 1 ]; then
        sed -n '2,$p' "$log" | sed 's/^/  listen | /'   # verdicts and pretty bodies
        first=0
    else
        grep -- ' -> ' "$log" | sed 's/^/  listen | /'  # verdicts only
    fi
done

echo
echo "== hooksig listen accepts each delivery once: a GitHub delivery resent with another X-GitHub-Delivery =="
start_listener github
url="http://127.0.0.1:$port/webhooks/github"
printf '{"action":"opened","number":7}' > "$tmp/event.json"
for id in d-1 d-2; do
    echo "\$ hooksig send $url --profile github --secret-env DEMO_SECRET --body-file event.json --id $id"
    "$HOOKSIG" send "$url" --profile github --secret-env DEMO_SECRET --body-file "$tmp/event.json" --id "$id" \
        | tee "$tmp/send.log" | sed 's/^/  send   | /'
done
grep -q '"code":"DUPLICATE_DELIVERY"' "$tmp/send.log" || { echo "the resent delivery was not a duplicate" >&2; exit 1; }
stop_listener
grep -- ' -> ' "$log" | sed 's/^/  listen | /'

echo
echo "== hooksig explain: a body re-serialised by a JSON parser (Stripe sends pretty JSON) =="
printf '{\n  "id": "evt_1",\n  "object": "event",\n  "type": "payment_intent.succeeded",\n  "data": {\n    "amount": 1250\n  }\n}' > "$tmp/sent.json"
printf '{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"amount":1250}}' > "$tmp/received.json"
"$HOOKSIG" sign --profile stripe --secret-env DEMO_SECRET --body-file "$tmp/sent.json" --timestamp 1700000000 > "$tmp/headers"
echo "\$ hooksig explain --profile stripe --secret-env DEMO_SECRET --header \"\$(cat headers)\" --body-file received.json --now 1700000000"
set -- --header "$(cat "$tmp/headers")"
"$HOOKSIG" explain --profile stripe --secret-env DEMO_SECRET "$@" --body-file "$tmp/received.json" --now 1700000000 || true

echo
echo "== hooksig explain: the secret read from a file that ends with a newline =="
printf 'Hello, World!' > "$tmp/body.txt"
printf '%s\n' "$DEMO_SECRET" > "$tmp/secret.txt"
"$HOOKSIG" sign --profile github --secret-env DEMO_SECRET --body-file "$tmp/body.txt" > "$tmp/headers"
echo "\$ echo \"\$SECRET\" > secret.txt; hooksig explain --profile github --secret-file secret.txt --header \"\$(cat headers)\" --body-file body.txt"
set -- --header "$(head -n 1 "$tmp/headers")"
"$HOOKSIG" explain --profile github --secret-file "$tmp/secret.txt" "$@" --body-file "$tmp/body.txt" || true
