"""Two gateway nodes, one memory: two real portcullis processes share one real redis-server on
loopback (`store = "redis://..."`). What one node learns, counts or remembers, the other sees:
learned reputation, connection rates, a client caught failing a test, and greylisting. And
when Redis stops answering, both keep taking mail, then pick it up again once it is back."""
import re
import subprocess
import time
import unittest

from harness import BIN, GTUBE, Gateway, RedisServer, send_message, wait_for



class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.addCleanup(self.redis.stop)

    def node(self, extra="", overrides=()):
        gw = Gateway(extra=f'store = "{self.redis.url}?timeout_ms=300"\n[verdict]\nreject = 4.0\n{extra}',
                     overrides=overrides, shipped_rules=True)
        self.addCleanup(gw.stop)
        return gw

    def send(self, gw, source, body, sender="a@sender.test"):
        msg = ("From: a@sender.test\r\nTo: bob@example.com\r\nSubject: hello\r\n"
               "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%d@sender.test>\r\n\r\n%s\r\n"
               % (time.monotonic_ns(), body))
        c = gw.client(source=source)
        c.banner_and_ehlo()
        code, text = send_message(c, sender, ["bob@example.com"], msg)
        c.cmd("QUIT")
        c.close()
        return code, text

    def show(self, gw, key):
        r = subprocess.run([BIN, "reputation", "--config", gw.config, "show", key],
                           capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return dict(re.findall(r"(\w+)=(\S+)", r.stdout.decode()))

    def test_what_one_node_learns_the_other_judges_by(self):
        a, b = self.node(), self.node()
        for _ in range(12):
            self.assertEqual(self.send(a, "127.0.0.130", GTUBE)[0], 550)
        # Read back through node b's config: the same Redis.
        wait_for(lambda: float(self.show(b, "ip:127.0.0.130").get("rejected", 0)) >= 11.9,
                 what="12 rejections learned in Redis")
        # A clean message from that client is rejected by node b, which never saw it before.
        code, text = self.send(b, "127.0.0.130", "see you tomorrow")
        self.assertEqual(code, 550, text)
        line = [l for l in b.log().splitlines() if "client=[127.0.0.130]" in l and "action=" in l][-1]
        self.assertIn("IP_REPUTATION_BAD", line)
        # A client in another /24 with no history is accepted by both.
        self.assertEqual(self.send(a, "127.0.2.131", "see you tomorrow")[0], 250)
        self.assertEqual(self.send(b, "127.0.2.131", "see you tomorrow")[0], 250)
        # An override set through one node's config applies on both.
        r = subprocess.run([BIN, "reputation", "--config", a.config, "set", "ip:127.0.2.131", "deny"],
                           capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.send(b, "127.0.2.131", "see you tomorrow")[0], 550)

    def greet(self, gw, source):
        c = gw.client(source=source)
        code, _ = c.reply()
        c.close()
        return code

    def test_a_connection_rate_counts_on_every_node(self):
        a, b = self.node(overrides=["firewall.rate_per_ip=6"]), self.node(overrides=["firewall.rate_per_ip=6"])
        # Alternating nodes: 6 connections in all are admitted, though each node saw at most 4.
        codes = [self.greet((a, b)[i % 2], "127.0.0.140") for i in range(8)]
        self.assertEqual(codes, [220] * 6 + [421] * 2)
        self.assertIn("FW_RATE_PER_IP", b.log())
        self.assertIn("connection rate 7/min from 127.0.0.140 (rate_per_ip 6)", a.log() + b.log())
        # Another address is not affected.
        self.assertEqual(self.greet(a, "127.0.0.141"), 220)

    def test_a_client_caught_on_one_node_is_refused_by_the_other(self):
        a = self.node(overrides=["firewall.pregreet_delay=0.3"])
        b = self.node(overrides=["firewall.pregreet_delay=0.3"])
        c = a.client(source="127.0.0.150")
        c.send(b"EHLO early.test\r\n")  # talks before the greeting
        self.assertTrue(c.closed_by_peer())
        c.close()
        wait_for(lambda: "FW_PREGREET" in a.log(), what="pregreet caught")
        code = 0
        for _ in range(50):  # the failure is written to Redis without waiting for it
            code = self.greet(b, "127.0.0.150")
            if code == 421:
                break
            time.sleep(0.05)
        self.assertEqual(code, 421)
        self.assertIn("FW_CACHED_FAIL", b.log())
        self.assertIn("failed FW_PREGREET recently", b.log())

    def test_a_greylisted_sender_may_retry_at_any_node(self):
        extra = "[greylist]\nenabled = true\ndelay = 1\n"
        a, b = self.node(extra=extra), self.node(extra=extra)
        code, text = self.send(a, "127.0.0.160", "hello", sender="news@lists.test")
        self.assertEqual(code, 451, text)
        self.assertIn("Greylisted", text)
        time.sleep(1.2)
        self.assertEqual(self.send(b, "127.0.0.160", "hello", sender="news@lists.test")[0], 250)

    def test_redis_gone_mail_flows_and_the_nodes_reconnect(self):
        a = self.node(overrides=["firewall.rate_per_ip=100"])
        self.assertEqual(self.send(a, "127.0.0.170", "first")[0], 250)
        self.redis.stop()
        # Every check that needs Redis fails within its 300 ms timeout and goes neutral.
        started = time.monotonic()
        for i in range(3):
            self.assertEqual(self.send(a, "127.0.0.170", f"while down {i}")[0], 250)
        self.assertLess(time.monotonic() - started, 6)
        wait_for(lambda: "shared store failed, admitting" in a.log(), what="warned")
        self.assertIn("reputation: lookup failed, neutral", a.log())
        # Back on the same port (empty: no persistence here): the node reconnects by itself.
        self.redis.start()
        time.sleep(1.2)  # past the fail-fast second
        for i in range(3):
            self.assertEqual(self.send(a, "127.0.0.170", f"after {i}")[0], 250)
        wait_for(lambda: float(self.show(a, "ip:127.0.0.170").get("ham", 0)) >= 2.9,
                 what="learning resumed")


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
