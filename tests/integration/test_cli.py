"""The command line: check-config names file and line, version, usage errors."""
import os
import subprocess
import tempfile
import unittest

from harness import BIN, SYSTEM_CONFIG

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")


def run(*args, cwd=None):
    r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=30, cwd=cwd)
    return r.returncode, r.stdout, r.stderr


class CliTest(unittest.TestCase):
    def test_shipped_config_is_valid(self):
        # Its relative paths (./var, ./rules/shipped) are for `scripts/run` in the repository.
        path = os.path.join(REPO, "packaging/portcullis.toml")
        # SpamAssassin's stock set (on in it) would compile for minutes on a cold cache; its
        # loading has tests of its own (test_scan.py, test_stock_rules.py).
        code, out, err = run("check-config", path, "-o", "rules.spamassassin=false", cwd=REPO)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, f"{path}: OK\n")

    def test_check_config_reports_every_error_with_line(self):
        d = tempfile.mkdtemp()
        cfg = os.path.join(d, "bad.toml")
        lst = os.path.join(d, "list.cidr")
        with open(lst, "w") as f:
            f.write("192.0.2.0/24 deny\n192.0.2.1/24 deny\n")
        with open(cfg, "w") as f:
            f.write(f'listen = ["127.0.0.1:2525"]\n[smtp]\nmax_recipients = 0\n[client_access]\nfile = "{lst}"\n')
        code, _, err = run("check-config", cfg)
        self.assertEqual(code, 1)
        self.assertIn(f"{cfg}:3: 'smtp.max_recipients' must be an integer from 1 to 100000", err)
        # With the config fixed by an override, the list file's own error is reported.
        code, _, err = run("check-config", cfg, "-o", "smtp.max_recipients=5")
        self.assertEqual(code, 1)
        self.assertIn(f"{lst}:2: '192.0.2.1/24' is not an IPv4/IPv6 address or network", err)

    def test_warning_for_no_relay_domains(self):
        d = tempfile.mkdtemp()
        cfg = os.path.join(d, "empty.toml")
        open(cfg, "w").close()
        # The stock set is on by default; compiling it on a cold cache takes a minute.
        code, out, err = run("check-config", cfg, "-o", "rules.spamassassin=false")
        self.assertEqual(code, 0)
        self.assertIn("warning: relay_domains is empty", err)

    def test_check_config_without_a_file(self):
        # The system config when it exists (the suite's, see harness.py), else the defaults.
        code, out, err = run("check-config")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, f"{SYSTEM_CONFIG}: OK\n")
        env = dict(os.environ, PORTCULLIS_SYSTEM_CONFIG=os.path.join(tempfile.mkdtemp(), "absent.toml"))
        r = subprocess.run([BIN, "check-config", "-o", "rules.spamassassin=false"], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "built-in defaults: OK\n")

    def test_rules_lint_reads_the_configured_set(self):
        # No paths: the gateway's set. Here the built-in shipped set alone.
        code, out, err = run("rules", "lint", "-o", 'rules.paths="builtin:shipped"', "-o", "rules.cache_dir=")
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"^\d+ files, \d+ rules, 0 errors")
        self.assertRegex(out, r"(?m)^\d+ of \d+ local rules run")
        code, out, err = run("rules", "lint", "--json", "-o", 'rules.paths="builtin:shipped"', "-o", "rules.cache_dir=")
        self.assertEqual(code, 0, err)
        import json
        report = json.loads(out)
        self.assertGreater(report["rules"], 5)
        self.assertEqual(report["local_rules"], report["local_rules_run"])
        code, _, err = run("rules", "lint", "-o", 'rules.paths="builtin:nosuch"')
        self.assertEqual(code, 4)
        self.assertIn("no built-in rule set 'builtin:nosuch'", err)

    def test_version_and_usage(self):
        code, out, _ = run("version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^portcullis \d+\.\d+\.\d+\n$")
        code, _, err = run("frobnicate")
        self.assertEqual(code, 2)
        self.assertIn("unknown command 'frobnicate'", err)
        code, _, err = run("run", "-o", "novalue")
        self.assertEqual(code, 2)
        self.assertIn("-o expects key=value", err)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
