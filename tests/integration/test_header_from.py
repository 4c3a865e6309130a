"""From ambiguity and malformed header sections through the running proxy (issue 15, item 4).

Every case of espoofer (github.com/chenjj/espoofer, testcases.py: the 19 server cases and the 3
client cases of "Composition Kills", Chen, Paxson and Jiang, USENIX Security 2020) is sent
through the proxy with a DNS server on loopback. Names follow the paper: `legitimate.test`
publishes p=reject, `attack.test` is the attacker's domain (SPF and DMARC p=none, a DKIM key).
The messages are written here from the paper's descriptions; nothing is copied from the tool.

| id        | paper                        | what the attacker sends                                     | expected here |
|-----------|------------------------------|-------------------------------------------------------------|---------------|
| server_a1 | A1, non-existent subdomain   | MAIL FROM any@notexist.legitimate; From admin@legitimate    | 550 DMARC     |
| server_a2 | A2, empty MAIL FROM          | MAIL FROM <(any@legitimate.test>                            | refused       |
| server_a3 | A3, NUL ambiguity            | DKIM s= with a NUL after the attacker's key name            | refused (NUL) |
| server_a4 | A4, DKIM AR injection (')    | DKIM d=legitimate.test'a.attack.test, valid signature       | 550 DMARC     |
| server_a5 | A5, SPF AR injection ( ( )   | MAIL FROM any@legitimate.test(a.attack.test                 | refused / 550 |
| server_a6 | Fig. 5(f), SPF injection (') | MAIL FROM any@legitimate.test'@any.attack.test              | refused / 550 |
| server_a7 | A5 variant, route            | MAIL FROM <@legitimate.test,@any.test:'any@attack.test>     | refused / 550 |
| server_a8 | Fig. 6(a), two From fields   | From attack, From legitimate                                | 550 ambiguous |
| server_a9 | 5.1, From with space before  | " From: attack" then From legitimate                        | 550 ambiguous |
| server_a10| Fig. 6(c), space after name  | From attack, "From : legitimate"                            | 550 ambiguous |
| server_a11| Fig. 6(b), folded From       | "From\\r\\n : attack", From legitimate                      | 550 ambiguous |
| server_a12| Fig. 6(d), From vs Sender    | folded From attack, malformed line, Sender legitimate       | 550 ambiguous |
| server_a13| 5.1, From vs Resent-From     | folded From attack, malformed line, Resent-From legitimate  | 550 ambiguous |
| server_a14| Fig. 8(a), two addresses     | From: <attack>, <legitimate>                                | 550 ambiguous |
| server_a15| Fig. 8(b), encoded address   | From: =?utf-8?b?<legitimate>?=,<attack>                     | 550 ambiguous |
| server_a16| Fig. 8(c), route portion     | From: <@attack.test,@any.test:admin@legitimate.test>        | 550 ambiguous |
| server_a17| Fig. 8(d), quoted pair       | From: <legitimate>\\,<attack>                               | 550 ambiguous |
| server_a18| Fig. 8(e), special characters| From: admin@legitimate.test,<second@attack.test>            | 550 ambiguous |
| server_a19| Fig. 8(f), display name      | From: <any@attack.test>admin@legitimate.test                | 550 ambiguous |
| client_a1 | 6.2, account: two From       | signed by the provider: From attacker, From admin (same dom)| DMARC_MULTIPLE_FROM |
| client_a2 | 6.2, account: two addresses  | signed by the provider: From: <attacker>, <admin>           | DMARC_MULTIPLE_FROM |
| client_a3 | 6.2, account: other user     | signed by the provider: From admin (same domain)            | pass (DMARC cannot tell) |

Beyond the table: the issue's own report (a malformed first line hiding From), a From folded
before its colon on its own, an encoded-word From on its own, and a header rule that must still
see the headers after a malformed first line.
"""
import base64
import json
import os
import re
import subprocess
import tempfile
import unittest

import dkim

from dns_server import DnsServer
from harness import BIN, Gateway

LEGIT = "legitimate.test"
ATTACK = "attack.test"
PROVIDER = "provider.test"
WEIRD_D = f"{LEGIT}'a.{ATTACK}"  # server_a4's d=


def b64word(text):
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


