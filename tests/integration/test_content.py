"""Content rules through the real proxy: GTUBE is refused with a generic 550 and a reference
id that the log line carries (no rule names leak to the sender), accepted mail reaches the
downstream with SpamAssassin-compatible X-Spam-* headers, and SIGHUP recompiles the rules:
a new rule takes effect, a broken rule file keeps the running set and logs file and line."""
import os
import re
import shutil
import signal
import unittest

from harness import FakeDownstream, Gateway, message, send_message, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "..", "..", "rules", "shipped")
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


class ContentRulesTest(unittest.TestCase):
    def setUp(self):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url(), start=False)
        self.rules = os.path.join(self.gw.dir, "rules")
        shutil.copytree(SHIPPED, self.rules)
        self.gw.overrides += [f'rules.paths="{self.rules}"', f'rules.cache_dir="{self.gw.dir}/cache"',
                              "verdict.reject=15", "verdict.add_headers=0.5"]
        self.gw.start()

    def tearDown(self):
        self.gw.stop()
        self.down.stop()

    def send(self, subject, body):
        c = self.gw.client()
        c.banner_and_ehlo()
        reply = send_message(c, "a@sender.test", ["bob@example.com"], message(subject, body))
        c.close()
        return reply

    def test_gtube_rejected_generic_text_with_reference(self):
        code, text = self.send("test", f"This is the GTUBE, the\r\n{GTUBE}\r\n")
        self.assertEqual(code, 550)
        self.assertTrue(text.startswith("5.7.1"), text)
        self.assertNotIn("GTUBE", text)
        ref = re.search(r"\(ref ([^)]+)\)", text)
        self.assertIsNotNone(ref, text)
        wait_for(lambda: ref.group(1) in self.gw.log(), what="log line with the reference")
        line = [l for l in self.gw.log().splitlines() if ref.group(1) in l and "GTUBE" in l]
        self.assertTrue(line, "the log line names the rule")
        self.assertEqual(self.down.messages, [])

    def test_accepted_mail_carries_spam_headers(self):
        code, _ = self.send("YOU HAVE WON A PRIZE", "Congratulations, you have won the lottery. Click here.")
        self.assertEqual(code, 250)
        wait_for(lambda: self.down.messages, what="delivery")
        data = self.down.messages[0][2].decode()
        head = re.sub(r"\r\n[ \t]+", " ", data.split("\r\n\r\n", 1)[0])  # unfolded
        # SpamAssassin's form: one decimal (sprintf "%2.1f"), the test names sorted.
        m = re.search(r"X-Spam-Status: Yes, score=(\d+\.\d) required=0\.5 tests=(\S+)", head)
        self.assertIsNotNone(m, head)
        tests = m.group(2).split(",")
        self.assertIn("PC_LOTTERY_WINNER", tests)
        self.assertEqual(tests, sorted(tests))
        self.assertIn("PC_SUBJECT_ALL_CAPS", head)
        self.assertIn("X-Spam-Flag: YES", head)
        self.assertIn("X-Spam-Score: " + m.group(1) + "\r\n", head + "\r\n")

    def test_sighup_recompiles_and_keeps_old_set_on_error(self):
        with open(os.path.join(self.rules, "90_local.cf"), "w") as f:
            f.write("body LOCAL_CODEWORD /\\bswordfish\\b/\nscore LOCAL_CODEWORD 50\n")
        self.gw.signal(signal.SIGHUP)
        wait_for(lambda: "reload complete" in self.gw.log(), what="reload")
        self.assertEqual(self.send("hi", "the password is swordfish")[0], 550)
        with open(os.path.join(self.rules, "91_broken.cf"), "w") as f:
            f.write("# a comment\nbody BROKEN /unclosed\n")
        self.gw.signal(signal.SIGHUP)
        wait_for(lambda: "reload failed" in self.gw.log(), what="failed reload")
        self.assertIn("91_broken.cf:2: body rule BROKEN: regex is not closed by '/'", self.gw.log())
        self.assertEqual(self.send("hi", "the password is swordfish")[0], 550)  # old set still runs
        self.assertEqual(self.send("hi", GTUBE)[0], 550)


if __name__ == "__main__":
    from harness import main
    main()
