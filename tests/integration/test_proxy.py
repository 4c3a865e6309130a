"""The proxy relays accepted mail downstream command by command and answers end-of-data only
with the downstream's answer."""
import os
import re
import unittest

from harness import FakeDownstream, Gateway, message, send_message, wait_for


class ProxyTest(unittest.TestCase):
    def setUp(self):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), relay_domains=("example.com", "example.org"),
                          extra='[policy."example.org"]\nreject = 5.0\n')

    def tearDown(self):
        self.gw.stop()
        self.down.stop()

    def test_message_relayed_with_received_header_and_stuffing_intact(self):
        c = self.gw.client()
        c.banner_and_ehlo("client.test")
        code, text = send_message(c, "a@sender.test", ["bob@example.com"],
                                  message(body="line one\r\n..starts with a dot\r\n...two dots"))
        self.assertEqual(code, 250)
        self.assertIn("queued as FAKE", text)  # the downstream's own answer
        c.cmd("QUIT")
        self.assertEqual(len(self.down.messages), 1)
        mail, rcpts, data = self.down.messages[0]
        self.assertEqual(mail, "MAIL FROM:<a@sender.test>")
        self.assertEqual(rcpts, ["RCPT TO:<bob@example.com>"])
        self.assertTrue(data.startswith(b"Received: from client.test (unknown [127.0.0.1])"), data[:100])
        unfolded = data.replace(b"\r\n\t", b" ")
        self.assertIn(b"by gw.test (Portcullis) with ESMTP id", unfolded)
        self.assertIn(b"X-Spam-Status: No, score=0.0 required=5.0 tests=", unfolded)
        # The client's dot-stuffed lines reach the downstream stuffed exactly the same way.
        self.assertIn(b"\r\n..starts with a dot\r\n...two dots\r\n", data)
        log = self.gw.log()
        self.assertRegex(log, r"from=<a@sender.test> to=<bob@example.com> size=\d+ action=accept .*"
                              r"reply=\"250 2.0.0 Ok: queued as FAKE\" time=\d+ms")

    def test_pipelined_transactions_share_one_downstream_connection(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n")
        self.assertEqual([c.reply()[0] for _ in range(4)], [250, 250, 250, 354])
        c.send(message("one") + "\r\n.\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<d@example.com>\r\nDATA\r\n")
        self.assertEqual([c.reply()[0] for _ in range(4)], [250, 250, 250, 354])
        c.send(message("two") + "\r\n.\r\nQUIT\r\n")
        self.assertEqual(c.reply()[0], 250)
        self.assertEqual(c.reply()[0], 221)
        self.assertEqual(len(self.down.messages), 2)
        self.assertEqual(self.down.connections, 1)
        self.assertEqual(len(self.down.messages[0][1]), 2)
        self.assertIn(b"Subject: two", self.down.messages[1][2])
        # With two recipients the Received header names none (no Bcc leak).
        self.assertNotIn(b"for <", self.down.messages[0][2].split(b"\r\n\r\n")[0])

    def test_rset_abandons_the_downstream_transaction(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        c.cmd("MAIL FROM:<a@sender.test>")
        c.cmd("RCPT TO:<b@example.com>")
        self.assertEqual(c.cmd("RSET")[0], 250)
        self.assertEqual(c.cmd("NOOP")[0], 250)
        wait_for(lambda: "RSET" in self.down.commands, what="downstream RSET")
        c.cmd("QUIT")
        self.assertEqual(self.down.messages, [])

    def test_recipient_with_another_policy_is_deferred_to_its_own_transaction(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        c.cmd("MAIL FROM:<a@sender.test>")
        self.assertEqual(c.cmd("RCPT TO:<b@example.com>")[0], 250)
        code, text = c.cmd("RCPT TO:<b@example.org>")
        self.assertEqual(code, 452)
        self.assertTrue(text.startswith("4.5.3"), text)
        self.assertEqual(c.cmd("RCPT TO:<c@example.com>")[0], 250)
        self.assertNotIn("RCPT TO:<b@example.org>", self.down.commands)

    def test_maildir_default_sink(self):
        gw = Gateway("maildir")
        try:
            c = gw.client()
            c.banner_and_ehlo()
            code, text = send_message(c, "a@sender.test", ["bob@example.com"], message("to maildir"))
            self.assertEqual(code, 250, text)
            msgs = gw.maildir_messages()
            self.assertEqual(len(msgs), 1)
            self.assertTrue(msgs[0].startswith(b"Return-Path: <a@sender.test>\r\nDelivered-To: bob@example.com\r\nReceived: "))
            self.assertIn(b"Subject: to maildir", msgs[0])
            # Removed while running: the next delivery re-creates it.
            import shutil
            shutil.rmtree(os.path.join(gw.dir, "maildir"))
            code, text = send_message(c, "a@sender.test", ["bob@example.com"], message("again"))
            self.assertEqual(code, 250, text)
            self.assertEqual(len(gw.maildir_messages()), 1)
        finally:
            gw.stop()
        # A maildir that cannot be created stops the gateway at start-up with the reason.
        bad = Gateway("maildir:/proc/no-such-dir/maildir", start=False)
        bad.expected_exit = 1
        try:
            with self.assertRaises(AssertionError):
                bad.start()
            self.assertIn("downstream maildir: /proc/no-such-dir/maildir/tmp:", bad.log())
        finally:
            bad.stop()


EXE_MAIL = ("From: a@sender.test\r\nSubject: invoice\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
            "Content-Type: application/pdf; name=\"invoice.pdf.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "TVqQAAMAAAAEAAAA\r\n--b--")


class VerdictThroughProxyTest(unittest.TestCase):
    def test_flagged_message_carries_symbols_downstream(self):
        down = FakeDownstream()
        gw = Gateway(down.url())
        try:
            c = gw.client()
            c.banner_and_ehlo()
            code, _ = send_message(c, "a@sender.test", ["bob@example.com"], EXE_MAIL)
            self.assertEqual(code, 250)
            head = down.messages[0][2].split(b"\r\n\r\n")[0].replace(b"\r\n\t", b" ")
            status = re.search(rb"X-Spam-Status: Yes, score=10\.0 required=5\.0 tests=(\S+)", head)
            self.assertIsNotNone(status, head)
            tests = status.group(1).split(b",")
            self.assertIn(b"ATTACHMENT_EXECUTABLE", tests)
            self.assertEqual(tests, sorted(tests))  # as SpamAssassin lists them
            self.assertIn(b"X-Spam-Flag: YES", head)
            self.assertIn(b"X-Portcullis-Action: add_headers", head)
            self.assertRegex(gw.log(), r"action=add_headers decided_by=score score=10.00 symbols=ATTACHMENT_EXECUTABLE\(4.00\)")
        finally:
            gw.stop()
            down.stop()

    def test_message_over_reject_threshold_never_reaches_downstream(self):
        down = FakeDownstream()
        gw = Gateway(down.url(), overrides=["verdict.reject=8"])
        try:
            c = gw.client()
            c.banner_and_ehlo()
            code, text = send_message(c, "a@sender.test", ["bob@example.com"], EXE_MAIL)
            self.assertRegex(text, r"^5\.7\.1 Message rejected as spam \(ref ([0-9A-F]+\.\d+)\)$")
            self.assertEqual(code, 550)
            ref = text.split("(ref ")[1].rstrip(")")
            self.assertRegex(gw.log(), rf"tx={re.escape(ref)} .*action=reject decided_by=score")
            self.assertNotIn("ATTACHMENT", text)
            self.assertEqual(c.cmd("NOOP")[0], 250)  # the session goes on
            self.assertEqual(down.messages, [])
            self.assertNotIn("DATA", down.commands)
            wait_for(lambda: "RSET" in down.commands, what="downstream RSET")
        finally:
            gw.stop()
            down.stop()


class Ipv6AndXforwardTest(unittest.TestCase):
    def test_ipv6_listener_and_ipv6_client_access_list(self):
        import os, socket
        from harness import SmtpClient, free_port
        down = FakeDownstream(caps=("PIPELINING", "XFORWARD NAME ADDR PORT PROTO HELO"))
        gw = Gateway(down.url(), start=False)
        port6 = free_port()
        listfile = os.path.join(gw.dir, "access.cidr")
        with open(listfile, "w") as f:
            f.write("::1/128 deny IPv6 loopback refused\n")
        gw.overrides += ["listen=127.0.0.1:%d" % gw.port, "listen=[::1]:%d" % port6,
                         "relay.xforward=true", f"client_access.file={listfile}"]
        gw.start()
        try:
            c4 = gw.client()
            c4.banner_and_ehlo("client.test")
            code, _ = send_message(c4, "a@sender.test", ["bob@example.com"], message())
            self.assertEqual(code, 250)
            xf = [x for x in down.commands if x.startswith("XFORWARD")]
            self.assertEqual(len(xf), 1)
            self.assertRegex(xf[0], r"^XFORWARD ADDR=127\.0\.0\.1 PORT=\d+ PROTO=ESMTP HELO=client\.test$")
            # The IPv6 entry refuses ::1 and leaves 127.0.0.1 alone.
            c6 = SmtpClient(port6, host="::1")
            self.assertEqual(c6.reply(), (554, "IPv6 loopback refused"))
        finally:
            gw.stop()
            down.stop()

    def test_gateway_refuses_to_start_on_a_bad_listen_address(self):
        import subprocess
        from harness import BIN
        r = subprocess.run([BIN, "run", "-o", "listen=127.0.0.1:99999"], capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 1)
        self.assertIn("listen: bad port in '127.0.0.1:99999'", r.stderr)


class LmtpTest(unittest.TestCase):
    def check_lmtp(self, down, overrides=()):
        gw = Gateway(down.url(), overrides=list(overrides))
        try:
            c = gw.client()
            c.banner_and_ehlo()
            c.cmd("MAIL FROM:<a@sender.test>")
            self.assertEqual(c.cmd("RCPT TO:<b@example.com>")[0], 250)
            # One recipient per LMTP transaction by default, so the one reply is exact.
            code, text = c.cmd("RCPT TO:<c@example.com>")
            self.assertEqual((code, text[:5]), (452, "4.5.3"))
            c.cmd("DATA")
            c.send(message() + "\r\n.\r\n")
            return c.reply(), down
        finally:
            gw.stop()

    def test_lmtp_tcp_per_recipient_reply(self):
        down = FakeDownstream(lmtp_replies=["250 2.1.5 <b@example.com> delivered"])
        (code, text), down = self.check_lmtp(down)
        self.assertEqual((code, text), (250, "2.1.5 <b@example.com> delivered"))
        self.assertTrue(any(x.startswith("LHLO ") for x in down.commands))
        down.stop()

    def test_lmtp_unix_socket_and_mailbox_full(self):
        import os, tempfile
        path = os.path.join(tempfile.mkdtemp(), "lmtp.sock")
        down = FakeDownstream(lmtp_replies=["452 4.2.2 <b@example.com> mailbox full"], unix_path=path)
        (code, text), down = self.check_lmtp(down)
        self.assertEqual((code, text), (452, "4.2.2 <b@example.com> mailbox full"))
        down.stop()

    def test_lmtp_mixed_outcome_with_several_recipients_is_retried(self):
        down = FakeDownstream(lmtp_replies=["250 2.0.0 ok", "550 5.1.1 unknown"])
        gw = Gateway(down.url(), overrides=["relay.lmtp_max_recipients=2"])
        try:
            c = gw.client()
            c.banner_and_ehlo()
            code, text = send_message(c, "a@sender.test", ["b@example.com", "c@example.com"], message())
            self.assertEqual((code, text[:5]), (451, "4.3.0"))
        finally:
            gw.stop()
            down.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
