"""A downstream that rejects, tempfails, refuses, hangs or dies yields the matching 4xx/5xx to
the sender; nothing is acknowledged that the downstream did not acknowledge."""
import time
import unittest

from harness import FakeDownstream, Gateway, free_port, message, wait_for

FAST = ["relay.connect_timeout=2", "relay.command_timeout=2", "relay.data_timeout=2"]


class RelayFailureTest(unittest.TestCase):
    def transaction(self, down_url, rcpt_code=250, overrides=FAST):
        gw = Gateway(down_url, overrides=overrides)
        c = None
        try:
            c = gw.client()
            c.banner_and_ehlo()
            mail = c.cmd("MAIL FROM:<a@sender.test>")
            if mail[0] != 250:
                return mail, None, gw.log()
            rcpt = c.cmd("RCPT TO:<bob@example.com>")
            if rcpt[0] != 250:
                return mail, rcpt, gw.log()
            self.assertEqual(c.cmd("DATA")[0], 354)
            c.send(message() + "\r\n.\r\n")
            final = c.reply()
            c.close()
            return mail, rcpt, final
        finally:
            # A session left inside a transaction holds a shutdown for its whole timeout (30 s).
            if c:
                c.close()
            gw.stop()

    def test_downstream_rejects_recipient(self):
        down = FakeDownstream(replies={"RCPT": "550 5.1.1 <bob@example.com>: Recipient address rejected"})
        _, rcpt, _ = self.transaction(down.url())
        self.assertEqual(rcpt[0], 550)
        self.assertTrue(rcpt[1].startswith("5.1.1 <bob@example.com>: Recipient address rejected"))
        down.stop()

    def test_downstream_tempfails_mail(self):
        down = FakeDownstream(replies={"MAIL": "451 4.3.0 try later"})
        mail, _, _ = self.transaction(down.url())
        self.assertEqual(mail, (451, "4.3.0 try later"))
        down.stop()

    def test_downstream_rejects_and_tempfails_at_end_of_data(self):
        for reply, code in (("554 5.7.1 content rejected", 554), ("452 4.3.1 insufficient storage", 452)):
            with self.subTest(reply):
                down = FakeDownstream(replies={"EOD": reply})
                _, _, final = self.transaction(down.url())
                self.assertEqual(final[0], code)
                self.assertEqual(final[1], reply[4:])
                down.stop()

    def test_downstream_421_is_relayed_as_451(self):
        down = FakeDownstream(replies={"EOD": "421 4.3.2 shutting down"})
        _, _, final = self.transaction(down.url())
        self.assertEqual(final, (451, "4.3.2 shutting down"))
        down.stop()

    def test_downstream_refuses_connection(self):
        mail, _, _ = self.transaction(f"smtp://127.0.0.1:{free_port()}")
        self.assertEqual(mail[0], 451)
        self.assertTrue(mail[1].startswith("4.4.2 Downstream connect failed"), mail)

    def test_downstream_hangs_at_greeting(self):
        down = FakeDownstream(hang_on="GREETING")
        start = time.monotonic()
        mail, _, _ = self.transaction(down.url())
        self.assertEqual(mail[0], 451)
        self.assertIn("timed out", mail[1])
        self.assertLess(time.monotonic() - start, 10)
        down.stop()

    def test_downstream_hangs_after_data(self):
        down = FakeDownstream(hang_on="EOD")
        _, _, final = self.transaction(down.url())
        self.assertEqual(final[0], 451)
        self.assertIn("timed out", final[1])
        down.stop()

    def test_downstream_closes_mid_data(self):
        down = FakeDownstream(close_on="MIDDATA")
        _, _, final = self.transaction(down.url())
        self.assertEqual(final[0], 451)
        self.assertTrue(final[1].startswith("4.4.2"), final)
        self.assertEqual(down.messages, [])
        down.stop()

    def test_downstream_closes_instead_of_answering_data(self):
        down = FakeDownstream(close_on="DATA")
        _, _, final = self.transaction(down.url())
        self.assertEqual(final[0], 451)
        down.stop()

    def test_client_disconnects_mid_data(self):
        down = FakeDownstream()
        gw = Gateway(down.url())
        try:
            c = gw.client()
            c.banner_and_ehlo()
            c.cmd("MAIL FROM:<a@sender.test>")
            c.cmd("RCPT TO:<bob@example.com>")
            c.cmd("DATA")
            c.send("Subject: half\r\n\r\nhalf a message\r\n")
            c.close()
            wait_for(lambda: "RSET" in down.commands or "QUIT" in down.commands, what="downstream told")
            time.sleep(0.2)
            self.assertEqual(down.messages, [])
            self.assertNotIn("DATA", down.commands)
        finally:
            gw.stop()
            down.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
