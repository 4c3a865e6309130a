"""The admin listener: Prometheus metrics from real traffic (names and format checked line by
line), /healthz, /readyz turning 503 while a shutdown drains, and HTTP errors."""
import re
import signal
import socket
import unittest

from harness import Gateway, free_port, message, send_message, wait_for

LINE = re.compile(r'^(portcullis_[a-z0-9_]+)(\{[a-z_]+="(?:[^"\\]|\\.)*"(?:,[a-z_]+="(?:[^"\\]|\\.)*")*\})? '
                  r'(-?[0-9.e+-]+|\+Inf)$')


def http(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request.encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.decode().partition("\r\n\r\n")
    return int(head.split()[1]), head, body


def get(port, path):
    return http(port, f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")


class AdminTest(unittest.TestCase):
    def setUp(self):
        self.admin = free_port()
        self.gw = Gateway(extra=f'[admin]\nlisten = "127.0.0.1:{self.admin}"\n')
        self.addCleanup(self.gw.stop)
        wait_for(lambda: "admin listening" in self.gw.log(), what="admin listener")

    def metrics(self):
        code, head, body = get(self.admin, "/metrics")
        self.assertEqual(code, 200)
        self.assertIn("Content-Type: text/plain; version=0.0.4", head)
        samples, types = {}, {}
        for line in body.splitlines():
            if line.startswith("# HELP "):
                continue
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ")
                types[name] = kind
                continue
            m = LINE.match(line)
            self.assertTrue(m, f"not a sample line: {line!r}")
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
        # Prometheus naming: counters end in _total, durations are in seconds.
        for name, kind in types.items():
            if kind == "counter":
                self.assertTrue(name.endswith("_total"), name)
            if kind == "histogram":
                self.assertTrue(name.endswith("_seconds"), name)
                self.assertIn(name + "_count", "".join(samples))
        return samples, types

    def test_metrics_follow_the_traffic(self):
        for _ in range(2):
            c = self.gw.client()
            c.banner_and_ehlo()
            self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
            code, _ = c.cmd("RCPT TO:<x@elsewhere.test>")
            c.cmd("QUIT")
            c.close()
        samples, types = self.metrics()
        self.assertEqual(samples['portcullis_connections_total{door="smtp"}'], 2)
        accepted = sum(v for k, v in samples.items()
                       if k.startswith('portcullis_transactions_total{door="smtp"'))
        self.assertEqual(accepted, 2)
        self.assertEqual(samples['portcullis_symbol_hits_total{symbol="SPF_NONE"}'], 2)
        self.assertEqual(types["portcullis_stage_duration_seconds"], "histogram")
        self.assertGreaterEqual(samples['portcullis_stage_duration_seconds_count{stage="data"}'], 2)
        self.assertEqual(samples['portcullis_stage_duration_seconds_bucket{stage="data",le="+Inf"}'],
                         samples['portcullis_stage_duration_seconds_count{stage="data"}'])
        # Per check as well: every message ran the authentication check.
        self.assertEqual(types["portcullis_check_duration_seconds"], "histogram")
        self.assertGreaterEqual(samples['portcullis_check_duration_seconds_count{check="auth"}'], 2)
        self.assertGreater(sum(v for k, v in samples.items()
                               if k.startswith("portcullis_dns_lookups_total")), 0)
        self.assertEqual(samples['portcullis_downstream_replies_total{class="2xx"}'], 2)
        self.assertIn('portcullis_sessions_active{door="smtp"}', samples)
        self.assertEqual([v for k, v in samples.items() if k.startswith("portcullis_build_info")], [1])
        # A reload is counted.
        self.gw.signal(signal.SIGHUP)
        wait_for(lambda: "reload complete" in self.gw.log(), what="reload")
        self.assertEqual(self.metrics()[0]['portcullis_config_reloads_total{result="ok"}'], 1)

    def test_health_readiness_and_errors(self):
        self.assertEqual(get(self.admin, "/healthz")[0], 200)
        self.assertEqual(get(self.admin, "/readyz")[0], 200)
        self.assertEqual(get(self.admin, "/nope")[0], 404)
        self.assertEqual(http(self.admin, "POST /metrics HTTP/1.1\r\n\r\n")[0], 405)
        self.assertEqual(http(self.admin, "garbage\r\n\r\n")[0], 400)
        # A shutdown waits for a transaction in progress; meanwhile the gateway is not ready.
        c = self.gw.client()
        c.banner_and_ehlo()
        self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 250)
        self.gw.signal(signal.SIGTERM)
        wait_for(lambda: get(self.admin, "/readyz")[0] == 503, what="not ready while draining")
        self.assertEqual(get(self.admin, "/healthz")[0], 200)
        c.cmd("QUIT")
        c.close()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
