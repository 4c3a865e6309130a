"""SIGHUP reloads list files (a broken file keeps the old set); SIGTERM stops accepting,
finishes the transaction in flight, tells idle sessions 421."""
import os
import signal
import time
import unittest

from harness import FakeDownstream, Gateway, listening, wait_for


class SignalsTest(unittest.TestCase):
    def setUp(self):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), start=False)
        self.list = os.path.join(self.gw.dir, "access.cidr")
        with open(self.list, "w") as f:
            f.write("192.0.2.0/24 deny\n")
        self.gw.overrides.append(f"client_access.file={self.list}")
        self.gw.start()

    def tearDown(self):
        self.gw.stop()
        self.down.stop()

    def greeting(self):
        c = self.gw.client()
        code = c.reply()[0]
        c.close()
        return code

    def test_sighup_reloads_list_and_keeps_old_on_error(self):
        self.assertEqual(self.greeting(), 220)
        with open(self.list, "w") as f:
            f.write("127.0.0.0/8 deny\n")
        self.gw.signal(signal.SIGHUP)
        wait_for(lambda: "reload complete" in self.gw.log(), what="reload")
        self.assertEqual(self.greeting(), 554)
        with open(self.list, "w") as f:
            f.write("127.0.0.0/8 allow\nnot-a-network deny\n")
        self.gw.signal(signal.SIGHUP)
        wait_for(lambda: "reload failed" in self.gw.log(), what="failed reload")
        self.assertIn(f"{self.list}:2: 'not-a-network' is not an IPv4/IPv6 address", self.gw.log())
        self.assertEqual(self.greeting(), 554)  # the old list still applies

    def test_sigterm_finishes_transaction_in_flight(self):
        busy = self.gw.client()
        busy.banner_and_ehlo()
        busy.cmd("MAIL FROM:<a@sender.test>")
        busy.cmd("RCPT TO:<bob@example.com>")
        self.assertEqual(busy.cmd("DATA")[0], 354)
        busy.send("Subject: in flight\r\n\r\nfirst half\r\n")
        idle = self.gw.client()
        idle.banner_and_ehlo()
        time.sleep(0.2)
        self.gw.signal(signal.SIGTERM)
        code, text = idle.reply()
        self.assertEqual((code, text[:5]), (421, "4.3.2"))
        wait_for(lambda: not listening(self.gw.port), what="listener closed")
        busy.send("second half\r\n.\r\n")
        code, text = busy.reply()
        self.assertEqual(code, 250, text)
        self.assertEqual(busy.cmd("NOOP")[0], 421)
        self.assertEqual(self.gw.proc.wait(10), 0)
        self.assertEqual(len(self.down.messages), 1)
        self.assertIn(b"second half", self.down.messages[0][2])


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
