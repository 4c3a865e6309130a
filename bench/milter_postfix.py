#!/usr/bin/python3
"""Messages per second through a real Postfix (private instances on loopback, delivering to a
virtual maildir) with no milter, with Portcullis as milter over a UNIX socket, and over TCP,
in the same run, rounds alternated. smtp-source's wall time covers the milter's work: Postfix
answers the final dot only after the milter's verdict. Prints medians and ratios.

usage: bench/milter_postfix.py [--binary build/gateway/portcullis] [--messages 2000]
                               [--sessions 10] [--size 2048] [--rounds 3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
os.environ.setdefault("PORTCULLIS_BIN", os.path.join(HERE, "..", "build", "gateway", "portcullis"))

from harness import Gateway, PostfixInstance, free_port, wait_for  # noqa: E402


def push(port, args):
    start = time.monotonic()
    subprocess.run(["smtp-source", "-s", str(args.sessions), "-m", str(args.messages), "-l",
                    str(args.size), "-f", "a@sender.test", "-t", "bob@example.com",
                    f"127.0.0.1:{port}"], check=True, timeout=900, stdout=subprocess.DEVNULL)
    return args.messages / (time.monotonic() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary")
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.binary:
        os.environ["PORTCULLIS_BIN"] = args.binary

    tcp_port = free_port()
    gw = Gateway(extra=f'[milter]\nlisten = ["inet:127.0.0.1:{tcp_port}", "unix:/tmp/portcullis-bench-milter.sock"]\n'
                       '[reputation]\nlearn = false\n', overrides=["log_level=info"])
    wait_for(lambda: os.path.exists("/tmp/portcullis-bench-milter.sock"), what="milter socket")
    os.chmod("/tmp/portcullis-bench-milter.sock", 0o666)  # Postfix's smtpd runs as postfix
    common = ["milter_default_action = tempfail", "smtpd_client_connection_count_limit = 0",
              "local_header_rewrite_clients ="]
    instances = {
        "no milter": PostfixInstance(extra_main=common),
        "milter over UNIX socket": PostfixInstance(
            extra_main=common + ["smtpd_milters = unix:/tmp/portcullis-bench-milter.sock"]),
        "milter over TCP": PostfixInstance(
            extra_main=common + [f"smtpd_milters = inet:127.0.0.1:{tcp_port}"]),
    }
    rates = {name: [] for name in instances}
    try:
        for name, pf in instances.items():  # warm-up: Postfix processes, rule caches
            push(pf.port, argparse.Namespace(**{**vars(args), "messages": 100}))
        for _ in range(args.rounds):
            for name, pf in instances.items():
                rates[name].append(push(pf.port, args))
    finally:
        for pf in instances.values():
            pf.stop()
        gw.stop()
    print(f"{args.messages} messages of {args.size} bytes, {args.sessions} sessions, "
          f"median of {args.rounds} rounds")
    base = statistics.median(rates["no milter"])
    for name, r in rates.items():
        m = statistics.median(r)
        print(f"  {name:24s} {m:8.0f} msg/s  ratio {m / base:.2f}  rounds "
              + " ".join(f"{x:.0f}" for x in r))


if __name__ == "__main__":
    main()
