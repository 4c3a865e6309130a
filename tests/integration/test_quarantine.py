"""Quarantine: the verdict's quarantine action holds the message durably and answers 250;
`portcullis quarantine list|show|release|delete` work on what is held; a release relays the
message downstream unchanged apart from an X-Portcullis-Released field, and a release the
downstream takes only in part keeps the message for the recipients it refused."""
import os
import re
import shutil
import subprocess
import unittest

from harness import BIN, GTUBE, FakeDownstream, Gateway, message, send_message

# GTUBE scores 1000: above quarantine, below this reject threshold.
VERDICT = "[verdict]\nreject = 5000.0\nquarantine = 50.0\n"


class QuarantineTest(unittest.TestCase):
    def setUp(self):
        self.down = FakeDownstream(rcpt_replies={})
        self.addCleanup(self.down.stop)
        self.gw = Gateway(downstream=self.down.url(), extra=VERDICT, shipped_rules=True,
                          overrides=["relay.xclient=true"])
        self.addCleanup(self.gw.stop)

    def cli(self, *args, expect=0):
        r = subprocess.run([BIN, "quarantine", "--config", self.gw.config, *args],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, expect, r.stdout + r.stderr)
        return r.stdout, r.stderr

    def hold(self, rcpts=("bob@example.com",), subject="held for review"):
        c = self.gw.client()
        c.banner_and_ehlo("client.test")
        code, text = send_message(c, "spammer@sender.test", list(rcpts),
                                  message(subject, "buy now " + GTUBE))
        c.cmd("QUIT")
        c.close()
        self.assertEqual(code, 250, text)
        self.assertIn("queued as", text)
        return text.rsplit(" ", 1)[-1]

    def test_held_listed_shown_released(self):
        qid = self.hold(rcpts=("bob@example.com", "carol@example.com"))
        self.assertEqual(self.down.messages, [], "a held message must not reach the downstream")
        line = [l for l in self.gw.log().splitlines() if " action=" in l][-1]
        self.assertIn("action=quarantine", line)
        self.assertIn("GTUBE", line)

        out, _ = self.cli("list")
        self.assertIn(qid, out)
        self.assertIn("<spammer@sender.test> -> bob@example.com,carol@example.com", out)
        self.assertIn("From: a@sender.test  Subject: held for review", out)
        self.assertIn("1 message(s)", out)

        out, _ = self.cli("show", qid)
        self.assertIn("to:         <bob@example.com>, <carol@example.com>", out)
        self.assertIn("symbols:    ", out)
        self.assertIn("GTUBE", out)
        self.assertIn("client:     127.0.0.1 helo=client.test", out)
        self.assertIn(GTUBE, out)
        # What is stored is what would have gone downstream: our Received and verdict fields.
        stored = out.split("\n\n", 1)[1]
        self.assertTrue(stored.startswith("Received: from client.test"), stored[:200])
        self.assertIn("X-Spam-Status: Yes", stored)

        out, _ = self.cli("release", "--by", "alice@console", qid)
        self.assertIn(qid + " released: 250", out)
        self.assertEqual(len(self.down.messages), 1)
        mail, rcpts, data = self.down.messages[0]
        self.assertEqual(mail, "MAIL FROM:<spammer@sender.test>")
        self.assertEqual([r.split()[1] for r in rcpts], ["TO:<bob@example.com>", "TO:<carol@example.com>"])
        text = data.decode()
        released, rest = re.match(r"(X-Portcullis-Released:.*?\r\n)(?![ \t])(.*)", text, re.S).groups()
        self.assertRegex(" ".join(released.split()),
                         r"^X-Portcullis-Released: by alice@console on gw\.test; \w{3}, \d+ \w{3} \d{4} ")
        self.assertEqual(rest.replace("\r\n", "\n"), stored.replace("\r\n", "\n"))
        self.assertNotIn("X-Quarantine-", text)
        # XCLIENT told the downstream who the original client was.
        self.assertTrue(any(c.startswith("XCLIENT ") and "ADDR=127.0.0.1" in c and "HELO=client.test" in c
                            for c in self.down.commands), self.down.commands)
        out, _ = self.cli("list")
        self.assertIn("is empty", out)
        self.cli("release", qid, expect=1)

    def test_partial_release_keeps_the_refused_recipients(self):
        qid = self.hold(rcpts=("bob@example.com", "carol@example.com"))
        self.down.rcpt_replies["carol@example.com"] = "450 4.2.1 mailbox busy"
        _, err = self.cli("release", qid, expect=1)
        self.assertIn("refused carol@example.com: 450 4.2.1 mailbox busy", err)
        self.assertEqual([r.split()[1] for r in self.down.messages[0][1]], ["TO:<bob@example.com>"])
        out, _ = self.cli("show", qid)
        self.assertIn("to:         <carol@example.com>\n", out)
        # Released again: only carol gets it; bob has no duplicate.
        del self.down.rcpt_replies["carol@example.com"]
        self.cli("release", qid)
        self.assertEqual([r.split()[1] for r in self.down.messages[1][1]], ["TO:<carol@example.com>"])
        self.assertIn("is empty", self.cli("list")[0])

    def test_delete_and_bad_ids(self):
        a, b = self.hold(subject="first"), self.hold(subject="second")
        self.assertNotEqual(a, b)
        out, _ = self.cli("delete", a)
        self.assertIn(a + " deleted", out)
        out, _ = self.cli("list")
        self.assertNotIn(a, out)
        self.assertIn(b, out)
        _, err = self.cli("delete", a, expect=1)
        self.assertIn("no quarantined message " + a, err)
        _, err = self.cli("show", "../../etc/passwd", expect=2)
        self.assertIn("is not a quarantine id", err)
        self.cli("frobnicate", expect=2)
        _, err = self.cli("release", "--by", expect=2)  # a name is missing
        self.assertIn("unknown option --by", err)

    def test_a_store_that_cannot_take_it_tempfails(self):
        qdir = os.path.join(self.gw.dir, "quarantine")
        shutil.rmtree(qdir)
        with open(qdir, "w") as f:  # a file where the maildir should be: nothing can be made
            f.write("in the way")
        c = self.gw.client()
        c.banner_and_ehlo("client.test")
        code, text = send_message(c, "spammer@sender.test", ["bob@example.com"],
                                  message("x", GTUBE))
        c.close()
        self.assertEqual(code, 451, text)
        # The store's own error, naming the path it could not write, and the transaction's 451.
        self.assertRegex(self.gw.log(), r"error: quarantine: .*/quarantine/tmp/\S+: Not a directory")
        line = [l for l in self.gw.log().splitlines() if " action=quarantine" in l][-1]
        self.assertIn('reply="451 4.3.0 ', line)
        self.assertEqual(self.down.messages, [])


if __name__ == "__main__":
    from harness import main
    main()
