"""Learned reputation end to end: the real proxy learns from its verdicts into the embedded
LMDB store, `portcullis reputation show/set` reads and overrides it from another process while
the gateway runs, and what was learned changes later verdicts. Clients connect from different
loopback addresses, so each one has a reputation of its own."""
import os
import re
import subprocess
import time
import unittest

from harness import BIN, GTUBE, Gateway, send_message, wait_for



class ReputationTest(unittest.TestCase):
    def setUp(self):
        self.gw = Gateway(start=False, shipped_rules=True)
        self.store = os.path.join(self.gw.dir, "reputation")
        with open(self.gw.config) as f:
            text = f.read().replace('store = "memory:"\n', f'store = "lmdb:{self.store}"\n')
        with open(self.gw.config, "w") as f:
            # A low reject threshold: a client with a bad learned reputation crosses it with an
            # otherwise clean message, one without any history does not.
            f.write(text + "[verdict]\nreject = 4.0\n")
        self.gw.start()
        self.addCleanup(self.gw.stop)

    def cli(self, *args):
        r = subprocess.run([BIN, "reputation", "--config", self.gw.config, *args],
                           capture_output=True, timeout=30)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def send(self, source, body):
        # A complete, clean message apart from `body`: the shipped rules score it 0, so an
        # accepted one is learned as ham.
        msg = ("From: a@sender.test\r\nTo: bob@example.com\r\nSubject: hello\r\n"
               "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%d@sender.test>\r\n\r\n%s\r\n"
               % (time.monotonic_ns(), body))
        c = self.gw.client(source=source)
        c.banner_and_ehlo()
        code, text = send_message(c, "a@sender.test", ["bob@example.com"], msg)
        c.cmd("QUIT")
        c.close()
        return code, text

    def counters(self, key):
        code, out, err = self.cli("show", key)
        self.assertEqual(code, 0, err)
        return dict(re.findall(r"(\w+)=(\S+)", out))

    def test_learned_spam_changes_the_verdict_and_admins_override(self):
        # 12 GTUBE messages from .110: each is rejected, each teaches the store.
        for _ in range(12):
            self.assertEqual(self.send("127.0.0.110", f"buy now\r\n{GTUBE}")[0], 550)
        wait_for(lambda: float(self.counters("ip:127.0.0.110").get("rejected", 0)) >= 11.9,
                 what="12 rejections learned")
        c = self.counters("ip:127.0.0.110")
        self.assertEqual(c["symbol"], "IP_REPUTATION_BAD")
        # 12 messages: lean 12/14, confidence 12/22: 6 x 0.86 x 0.55 = 2.8, and growing.
        self.assertGreater(float(c["score"]), 2.5)
        # The whole /24 was learned too (NET_REPUTATION_BAD judges neighbours a little).
        self.assertEqual(self.counters("net:127.0.0.0/24")["symbol"], "NET_REPUTATION_BAD")

        # Now a clean message: rejected from .110 by what was learned, accepted from .111.
        code, text = self.send("127.0.0.110", "see you tomorrow")
        self.assertEqual(code, 550, text)
        line = [l for l in self.gw.log().splitlines() if "client=[127.0.0.110]" in l and "action=" in l][-1]
        self.assertIn("IP_REPUTATION_BAD", line)
        # 127.0.1.111, in another /24, with a clean history of its own, is accepted.
        for _ in range(5):
            self.assertEqual(self.send("127.0.1.111", "see you tomorrow")[0], 250)
        wait_for(lambda: float(self.counters("ip:127.0.1.111").get("ham", 0)) >= 4.9,
                 what="ham learned")
        self.assertEqual(self.send("127.0.1.111", "see you tomorrow")[0], 250)

        # An admin's deny, set from another process while the gateway runs, refuses .111 ...
        code, out, _ = self.cli("set", "ip:127.0.1.111", "deny")
        self.assertEqual((code, out.strip()), (0, "ip:127.0.1.111 deny"))
        code, text = self.send("127.0.1.111", "see you tomorrow")
        self.assertEqual(code, 550)
        self.assertIn("IP_REPUTATION_DENY", self.gw.log())
        # ... and an allow lets .110 through again, whatever it did.
        self.assertEqual(self.cli("set", "ip:127.0.0.110", "allow")[0], 0)
        self.assertEqual(self.cli("set", "net:127.0.0.0/24", "neutral")[0], 0)
        self.assertEqual(self.send("127.0.0.110", "see you tomorrow")[0], 250)
        # Rejections decided by reputation itself teach nothing (no self-confirmation).
        before = float(self.counters("ip:127.0.1.111")["total"])
        self.send("127.0.1.111", "see you tomorrow")
        time.sleep(0.3)
        self.assertEqual(float(self.counters("ip:127.0.1.111")["total"]), before)

    def learn(self, *args):
        r = subprocess.run([BIN, "learn", "--config", self.gw.config, *args],
                           capture_output=True, timeout=30)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_an_admin_teaches_spam_and_ham_from_delivered_messages(self):
        # A clean message from .112 is accepted and delivered with our trace headers ...
        self.assertEqual(self.send("127.0.0.112", "cheap watches")[0], 250)
        wait_for(lambda: self.gw.maildir_messages(), what="delivery")
        delivered = os.path.join(self.gw.dir, "maildir", "new",
                                 os.listdir(os.path.join(self.gw.dir, "maildir", "new"))[0])
        # ... the admin says it was spam, four times over (weight 3 each by default).
        for _ in range(4):
            code, out, err = self.learn("--spam", delivered)
            self.assertEqual(code, 0, err)
        # (The HELO is no identity: client.test is not the client's verified name.)
        self.assertIn("learned spam (weight 3) for ip:127.0.0.112 net:127.0.0.0/24\n", out)
        c = self.counters("ip:127.0.0.112")
        self.assertEqual(float(c["spam"]), 12.0)
        self.assertEqual(c["symbol"], "IP_REPUTATION_BAD")
        # The same clean message from .112 is now rejected by what the admin taught.
        self.assertEqual(self.send("127.0.0.112", "cheap watches")[0], 550)

        # Authenticated identities come from our own Authentication-Results, and only from it:
        # the one claiming another authserv-id is ignored.
        path = os.path.join(self.gw.dir, "authenticated.eml")
        with open(path, "w") as f:
            f.write("Authentication-Results: other.test; dkim=pass header.d=forged.example\n"
                    "Received: from mx.good.example (mx.good.example [127.0.0.113]) by gw.test "
                    "(Portcullis) with ESMTP id X1; Mon, 23 Nov 2026 10:00:00 +0000 (UTC)\n"
                    "Authentication-Results: gw.test; spf=pass smtp.mailfrom=news@good.example;"
                    " dkim=pass header.d=good.example; dmarc=pass header.from=good.example\n"
                    "From: news@good.example\nSubject: hi\n\nSee https://shop.good.example/x\n")
        code, out, err = self.learn("-o", "reputation.learn_weight_manual=2", "--ham", path)
        self.assertEqual(code, 0, err)
        for key in ("ip:127.0.0.113", "helo:mx.good.example", "env:good.example",
                    "spf:good.example", "dkim:good.example", "from:good.example",
                    "url:shop.good.example"):
            self.assertIn(" " + key, out)
            self.assertEqual(float(self.counters(key)["ham"]), 2.0, key)
        self.assertNotIn("forged.example", out)

        # A message that never passed through this gateway teaches nothing, and says why.
        with open(path, "w") as f:
            f.write("Received: from x (x [192.0.2.1]) by mx.other.test; Mon, 23 Nov 2026\n"
                    "Subject: hi\n\nbody\n")
        code, out, err = self.learn("--spam", path)
        self.assertEqual(code, 1)
        self.assertIn("no Received header from gw.test (Portcullis)", err)
        code, out, err = self.learn("--spam", "--ham", path)
        self.assertEqual(code, 2)
        self.assertIn("exclude each other", err)

    def test_a_client_caught_by_a_protocol_test_is_learned(self):
        # An HTTP request on the SMTP port (FW_NON_SMTP, dropped): first-hand evidence of a bot,
        # learned as one rejection of the address and its network.
        c = self.gw.client(source="127.0.3.115")
        c.reply()
        c.send(b"GET / HTTP/1.1\r\nHost: gw.test\r\n\r\n")
        self.assertTrue(c.closed_by_peer())
        c.close()
        wait_for(lambda: float(self.counters("ip:127.0.3.115").get("rejected", 0)) == 1.0,
                 what="refusal learned")
        self.assertEqual(float(self.counters("net:127.0.3.0/24")["rejected"]), 1.0)
        # The next connection is refused from the fail cache and teaches nothing more.
        c = self.gw.client(source="127.0.3.115")
        self.assertEqual(c.reply()[0], 421)
        c.close()
        time.sleep(0.3)
        self.assertEqual(float(self.counters("ip:127.0.3.115")["rejected"]), 1.0)

    def test_forged_sender_does_not_spoil_the_domain(self):
        # Spam claiming to be from bank.example, which does not authenticate (no DNS here):
        # only the client's address and network learn, never the domain.
        for _ in range(5):
            self.assertEqual(self.send("127.0.0.120", f"{GTUBE}")[0], 550)
        wait_for(lambda: self.counters("ip:127.0.0.120").get("rejected", "0") != "0",
                 what="learned")
        for key in ("env:sender.test", "from:sender.test", "dkim:sender.test", "spf:sender.test",
                    "helo:client.test"):
            code, out, _ = self.cli("show", key)
            self.assertIn("unknown", out, key)



