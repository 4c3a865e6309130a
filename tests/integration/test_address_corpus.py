"""MAIL FROM / RCPT TO address syntax against aiosmtpd's test lists
(tests/data/aiosmtpd, a copy; its README.md gives source and licence). Compares reply classes, not texts.

Deliberate differences, each asserted below so a change is noticed:
- RFC 5322 comments "(...)" are not RFC 5321 path syntax; Portcullis refuses them (501) as
  Postfix does with strict envelope parsing, where aiosmtpd's email.utils parser strips them.
- "anne@[IPv6::1]" is not a valid address literal (::1 would be [IPv6:::1]): refused (501).
- A bare local part without a domain (other than Postmaster) is refused (501); RFC 5321 paths
  need a domain, and the gateway has no $myorigin to append.
- Source routes are accepted and dropped (RFC 5321 4.1.2); the final mailbox is what counts.
"""
import json
import os
import unittest

from harness import FakeDownstream, Gateway

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "aiosmtpd",
                     "aiosmtpd_smtp_cases.json")
WITH_COMMENTS = {"anne(comment)@example.com", "(comment)anne@example.com",
                 "anne@example.com(comment)", "anne@machine(comment).  example"}
INVALID_HERE = {"anne@[IPv6::1]"}


def refused_syntax(addr):
    a = addr.strip()
    return a in WITH_COMMENTS or a in INVALID_HERE or "@" not in a.rsplit('"', 1)[-1] and a.lower() != "<postmaster>"


class AddressCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(CASES) as f:
            lists = json.load(f)["class_lists"]
        cls.mail = lists["TestSMTP.valid_mailfrom_addresses"]
        cls.rcpt = lists["TestSMTP.valid_rcptto_addresses"]
        cls.invalid = lists["TestSMTP.invalid_email_addresses"]
        cls.down = FakeDownstream()
        # Every domain in the lists is a relay domain here: only syntax is under test.
        cls.gw = Gateway(cls.down.url(), relay_domains=(
            "example.com", "mail", "127.0.0.1", "strange.example.com"),
            overrides=["smtp.max_errors=1000"])

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.down.stop()

    def test_valid_mail_from(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        accepted = 0
        for addr in self.mail:
            with self.subTest(addr):
                code, text = c.cmd("MAIL FROM:" + addr)
                if refused_syntax(addr):
                    self.assertEqual(code, 501, text)
                else:
                    self.assertEqual(code, 250, text)
                    accepted += 1
                c.cmd("RSET")
        self.assertEqual(accepted, len(self.mail) - 6)

    def test_valid_rcpt_to_syntax(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        c.cmd("MAIL FROM:<a@sender.test>")
        for addr in self.rcpt:
            with self.subTest(addr):
                code, text = c.cmd("RCPT TO:" + addr)
                final = addr.strip().strip("<>").rsplit(":", 1)[-1] if addr.strip().startswith("<@") else addr.strip()
                local = final.rsplit("@", 1)[0]
                if refused_syntax(addr):
                    self.assertEqual(code, 501, text)
                elif "[" in final or any(ch in local for ch in "%!@"):
                    # Valid syntax, but routing characters and address literals are not relayed.
                    self.assertEqual(code, 554, (addr, text))
                else:
                    self.assertEqual(code, 250, (addr, text))

    def test_invalid(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        for addr in self.invalid:
            with self.subTest(addr):
                self.assertEqual(c.cmd("MAIL FROM:" + addr)[0], 501)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