REST = ("To: <victim@example.com>\r\nSubject: {subject}\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
        "Message-ID: <{subject}@message-ids.attack.test>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=\"UTF-8\"\r\n")
BODY = "\r\nHi, this is a test message! Best wishes.\r\n"

# (id, MAIL FROM, header lines above the common ones, extra header lines below them)
HEADER_CASES = [
    ("server_a8", f"any@{ATTACK}", f"From: <first@{ATTACK}>\r\nFrom: <admin@{LEGIT}>\r\n", ""),
    ("server_a9", f"any@{ATTACK}", f" From: <first@{ATTACK}>\r\nFrom: <admin@{LEGIT}>\r\n", ""),
    ("server_a10", f"any@{ATTACK}", f"From: <first@{ATTACK}>\r\nFrom : <admin@{LEGIT}>\r\n", ""),
    ("server_a11", f"any@{ATTACK}", f"From\r\n : <first@{ATTACK}>\r\nFrom: <admin@{LEGIT}>\r\n", ""),
    ("server_a12", f"any@{ATTACK}", f"From\r\n : <first@{ATTACK}>\r\nn\r\n", f"Sender: <admin@{LEGIT}>\r\n"),
    ("server_a13", f"any@{ATTACK}", f"From\r\n : <first@{ATTACK}>\r\nn\r\n", f"Resent-From: <admin@{LEGIT}>\r\n"),
    ("server_a14", f"any@{ATTACK}", f"From: <first@{ATTACK}>, <admin@{LEGIT}>\r\n", ""),
    ("server_a15", f"any@{ATTACK}", f"From:{b64word(f'<admin@{LEGIT}>')},<second@{ATTACK}>\r\n", ""),
    ("server_a16", f"any@{ATTACK}", f"From: <@{ATTACK},@any.test:admin@{LEGIT}>\r\n", ""),
    ("server_a17", f"any@{ATTACK}", f"From: <admin@{LEGIT}>\\,<second@{ATTACK}>\r\n", ""),
    ("server_a18", f"any@{ATTACK}", f"From: admin@{LEGIT},<second@{ATTACK}>\r\n", ""),
    ("server_a19", f"any@{ATTACK}", f"From: <any@{ATTACK}>admin@{LEGIT}\r\n", ""),
]


def rsa_key(tmp, domain, selector):
    subprocess.run(["opendkim-genkey", "-D", tmp, "-d", domain, "-s", selector, "-b", "1024"], check=True)
    with open(os.path.join(tmp, f"{selector}.private"), "rb") as f:
        private = f.read()
    with open(os.path.join(tmp, f"{selector}.txt")) as f:
        record = "".join(f.read().split('"')[1::2])
    return private, record


def build(case_id, top, below=""):
    return (top + REST.format(subject=case_id) + below + BODY).encode()


class HeaderFromTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="portcullis-from-")
        cls.attack_key, attack_record = rsa_key(cls.tmp, ATTACK, "sel")
        cls.provider_key, provider_record = rsa_key(cls.tmp, PROVIDER, "prov")
        cls.dns = DnsServer({
            LEGIT: [("TXT", "v=spf1 ip4:192.0.2.1 -all"), ("A", "192.0.2.1")],
            f"_dmarc.{LEGIT}": [("TXT", "v=DMARC1; p=reject")],
            ATTACK: [("TXT", "v=spf1 ip4:192.0.2.66 ip4:127.0.0.0/8 -all"), ("A", "192.0.2.66")],
            f"_dmarc.{ATTACK}": [("TXT", "v=DMARC1; p=none")],
            f"sel._domainkey.{ATTACK}": [("TXT", attack_record)],
            # server_a4: the attacker owns every name under attack.test, this odd one included.
            f"sel._domainkey.{WEIRD_D}": [("TXT", attack_record)],
            PROVIDER: [("TXT", "v=spf1 -all")],
            f"_dmarc.{PROVIDER}": [("TXT", "v=DMARC1; p=reject")],
            f"prov._domainkey.{PROVIDER}": [("TXT", provider_record)],
        })
        rules = os.path.join(cls.tmp, "rules")
        os.mkdir(rules)
        with open(os.path.join(rules, "test.cf"), "w") as f:
            f.write("header TEST_SUBJECT_SEEN Subject =~ /seen by rules/\nscore TEST_SUBJECT_SEEN 0.5\n")
        # Reputation off: the many rejected messages here must not make a later one a score reject.
        cls.gw = Gateway(overrides=[f"dns.servers={cls.dns.address}", "dns.timeout=0.5", "reputation.enabled=false",
                                    f'rules.paths="{rules}"', f'rules.cache_dir="{cls.tmp}/cache"'])

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.dns.stop()

    def transaction(self, mail_from, msg):
        """(stage, code, text, symbols): stage is "mail", "data" or "end"; symbols from the log."""
        before = self.gw.log().count(" action=")
        c = self.gw.client()
        try:
            c.banner_and_ehlo()
            code, text = c.cmd(f"MAIL FROM:<{mail_from}>" if not mail_from.startswith("<") else f"MAIL FROM:{mail_from}")
            if code != 250:
                return "mail", code, text, []
            code, text = c.cmd("RCPT TO:<victim@example.com>")
            self.assertEqual(code, 250, text)
            code, text = c.cmd("DATA")
            self.assertEqual(code, 354, text)
            c.send(msg + b"\r\n.\r\n")
            code, text = c.reply()
        finally:
            c.close()
        lines = [l for l in self.gw.log().splitlines() if " action=" in l]
        symbols = []
        if len(lines) > before:
            m = re.search(r" symbols=(\S*)", lines[-1])
            symbols = re.findall(r"([A-Z0-9_]+)\(", m.group(1)) if m else []
        return "end", code, text, symbols

    def assert_dmarc_reject(self, case_id, stage, code, text, symbols):
        self.assertEqual((stage, code), ("end", 550), f"{case_id}: {code} {text} {symbols}")
        self.assertIn("5.7.1", text, case_id)
        self.assertIn("DMARC_POLICY_REJECT", symbols, case_id)

    def test_header_ambiguity_cases(self):
        for case_id, mail_from, top, below in HEADER_CASES:
            with self.subTest(case=case_id):
                stage, code, text, symbols = self.transaction(mail_from, build(case_id, top, below))
                self.assert_dmarc_reject(case_id, stage, code, text, symbols)
                self.assertIn("DMARC_FROM_AMBIGUOUS", symbols, case_id)

    def test_issue_malformed_first_line(self):
        # The issue's report: "X Mailer: 1" above a p=reject From, with the attacker's SPF pass.
        stage, code, text, symbols = self.transaction(
            f"any@{ATTACK}", build("issue", f"X Mailer: 1\r\nFrom: <admin@{LEGIT}>\r\n"))
        self.assert_dmarc_reject("issue", stage, code, text, symbols)
        self.assertNotIn("DMARC_MISSING_FROM", symbols)

    def test_from_space_colon_on_first_line(self):
        # "From : x" first: not an mbox "From " line to drop, a From field.
        stage, code, text, symbols = self.transaction(
            f"any@{ATTACK}", build("first", f"From : <admin@{LEGIT}>\r\n"))
        self.assert_dmarc_reject("first", stage, code, text, symbols)

    def test_folded_from_alone(self):
        stage, code, text, symbols = self.transaction(
            f"any@{ATTACK}", build("folded", f"From\r\n : <admin@{LEGIT}>\r\n"))
        self.assert_dmarc_reject("folded", stage, code, text, symbols)

    def test_encoded_word_address_alone(self):
        stage, code, text, symbols = self.transaction(
            f"any@{ATTACK}", build("encoded", f"From: {b64word(f'<admin@{LEGIT}>')}\r\n"))
        self.assert_dmarc_reject("encoded", stage, code, text, symbols)
        self.assertIn("DMARC_FROM_AMBIGUOUS", symbols)

    def test_header_rule_sees_fields_after_malformed_first_line(self):
        msg = ("X Mailer: 1\r\nFrom: <someone@example.org>\r\nTo: <victim@example.com>\r\n"
               "Subject: seen by rules\r\n\r\nhello\r\n").encode()
        stage, code, text, symbols = self.transaction("someone@example.org", msg)
        self.assertEqual((stage, code), ("end", 250), text)
        self.assertIn("TEST_SUBJECT_SEEN", symbols)

    def test_issue_report_with_spf_pass_in_scan(self):
        # The issue's exact setup: SPF passes for the attacker's domain (libspf2 does not
        # evaluate loopback clients, so `portcullis scan` gives the client address).
        path = os.path.join(self.tmp, "issue.eml")
        with open(path, "wb") as f:
            f.write(build("issue-scan", f"X Mailer: 1\r\nFrom: <admin@{LEGIT}>\r\n"))
        r = subprocess.run([BIN, "scan", "--json", "--config", self.gw.config, "-o", f"dns.servers={self.dns.address}",
                            "--client-ip", "192.0.2.66", "--helo", f"mail.{ATTACK}", "--mail-from", f"any@{ATTACK}",
                            "--rcpt", "victim@example.com", path], capture_output=True, text=True, timeout=60)
        report = json.loads(r.stdout.splitlines()[0])
        names = [s["name"] for s in report["symbols"]]
        self.assertIn("SPF_PASS", names)
        self.assertIn("DMARC_POLICY_REJECT", names)
        self.assertEqual(report["action"], "reject")

    def test_envelope_and_dkim_cases(self):
        plain_from = f"From: <admin@{LEGIT}>\r\n"
        # server_a1: a MAIL FROM subdomain that does not exist.
        r = self.transaction(f"any@mailfrom.notexist.{LEGIT}", build("server_a1", plain_from))
        self.assert_dmarc_reject("server_a1", *r)
        # server_a2, a5, a6, a7: MAIL FROM text meant to confuse the SPF identity or the
        # Authentication-Results it is written into. Refused at MAIL, or DMARC rejects.
        for case_id, mail_from in [("server_a2", f"<(any@{LEGIT}>"),
                                   ("server_a5", f"<any@{LEGIT}(a.{ATTACK}>"),
                                   ("server_a6", f"<any@{LEGIT}'@any.{ATTACK}>"),
                                   ("server_a7", f"<@{LEGIT},@any.test:'any@{ATTACK}>")]:
            with self.subTest(case=case_id):
                stage, code, text, symbols = self.transaction(mail_from, build(case_id, plain_from))
                if stage == "mail":
                    self.assertTrue(500 <= code < 600, f"{case_id}: {code} {text}")
                else:
                    self.assert_dmarc_reject(case_id, stage, code, text, symbols)
        # server_a3: a NUL in the DKIM selector. SMTP refuses the NUL before anything parses it.
        sig = (f"DKIM-Signature: v=1; a=rsa-sha256; d={LEGIT}; s=sel._domainkey.{ATTACK}.\x00.any; "
               "h=from; bh=AAAA; b=AAAA\r\n")
        stage, code, text, _ = self.transaction(f"any@{ATTACK}", build("server_a3", sig + plain_from))
        self.assertTrue(code >= 500, f"server_a3: {code} {text}")
        # server_a4: a valid signature whose d= carries a quote and the attacker's domain.
        msg = build("server_a4", plain_from)
        signed = dkim.sign(msg, b"sel", WEIRD_D.encode(), self.attack_key,
                           include_headers=[b"from", b"to", b"subject"]) + msg
        self.assert_dmarc_reject("server_a4", *self.transaction(f"any@{ATTACK}", signed))

    def test_client_account_cases(self):
        # The attacker has an account at the provider, which signs whatever the account sends.
        def signed(case_id, top):
            msg = build(case_id, top)
            return dkim.sign(msg, b"prov", PROVIDER.encode(), self.provider_key,
                             include_headers=[b"from", b"to", b"subject"]) + msg

        for case_id, top in [("client_a1", f"From: <attacker@{PROVIDER}>\r\nFrom: <admin@{PROVIDER}>\r\n"),
                             ("client_a2", f"From: <attacker@{PROVIDER}>, <admin@{PROVIDER}>\r\n")]:
            with self.subTest(case=case_id):
                stage, code, text, symbols = self.transaction(f"attacker@{PROVIDER}", signed(case_id, top))
                self.assertIn("DMARC_MULTIPLE_FROM", symbols, f"{case_id}: {code} {text}")
        # client_a3: another user of the same domain; DMARC only speaks for domains.
        stage, code, text, symbols = self.transaction(f"attacker@{PROVIDER}",
                                                      signed("client_a3", f"From: <admin@{PROVIDER}>\r\n"))
        self.assertEqual(code, 250, text)
        self.assertIn("DMARC_PASS", symbols)
        self.assertNotIn("DMARC_FROM_AMBIGUOUS", symbols)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
