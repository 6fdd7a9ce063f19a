#!/usr/bin/env python3
"""Runs every benchmark side by side and writes benches/RESULTS.md.

Suites: the OpenSSL floor (`openssl speed -hmac sha256`), the Rust core
(criterion, `benches/benches/verify.rs`), and one program per language
(`benches/<lang>/bench.*`). Every suite verifies the same bodies and signed
headers (written by `hooksig-bench-fixtures` into the data directory).

Each round runs every suite once, in a rotated order, so slow drifts of the
machine (other load, frequency) spread over all contestants; inside each
suite the programs interleave sizes and contestants. A number in the report
is the median over rounds of each round's figure, with the min-max range.

Usage: run.py [--quick] [--rounds N] [--suites openssl,rust,python,node,c,php]
              [--data DIR] [--out FILE] [--report-only]
A suite whose command is missing (e.g. `--suites python` without its venv)
is an error, never silently skipped: make installs what each suite needs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ROOT / "benches"
SIZES = [300, 2048, 65536, 1048576]
SIZE_LABEL = {300: "300 B", 2048: "2 KiB", 65536: "64 KiB", 1048576: "1 MiB"}
ALL_SUITES = ["openssl", "rust", "python", "node", "c", "php"]
FLOOR = "openssl speed"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw) -> str:
    res = subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        raise SystemExit(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return res.stdout


@dataclass
class Config:
    quick: bool
    rounds: int
    data: Path
    seconds: float  # per contestant and size, per round, in the language programs
    openssl_seconds: int
    criterion_args: list[str]
    suites: list[str]


@dataclass
class Entry:
    """One contestant in one suite: figures per size, one per round (ns per verify)."""

    suite: str
    name: str
    kind: str  # "hooksig" | "baseline" | "peer" | "floor"
    note: str = ""
    pair: str = ""  # for a peer: the hooksig contestant doing the same scheme
    ns: dict[int, list[float]] = field(default_factory=dict)


class Results:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], Entry] = {}
        self.meta: dict[str, dict] = {}

    def add(self, suite: str, name: str, kind: str, size: int, ns: float, note: str = "", pair: str = "") -> None:
        key = (suite, name)
        entry = self.entries.setdefault(key, Entry(suite, name, kind, note, pair))
        entry.ns.setdefault(size, []).append(ns)

    def suite(self, suite: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.suite == suite]

    def median(self, suite: str, name: str, size: int) -> float | None:
        entry = self.entries.get((suite, name))
        if entry is None or not entry.ns.get(size):
            return None
        return statistics.median(entry.ns[size])


# ---------------------------------------------------------------- suites


def suite_openssl(cfg: Config, res: Results, rnd: int) -> None:
    order = SIZES[rnd % len(SIZES) :] + SIZES[: rnd % len(SIZES)]
    for size in order:
        out = run(["openssl", "speed", "-hmac", "sha256", "-bytes", str(size), "-elapsed", "-seconds", str(cfg.openssl_seconds)])
        line = [ln for ln in out.splitlines() if ln.startswith("hmac(sha256)")]
        if not line:
            raise SystemExit(f"openssl speed: no hmac(sha256) line in:\n{out}")
        kbps = float(line[-1].split()[-1].rstrip("k"))  # thousands of bytes per second
        res.add("openssl", FLOOR, "floor", size, size / (kbps * 1000.0) * 1e9,
                "`openssl speed -hmac sha256 -bytes N -elapsed`: pre-keyed EVP_MAC, no parsing")
    res.meta["openssl"] = {"version": run(["openssl", "version"]).strip()}


RUST_NOTES = {
    "hmac-rekey": "`hmac` crate keyed per call, hex-decoded header, `verify_slice` (raw-hex scheme)",
    "ring": "`ring::hmac::Key` built once, hex-decoded header, `ring::hmac::verify` (raw-hex scheme)",
}


def rust_bench_exe() -> Path:
    out = run(["cargo", "bench", "-p", "hooksig-benches", "--bench", "verify", "--no-run", "--locked",
               "--message-format=json"], cwd=ROOT)
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "verify" and msg.get("executable"):
            return Path(msg["executable"])
    raise SystemExit("could not find the criterion bench executable")


def suite_rust(cfg: Config, res: Results, rnd: int) -> None:
    exe = cfg.data / "verify-bench"
    home = cfg.data / f"criterion-{rnd}"
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, CRITERION_HOME=str(home))
    run([str(exe), "--bench", "--noplot", *cfg.criterion_args], env=env, cwd=ROOT)
    found = 0
    for est in home.glob("*/*/new/estimates.json"):
        size = int(est.parent.parent.parent.name)
        name = est.parent.parent.name
        ns = json.loads(est.read_text())["median"]["point_estimate"]
        if name.startswith("hooksig."):
            _, profile, nsec = name.split(".")
            label = f"hooksig {profile}" + (" (2 secrets, 2nd matches)" if nsec == "2" else "")
            res.add("rust", label, "hooksig", size, ns)
        else:
            res.add("rust", name, "baseline" if name == "hmac-rekey" else "peer", size, ns, RUST_NOTES.get(name, ""))
        found += 1
    if found == 0:
        raise SystemExit(f"criterion wrote no estimates under {home}")
    res.meta["rust"] = {"version": run(["rustc", "--version"]).strip()}


def lang_suite(lang: str, cmd: list[str], env: dict[str, str] | None = None):
    def suite(cfg: Config, res: Results, rnd: int) -> None:
        write_fixtures(cfg)
        out = run([*cmd, "--data", str(cfg.data), "--seconds", str(cfg.seconds), "--round", str(rnd)], cwd=ROOT,
                  env=dict(os.environ, **(env or {})))
        got = 0
        for line in out.splitlines():
            if not line.startswith("{"):
                continue
            rec = json.loads(line)
            if "meta" in rec:
                res.meta[lang] = rec["meta"]
                continue
            res.add(lang, rec["name"], rec["kind"], int(rec["size"]), float(rec["ns"]), rec.get("note", ""),
                    rec.get("pair", ""))
            got += 1
        if got == 0:
            raise SystemExit(f"{lang}: the bench printed no results:\n{out[-2000:]}")
    return suite


def suites_for(cfg: Config) -> dict:
    venv_py = BENCHES / "python" / ".venv" / "bin" / "python"
    table = {
        "openssl": suite_openssl,
        "rust": suite_rust,
        "python": lang_suite("python", [str(venv_py), str(BENCHES / "python" / "bench.py")]),
        "node": lang_suite("node", ["node", str(BENCHES / "node" / "bench.mjs")]),
        "c": lang_suite("c", [str(cfg.data / "c-bench")]),
        "php": lang_suite("php", ["php", "-d", "ffi.enable=1", str(BENCHES / "php" / "bench.php")],
                          {"HOOKSIG_LIB": str(ROOT / "target" / "release" / "libhooksig_ffi.so")}),
    }
    return {name: table[name] for name in cfg.suites}


# ---------------------------------------------------------------- report


def cmd_version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "not installed"


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def machine(res: Results) -> list[tuple[str, str]]:
    cpu = "unknown"
    flags = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name") and cpu == "unknown":
            cpu = line.split(":", 1)[1].strip()
        if line.startswith("flags") and not flags:
            flags = line
    sha = "yes" if " sha_ni" in flags else "no"
    mem = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) // (1024 * 1024)} GiB"
    return [
        ("CPU", f"{cpu} ({os.cpu_count()} cores, SHA extensions: {sha})"),
        ("Memory", mem),
        ("Kernel", f"{platform.system()} {platform.release()}"),
        ("OS", cmd_version(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"])),
        ("Rust", cmd_version(["rustc", "--version"])),
        ("OpenSSL", cmd_version(["openssl", "version"])),
        ("Load average (1 min) at start / end", f"{res.meta.get('load', {}).get('start', '?')} / "
                                                 f"{res.meta.get('load', {}).get('end', '?')}"),
    ]


def fmt_ns(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def fmt_range(values: list[float]) -> str:
    return f"{fmt_ns(min(values))}–{fmt_ns(max(values))}"


def baseline_of(res: Results, suite: str) -> Entry | None:
    return next((e for e in res.suite(suite) if e.kind == "baseline"), None)


KIND_ORDER = {"floor": 0, "hooksig": 1, "baseline": 2, "peer": 3}


def suite_table(res: Results, suite: str) -> list[str]:
    entries = sorted(res.suite(suite), key=lambda e: (KIND_ORDER[e.kind], e.name))
    base = baseline_of(res, suite)
    lines = [
        "| size | contestant | ns per verify, median (min–max) | MB/s | × hand-written | × OpenSSL floor |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for size in SIZES:
        floor = res.median("openssl", FLOOR, size)
        bmed = res.median(suite, base.name, size) if base else None
        rows = [e for e in entries if e.ns.get(size)]
        if suite != "openssl" and floor is not None:
            rows = [res.entries[("openssl", FLOOR)], *rows]
        for e in rows:
            med = statistics.median(e.ns[size])
            mbps = size / med * 1e3
            rb = f"{med / bmed:.2f}" if bmed else "–"
            rf = f"{med / floor:.2f}" if floor else "–"
            name = f"**{e.name}**" if e.kind == "hooksig" else e.name
            if e.kind == "baseline":
                name += " (baseline)"
            lines.append(f"| {SIZE_LABEL[size]} | {name} | {fmt_ns(med)} ({fmt_range(e.ns[size])}) | {mbps:.0f} | {rb} | {rf} |")
    notes = sorted({(e.name, e.note) for e in entries if e.note})
    if notes:
        lines.append("")
        lines.extend(f"- {name}: {note}" for name, note in notes)
    return lines


@dataclass
class Target:
    what: str
    measured: str
    ok: bool | None  # None: not measured in this run


def ratio(res: Results, suite: str, a: str, b_suite: str, b: str, size: int) -> float | None:
    x, y = res.median(suite, a, size), res.median(b_suite, b, size)
    return x / y if x is not None and y is not None else None


def targets(res: Results) -> list[Target]:
    out: list[Target] = []

    def check(what: str, value: float | None, limit: float) -> None:
        if value is None:
            out.append(Target(what, "not measured in this run", None))
        else:
            out.append(Target(what, f"{value:.2f}×", value <= limit))

    raw = ["hooksig unknownpay", "hooksig key2pay", "hooksig unipayment", "hooksig standard-webhooks"]
    for name in raw:
        check(f"Rust `{name[8:]}` ≤ 1.10× floor at 300 B", ratio(res, "rust", name, "openssl", FLOOR, 300), 1.10)
        for size in (65536, 1048576):
            check(f"Rust `{name[8:]}` ≤ 1.05× floor at {SIZE_LABEL[size]}",
                  ratio(res, "rust", name, "openssl", FLOOR, size), 1.05)
    for lang, limit in (("python", 0.5), ("node", 0.5), ("php", 0.5), ("c", 0.5)):
        base = baseline_of(res, lang)
        hs = [e for e in res.suite(lang) if e.kind == "hooksig" and "2 secrets" not in e.name]
        if base is None or not hs:
            out.append(Target(f"{lang}: hooksig ≤ {limit}× {lang} baseline at 300 B", "not measured in this run", None))
            continue
        # Like for like: the baseline is compared with hooksig doing the same scheme.
        same = next((h for h in hs if h.name == base.pair), hs[0])
        check(f"{lang}: `{same.name}` ≤ {limit}× `{base.name}` at 300 B",
              ratio(res, lang, same.name, lang, base.name, 300), limit)
        if lang == "php":
            check(f"php: `{same.name}` ≤ 0.2× `{base.name}` at 1 MiB",
                  ratio(res, lang, same.name, lang, base.name, 1048576), 0.2)
        if lang in ("python", "node"):
            peers = [e for e in res.suite(lang) if e.kind == "peer"]
            for p in peers:
                h = next((h for h in hs if h.name == p.pair), hs[0])
                worst = max((r for s in SIZES if (r := ratio(res, lang, h.name, lang, p.name, s)) is not None), default=None)
                check(f"{lang}: `{h.name}` ahead of `{p.name}` at every size (worst ratio)", worst, 0.999)
    return out


def write_report(cfg: Config, res: Results, out: Path, started: float) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Generated by `make bench` (`benches/run.py`); do not edit by hand. "
        f"{cfg.rounds} round(s){' (quick mode)' if cfg.quick else ''}; "
        f"run took {time.time() - started:.0f} s, finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "Every contestant verifies the same bodies (JSON webhook payloads of exactly 300 B, 2 KiB, 64 KiB and 1 MiB)"
        " with the same secrets and correctly signed headers; every timed call is what a webhook handler does"
        " (header lookup and parse, timestamp window, HMAC-SHA256, signature decode, constant-time compare), with"
        " objects a user builds once (verifier, key) built once. A figure is the median over rounds of each round's"
        " median, with the range over rounds. `× hand-written` is the time relative to the language's hand-written"
        " baseline (lower is better); `× OpenSSL floor` relative to `openssl speed -hmac sha256 -bytes N` measured in"
        " the same run (a pre-keyed HMAC with no parsing at all: the floor).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine(res)]
    for lang in ("python", "node", "c", "php"):
        meta = res.meta.get(lang)
        if meta:
            pkgs = ", ".join(f"{k} {v}" for k, v in sorted(meta.get("packages", {}).items()))
            lines.append(f"| {lang} | {meta.get('runtime', '?')}{'; ' + pkgs if pkgs else ''} |")
    lines += ["", "## Headline (the README's table)", "", *headline_table(res)]
    lines += ["", "## Targets (README \"Performance\")", "", "| target | measured | met |", "|---|---:|---|"]
    tg = targets(res)
    for t in tg:
        lines.append(f"| {t.what} | {t.measured} | {'yes' if t.ok else 'NO' if t.ok is False else '–'} |")
    notes = BENCHES / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    titles = {"openssl": "OpenSSL floor", "rust": "Rust core (criterion)", "python": "Python", "node": "Node",
              "c": "C ABI", "php": "PHP (FFI)"}
    for suite in ALL_SUITES:
        if res.suite(suite) and suite != "openssl":
            lines += ["", f"## {titles[suite]}", ""] + suite_table(res, suite)
    missing = [s for s in ALL_SUITES if not res.suite(s)]
    if missing:
        lines += ["", f"Not run this time: {', '.join(missing)}."]
    out.write_text("\n".join(lines) + "\n")
    log(f"wrote {out}")
    missed = [t for t in tg if t.ok is False]
    log(f"targets: {sum(1 for t in tg if t.ok)} met, {len(missed)} missed, {sum(1 for t in tg if t.ok is None)} not measured")


def headline_table(res: Results) -> list[str]:
    """The README's table: per language, hooksig vs its hand-written baseline at 300 B and 1 MiB."""
    lines = ["| language | contestant | 300 B | × hand-written | 1 MiB | × hand-written |", "|---|---|---:|---:|---:|---:|"]
    picks = {"rust": ["hooksig unknownpay", "hmac-rekey", "ring"]}
    floor = res.entries.get(("openssl", FLOOR))
    if floor:
        lines.append(f"| – | OpenSSL floor | {fmt_ns(statistics.median(floor.ns[300]))} | | "
                     f"{fmt_ns(statistics.median(floor.ns[1048576]))} | |")
    for suite in ALL_SUITES[1:]:
        entries = res.suite(suite)
        base = baseline_of(res, suite)
        if not entries or base is None:
            continue
        chosen = [e for e in entries if e.name in picks.get(suite, [])] or [
            e for e in entries if "2 secrets" not in e.name and (e.kind != "hooksig" or "unknownpay" in e.name)]
        for e in sorted(chosen, key=lambda e: (KIND_ORDER[e.kind], e.name)):
            cells = []
            for size in (300, 1048576):
                m, b = res.median(suite, e.name, size), res.median(suite, base.name, size)
                cells += [fmt_ns(m) if m else "–", f"{m / b:.2f}" if m and b else "–"]
            name = f"**{e.name}**" if e.kind == "hooksig" else e.name
            lines.append(f"| {suite} | {name} | {' | '.join(cells)} |")
    return lines


