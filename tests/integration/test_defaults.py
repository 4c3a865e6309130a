"""Out of the box: with no --config, `portcullis scan` reads the system's config file when there
is one, else the built-in defaults, which load SpamAssassin's stock rules (where installed) and
the rules compiled into the binary; SpamAssassin's own layering (stock, then site config, then
ours) decides which definition and score win; one key turns the stock rules off."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, require_peer

HERE = os.path.dirname(os.path.abspath(__file__))
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


def scan(*args, env_extra=None):
    env = dict(os.environ)
    env.setdefault("PORTCULLIS_SYSTEM_CONFIG", "")
    env.update(env_extra or {})
    return subprocess.run([BIN, "scan", "--json", *args], capture_output=True, text=True, timeout=900, env=env)


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
                       "-o", "store=memory:", "-o", f'rules.spamassassin_dirs=["{cls.stock}", "{cls.site}"]']

    def symbols(self, r):
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return {s["name"]: s["score"] for s in json.loads(r.stdout)["symbols"]}

    @require_peer(os.path.isdir("/usr/share/spamassassin") and shutil.which("spamassassin"), "spamassassin")
    def test_gtube_rejected_with_no_options(self):
        r = scan("-o", "dns.servers=127.0.0.1:9", "-o", "dns.attempts=1", self.gtube)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["action"], "reject")
        names = {s["name"] for s in out["symbols"]}
        self.assertIn("GTUBE", names)
        # Stock SpamAssassin rules ran too (MISSING_DATE is only in the stock set).
        self.assertIn("MISSING_DATE", names)

    def test_system_config_is_read_when_present(self):
        conf = os.path.join(self.dir, "system.toml")
        with open(conf, "w") as f:
            f.write('store = "memory:"\n[verdict]\nreject = 5000.0\n[rules]\nspamassassin = false\n[auth]\nenabled = false\n')
        r = scan(self.gtube, env_extra={"PORTCULLIS_SYSTEM_CONFIG": conf})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotEqual(json.loads(r.stdout)["action"], "reject")

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
