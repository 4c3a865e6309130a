"""`portcullis scan` runs the same pipeline on a message file and reports it."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, RULES_CACHE, SYSTEM_CONFIG

# 100 messages of the SpamAssassin public corpus (tests/data/spamassassin-sample/README.md).
SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "spamassassin-sample")


def scan(*args, stdin=None):
    # Authentication has its own tests (test_auth.py); these are about the other checks.
    # No rules unless a test names some: the built-in defaults' rule set has its own test.
    r = subprocess.run([BIN, "scan", "-o", "auth.enabled=false", "-o", "dns.servers=127.0.0.1:9", "-o", "dns.attempts=1", "-o", "store=memory:",
                        "-o", "rules.spamassassin=false", "-o", "rules.paths=[]", *args], input=stdin, capture_output=True, timeout=30)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


class ScanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.msg = os.path.join(cls.dir, "msg.eml")
        with open(cls.msg, "w") as f:
            f.write("From a@sender.test Mon Nov 23 00:00:00 2026\nFrom: a@sender.test\nSubject: hi\n\nbody\n")
        cls.list = os.path.join(cls.dir, "access.cidr")
        with open(cls.list, "w") as f:
            f.write("192.0.2.0/24 deny Listed\n198.51.100.0/24 allow\n")
        cls.base = ["-o", "relay_domains=example.com", "-o", f"client_access.file={cls.list}"]

    def test_clean_message_is_accepted(self):
        code, out, err = scan(*self.base, "--json", "--client-ip", "203.0.113.5", "--rcpt", "bob@example.com", self.msg)
        self.assertEqual(code, 0, err)
        r = json.loads(out)
        self.assertEqual(r["action"], "accept")
        self.assertEqual(r["score"], 0)
        self.assertEqual(r["symbols"], [])
        self.assertEqual(r["headers"][0]["name"], "X-Spam-Status")

    def test_denylisted_client_is_rejected(self):
        code, out, _ = scan(*self.base, "--json", "--client-ip", "192.0.2.9", self.msg)
        self.assertEqual(code, 1)
        r = json.loads(out)
        self.assertEqual(r["action"], "reject")
        self.assertEqual(r["decided_by"], "CLIENT_DENYLISTED")
        self.assertEqual(r["reply"]["code"], 554)
        self.assertEqual([s["name"] for s in r["symbols"]], ["CLIENT_DENYLISTED"])
        self.assertIn(f"{self.list}:1", r["symbols"][0]["reason"])

    def test_allowlisted_client_scores_negative_in_text_report(self):
        code, out, _ = scan(*self.base, "--client-ip", "198.51.100.1", "--rcpt", "bob@example.com", self.msg)
        self.assertEqual(code, 0)
        self.assertIn("action: accept", out)
        self.assertIn("CLIENT_ALLOWLISTED   -5.00  [connect]", out)

    def test_relay_refusal_and_thresholds_from_command_line(self):
        code, out, _ = scan(*self.base, "--json", "--rcpt", "bob@elsewhere.test", self.msg)
        self.assertEqual(code, 1)
        self.assertIn("Relay access denied", json.loads(out)["reply"]["text"])
        # add_headers at -10: an allowlisted client (-5) is "spam" by that measure -> status 3.
        code, out, _ = scan(*self.base, "-o", "verdict.add_headers=-10", "--json", "--client-ip",
                            "198.51.100.1", "--rcpt", "bob@example.com", self.msg)
        self.assertEqual(code, 3)
        self.assertEqual(json.loads(out)["action"], "add_headers")

    def test_disguised_executable_is_flagged_and_rejected_by_threshold(self):
        msg = (b"From: a@sender.test\r\nSubject: invoice\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
               b"--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
               b"Content-Type: application/pdf; name=\"invoice.pdf.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
               b"TVqQAAMAAAAEAAAA\r\n--b--\r\n")
        code, out, _ = scan(*self.base, "--json", "-", stdin=msg)
        r = json.loads(out)
        names = {s["name"]: s["score"] for s in r["symbols"]}
        self.assertEqual(names, {"ATTACHMENT_EXECUTABLE": 4.0, "ATTACHMENT_DANGEROUS_NAME": 4.0,
                                 "ATTACHMENT_TYPE_MISMATCH": 2.0})
        self.assertEqual((code, r["action"]), (3, "add_headers"))  # 10 >= add_headers 6
        code, out, _ = scan(*self.base, "-o", "verdict.reject=9", "--json", "-", stdin=msg)
        self.assertEqual((code, json.loads(out)["action"]), (1, "reject"))

    def test_stdin_several_files_and_errors(self):
        code, out, _ = scan(*self.base, "--json", "-", self.msg, stdin=b"Subject: x\r\n\r\ny\r\n")
        self.assertEqual(code, 0)
        self.assertEqual(len(out.strip().split("\n")), 2)
        code, _, err = scan(*self.base, "/nonexistent.eml")
        self.assertEqual(code, 4)
        self.assertIn("cannot open", err)
        code, _, err = scan("--client-ip", "not-an-ip", self.msg)
        self.assertEqual(code, 4)
        code, _, err = scan("-o", "smtp.max_errors=x", self.msg)
        self.assertEqual(code, 4)
        self.assertIn("smtp.max_errors", err)

    def test_real_corpus_messages_parse(self):
        files = sorted(os.path.join(root, n) for root, _, names in os.walk(SAMPLE) for n in names
                       if n not in ("LICENSE", "NOTICE", "README.md"))
        self.assertEqual(len(files), 100)
        code, out, err = scan(*self.base, "--json", *files)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.strip().split("\n")), len(files))


GTUBE = ("From: a@sender.test\nTo: b@example.com\nSubject: test\n\n"
         "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n")


class DefaultsTest(unittest.TestCase):
    """With no --config: the system config when it exists, else the built-in defaults, which
    include the shipped rules (compiled into the binary) and SpamAssassin's when installed."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.gtube = os.path.join(cls.dir, "gtube.eml")
        with open(cls.gtube, "w") as f:
            f.write(GTUBE)

    def run_scan(self, *args, system_config, cwd=None, timeout=30):
        env = dict(os.environ, PORTCULLIS_SYSTEM_CONFIG=system_config)
        if cwd:
            # The default rules cache is under $XDG_CACHE_HOME: share the suite's, so the stock
            # set compiles once per build tree, not once per run.
            os.makedirs(os.path.join(cwd, "cache", "portcullis"), exist_ok=True)
            link = os.path.join(cwd, "cache", "portcullis", "rules")
            if not os.path.lexists(link):
                os.makedirs(RULES_CACHE, exist_ok=True)
                os.symlink(os.path.abspath(RULES_CACHE), link)
            env["XDG_CACHE_HOME"] = os.path.join(cwd, "cache")
        r = subprocess.run([BIN, "scan", *args], env=env, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout)
        return r.returncode, r.stdout, r.stderr

    def test_gtube_is_rejected_out_of_the_box(self):
        # No config anywhere and no option about rules or verdicts; only DNS is kept off the
        # real network, as in every test. The stock SpamAssassin set compiles cold in minutes.
        cwd = tempfile.mkdtemp()
        code, out, err = self.run_scan("-o", "dns.servers=127.0.0.1:9", "-o", "dns.attempts=1",
                                       "--json", self.gtube, system_config=os.path.join(cwd, "absent.toml"),
                                       cwd=cwd, timeout=1800)
        self.assertEqual(code, 1, err)
        report = json.loads(out)
        self.assertEqual(report["action"], "reject")
        self.assertIn("GTUBE", [s["name"] for s in report["symbols"]])
        if os.path.isdir("/usr/share/spamassassin"):
            # SpamAssassin's stock rules ran too: NO_RECEIVED (20_head_tests.cf) fires on a
            # message with no Received field, which the shipped set has no rule for.
            names = [s["name"] for s in report["symbols"]]
            self.assertIn("NO_RECEIVED", names, out)

    def test_system_config_is_read_when_it_exists(self):
        d = tempfile.mkdtemp()
        system = os.path.join(d, "portcullis.toml")
        with open(system, "w") as f:
            f.write("[rules]\npaths = []\nspamassassin = false\n")
        # Its [rules] leave no rules: GTUBE passes, which only that file can have decided.
        code, out, err = self.run_scan("-o", "auth.enabled=false", "-o", "store=memory:", "--json",
                                       self.gtube, system_config=system)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["symbols"], [])
        # --config FILE replaces the system config altogether.
        other = os.path.join(d, "other.toml")
        with open(other, "w") as f:
            f.write('store = "memory:"\n[auth]\nenabled = false\n[rules]\nspamassassin = false\n')
        code, out, err = self.run_scan("--config", other, "--json", self.gtube, system_config=system)
        self.assertEqual(code, 1, err)

    def test_local_tests_only_like_spamassassin_L(self):
        # rules.network_tests=false: score set 0 (SpamAssassin's -L), GTUBE still rejected.
        code, out, err = self.run_scan("-o", "auth.enabled=false", "-o", "store=memory:",
                                       "-o", "rules.paths=builtin:shipped", "-o", "rules.network_tests=false",
                                       "--json", self.gtube, system_config=SYSTEM_CONFIG)
        self.assertEqual(code, 1, err)
        code, _, err = self.run_scan("-o", "rules.score_set=7", self.gtube, system_config=SYSTEM_CONFIG)
        self.assertEqual(code, 4)
        self.assertIn("rules.score_set must be \"auto\" or an integer from 0 to 3", err)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
