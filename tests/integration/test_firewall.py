"""The connection firewall end to end: the real binary, a real DNS server on loopback serving
DNS list zones, and clients connecting from different loopback addresses (127.0.0.0/8), so one
test can be many clients. Every refusal is checked for its reply code and for the downstream
having seen nothing of the refused client.
"""
import socket
import threading
import time
import unittest

from dns_server import DnsServer
from harness import FakeDownstream, Gateway, SmtpClient, message, send_message, wait_for


def dns_section(dns):
    return f'[dns]\nservers = ["{dns.address}"]\ntimeout = 1\nattempts = 1\n'


def read_line(sock, timeout=5):
    """One reply line (without CRLF), read byte by byte so nothing after it is consumed."""
    sock.settimeout(timeout)
    line = b""
    while not line.endswith(b"\r\n"):
        b = sock.recv(1)
        if not b:
            break
        line += b
    return line.decode()


class DnsListTest(unittest.TestCase):
    """firewall.dnsbl in postscreen's syntax: weights, reply filters, threshold, allowlists."""

    @classmethod
    def setUpClass(cls):
        cls.dns = DnsServer({
            # 127.0.0.2: listed by zen with a code inside the filter: 3 >= threshold 3.
            "2.0.0.127.zen.test": [("A", "127.0.0.2")],
            # 127.0.0.3: zen answers 127.0.0.1 (outside the filter), bl lists it: 1 < 3.
            "3.0.0.127.zen.test": [("A", "127.0.0.1")],
            "3.0.0.127.bl.test": [("A", "127.0.0.2")],
            # 127.0.0.4: listed by zen (3) but allowlisted by wl (-5): -2, an allowlisted client.
            "4.0.0.127.zen.test": [("A", "127.0.0.4")],
            "4.0.0.127.wl.test": [("A", "127.0.2.1")],
            # 127.0.0.5: zen does not answer at all (a dead list blocks nobody).
            "5.0.0.127.zen.test": [("TIMEOUT", None)],
            # 127.0.0.6: bl (no filter) answers an error code, as Spamhaus does for queries
            # through public resolvers: not a listing, however the site is configured.
            "6.0.0.127.bl.test": [("A", "127.255.255.254")],
            # 127.0.0.9: allowlisted a little, blocked a lot (see the ordering test).
            "9.0.0.127.wl.test": [("A", "127.0.2.1")],
            "9.0.0.127.zen.test": [("A", "127.0.0.2")],
            "9.0.0.127.bl.test": [("A", "127.0.0.2")],
        })
        cls.down = FakeDownstream()
        cls.gw = Gateway(cls.down.url(), extra=dns_section(cls.dns) + (
            '[firewall]\ndnsbl = ["zen.test=127.0.0.[2..11]*3", "bl.test", "wl.test=127.0.[0..255].[1;2;3]*-5"]\n'
            "dnsbl_threshold = 3\n"))

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.down.stop()
        cls.dns.stop()

    def test_listed_client_is_refused_and_downstream_sees_nothing(self):
        before = len(self.down.commands)
        c = self.gw.client(source="127.0.0.2")
        code, text = c.reply()
        self.assertEqual(code, 554)
        self.assertIn("blocked using zen.test", text)
        self.assertEqual(c.cmd("EHLO bot.test")[0], 503)
        self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 503)
        self.assertEqual(c.cmd("QUIT")[0], 221)
        c.close()
        # The class shares one downstream: an earlier test's session may still be saying QUIT
        # or RSET there. Anything else would be the refused client's.
        late = [x for x in self.down.commands[before:] if x not in ("QUIT", "RSET")]
        self.assertEqual(late, [])
        wait_for(lambda: "refused at connect by FW_DNSBL" in self.gw.log(), what="log line")
        self.assertIn("RBL_ZEN_TEST", self.gw.log())

    def test_weights_below_threshold_only_score(self):
        c = self.gw.client(source="127.0.0.3")
        c.banner_and_ehlo()
        self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
        c.close()
        wait_for(lambda: "client=[127.0.0.3]" in self.gw.log() and "action=" in self.gw.log(),
                 what="transaction log")
        line = [l for l in self.gw.log().splitlines() if "client=[127.0.0.3]" in l and "action=" in l][0]
        self.assertIn("RBL_BL_TEST(1.00)", line)
        self.assertNotIn("RBL_ZEN_TEST", line)  # its answer is outside the filter

    def test_negative_weight_allowlists(self):
        c = self.gw.client(source="127.0.0.4")
        c.banner_and_ehlo()
        self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
        c.close()
        wait_for(lambda: "client=[127.0.0.4]" in self.gw.log() and "FW_DNSWL" in self.gw.log(),
                 what="allowlist symbol")

    def test_unanswering_list_blocks_nobody(self):
        t = time.monotonic()
        c = self.gw.client(source="127.0.0.5")
        c.banner_and_ehlo()
        self.assertLess(time.monotonic() - t, 5)
        self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
        c.close()
        wait_for(lambda: "DNS list zen.test: no answer (timeout)" in self.gw.log(), what="warning")

    def test_error_answers_are_not_listings(self):
        c = self.gw.client(source="127.0.0.6")
        c.banner_and_ehlo()
        self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
        c.close()
        wait_for(lambda: "client=[127.0.0.6]" in self.gw.log() and "action=" in self.gw.log(),
                 what="transaction log")
        line = [l for l in self.gw.log().splitlines() if "client=[127.0.0.6]" in l and "action=" in l][0]
        self.assertNotIn("RBL_BL_TEST", line)
        self.assertIn("DNS list bl.test: error answer 127.255.255.254", self.gw.log())

    def test_the_refusal_names_a_block_list_never_an_allowlist(self):
        # The allowlist comes first in the configuration and lists the client too.
        down = FakeDownstream()
        gw = Gateway(down.url(), extra=dns_section(self.dns) + (
            '[firewall]\ndnsbl = ["wl.test*-1", "zen.test=127.0.0.[2..11]*3", "bl.test*2"]\n'
            "dnsbl_threshold = 3\n"))
        try:
            c = gw.client(source="127.0.0.9")
            code, text = c.reply()
            c.close()
            self.assertEqual(code, 554)
            self.assertIn("blocked using zen.test", text)
        finally:
            gw.stop()
            down.stop()