# ---------------------------------------------------------------- main


def write_fixtures(cfg: Config) -> None:
    """Bodies and headers signed at the current time (the peers check it against the real clock)."""
    run([str(ROOT / "target" / "release" / "hooksig-bench-fixtures"), str(cfg.data)])


def prepare(cfg: Config) -> None:
    cfg.data.mkdir(parents=True, exist_ok=True)
    log("building the fixture writer and the criterion bench")
    run(["cargo", "build", "--release", "--locked", "-p", "hooksig-benches", "--bin", "hooksig-bench-fixtures"], cwd=ROOT)
    write_fixtures(cfg)
    if "rust" in cfg.suites:
        shutil.copy2(rust_bench_exe(), cfg.data / "verify-bench")
    if "c" in cfg.suites:
        run(["make", "-s", "-C", str(BENCHES / "c"), f"OUT={cfg.data / 'c-bench'}", f"ROOT={ROOT}"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one short round (make bench-quick)")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--suites", default=",".join(ALL_SUITES))
    ap.add_argument("--data", type=Path, default=ROOT / "target" / "bench-data")
    ap.add_argument("--out", type=Path, default=BENCHES / "RESULTS.md")
    ap.add_argument("--report-only", action="store_true",
                    help="re-render the report from the last run's raw figures (<data>/results.json), e.g. after editing NOTES.md")
    args = ap.parse_args()
    suites = [s for s in args.suites.split(",") if s]
    unknown = set(suites) - set(ALL_SUITES)
    if unknown:
        raise SystemExit(f"unknown suites: {sorted(unknown)}")
    if args.quick:
        cfg = Config(True, args.rounds or 1, args.data, 0.05, 1,
                     ["--warm-up-time", "0.05", "--measurement-time", "0.15", "--sample-size", "10"], suites)
    else:
        cfg = Config(False, args.rounds or 5, args.data, 0.25, 1,
                     ["--warm-up-time", "0.2", "--measurement-time", "0.5", "--sample-size", "20"], suites)
    raw = args.data / "results.json"
    if args.report_only:
        saved = json.loads(raw.read_text())
        res = Results()
        res.meta = saved["meta"]
        for e in saved["entries"]:
            entry = Entry(e["suite"], e["name"], e["kind"], e["note"], e["pair"], {int(k): v for k, v in e["ns"].items()})
            res.entries[(entry.suite, entry.name)] = entry
        cfg.rounds, cfg.quick = saved["rounds"], saved["quick"]
        write_report(cfg, res, args.out, time.time() - saved["seconds"])
        return
    started = time.time()
    prepare(cfg)
    res = Results()
    res.meta["load"] = {"start": loadavg()}
    table = suites_for(cfg)
    names = list(table)
    for rnd in range(cfg.rounds):
        order = names[rnd % len(names) :] + names[: rnd % len(names)]
        for name in order:
            t0 = time.time()
            table[name](cfg, res, rnd)
            log(f"round {rnd + 1}/{cfg.rounds}: {name} done in {time.time() - t0:.1f} s")
    res.meta["load"]["end"] = loadavg()
    entries = [vars(e) for e in res.entries.values()]
    raw.write_text(json.dumps({"rounds": cfg.rounds, "quick": cfg.quick, "seconds": time.time() - started,
                               "meta": res.meta, "entries": entries}))
    write_report(cfg, res, args.out, started)


if __name__ == "__main__":
    main()
