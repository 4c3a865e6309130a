"""The proxy relays accepted mail downstream command by command and answers end-of-data only
with the downstream's answer."""
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
        self.assertIn(b"X-Spam-Status: No, score=0.00", data)
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
        finally:
            gw.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