class GreetingTest(unittest.TestCase):
    """The greeting delay with the 220- banner, the pass and fail cache, DNSBL after the banner."""

    def setUp(self):
        self.dns = DnsServer({"7.0.0.127.zen.test": [("A", "127.0.0.2")]})
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), extra=dns_section(self.dns) + (
            '[firewall]\npregreet_delay = 1.0\ndnsbl = ["zen.test*3"]\ndnsbl_threshold = 3\n'))

    def tearDown(self):
        self.gw.stop()
        self.down.stop()
        self.dns.stop()

    def test_early_talker_is_dropped_then_remembered(self):
        c = self.gw.client(source="127.0.0.20")
        self.assertEqual(read_line(c.sock), "220-gw.test ESMTP Portcullis\r\n")
        c.send("EHLO hasty.test\r\n")  # before the final 220: a bot that does not listen
        code, text = c.reply()
        self.assertEqual(code, 421)
        self.assertIn("talked before my greeting", text)
        self.assertTrue(c.closed_by_peer())
        wait_for(lambda: "refused at connect by FW_PREGREET" in self.gw.log(), what="pregreet log")
        # Remembered: the next connection is refused at once, with no delay and no DNS.
        queries = self.dns.query_count()
        t = time.monotonic()
        c = self.gw.client(source="127.0.0.20")
        code, text = c.reply()
        self.assertEqual(code, 421)
        self.assertLess(time.monotonic() - t, 0.8)  # no greeting delay (1 s)
        self.assertEqual(self.dns.query_count(), queries)
        self.assertIn("FW_CACHED_FAIL", self.gw.log())
        self.assertEqual(self.down.commands, [])

    def test_patient_client_passes_and_skips_the_delay_next_time(self):
        c = self.gw.client(source="127.0.0.21")
        t = time.monotonic()
        code, text = c.reply()
        waited = time.monotonic() - t
        self.assertEqual(code, 220)
        self.assertEqual(text, "gw.test ESMTP Portcullis\ngw.test ready")
        self.assertGreaterEqual(waited, 0.95)
        c.cmd("EHLO patient.test")
        self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
        c.cmd("QUIT")
        c.close()
        wait_for(lambda: self.gw.log().count("disconnect") >= 1, what="disconnect")
        t = time.monotonic()
        c = self.gw.client(source="127.0.0.21")
        code, text = c.reply()
        self.assertEqual((code, text), (220, "gw.test ESMTP Portcullis"))
        self.assertLess(time.monotonic() - t, 0.8)
        c.close()

    def test_listed_client_gets_the_banner_then_refusals(self):
        c = self.gw.client(source="127.0.0.7")
        code, text = c.reply()
        self.assertEqual(code, 220)  # a multi-line reply cannot change its code
        self.assertEqual(c.cmd("EHLO listed.test")[0], 250)
        code, text = c.cmd("MAIL FROM:<a@sender.test>")
        self.assertEqual(code, 554)
        self.assertIn("blocked using zen.test", text)
        self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 503)
        c.close()
        self.assertEqual(self.down.commands, [])


