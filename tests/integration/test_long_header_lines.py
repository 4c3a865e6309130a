"""Header lines over RFC 5322's 998 bytes: a downstream that splits them would see header fields
the gateway never judged. smtp.long_header_lines = "reject" (default) refuses the message with
554 5.6.0; "fold" folds them at white space so the fields and values read the same, and refuses
a line it cannot fold. `portcullis scan` reports the same; check-config refuses other values."""
import json
import os
import re
import subprocess
import tempfile
import unittest

from harness import BIN, FakeDownstream, Gateway

WORDS = " ".join(f"word{i}" for i in range(300))  # about 2,400 bytes with spaces to fold at
LONG_SUBJECT = b"Subject: " + WORDS.encode()
# A field a downstream splitting at 998 would see on a line of its own if nobody judged it.
HIDDEN = b"x" * (998 - len("X-Pad: ")) + b"Bcc:hidden@evil.test"
NO_SPACE = b"X-Pad: " + HIDDEN
HEADERS = b"From: a@sender.test\r\nTo: bob@example.com\r\n"


def unfold(header_section):
    """RFC 5322 2.2.3, as our parser reads it: a CRLF followed by white space goes away."""
    return re.sub(rb"\r\n(?=[ \t])", b"", header_section)


def header_lines(data):
    return data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


class LongHeaderLinesTest(unittest.TestCase):
    def run_messages(self, overrides, bodies):
        down = FakeDownstream()
        gw = Gateway(down.url(), overrides=overrides)
        try:
            c = gw.client()
            c.banner_and_ehlo()
            replies = []
            for body in bodies:
                c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")
                self.assertEqual([c.reply()[0] for _ in range(3)], [250, 250, 354])
                c.send(body + b"\r\n.\r\n")
                replies.append(c.reply())
            self.assertEqual(c.cmd("QUIT")[0], 221)
            c.close()
            return replies, down.messages
        finally:
            gw.stop()
            down.stop()

    def test_refused_by_default(self):
        ok = HEADERS + b"Subject: short\r\n\r\n" + b"y" * 1500  # a long body line is not a header
        replies, delivered = self.run_messages([], [
            HEADERS + LONG_SUBJECT + b"\r\n\r\nbody",
            HEADERS + NO_SPACE + b"\r\n\r\nbody",
            HEADERS + b"Subject: x\r\n\t" + WORDS.encode() + b"\r\n\r\nbody",  # a continuation line
            ok,
        ])
        for code, text in replies[:3]:
            self.assertEqual(code, 554, text)
            self.assertTrue(text.startswith("5.6.0"), text)
            self.assertIn("998", text)
        # The session goes on: the next message is relayed, and only that one.
        self.assertEqual(replies[3][0], 250, replies)
        self.assertEqual(len(delivered), 1, delivered)
        self.assertIn(b"Subject: short", delivered[0][2])

    def test_a_line_of_exactly_998_bytes_is_fine(self):
        line = b"X-Pad: " + b"z" * (998 - 7)
        self.assertEqual(len(line), 998)
        replies, delivered = self.run_messages([], [HEADERS + line + b"\r\n\r\nbody"])
        self.assertEqual(replies[0][0], 250, replies)
        self.assertIn(b"\r\n" + line + b"\r\n", delivered[0][2])

    def test_fold_mode_folds_at_white_space(self):
        original = HEADERS + LONG_SUBJECT + b"\r\nX-Other: " + WORDS.encode() + b"\t end\r\n"
        replies, delivered = self.run_messages(["smtp.long_header_lines=fold"], [
            original + b"\r\nbody",
            HEADERS + NO_SPACE + b"\r\n\r\nbody",
        ])
        self.assertEqual(replies[0][0], 250, replies)
        self.assertEqual(len(delivered), 1, delivered)
        data = delivered[0][2]
        for line in header_lines(data):
            self.assertLessEqual(len(line), 998)
            self.assertNotEqual(line.strip(b" \t"), b"")  # no line of white space only
        # Unfolded, the downstream's header section holds exactly the fields the client sent.
        self.assertIn(unfold(original), unfold(data.split(b"\r\n\r\n", 1)[0] + b"\r\n"))
        self.assertTrue(data.endswith(b"\r\n\r\nbody\r\n"), data[-40:])
        # A line with no white space to fold at cannot be folded without changing it: refused.
        code, text = replies[1]
        self.assertEqual(code, 554, text)
        self.assertTrue(text.startswith("5.6.0"), text)
        self.assertIn("white space", text)


class LongHeaderLinesScanTest(unittest.TestCase):
    def scan(self, *args):
        r = subprocess.run([BIN, "scan", "-o", "auth.enabled=false", "-o", "dns.servers=127.0.0.1:9",
                            "-o", "rules.spamassassin=false", "-o", "rules.paths=[]",
                            "-o", "dns.attempts=1", "-o", "store=memory:", "-o",
                            "relay_domains=example.com", "--rcpt", "bob@example.com", "--json", *args],
                           capture_output=True, timeout=30)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_scan_reports_what_the_proxy_does(self):
        d = tempfile.mkdtemp()
        long = os.path.join(d, "long.eml")
        with open(long, "wb") as f:
            f.write(HEADERS.replace(b"\r\n", b"\n") + LONG_SUBJECT + b"\n\nbody\n")
        unfoldable = os.path.join(d, "unfoldable.eml")
        with open(unfoldable, "wb") as f:
            f.write(HEADERS + NO_SPACE + b"\r\n\r\nbody\r\n")
        code, out, err = self.scan(long)
        self.assertEqual(code, 1, err)
        r = json.loads(out)
        self.assertEqual(r["action"], "reject")
        self.assertEqual((r["reply"]["code"], r["reply"]["enhanced"]), (554, "5.6.0"))
        self.assertIn("998", r["reply"]["text"])
        code, out, err = self.scan("-o", "smtp.long_header_lines=fold", long)
        self.assertEqual(code, 0, err)
        r = json.loads(out)
        self.assertEqual(r["action"], "accept")
        self.assertTrue(any("folded" in n for n in r["notes"]), r["notes"])
        code, out, err = self.scan("-o", "smtp.long_header_lines=fold", unfoldable)
        self.assertEqual(code, 1, err)
        self.assertEqual(json.loads(out)["reply"]["enhanced"], "5.6.0")

    def test_check_config_names_file_and_line(self):
        d = tempfile.mkdtemp()
        cfg = os.path.join(d, "bad.toml")
        with open(cfg, "w") as f:
            f.write('listen = ["127.0.0.1:2525"]\n[smtp]\nmax_errors = 5\nlong_header_lines = "split"\n')
        r = subprocess.run([BIN, "check-config", cfg], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f'{cfg}:4: smtp.long_header_lines must be one of "reject", "fold"', r.stderr)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
