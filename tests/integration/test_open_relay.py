"""No open relay: every routing trick is refused at RCPT and never reaches the downstream."""
import unittest

from harness import FakeDownstream, Gateway

ATTEMPTS = [
    "bob@evil.test",                          # plain third-party domain
    "bob%evil.test@example.com",              # percent hack
    "@example.com:bob@evil.test",             # source route to a foreign final domain
    "@example.com,@relay.test:bob@evil.test", # multi-hop source route
    '"bob@evil.test"@example.com',            # quoted local part hiding an address
    '"bob%evil.test"@example.com',
    "evil.test!bob@example.com",              # bang path
    "bob@evil.test@example.com",              # two @ (syntax error)
    "bob@[192.0.2.1]",                        # address literal
    "bob@example.com.evil.test",              # our domain as a prefix
    "bob@notexample.com",                     # our domain as a suffix without a dot
    "bob@sub.example.com",                    # subdomains need a ".example.com" entry
]


class OpenRelayTest(unittest.TestCase):
    def test_relay_attempts_are_refused_and_invisible_downstream(self):
        down = FakeDownstream()
        gw = Gateway(down.url(), relay_domains=("example.com",))
        try:
            c = gw.client()
            c.banner_and_ehlo()
            self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 250)
            for rcpt in ATTEMPTS:
                with self.subTest(rcpt):
                    code, text = c.cmd(f"RCPT TO:<{rcpt}>")
                    self.assertIn(code, (501, 554), text)
                    if code == 554:
                        self.assertTrue(text.startswith("5.7.1"), text)
                        self.assertIn("Relay access denied", text)
            self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 250)
            self.assertEqual(c.cmd("RCPT TO:<Postmaster>")[0], 250)
            c.cmd("QUIT")
            rcpts = [x for x in down.commands if x.startswith("RCPT")]
            self.assertEqual(rcpts, ["RCPT TO:<bob@example.com>", "RCPT TO:<Postmaster>"])
            self.assertIn("reject RCPT <bob@evil.test>", gw.log())
        finally:
            gw.stop()
            down.stop()

    def test_source_route_to_our_domain_is_relayed_without_the_route(self):
        down = FakeDownstream()
        gw = Gateway(down.url(), relay_domains=("example.com",))
        try:
            c = gw.client()
            c.banner_and_ehlo()
            c.cmd("MAIL FROM:<a@sender.test>")
            self.assertEqual(c.cmd("RCPT TO:<@relay.test:bob@example.com>")[0], 250)
            c.cmd("QUIT")
            self.assertIn("RCPT TO:<bob@example.com>", down.commands)
        finally:
            gw.stop()
            down.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