class LimitsTest(unittest.TestCase):
    def start(self, **limits):
        self.down = FakeDownstream()
        fw = "".join(f"{k} = {v}\n" for k, v in limits.items())
        self.gw = Gateway(self.down.url(), extra="[firewall]\n" + fw)
        self.addCleanup(self.down.stop)
        self.addCleanup(self.gw.stop)

    def test_concurrency_per_ip_under_parallel_connections(self):
        self.start(max_connections_per_ip=20)
        results, lock = [], threading.Lock()
        hold = threading.Event()

        def connect():
            try:
                c = self.gw.client(source="127.0.0.30")
                code, _ = c.reply()
            except OSError:
                code, c = None, None
            with lock:
                results.append(code)
            hold.wait(10)
            if c:
                c.close()

        threads = [threading.Thread(target=connect) for _ in range(50)]
        for t in threads:
            t.start()
        wait_for(lambda: len(results) == 50, timeout=20, what="50 connections answered")
        # Another address is not affected by 127.0.0.30's connections.
        other = self.gw.client(source="127.0.0.31")
        self.assertEqual(other.reply()[0], 220)
        other.close()
        hold.set()
        for t in threads:
            t.join(10)
        self.assertEqual(results.count(220), 20, results)
        self.assertEqual(results.count(421), 30, results)
        self.assertIn("refused at connect by FW_CONNECTIONS_PER_IP", self.gw.log())
        # The slots come back when the connections close.
        c = wait_for(lambda: self._try("127.0.0.30"), what="slot released")
        c.close()
        self.assertEqual(self.down.commands, [])

    def _try(self, source):
        c = self.gw.client(source=source)
        if c.reply()[0] == 220:
            return c
        c.close()
        return None

    def test_connection_rate_per_ip(self):
        self.start(rate_per_ip=5)
        codes = []
        for _ in range(7):
            c = self.gw.client(source="127.0.0.40")
            codes.append(c.reply()[0])
            c.close()
        self.assertEqual(codes, [220] * 5 + [421] * 2)
        self.assertIn("FW_RATE_PER_IP", self.gw.log())
        c = self.gw.client(source="127.0.0.41")
        self.assertEqual(c.reply()[0], 220)
        c.close()

    def test_global_cap_answers_421(self):
        self.start(max_connections=5)
        open_ = []
        for i in range(5):
            c = self.gw.client(source=f"127.0.1.{i + 1}")
            self.assertEqual(c.reply()[0], 220)
            open_.append(c)
        c = self.gw.client(source="127.0.1.9")
        code, text = c.reply()
        self.assertEqual(code, 421)
        self.assertIn("too many connections", text)
        self.assertTrue(c.closed_by_peer())
        for c in open_:
            c.close()
        self.assertIn("FW_MAX_CONNECTIONS", self.gw.log())

    def test_allowlisted_client_is_exempt(self):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), start=False,
                          extra='[client_access]\nfile = "access.cidr"\n[firewall]\nmax_connections_per_ip = 1\n')
        with open(self.gw.dir + "/access.cidr", "w") as f:
            f.write("127.0.0.50 allow\n")
        with open(self.gw.config) as f:
            text = f.read().replace('file = "access.cidr"', f'file = "{self.gw.dir}/access.cidr"')
        with open(self.gw.config, "w") as f:
            f.write(text)
        self.gw.start()
        self.addCleanup(self.down.stop)
        self.addCleanup(self.gw.stop)
        clients = [self.gw.client(source="127.0.0.50") for _ in range(3)]
        self.assertEqual([c.reply()[0] for c in clients], [220, 220, 220])
        for c in clients:
            c.close()


