#!/usr/bin/python3
"""The connection firewall under load, side by side in one run (rounds alternated):

  accept     banner 220, QUIT, 221: a client the firewall lets in
  deny       the client access list denies it: 554 banner, QUIT
  dnsbl      listed by a DNS list (answer cached by the resolver): 554 banner, QUIT
  failed     listed before and remembered (the client cache): 421 at once, no DNS
  limit      over rate_per_ip: 421 before any check, connection closed by the gateway

Each scenario is measured as connections per second over a fixed time by client processes
connecting from many loopback addresses (so ephemeral ports and TIME_WAIT never run out), and
prints the median over rounds and the ratio to `accept`. Then the memory test: N concurrent
connections (default 5,000) are opened and held idle after EHLO; the gateway's RSS before and
after gives bytes per idle connection. Loopback only; everything is stopped at the end.

usage: bench/firewall_connections.py [--binary build/gateway/portcullis] [--seconds 3]
                                     [--rounds 3] [--clients 2] [--idle 5000]
"""
import argparse
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from dns_server import DnsServer  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class GatewayProc:
    def __init__(self, binary, tmp, name, extra):
        self.port = free_port()
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        self.config = os.path.join(self.dir, "portcullis.toml")
        with open(self.config, "w") as f:
            f.write(f'listen = ["127.0.0.1:{self.port}"]\nhostname = "gw.bench"\n'
                    f'downstream = "maildir:{self.dir}/maildir"\nrelay_domains = ["example.com"]\n'
                    f'workers = 2\nlog_level = "error"\nrun_as_root = {str(os.geteuid() == 0).lower()}\n'
                    f'[auth]\nenabled = false\n{extra}\n')
        self.log = open(os.path.join(self.dir, "log"), "wb")
        self.proc = subprocess.Popen([binary, "run", "--config", self.config], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"{name}: gateway did not start: {open(self.log.name).read()}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def reply(sock, buf):
    while True:
        while b"\r\n" not in buf:
            chunk = sock.recv(4096)
            if not chunk:
                return None, b""
            buf += chunk
        line, buf = buf.split(b"\r\n", 1)
        if len(line) < 4 or line[3:4] == b" ":
            return int(line[:3]), buf


def client_loop(port, seconds, expect, worker, counts):
    """Connects from 127.<worker>.x.y for `seconds`; counts connections answered `expect`."""
    n = bad = 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        i += 1
        # 250 addresses per client process: after the warm-up round every DNS list answer is
        # in the resolver's cache, as it would be for a botnet that keeps coming back.
        src = f"127.{10 + worker}.1.{i % 250 + 1}"
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(src, 0))
            code, buf = reply(s, b"")
            if code == expect and code != 421:
                s.sendall(b"QUIT\r\n")
                reply(s, buf)
            s.close()
            n += code == expect
            bad += code != expect
        except OSError:
            bad += 1
    counts.put((n, bad))


def measure(port, seconds, expect, clients):
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=client_loop, args=(port, seconds, expect, w, q))
             for w in range(clients)]
    t = time.monotonic()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.monotonic() - t
    ok = sum(r[0] for r in results)
    bad = sum(r[1] for r in results)
    return ok / elapsed, bad


