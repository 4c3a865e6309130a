"""`portcullis scan` runs the same pipeline on a message file and reports it."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN

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


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