class ProtocolTest(unittest.TestCase):
    """After the banner: pipelining without PIPELINING, non-SMTP commands, bare LF, unknown
    commands, tarpitting, HELO checks."""

    def start(self, extra=""):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), extra=extra)
        self.addCleanup(self.down.stop)
        self.addCleanup(self.gw.stop)

    def assertDropped(self, c, reason):
        code, text = c.reply()
        self.assertEqual(code, 421, text)
        self.assertIn(reason, text)
        self.assertTrue(c.closed_by_peer())
        self.assertEqual(self.down.commands, [])

    def test_commands_sent_ahead_of_the_ehlo_reply(self):
        self.start()
        c = self.gw.client()
        c.reply()
        c.send("EHLO eager.test\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\n")
        self.assertDropped(c, "protocol synchronization")
        wait_for(lambda: "protocol test FW_PIPELINING failed (drop)" in self.gw.log(), what="log")

    def test_pipelining_after_helo_which_offers_none(self):
        self.start()
        c = self.gw.client()
        c.reply()
        self.assertEqual(c.cmd("HELO old.test")[0], 250)
        c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\n")
        self.assertDropped(c, "protocol synchronization")

    def test_data_content_before_354(self):
        self.start()
        c = self.gw.client()
        c.banner_and_ehlo()
        c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n")
        self.assertEqual(c.reply()[0], 250)
        self.assertEqual(c.reply()[0], 250)
        code, text = c.reply()
        self.assertEqual(code, 421, text)
        self.assertTrue(c.closed_by_peer())
        self.assertEqual(self.down.messages, [])

    def test_proper_pipelining_is_fine(self):
        self.start()
        c = self.gw.client()
        c.banner_and_ehlo()
        c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")
        self.assertEqual([c.reply()[0] for _ in range(3)], [250, 250, 354])
        c.send(message() + "\r\n.\r\n")
        self.assertEqual(c.reply()[0], 250)
        self.assertEqual(len(self.down.messages), 1)

    def test_reject_action_refuses_transactions_instead(self):
        self.start("[firewall]\npipelining_action = \"reject\"\n")
        c = self.gw.client()
        c.reply()
        c.send("EHLO eager.test\r\nMAIL FROM:<a@sender.test>\r\n")
        self.assertEqual(c.reply()[0], 250)
        code, text = c.reply()
        self.assertEqual(code, 554)
        self.assertEqual(text, "5.7.1 Protocol error")
        self.assertEqual(c.cmd("QUIT")[0], 221)
        self.assertEqual(self.down.commands, [])

    def test_http_and_connect_are_dropped(self):
        self.start()
        probes = ["GET / HTTP/1.1\r\nHost: mx.test\r\n\r\n", "CONNECT 192.0.2.1:25 HTTP/1.0\r\n\r\n",
                  "User-Agent: curl/8\r\n"]
        for i, probe in enumerate(probes):
            # Each from its own address: a dropped client is remembered and refused at connect.
            c = self.gw.client(source=f"127.0.2.{i + 1}")
            c.reply()
            c.send(probe)
            self.assertDropped(c, "non-SMTP command")

    def test_bare_newline_command_is_dropped(self):
        self.start()
        c = self.gw.client()
        c.reply()
        c.send("EHLO lf.test\n")
        self.assertDropped(c, "bare <LF>")

    def test_unknown_commands(self):
        self.start("[firewall]\nmax_unknown_commands = 3\n")
        c = self.gw.client()
        c.banner_and_ehlo()
        self.assertEqual(c.cmd("XYZZY")[0], 502)
        self.assertEqual(c.cmd("PLUGH")[0], 502)
        c.send("FROBOZZ\r\n")
        self.assertEqual(c.reply()[0], 502)
        self.assertDropped(c, "too many unknown commands")

    def test_tarpit_slows_replies_after_errors(self):
        self.start("[firewall]\ntarpit_after_errors = 2\ntarpit_delay = 1.0\n")
        c = self.gw.client()
        c.banner_and_ehlo()
        t = time.monotonic()
        c.cmd("NOOP")
        fast = time.monotonic() - t
        c.cmd("RCPT TO:<x@example.com>")  # 503: error 1
        c.cmd("DATA")                     # 503: error 2, now tarpitted
        t = time.monotonic()
        self.assertEqual(c.cmd("NOOP")[0], 250)
        slow = time.monotonic() - t
        self.assertLess(fast, 0.8)
        self.assertGreaterEqual(slow, 0.95)

    def test_helo_claiming_our_name_or_address(self):
        self.start()
        c = self.gw.client(source="127.0.0.60")
        c.reply()
        code, text = c.cmd("EHLO gw.test")
        self.assertEqual(code, 554)
        self.assertIn("that is my name", text)
        self.assertEqual(c.cmd("HELO [127.0.0.1]")[0], 554)  # the address it connected to
        self.assertEqual(c.cmd("EHLO real.client.test")[0], 250)
        c.close()
        self.assertIn("HELO_OWN_NAME", self.gw.log())
        # A client on the gateway's own machine (swaks, cron mail) may use the machine's name.
        local = self.gw.client(source="127.0.0.1")
        local.reply()
        self.assertEqual(local.cmd("EHLO gw.test")[0], 250)
        self.assertEqual(local.cmd("HELO [127.0.0.1]")[0], 250)
        local.close()


