"""Envelope addresses and RFC 6531: with SMTPUTF8 an address may be UTF-8 and nothing else
(RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) and carries no control
characters; without SMTPUTF8 it stays ASCII. What is refused never reaches the downstream."""
import unittest

from harness import FakeDownstream, Gateway

CAPS = ("PIPELINING", "8BITMIME", "SIZE 100000000", "SMTPUTF8")

# (what is wrong, the bytes of a local part, words the refusal must name)
BAD_UTF8 = [
    ("not UTF-8 at all", b"\xff\xfe", "invalid"),
    ("a lone continuation byte", b"a\x80b", "invalid"),
    ("a truncated sequence", b"j\xc3", "truncated"),
    ("an overlong '/'", b"a\xc0\xafb", "overlong"),
    ("an overlong three-byte form", b"a\xe0\x80\xafb", "overlong"),
    ("a UTF-16 surrogate", b"a\xed\xa0\x80b", "surrogate"),
    ("past U+10FFFF", b"a\xf4\x90\x80\x80b", "U+10FFFF"),
    ("a C1 control (NEL)", b"a\xc2\x85b", "control"),
]


class SmtpUtf8Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.down = FakeDownstream(caps=CAPS)
        cls.gw = Gateway(cls.down.url(), overrides=["smtp.max_errors=1000"])

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.down.stop()

    def session(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        self.addCleanup(c.close)
        return c

    def cmd(self, c, line):
        c.send(line + b"\r\n")
        return c.reply()

    def assertRefusedAsUtf8(self, reply, word):
        code, text = reply
        self.assertIn(code, (501, 553), text)
        if code == 553:
            self.assertTrue(text.startswith("5.6.7"), text)
        self.assertIn("UTF-8", text)
        self.assertIn(word, text)

    def test_invalid_utf8_sender_is_refused(self):
        sent = len(self.down.commands)
        c = self.session()
        for what, local, word in BAD_UTF8:
            with self.subTest(what):
                reply = self.cmd(c, b"MAIL FROM:<" + local + b"@sender.test> SMTPUTF8")
                self.cmd(c, b"RSET")  # each case on its own, whatever the last one did
                self.assertRefusedAsUtf8(reply, word)
        with self.subTest("in the domain"):
            reply = self.cmd(c, b"MAIL FROM:<a@s\xffender.test> SMTPUTF8")
            self.cmd(c, b"RSET")
            self.assertRefusedAsUtf8(reply, "invalid")
        self.assertEqual(self.cmd(c, b"QUIT")[0], 221)
        # The downstream (shared by the class) was sent nothing from this session but EHLO/QUIT.
        mine = self.down.commands[sent:]
        self.assertFalse(any(cmd.startswith("MAIL") for cmd in mine), mine)

    def test_invalid_utf8_recipient_is_refused(self):
        sent = len(self.down.commands)
        c = self.session()
        code, text = self.cmd(c, b"MAIL FROM:<a@sender.test> SMTPUTF8")
        self.assertEqual(code, 250, text)
        for what, local, word in BAD_UTF8:
            with self.subTest(what):
                self.assertRefusedAsUtf8(self.cmd(c, b"RCPT TO:<" + local + b"@example.com>"), word)
        self.assertEqual(self.cmd(c, b"QUIT")[0], 221)
        mine = self.down.commands[sent:]
        self.assertFalse(any(cmd.startswith("RCPT") for cmd in mine), mine)

    def test_valid_utf8_is_relayed_with_smtputf8(self):
        c = self.session()
        code, text = self.cmd(c, "MAIL FROM:<jörg@sender.test> SMTPUTF8".encode())
        self.assertEqual(code, 250, text)
        code, text = self.cmd(c, "RCPT TO:<用户@example.com>".encode())
        self.assertEqual(code, 250, text)
        # Four-byte forms too (U+1F600), and the highest code point there is.
        code, text = self.cmd(c, "RCPT TO:<a\U0001F600\U0010FFFF@example.com>".encode())
        self.assertEqual(code, 250, text)
        self.assertEqual(self.cmd(c, b"DATA")[0], 354)
        c.send(b"From: a@sender.test\r\nSubject: utf8\r\n\r\nhello\r\n.\r\n")
        code, text = c.reply()
        self.assertEqual(code, 250, text)
        self.assertEqual(self.cmd(c, b"QUIT")[0], 221)
        mail = [m for m in self.down.messages if "jörg" in m[0]]
        self.assertEqual(len(mail), 1, self.down.messages)
        self.assertEqual(mail[0][0], "MAIL FROM:<jörg@sender.test> SMTPUTF8")
        self.assertEqual(mail[0][1], ["RCPT TO:<用户@example.com>",
                                      "RCPT TO:<a\U0001F600\U0010FFFF@example.com>"])

    def test_eight_bit_addresses_without_smtputf8_stay_refused(self):
        c = self.session()
        code, text = self.cmd(c, "MAIL FROM:<jörg@sender.test>".encode())
        self.assertEqual((code, text[:5]), (553, "5.6.7"), text)
        self.assertIn("SMTPUTF8", text)
        code, text = self.cmd(c, b"MAIL FROM:<\xff\xfe@sender.test>")
        self.assertEqual(code, 553, text)
        self.assertEqual(self.cmd(c, b"MAIL FROM:<a@sender.test>")[0], 250)
        code, text = self.cmd(c, "RCPT TO:<jörg@example.com>".encode())
        self.assertEqual((code, text[:5]), (553, "5.6.7"), text)
        self.assertEqual(self.cmd(c, b"QUIT")[0], 221)

    def test_ascii_control_characters_are_refused_in_any_address(self):
        c = self.session()
        for line in (b"MAIL FROM:<a\x01b@sender.test>", b"MAIL FROM:<a\x1bb@sender.test> SMTPUTF8",
                     b'MAIL FROM:<"a\x7fb"@sender.test>', b"MAIL FROM:<a\tb@sender.test>"):
            with self.subTest(line):
                code, text = self.cmd(c, line)
                self.cmd(c, b"RSET")
                self.assertEqual(code, 501, text)
                self.assertIn("control character", text)
        self.assertEqual(self.cmd(c, b"QUIT")[0], 221)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
