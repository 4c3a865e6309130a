"""Limits on line length, message size, recipients, errors and idle time, each with its reply
code and enhanced status, and the client access list at connect."""
import os
import time
import unittest

from harness import FakeDownstream, Gateway, message


class LimitsTest(unittest.TestCase):
    def setUp(self):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), overrides=[
            "smtp.max_line_length=512", "smtp.max_message_size=4096", "smtp.max_recipients=3",
            "smtp.max_errors=4", "smtp.idle_timeout=1"])

    def tearDown(self):
        self.gw.stop()
        self.down.stop()

    def test_line_too_long(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        self.assertEqual(c.cmd("NOOP " + "x" * 600), (500, "5.5.2 Error: line too long"))
        self.assertEqual(c.cmd("NOOP")[0], 250)

    def test_message_size_declared_and_actual(self):
        c = self.gw.client()
        self.assertIn("SIZE 4096", c.banner_and_ehlo())
        code, text = c.cmd("MAIL FROM:<a@sender.test> SIZE=5000")
        self.assertEqual((code, text[:5]), (552, "5.3.4"))
        c.cmd("MAIL FROM:<a@sender.test>")
        c.cmd("RCPT TO:<bob@example.com>")
        c.cmd("DATA")
        c.send(message(body="y" * 10000) + "\r\n.\r\n")
        code, text = c.reply()
        self.assertEqual((code, text[:5]), (552, "5.3.4"))
        self.assertEqual(c.cmd("NOOP")[0], 250)
        c.cmd("QUIT")
        self.assertEqual(self.down.messages, [])
        self.assertNotIn("DATA", self.down.commands)

    def test_too_many_recipients(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        c.cmd("MAIL FROM:<a@sender.test>")
        for i in range(3):
            self.assertEqual(c.cmd(f"RCPT TO:<u{i}@example.com>")[0], 250)
        code, text = c.cmd("RCPT TO:<u9@example.com>")
        self.assertEqual((code, text[:5]), (452, "4.5.3"))

    def test_too_many_errors(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        for _ in range(3):
            self.assertEqual(c.cmd("BOGUS")[0], 502)
        code, text = c.cmd("BOGUS")
        self.assertEqual(code, 502)
        self.assertEqual(c.reply()[:1], (421,))
        self.assertTrue(c.closed_by_peer())

    def test_idle_timeout(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        start = time.monotonic()
        code, text = c.reply()
        self.assertEqual((code, text[:5]), (421, "4.4.2"))
        self.assertLess(time.monotonic() - start, 5)

    def test_hostile_helo_never_reaches_a_header(self):
        c = self.gw.client()
        c.reply()
        self.assertEqual(c.cmd("EHLO a\rb")[0], 500)
        self.assertEqual(c.cmd("EHLO caf\xe9.test")[0], 501)
        self.assertEqual(c.cmd("EHLO two words")[0], 501)


class ClientAccessTest(unittest.TestCase):
    def test_denied_client_gets_554_and_downstream_sees_nothing(self):
        down = FakeDownstream()
        gw = Gateway(down.url(), start=False)
        listfile = os.path.join(gw.dir, "access.cidr")
        with open(listfile, "w") as f:
            f.write("# test list\n127.0.0.0/8 deny Go away, bot\n")
        gw.overrides.append(f"client_access.file={listfile}")
        gw.start()
        try:
            c = gw.client()
            self.assertEqual(c.reply(), (554, "Go away, bot"))
            self.assertEqual(c.cmd("EHLO client.test")[0], 503)
            self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 503)
            self.assertEqual(c.cmd("QUIT")[0], 221)
            self.assertEqual(down.connections, 0)
            self.assertIn("refused at connect by CLIENT_DENYLISTED", gw.log())
        finally:
            gw.stop()
            down.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