class ReverseDnsTest(unittest.TestCase):
    def test_forward_confirmed_name_reaches_received_and_xclient(self):
        dns = DnsServer({
            "70.0.0.127.in-addr.arpa": [("PTR", "mail.good.test")],
            "mail.good.test": [("A", "127.0.0.70")],
            "71.0.0.127.in-addr.arpa": [("PTR", "forged.test")],
            "forged.test": [("A", "192.0.2.1")],
        })
        down = FakeDownstream()
        gw = Gateway(down.url(), extra=dns_section(dns) + "[relay]\nxclient = true\n")
        try:
            for source in ("127.0.0.70", "127.0.0.71", "127.0.0.72"):
                c = gw.client(source=source)
                c.banner_and_ehlo("mail.good.test")
                self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
                c.close()
            received = [m[2].split(b"\r\n")[0] for m in down.messages]
            self.assertIn(b"Received: from mail.good.test (mail.good.test [127.0.0.70])", received[0])
            self.assertIn(b"(unknown [127.0.0.71])", received[1])
            self.assertIn(b"(unknown [127.0.0.72])", received[2])
            # RFC 8601 iprev in our Authentication-Results: pass, fail (PTR does not lead back),
            # permerror (no PTR).
            unfolded = [m[2].replace(b"\r\n\t", b" ") for m in down.messages]
            self.assertIn(b"iprev=pass (mail.good.test) policy.iprev=127.0.0.70", unfolded[0])
            self.assertIn(b"iprev=fail policy.iprev=127.0.0.71", unfolded[1])
            self.assertIn(b"iprev=permerror policy.iprev=127.0.0.72", unfolded[2])
            log = gw.log()
            self.assertIn("RDNS_NOT_CONFIRMED", [l for l in log.splitlines() if "127.0.0.71]" in l and "action=" in l][0])
            self.assertIn("RDNS_NONE", [l for l in log.splitlines() if "127.0.0.72]" in l and "action=" in l][0])
            self.assertTrue(any("XCLIENT NAME=mail.good.test" in cmd for cmd in down.commands))
        finally:
            gw.stop()
            down.stop()
            dns.stop()


