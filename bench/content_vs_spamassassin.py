#!/usr/bin/python3
"""Scan throughput side by side on the same messages, in one run, one core each:
Portcullis (bench/content_scan, stock SpamAssassin rules and the shipped rules) versus
`spamassassin -L` over an mbox (its start-up, measured on a one-message mbox, subtracted), and
rspamd (Debian's package, if installed) with one worker pinned to one core and its network
modules off, fed by rspamc. Prints messages/s and speed ratios.

usage: bench/content_vs_spamassassin.py [--messages N] [--rounds N]
"""
import argparse
import os
import re
import shutil
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


RSPAMD_OFF = ["rbl", "spf", "dkim", "dmarc", "arc", "asn", "fuzzy_check", "neural", "ratelimit", "greylist",
              "replies", "url_redirector", "phishing", "dkim_signing", "history_redis", "reputation", "emails",
              "dcc", "external_services", "antivirus", "elastic", "clickhouse", "metadata_exporter", "hfilter",
              "mx_check", "url_reputation", "p0f", "spamtrap"]


def rspamd_rate(paths, rounds, work):
    """Messages/s through a private rspamd (offline: network modules off, DNS to nowhere)."""
    if not shutil.which("rspamd") or not os.path.isdir("/etc/rspamd"):
        return None
    conf = os.path.join(work, "rspamd")
    shutil.copytree("/etc/rspamd", conf)
    local = os.path.join(conf, "local.d")
    for m in RSPAMD_OFF:
        with open(os.path.join(local, m + ".conf"), "w") as f:
            f.write("enabled = false;\n")
    port = 11433
    files = {"options.inc": 'dns { nameserver = ["127.0.0.1:1"]; timeout = 0.2s; retransmits = 0; }\n',
             "worker-normal.inc": f'count = 1;\nbind_socket = "127.0.0.1:{port}";\n',
             "worker-controller.inc": f'bind_socket = "127.0.0.1:{port + 1}";\n',
             "worker-proxy.inc": "enabled = false;\n",
             "logging.inc": f'type = "file"; filename = "{work}/rspamd.log"; level = "error";\n'}
    for name, text in files.items():
        with open(os.path.join(local, name), "w") as f:
            f.write(text)
    for d in ("db", "run"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    proc = subprocess.Popen(["taskset", "-c", "1", "rspamd", "-f", "-u", "root", "-g", "root", "-c",
                             os.path.join(conf, "rspamd.conf"), "--var", f"DBDIR={work}/db", "--var",
                             f"RUNDIR={work}/run", "--var", f"LOGDIR={work}", "--var", f"CONFDIR={conf}",
                             "--var", f"LOCAL_CONFDIR={conf}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            r = subprocess.run(["rspamc", "-h", f"127.0.0.1:{port}", paths[0]], stdout=subprocess.PIPE, text=True)
            if "Action:" in r.stdout:
                break
            time.sleep(0.5)
        else:
            return None
        times = []
        for _ in range(rounds):
            start = time.monotonic()
            subprocess.run(["rspamc", "-h", f"127.0.0.1:{port}", "-n", "8"] + paths, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times.append(time.monotonic() - start)
        return len(paths) / statistics.median(times)
    finally:
        proc.terminate()
        proc.wait(20)


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
        rs_rate = rspamd_rate(paths, args.rounds, work)
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
    if rs_rate:
        print(f"rspamd 1 worker (offline modules):         {rs_rate:8.1f} msg/s")
        print(f"speed ratio portcullis / rspamd:           {pc / rs_rate:8.1f}x")
    else:
        print("rspamd: not installed (apt-get install rspamd) or did not start; skipped")
    print("(not equal work: spamassassin also runs its eval rules, which Portcullis reports as unsupported;\n"
          " rspamd runs its own rule set and Lua modules, over HTTP from rspamc; all three scan the same files)")


if __name__ == "__main__":
    main()
