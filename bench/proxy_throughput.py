#!/usr/bin/python3
"""Throughput of the proxy: smtp-source -> portcullis -> smtp-sink, against smtp-source ->
smtp-sink directly, in the same run, rounds alternated. Prints the median of each, their ratio
and the gateway's peak RSS. Loopback only; every process is stopped at the end.

usage: bench/proxy_throughput.py [--binary build/gateway/portcullis] [--messages 5000]
                                 [--sessions 10] [--size 2048] [--rounds 3]
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_listening(port, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listening on {port}")


def push(port, args):
    start = time.monotonic()
    subprocess.run(["smtp-source", "-s", str(args.sessions), "-m", str(args.messages), "-l", str(args.size),
                    "-f", "a@sender.test", "-t", "b@example.com", f"127.0.0.1:{port}"],
                   check=True, timeout=600, stdout=subprocess.DEVNULL)
    return args.messages / (time.monotonic() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/gateway/portcullis")
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="portcullis-bench-")
    sink_port, gw_port = free_port(), free_port()
    sink = subprocess.Popen(["smtp-sink", "-u", "nobody", f"127.0.0.1:{sink_port}", "256"])
    wait_listening(sink_port)
    log = open(os.path.join(tmp, "gateway.log"), "wb")
    gw = subprocess.Popen([args.binary, "run", "-o", f"listen=127.0.0.1:{gw_port}",
                           "-o", f"downstream=smtp://127.0.0.1:{sink_port}", "-o", "relay_domains=example.com",
                           "-o", f"workers={args.workers}", "-o", "hostname=bench.test",
                           "-o", f"run_as_root={'true' if os.geteuid() == 0 else 'false'}"],
                          stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(gw_port)
        direct, proxied = [], []
        for r in range(args.rounds):
            # Alternate which goes first so drift on a shared machine hits both alike.
            order = [("direct", sink_port), ("proxied", gw_port)]
            if r % 2:
                order.reverse()
            for name, port in order:
                rate = push(port, args)
                (direct if name == "direct" else proxied).append(rate)
                print(f"round {r + 1} {name:8s} {rate:8.0f} msg/s", flush=True)
        with open(f"/proc/{gw.pid}/status") as f:
            hwm = next(line.split()[1] for line in f if line.startswith("VmHWM"))
        d, p = statistics.median(direct), statistics.median(proxied)
        print(f"\n{args.messages} messages of {args.size} bytes over {args.sessions} sessions, "
              f"{args.rounds} rounds, gateway workers={args.workers}")
        print(f"direct to smtp-sink   median {d:8.0f} msg/s")
        print(f"through portcullis    median {p:8.0f} msg/s")
        print(f"ratio proxied/direct  {p / d:.2f}")
        print(f"gateway peak RSS      {int(hwm) / 1024:.1f} MiB")
        with open(os.path.join(tmp, "gateway.log"), "rb") as f:
            accepted = f.read().count(b"action=accept")
        print(f"gateway logged        {accepted} accepted transactions (expected {args.messages * args.rounds})")
    finally:
        gw.send_signal(signal.SIGTERM)
        status = gw.wait(30)
        sink.terminate()
        sink.wait(10)
    print(f"gateway exit status   {status}")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
