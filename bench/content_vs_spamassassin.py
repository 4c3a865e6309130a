#!/usr/bin/python3
"""Scan throughput side by side on the same messages, in one run, one core each:
Portcullis (bench/content_scan, stock SpamAssassin rules and the shipped rules) versus
`spamassassin -L` over an mbox (its start-up, measured on a one-message mbox, subtracted).
Prints messages/s and the speed ratio. rspamd is not installed by the project; see the note.

usage: bench/content_vs_spamassassin.py [--messages N] [--rounds N]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "corpora", "spamassassin-public-corpus")
BUILD = os.environ.get("PORTCULLIS_BUILD", os.path.join(ROOT, "build"))


def corpus(n):
    paths = []
    for d, _, files in os.walk(SHARED):
        paths += [os.path.join(d, f) for f in files if f not in ("labels.tsv", "LICENSE", "NOTICE") and not f.endswith(".md")]
    paths.sort()
    return [paths[i * len(paths) // n] for i in range(n)] if n < len(paths) else paths


def write_mbox(paths, out):
    with open(out, "wb") as f:
        for p in paths:
            data = open(p, "rb").read()
            if data.startswith(b"From "):
                data = data.split(b"\n", 1)[1]
            f.write(b"From bench@localhost Thu Jan  1 00:00:00 2026\n")
            f.write(re.sub(rb"(?m)^(>*From )", rb">\1", data).rstrip(b"\n") + b"\n\n")


def spamassassin_seconds(mbox, work):
    prefs = os.path.join(work, "prefs")
    open(prefs, "w").close()
    cmd = ["taskset", "-c", "0", "spamassassin", "-L", "--mbox", "-x", "-p", prefs,
           "--configpath", "/usr/share/spamassassin", "--cf", "use_bayes 0"]
    start = time.monotonic()
    with open(mbox, "rb") as stdin:
        subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    paths = corpus(args.messages)
    size = sum(os.path.getsize(p) for p in paths) / 1e6
    with tempfile.TemporaryDirectory() as work:
        one, many = os.path.join(work, "one.mbox"), os.path.join(work, "many.mbox")
        write_mbox(paths[:1], one)
        write_mbox(paths, many)
        sa = []
        for _ in range(args.rounds):
            startup = spamassassin_seconds(one, work)
            sa.append(max(1e-3, spamassassin_seconds(many, work) - startup))
        sa_rate = len(paths) / statistics.median(sa)
        out = subprocess.run(["taskset", "-c", "0", os.path.join(BUILD, "bench", "content_scan"), "--limit",
                              str(args.messages), "--rounds", str(args.rounds), "--cache",
                              os.path.join(BUILD, "gateway", "rules-cache"), "--rules", os.path.join(ROOT, "rules", "shipped"),
                              "--rules", "/usr/share/spamassassin"], stdout=subprocess.PIPE, text=True, check=True).stdout
    print(out.rstrip())
    rates = {}
    for line in out.splitlines():
        m = re.match(r"^(\S+)\s+(\d+)\s+(\d+)\s+([\d.]+)", line)
        if m:
            rates[m.group(1)] = float(m.group(3))
    pc = rates.get("/usr/share/spamassassin", 0)
    print(f"\nspamassassin -L (stock rules, Bayes off): {sa_rate:8.1f} msg/s  {size / statistics.median(sa):6.2f} MB/s "
          f"(median of {args.rounds}, start-up subtracted)")
    print(f"portcullis (stock rules):                  {pc:8.1f} msg/s")
    print(f"speed ratio portcullis / spamassassin:     {pc / sa_rate:8.1f}x")
    print("(spamassassin also runs its eval rules, which Portcullis reports as unsupported; the ratio\n"
          " compares whole scans of the same files, not equal work)")


if __name__ == "__main__":
    main()