class GreylistTest(unittest.TestCase):
    def test_first_attempt_tempfailed_retry_passes_then_subnet_allowlisted(self):
        down = FakeDownstream()
        gw = Gateway(down.url(), extra="[greylist]\nenabled = true\ndelay = 1\nauto_allowlist_after = 1\n")
        try:
            def attempt(rcpt="bob@example.com", sender="news+123@sender.test"):
                c = gw.client(source="127.0.0.80")
                c.banner_and_ehlo("mx.sender.test")
                code = send_message(c, sender, [rcpt], message())
                c.close()
                return code

            code, text = attempt()
            self.assertEqual(code, 451)
            self.assertIn("4.7.1 Greylisted", text)
            self.assertEqual(attempt()[0], 451)  # too early
            self.assertEqual(down.messages, [])
            time.sleep(1.1)
            # A retry with another per-message tag in the sender is the same sender.
            self.assertEqual(attempt(sender="news+456@sender.test")[0], 250)
            self.assertEqual(len(down.messages), 1)
            # One passed retry allowlists the /24: a new triplet goes straight through.
            self.assertEqual(attempt(rcpt="carol@example.com")[0], 250)
            log = gw.log()
            self.assertIn("decided_by=GREYLIST", log)
        finally:
            gw.stop()
            down.stop()

    def test_dmarc_pass_skips_greylisting(self):
        import base64
        import dkim
        import nacl.signing
        key = nacl.signing.SigningKey.generate()
        public = base64.b64encode(bytes(key.verify_key)).decode()
        dns = DnsServer({"sel._domainkey.good.test": [("TXT", f"v=DKIM1; k=ed25519; p={public}")],
                         "_dmarc.good.test": [("TXT", "v=DMARC1; p=none")]})
        down = FakeDownstream()
        gw = Gateway(down.url(), extra=dns_section(dns) + "[greylist]\nenabled = true\n")
        try:
            body = (b"From: news@good.test\r\nTo: bob@example.com\r\nSubject: hello\r\n"
                    b"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@good.test>\r\n\r\nhi\r\n")
            signed = dkim.sign(body, b"sel", b"good.test", base64.b64encode(bytes(key)),
                               signature_algorithm=b"ed25519-sha256",
                               include_headers=[b"from", b"to", b"subject"]) + body
            c = gw.client(source="127.0.0.90")
            c.banner_and_ehlo("mx.good.test")
            self.assertEqual(send_message(c, "news@good.test", ["bob@example.com"], signed)[0], 250)
            # The same sender unsigned is an unknown triplet for another recipient: greylisted.
            self.assertEqual(send_message(c, "news@good.test", ["carol@example.com"], body)[0], 451)
            c.close()
            self.assertEqual(len(down.messages), 1)
            self.assertIn("DMARC_PASS", gw.log())
        finally:
            gw.stop()
            down.stop()
            dns.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
