"""SMTP smuggling: no end-of-data variant may make the downstream see a message boundary the
gateway did not see. Sequences come from shared/corpora/smtp-conformance/smuggling/eod_sequences.tsv."""
import os
import re
import unittest

from harness import SHARED, FakeDownstream, Gateway

TSV = os.path.join(SHARED, "corpora/smtp-conformance/smuggling/eod_sequences.tsv")

SMUGGLED = (b"MAIL FROM:<spoofed@bank.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
            b"From: ceo@bank.example\r\nSubject: SMUGGLED\r\n\r\nwire money\r\n")


def sequences():
    out = []
    with open(TSV, encoding="ascii") as f:
        for line in f:
            if line.startswith("#") or line.startswith("sequence\t") or not line.strip():
                continue
            seq, _sources, name = line.rstrip("\n").split("\t")
            out.append((name, seq.encode("ascii").decode("unicode_escape").encode("latin-1")))
    return out


class SmugglingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.seqs = sequences()
        assert len(cls.seqs) == 16, len(cls.seqs)

    def run_sequence(self, gw, down, seq):
        c = gw.client()
        c.banner_and_ehlo()
        c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")
        self.assertEqual([c.reply()[0] for _ in range(3)], [250, 250, 354])
        c.send(b"From: a@sender.test\r\nSubject: innocent\r\n\r\nhello" + seq + SMUGGLED + b"\r\n.\r\nQUIT\r\n")
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

    def test_reject_mode_refuses_every_variant(self):
        for name, seq in self.seqs:
            with self.subTest(name):
                down = FakeDownstream()
                gw = Gateway(down.url())
                try:
                    replies = self.run_sequence(gw, down, seq)
                    for _mail, _rcpts, data in down.messages:
                        self.assertNotIn(b"SMUGGLED", data)
                    self.assertFalse(any("spoofed@bank.example" in c for c in down.commands))
                    if seq == b"\r\n.\r\n\x00":
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

    def test_normalize_mode_never_passes_bare_line_ends_downstream(self):
        down = FakeDownstream()
        # One gateway serves every sequence from 127.0.0.1; the smuggled DATA (content sent
        # before the 354) fails the pipelining test, and a remembered failure would refuse the
        # next sequence's connection: this test is about the message boundary, not the cache.
        gw = Gateway(down.url(), overrides=["smtp.bare_line_endings=normalize", "firewall.fail_ttl=0"])
        try:
            for name, seq in self.seqs:
                with self.subTest(name):
                    before = len(down.messages)
                    replies = self.run_sequence(gw, down, seq)
                    accepted = sum(1 for code, text in replies if code == 250 and "queued as" in text)
                    delivered = down.messages[before:]
                    # Every message the downstream got is one the gateway acknowledged itself,
                    # after its own checks, and none carries a bare CR or LF.
                    self.assertEqual(len(delivered), accepted, (replies, delivered))
                    for _mail, _rcpts, data in delivered:
                        self.assertIsNone(re.search(rb"(?<!\r)\n|\r(?!\n)", data), data)
                        self.assertNotIn(b"\x00", data)
        finally:
            gw.stop()
            down.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