class DomainListTest(unittest.TestCase):
    """[reputation] domain_lists: sender, From and URL domains asked of RHSBL/URIBL-style lists
    on a real DNS server on loopback, reply codes mapped to symbols, scored in the verdict."""

    @classmethod
    def setUpClass(cls):
        from dns_server import DnsServer
        cls.dns = DnsServer({
            "spammer.test.dbl.test": [("A", "127.0.1.2")],
            "malware.test.dbl.test": [("A", "127.0.1.5")],
            # An unmapped code (DBL's 127.0.1.255 "IP queries prohibited") lists nothing.
            "odd.test.dbl.test": [("A", "127.0.1.255")],
            # URL hosts are asked by registrable domain: www.phish.test -> phish.test.
            "phish.test.surbl.test": [("A", "127.0.0.24")],  # bits 8 and 16
            # An error answer (queried through a public resolver) lists nothing, and is warned.
            "blocked.test.dbl.test": [("A", "127.255.255.254")],
        })
        cls.gw = Gateway(extra=(
            f'[dns]\nservers = ["{cls.dns.address}"]\ntimeout = 1\nattempts = 1\n'
            "[reputation]\nlearn = false\ndomain_lists = ["
            '"dbl.test@sender,from 127.0.1.2=DBL_SPAM*4 127.0.1.[5..6]=DBL_MALWARE*6", '
            '"surbl.test@url &8=SURBL_PH*5 &16=SURBL_MW*6"]\n'
            "[verdict]\nreject = 9.5\n"))

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.dns.stop()

    def send(self, sender, from_header, body):
        msg = (f"From: {from_header}\r\nTo: bob@example.com\r\nSubject: hi\r\n"
               f"Message-ID: <{time.monotonic_ns()}@x.test>\r\n\r\n{body}\r\n")
        c = self.gw.client()
        c.banner_and_ehlo()
        code, text = send_message(c, sender, ["bob@example.com"], msg)
        c.cmd("QUIT")
        c.close()
        line = [l for l in self.gw.log().splitlines() if "action=" in l][-1]
        return code, line

    def test_listed_domains_add_their_mapped_symbols(self):
        code, line = self.send("a@spammer.test", "a@clean.test", "hello")
        self.assertEqual(code, 250)
        self.assertIn("DBL_SPAM(4.00)", line)
        code, line = self.send("a@clean.test", "x@malware.test", "see https://www.phish.test/login")
        self.assertEqual(code, 550)  # 6 + 5 + 6 = 17 >= 9.5
        for sym in ("DBL_MALWARE(6.00)", "SURBL_PH(5.00)", "SURBL_MW(6.00)"):
            self.assertIn(sym, line)
        # The same through `portcullis scan`, whose report gives each symbol's reason.
        path = os.path.join(self.gw.dir, "phish.eml")
        with open(path, "w") as f:
            f.write("From: x@clean.test\nSubject: hi\n\nsee https://www.phish.test/login\n")
        r = subprocess.run([BIN, "scan", "--config", self.gw.config, "--json",
                            "--mail-from", "a@spammer.test", path], capture_output=True, timeout=30)
        self.assertIn(r.returncode, (0, 1, 2, 3), r.stderr)  # a verdict; 4 or a signal is a failure
        out = r.stdout.decode()
        self.assertIn("phish.test (url, 127.0.0.24) listed by surbl.test", out)
        self.assertIn("spammer.test (sender, 127.0.1.2) listed by dbl.test", out)

    def test_unmapped_codes_errors_and_unlisted_domains_list_nothing(self):
        for sender in ("a@odd.test", "a@blocked.test", "a@clean.test"):
            code, line = self.send(sender, "a@clean.test", "hello https://clean.test/")
            self.assertEqual(code, 250)
            self.assertNotIn("DBL_", line)
            self.assertNotIn("SURBL_", line)
        wait_for(lambda: "DNS list dbl.test: error answer 127.255.255.254" in self.gw.log(),
                 what="warning")
        # The sender list is not asked about URL domains, nor the URL list about senders.
        code, line = self.send("a@phish.test", "a@clean.test", "https://www.spammer.test/")
        self.assertNotIn("SURBL_", line)
        self.assertNotIn("DBL_", line)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
