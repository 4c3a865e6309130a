"""SMTP smuggling: no end-of-data variant may make the downstream see a message boundary the
gateway did not see, in either bare_line_endings mode, with the pipelining test on or off.
Sequences: tests/data/smuggling/eod_sequences.tsv (a copy of the shared corpus; README there)."""
import os
import re
import socket
import unittest

from harness import FakeDownstream, Gateway

TSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "smuggling",
                   "eod_sequences.tsv")

SMUGGLED = (b"MAIL FROM:<spoofed@bank.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
            b"From: ceo@bank.example\r\nSubject: SMUGGLED\r\n\r\nwire money\r\n")
INNOCENT = b"From: a@sender.test\r\nSubject: innocent\r\n\r\nhello"
# The one row that is the real terminator (then a NUL the gateway reads as the next command).
REAL_END_THEN_NUL = b"\r\n.\r\n\x00"


def sequences():
    out = []
    with open(TSV, encoding="ascii") as f:
        for line in f:
            if line.startswith("#") or line.startswith("sequence\t") or not line.strip():
                continue
            seq, _sources, name = line.rstrip("\n").split("\t")
            out.append((name, seq.encode("ascii").decode("unicode_escape").encode("latin-1")))
    return out


def run_sequence(gw, seq):
    """One transaction whose data holds `seq` and then a second, smuggled transaction, all sent
    in one write after the 354 (the client speaks first only where SMTP lets it)."""
    c = gw.client()
    c.banner_and_ehlo()
    c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")
    replies = [c.reply()[0] for _ in range(3)]
    assert replies == [250, 250, 354], replies
    c.send(INNOCENT + seq + SMUGGLED + b"\r\n.\r\nQUIT\r\n")
    replies = []
    while True:
        code, text = c.reply()
        if code is None:
            break
        replies.append((code, text))
        if code in (221, 521, 421):
            break
    c.close()
    return replies


class SmugglingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.seqs = sequences()
        assert len(cls.seqs) == 16, len(cls.seqs)

    def assertNothingSmuggled(self, commands, delivered):
        """`commands`: what the downstream was sent during this sequence."""
        self.assertFalse(any("spoofed@bank.example" in c for c in commands), commands)
        for mail, _rcpts, data in delivered:
            self.assertEqual(mail, "MAIL FROM:<a@sender.test>")
            self.assertIn(b"\r\nSubject: innocent\r\n", data)
            # Canonical line ends only: a downstream sees no line end the gateway did not see.
            self.assertIsNone(re.search(rb"(?<!\r)\n|\r(?!\n)", data), data)
            self.assertNotIn(b"\x00", data)

    def test_reject_mode_refuses_every_variant(self):
        for name, seq in self.seqs:
            with self.subTest(name):
                down = FakeDownstream()
                gw = Gateway(down.url())
                try:
                    replies = run_sequence(gw, seq)
                    self.assertNothingSmuggled(down.commands, down.messages)
                    if seq == REAL_END_THEN_NUL:
                        # A real terminator: the innocent message is delivered; the NUL line after
                        # it is a refused command, and what follows is never a transaction.
                        self.assertEqual(replies[0][0], 250)
                        self.assertEqual(len(down.messages), 1)
                        self.assertTrue(down.messages[0][2].endswith(b"\r\n\r\nhello\r\n"))
                    else:
                        self.assertEqual(replies[0][0], 521, replies)
                        self.assertTrue(replies[0][1].startswith("5.5.2"), replies)
                        self.assertEqual(down.messages, [])
                finally:
                    gw.stop()
                    down.stop()

    def check_one_gateway(self, overrides, normalize):
        """Every sequence through one gateway; the client cache is off (fail_ttl=0) so one
        sequence's protocol failure does not refuse the next one's connection."""
        down = FakeDownstream()
        gw = Gateway(down.url(), overrides=["firewall.fail_ttl=0"] + overrides)
        try:
            for name, seq in self.seqs:
                with self.subTest(name, overrides=overrides):
                    before, sent = len(down.messages), len(down.commands)
                    replies = run_sequence(gw, seq)
                    delivered = down.messages[before:]
                    queued = [r for r in replies if r[0] == 250 and "queued as" in r[1]]
                    self.assertNothingSmuggled(down.commands[sent:], delivered)
                    if seq == REAL_END_THEN_NUL:
                        self.assertEqual(len(delivered), 1, (replies, delivered))
                        self.assertEqual(len(queued), 1, replies)
                        self.assertTrue(delivered[0][2].endswith(b"\r\n\r\nhello\r\n"))
                    elif b"\x00" in seq or not normalize:
                        # NUL is refused in both modes, every bare CR or LF in reject mode.
                        self.assertEqual(replies[0][0], 521, replies)
                        self.assertEqual(delivered, [])
                    else:
                        # Normalize: the bare line ends became CRLF, the dot line ended nothing,
                        # and the smuggled commands are text of the one message, which ends at
                        # the client's real <CRLF>.<CRLF>.
                        self.assertEqual(len(queued), 1, replies)
                        self.assertEqual(replies[0][0], 250, replies)
                        self.assertEqual(len(delivered), 1, (replies, delivered))
                        data = delivered[0][2]
                        self.assertIn(b"hello\r\n", data)
                        self.assertIn(b"\r\nMAIL FROM:<spoofed@bank.example>\r\n", data)
                        self.assertTrue(data.endswith(b"\r\nwire money\r\n\r\n"), data)
                        if seq == b"\n.\n":
                            # The lone dot line is neither content nor an end (as in Postfix).
                            self.assertTrue(data.endswith(b"\r\n\r\nhello\r\n" + SMUGGLED + b"\r\n"),
                                            data)
        finally:
            gw.stop()
            down.stop()

    def test_normalize_mode_ends_data_only_at_crlf_dot_crlf(self):
        self.check_one_gateway(["smtp.bare_line_endings=normalize"], normalize=True)

    def test_normalize_mode_without_the_pipelining_test(self):
        # The smuggled commands no longer arrive "too early" for the firewall to notice: the
        # data reader alone must keep them inside the first message.
        self.check_one_gateway(["smtp.bare_line_endings=normalize",
                                "firewall.pipelining_action=ignore"], normalize=True)

    def test_reject_mode_without_the_pipelining_test(self):
        self.check_one_gateway(["firewall.pipelining_action=ignore"], normalize=False)

    def test_normalize_mode_waiting_for_a_reply_after_a_bare_dot_line(self):
        # The attack as reported: x<LF>.<LF>, wait for the 250, then a second transaction. No
        # reply may come, since the data has not ended; the later commands are message text.
        down = FakeDownstream()
        gw = Gateway(down.url(), overrides=["smtp.bare_line_endings=normalize"])
        try:
            c = gw.client()
            c.banner_and_ehlo()
            c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")
            self.assertEqual([c.reply()[0] for _ in range(3)], [250, 250, 354])
            c.send(INNOCENT + b"\r\nx\n.\n")
            c.sock.settimeout(1.5)
            with self.assertRaises(socket.timeout):
                c.reply()
            c.sock.settimeout(10)
            c.send(b"MAIL FROM:<attacker@evil.test>\r\n")
            with self.assertRaises(socket.timeout):
                c.sock.settimeout(1.0)
                c.reply()
            c.sock.settimeout(10)
            c.send(b"RCPT TO:<bob@example.com>\r\nDATA\r\nSubject: second\r\n\r\nsmuggled\r\n.\r\n")
            code, text = c.reply()
            self.assertEqual(code, 250, text)
            self.assertEqual(c.cmd("QUIT")[0], 221)
            c.close()
            self.assertEqual(len(down.messages), 1, down.messages)
            self.assertFalse(any("attacker@evil.test" in cmd for cmd in down.commands))
            self.assertIn(b"\r\nx\r\nMAIL FROM:<attacker@evil.test>\r\n", down.messages[0][2])
        finally:
            gw.stop()
            down.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
