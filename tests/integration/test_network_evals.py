"""Network evals (SpamAssassin's check_rbl, check_rbl_txt, check_rbl_sub) through `portcullis
scan`: the relays' addresses are looked up in DNS lists served by a DNS server on loopback, only
with rules.network_tests on, and the answers decide the hits as DNSEval.pm does."""
import json
import os
import subprocess
import tempfile
import unittest

from dns_server import DnsServer
from harness import BIN

RULES = r"""
header   T_RBL_ANY    eval:check_rbl('test-lastexternal', 'rbl.test.')
describe T_RBL_ANY    Listed in rbl.test
tflags   T_RBL_ANY    net
score    T_RBL_ANY    2.5
header   T_RBL_SUB4   eval:check_rbl_sub('test-lastexternal', '127.0.0.4')
tflags   T_RBL_SUB4   net
score    T_RBL_SUB4   1.5
header   T_RBL_MASK   eval:check_rbl_sub('test-lastexternal', '8')
tflags   T_RBL_MASK   net
score    T_RBL_MASK   1.0
header   T_RBL_TXT    eval:check_rbl_txt('txt', 'txt.test', '(?i)^spam')
tflags   T_RBL_TXT    net
score    T_RBL_TXT    1.0
"""


class NetworkEvalsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.rules = os.path.join(cls.dir, "rbl.cf")
        with open(cls.rules, "w") as f:
            f.write(RULES)
        cls.msg = os.path.join(cls.dir, "msg.eml")
        with open(cls.msg, "w") as f:
            f.write("From: a@sender.test\nTo: b@example.com\nSubject: hi\nDate: Mon, 23 Nov 2026 00:00:00 +0000\n"
                    "Message-ID: <1@sender.test>\n\nbody\n")

    def setUp(self):
        self.dns = DnsServer({})
        self.addCleanup(self.dns.stop)

    def list_queries(self):
        # The firewall's own reverse-DNS lookup of the client is not a network eval.
        return [q for q in self.dns.queries if q[0].endswith((".rbl.test", ".txt.test"))]

    def scan(self, client, network=True):
        r = subprocess.run([BIN, "scan", "--json", "--client-ip", client, "-o", "auth.enabled=false",
                            "-o", f"dns.servers={self.dns.address}", "-o", "dns.attempts=1", "-o", "dns.timeout=1",
                            "-o", "store=memory:", "-o", "relay_domains=example.com",
                            "-o", f'rules.paths=["{self.rules}"]', "-o", f"rules.network_tests={'true' if network else 'false'}",
                            "-o", "rules.spamassassin=false", self.msg],
                           capture_output=True, text=True, timeout=60)
        self.assertNotIn(r.returncode, (2, 4), r.stderr)  # any verdict, not a usage or run error
        return {s["name"] for s in json.loads(r.stdout)["symbols"]}

    def test_listed_relay_hits_the_rule_and_its_subtests(self):
        self.dns.add("9.113.0.203.rbl.test", ("A", "127.0.0.4"))
        self.dns.add("9.113.0.203.txt.test", ("TXT", "Spam source, see https://example.test"))
        hits = self.scan("203.0.113.9")
        self.assertTrue({"T_RBL_ANY", "T_RBL_SUB4", "T_RBL_TXT"} <= hits, hits)
        self.assertNotIn("T_RBL_MASK", hits)  # 127.0.0.4 & 8 == 0

    def test_answer_outside_127_is_ignored(self):
        self.dns.add("9.113.0.203.rbl.test", ("A", "192.0.2.1"))
        self.assertFalse({"T_RBL_ANY", "T_RBL_SUB4", "T_RBL_MASK"} & self.scan("203.0.113.9"))

    def test_unlisted_relay_does_not_hit(self):
        self.dns.add("9.113.0.203.rbl.test", ("A", "127.0.0.2"))
        self.assertFalse({"T_RBL_ANY", "T_RBL_SUB4"} & self.scan("203.0.113.10"))
        self.assertEqual(self.dns.query_count("10.113.0.203.rbl.test"), 1)

    def test_private_client_is_not_looked_up(self):
        self.assertFalse({"T_RBL_ANY"} & self.scan("192.168.7.7"))
        self.assertEqual(self.list_queries(), [])

    def test_network_tests_off_asks_nothing(self):
        self.dns.add("9.113.0.203.rbl.test", ("A", "127.0.0.4"))
        self.assertFalse({"T_RBL_ANY", "T_RBL_SUB4"} & self.scan("203.0.113.9", network=False))
        self.assertEqual(self.list_queries(), [])

    def test_unanswered_list_does_not_hit_or_hang(self):
        self.dns.add("9.113.0.203.rbl.test", ("TIMEOUT", None))
        self.assertNotIn("T_RBL_ANY", self.scan("203.0.113.9"))


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
