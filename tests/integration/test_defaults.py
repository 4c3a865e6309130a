"""SpamAssassin's own layering, end to end through `portcullis scan`: its stock rules, then the
site's local.cf, then the rules compiled into the binary decide which definition and score win;
one key turns the stock rules off. (GTUBE with no options and the system config: test_scan.)"""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN

GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


def scan(*args):
    return subprocess.run([BIN, "scan", "--json", *args], capture_output=True, text=True, timeout=120)


class DefaultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.gtube = os.path.join(cls.dir, "gtube.eml")
        with open(cls.gtube, "w") as f:
            f.write(f"From: a@example.com\nTo: b@example.com\nSubject: test\n\n{GTUBE}\n")
        cls.plain = os.path.join(cls.dir, "plain.eml")
        with open(cls.plain, "w") as f:
            f.write("From: a@example.com\nTo: b@example.com\nSubject: foo\n\nfoo bar\n")
        # A stock directory and a site directory of our own, as SpamAssassin lays them out.
        cls.stock = os.path.join(cls.dir, "stock")
        cls.site = os.path.join(cls.dir, "site")
        os.makedirs(cls.stock)
        os.makedirs(cls.site)
        with open(os.path.join(cls.stock, "50_test.cf"), "w") as f:
            f.write("body T_STOCK_FOO /\\bfoo\\b/\nscore T_STOCK_FOO 1.0\ndescribe T_STOCK_FOO stock\n"
                    "body GTUBE /NOT_GTUBE_AT_ALL/\nscore GTUBE 0.5\n")
        with open(os.path.join(cls.site, "local.cf"), "w") as f:
            f.write("score T_STOCK_FOO 3.5\nbody T_SITE_BAR /\\bbar\\b/\nscore T_SITE_BAR 0.25\n")
        cls.layered = ["-o", "auth.enabled=false", "-o", "dns.servers=127.0.0.1:9", "-o", "dns.attempts=1",
                       "-o", "store=memory:", "-o", "rules.spamassassin=true", "-o", 'rules.paths=["builtin:shipped"]',
                       "-o", "rules.network_tests=false",
                       "-o", f"rules.spamassassin_rules_dir={cls.stock}", "-o", f"rules.spamassassin_site_dir={cls.site}"]

    def symbols(self, r):
        self.assertNotIn(r.returncode, (2, 4), r.stderr)  # any verdict, not a usage or run error
        return {s["name"]: s["score"] for s in json.loads(r.stdout)["symbols"]}

    def test_layering_stock_then_site_then_ours(self):
        syms = self.symbols(scan(*self.layered, self.plain))
        self.assertEqual(syms.get("T_STOCK_FOO"), 3.5)   # the site's score beats the stock one
        self.assertEqual(syms.get("T_SITE_BAR"), 0.25)   # the site's own rule runs
        syms = self.symbols(scan(*self.layered, self.gtube))
        self.assertEqual(syms.get("GTUBE"), 1000.0)      # our definition comes last and wins

    def test_one_key_turns_the_stock_rules_off(self):
        syms = self.symbols(scan(*self.layered, "-o", "rules.spamassassin=false", self.plain))
        self.assertNotIn("T_STOCK_FOO", syms)
        self.assertNotIn("T_SITE_BAR", syms)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