def idle_memory(binary, tmp, count):
    gw = GatewayProc(binary, tmp, "idle", "[firewall]\nmax_connections = 20000\n"
                     "max_connections_per_ip = 0\nreverse_dns = false\nhelo_checks = false\n")
    socks = []
    errors = 0
    try:
        # Warm up: the workers' first sessions allocate what every later one reuses.
        for i in range(50):
            s = socket.create_connection(("127.0.0.1", gw.port), timeout=5)
            reply(s, b"")
            s.close()
        time.sleep(0.5)
        before = rss_kib(gw.proc.pid)
        t = time.monotonic()
        for i in range(count):
            src = f"127.50.{i // 250 + 1}.{i % 250 + 1}"
            try:
                s = socket.create_connection(("127.0.0.1", gw.port), timeout=10, source_address=(src, 0))
                code, buf = reply(s, b"")
                s.sendall(b"EHLO idle.bench\r\n")
                code2, _ = reply(s, buf)
                if code != 220 or code2 != 250:
                    errors += 1
                socks.append(s)
            except OSError:
                errors += 1
        opened = time.monotonic() - t
        time.sleep(1.0)
        after = rss_kib(gw.proc.pid)
        # Every connection must still be alive and answering.
        alive = 0
        for s in socks[:: max(1, len(socks) // 200)]:
            s.sendall(b"NOOP\r\n")
            alive += reply(s, b"")[0] == 250
        sampled = len(socks[:: max(1, len(socks) // 200)])
        return before, after, len(socks), errors, opened, alive, sampled
    finally:
        for s in socks:
            s.close()
        gw.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/gateway/portcullis")
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--idle", type=int, default=5000)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.idle + 1000
    if hard < need:
        raise SystemExit(f"needs {need} file descriptors; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the gateway inherits it

    tmp = tempfile.mkdtemp(prefix="portcullis-fwbench-")
    zone = {}
    for w in range(args.clients):
        for b in range(1, 251):
            zone[f"{b}.1.{10 + w}.127.zen.bench"] = [("A", "127.0.0.2")]
    dns = DnsServer(zone)
    with open(os.path.join(tmp, "deny.cidr"), "w") as f:
        f.write("127.0.0.0/8 deny\n")
    common = f'[dns]\nservers = ["{dns.address}"]\nmax_negative_ttl = 3600\n'
    quiet = "reverse_dns = false\nhelo_checks = false\n"
    scenarios = {
        "accept": (220, "[firewall]\n" + quiet),
        "deny": (554, f'[client_access]\nfile = "{tmp}/deny.cidr"\n[firewall]\n' + quiet),
        # fail_ttl = 0: every connection runs the DNS list check (answers cached by the resolver).
        "dnsbl": (554, '[firewall]\ndnsbl = ["zen.bench*3"]\ndnsbl_threshold = 3\nfail_ttl = 0\n' + quiet),
        # The same, with the failure remembered: later connections are refused at once (421).
        "failed": (421, '[firewall]\ndnsbl = ["zen.bench*3"]\ndnsbl_threshold = 3\n' + quiet),
        "limit": (421, "[firewall]\nrate_per_ip = 1\nrate_per_subnet = 1\n" + quiet),
    }
    gws = {}
    try:
        for name, (_, extra) in scenarios.items():
            gws[name] = GatewayProc(args.binary, tmp, name, common + extra)
        rates = {name: [] for name in scenarios}
        errors = {name: 0 for name in scenarios}
        for r in range(args.rounds + 1):
            for name, (expect, _) in scenarios.items():
                rate, bad = measure(gws[name].port, args.seconds, expect, args.clients)
                if r > 0:  # round 0 warms caches and the kernel
                    rates[name].append(rate)
                    errors[name] += bad
        print(f"connections/s, median of {args.rounds} rounds of {args.seconds:g}s, "
              f"{args.clients} client processes, 2 gateway workers:")
        base = statistics.median(rates["accept"])
        for name in scenarios:
            m = statistics.median(rates[name])
            print(f"  {name:7s} {m:9.0f}/s  ratio to accept {m / base:5.2f}  "
                  f"rounds {' '.join(f'{x:.0f}' for x in rates[name])}  unexpected replies {errors[name]}")
        for name in scenarios:
            print(f"  {name:7s} gateway RSS {rss_kib(gws[name].proc.pid) / 1024:.1f} MiB")
    finally:
        for gw in gws.values():
            gw.stop()
        dns.stop()

    before, after, held, errs, opened, alive, sampled = idle_memory(args.binary, tmp, args.idle)
    print(f"idle connections: {held} held open after EHLO ({errs} errors, opened in {opened:.1f}s); "
          f"{alive}/{sampled} sampled still answer NOOP")
    print(f"  gateway RSS {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB with them: "
          f"{(after - before) * 1024 / max(held, 1):.0f} bytes per idle connection")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
