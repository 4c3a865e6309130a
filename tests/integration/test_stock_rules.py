"""The stock SpamAssassin rules Debian installs (/usr/share/spamassassin) load with a per-type
report, and Portcullis fires on the same messages as `spamassassin -L -t` for every rule both
run: at least 92% hit agreement per rule type on the public corpus sample in tests/data."""
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ["PORTCULLIS_BIN"]
STOCK = "/usr/share/spamassassin"
SAMPLE = os.path.join(HERE, "..", "data", "spamassassin-sample")
# Compiled databases are keyed by the patterns, Hyperscan's version and the CPU, not by how
# the gateway was built: scripts/test points both of its builds at one cache, so the
# sanitizer pass loads what the normal pass compiled (about 5 minutes saved).
CACHE = os.environ.get("PORTCULLIS_RULES_CACHE") or os.path.join(os.path.dirname(BIN), "rules-cache")


class StockRulesTest(unittest.TestCase):
    def test_lint_reports_every_type(self):
        out = subprocess.run([BIN, "rules", "lint", "--cache", CACHE, STOCK], stdout=subprocess.PIPE,
                             text=True, timeout=600)
        print(out.stdout)
        self.assertEqual(out.returncode, 0, out.stdout)
        self.assertRegex(out.stdout, r"\d+ files, \d+ rules, 0 errors")
        rows = {m.group(1): [int(x) for x in m.group(2).split()]
                for m in re.finditer(r"(?m)^(header|body|rawbody|uri|full|meta|total)\s+([\d ]+)$", out.stdout)}
        for t in ("header", "body", "rawbody", "uri", "full"):
            defined, direct, prefilter, full_only = rows[t][:4]
            self.assertGreater(direct + prefilter + full_only, 0, t)
            invalid = rows[t][8]
            # Two valid Perl regexes (__FILL_THIS_FORM_LONG1/2: a 3 KB alternation repeated {5})
            # exceed both PCRE2's compiled-size limit (Debian builds it with LINK_SIZE=2) and
            # RE2's repetition limit; anything else failing is a regression.
            self.assertLessEqual(invalid, 2 if t == "body" else 0, f"{t}: every valid Perl regex must run")
        too_large = re.findall(r"(?m)^  (\S+)  \S+$", out.stdout.split("not run: regex:", 1)[1]) if "not run: regex:" in out.stdout else []
        self.assertLessEqual(set(too_large), {"__FILL_THIS_FORM_LONG1", "__FILL_THIS_FORM_LONG2"})
        self.assertGreater(rows["meta"][4], 300)
        # Eval rules whose function is missing are listed by function, with the rules each
        # would enable; the local-rule share is stated with its definition.
        self.assertRegex(out.stdout, r"(?m)^evals still missing \(\d+ functions")
        local = re.search(r"(?m)^(\d+) of (\d+) local rules run \((\d+\.\d)%\)$", out.stdout)
        self.assertIsNotNone(local, out.stdout)
        run, total = int(local.group(1)), int(local.group(2))
        self.assertGreater(total, 500)
        self.assertGreater(run, total // 2)
        self.assertIn("local: not a network test", out.stdout)

    def test_agreement_with_spamassassin(self):
        # 92%, not the 95% a 300-message sample of the whole corpus was held to: the bound is per
        # rule type, and on these 100 messages uri rules hit 13 times, so one disagreement costs
        # 7.7 points (on 300 it cost 2.8). 92 allows that one and fails on a second, about the
        # number of misses 95 allowed on 300. The one today: spam_2/00070's http://1071396130/,
        # a decimal IPv4 host SpamAssassin rewrites to 63.220.53.34 (NORMAL_HTTP_TO_IP) and we
        # do not.
        out = subprocess.run([sys.executable, os.path.join(HERE, "..", "agreement", "sa_agreement.py"),
                              "--corpus", SAMPLE, "--sample", os.environ.get("PORTCULLIS_AGREEMENT_SAMPLE", "0"),
                              "--min", "92"],
                             stdout=subprocess.PIPE, text=True, timeout=900)
        print(out.stdout)
        self.assertEqual(out.returncode, 0, out.stdout)


if __name__ == "__main__":
    from harness import main
    main()
