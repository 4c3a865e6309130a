"""SPF, DKIM, DMARC and Authentication-Results, end to end, against a DNS server on loopback.

DKIM: messages signed with test keys (RSA made by opendkim-genkey, ed25519 by PyNaCl) and then
tampered with; every verdict is compared with dkimpy's (an independent verifier) given the same
DNS. DMARC: reject / quarantine / pass through the real proxy. The header is parsed back with
python3-authres, and `portcullis scan` must print the same results as the proxy adds.
"""
import base64
import json
import os
import subprocess
import tempfile
import unittest

import authres
import dkim
import nacl.signing

from dns_server import DnsServer
from harness import BIN, Gateway, send_message, wait_for

DOMAIN = "example.test"


def rsa_key(tmp):
    subprocess.run(["opendkim-genkey", "-D", tmp, "-d", DOMAIN, "-s", "rsa", "-b", "2048"], check=True)
    with open(os.path.join(tmp, "rsa.private"), "rb") as f:
        private = f.read()
    with open(os.path.join(tmp, "rsa.txt")) as f:
        text = f.read()
    # rsa.txt: rsa._domainkey IN TXT ( "v=DKIM1; h=sha256; k=rsa; " "p=..." "..." ) ; comment
    record = "".join(part for part in text.split('"')[1::2])
    return private, record


def ed25519_key():
    sk = nacl.signing.SigningKey.generate()
    private = base64.b64encode(bytes(sk))
    public = base64.b64encode(bytes(sk.verify_key)).decode()
    return private, f"v=DKIM1; k=ed25519; p={public}"


def base_message(frm=f"alice@{DOMAIN}", subject="quarterly report"):
    return (f"From: Alice <{frm}>\r\nTo: bob@example.com\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@{DOMAIN}>\r\n\r\n"
            "Numbers attached.\r\nRegards,\r\nAlice\r\n").encode()


def sign(msg, selector, key, alg=b"rsa-sha256", canon=(b"relaxed", b"simple"), length=False):
    sig = dkim.sign(msg, selector.encode(), DOMAIN.encode(), key, canonicalize=canon,
                    signature_algorithm=alg, include_headers=[b"from", b"to", b"subject", b"date"],
                    length=length)
    return sig + msg


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="portcullis-auth-")
        cls.rsa_private, rsa_record = rsa_key(cls.tmp)
        cls.ed_private, ed_record = ed25519_key()
        cls.zone = {
            DOMAIN: [("TXT", "v=spf1 ip4:192.0.2.1 -all"), ("A", "192.0.2.1")],
            f"rsa._domainkey.{DOMAIN}": [("TXT", rsa_record)],
            f"ed._domainkey.{DOMAIN}": [("TXT", ed_record)],
            f"revoked._domainkey.{DOMAIN}": [("TXT", "v=DKIM1; k=rsa; p=")],
            f"slow._domainkey.{DOMAIN}": [("TIMEOUT", None)],
            f"_dmarc.{DOMAIN}": [("TXT", "v=DMARC1; p=reject")],
            "quarantine.test": [("TXT", "v=spf1 -all")],
            "_dmarc.quarantine.test": [("TXT", "v=DMARC1; p=quarantine")],
            "relaxed.test": [("TXT", "v=spf1 ip4:127.0.0.1 -all")],
            "_dmarc.relaxed.test": [("TXT", "v=DMARC1; p=reject; aspf=r")],
            "_dmarc.timeout.test": [("TIMEOUT", None)],
            # An unusable record at the From domain counts as none: the org domain's applies.
            f"_dmarc.bad.{DOMAIN}": [("TXT", "v=DMARC1; p=bogus")],
            "timeout.test": [("TIMEOUT", None)],
        }
        cls.dns = DnsServer(cls.zone)

    @classmethod
    def tearDownClass(cls):
        cls.dns.stop()

    def dnsfunc(self, name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        for t, v in self.zone.get(name.rstrip(".").lower(), []):
            if t == "TIMEOUT":
                raise dkim.DnsTimeoutError()
            if t == "TXT":
                return v.encode()
        return None

    def scan(self, msg, ip="192.0.2.1", mail_from=f"alice@{DOMAIN}", helo=f"mail.{DOMAIN}"):
        path = os.path.join(self.tmp, "msg.eml")
        with open(path, "wb") as f:
            f.write(msg)
        r = subprocess.run([BIN, "scan", "--json", "-o", "hostname=gw.test", "-o", "store=memory:", "-o", f"dns.servers={self.dns.address}",
                            "-o", "rules.spamassassin=false", "-o", "rules.paths=[]",
                            "-o", "dns.timeout=0.3", "-o", "dns.attempts=1", "-o", "relay_domains=example.com",
                            "--client-ip", ip, "--helo", helo, "--mail-from", mail_from,
                            "--rcpt", "bob@example.com", path], capture_output=True, text=True, timeout=60)
        self.assertIn(r.returncode, (0, 1, 2, 3), r.stderr)
        return json.loads(r.stdout.splitlines()[0])

    def auth_results(self, report):
        for h in report["headers"]:
            if h["name"] == "Authentication-Results":
                return h["value"]
        self.fail("no Authentication-Results in " + json.dumps(report))

    def dkim_results(self, value):
        parsed = authres.AuthenticationResultsHeader.parse("Authentication-Results: " + value)
        self.assertEqual(parsed.authserv_id, "gw.test")
        return [r.result for r in parsed.results if r.method == "dkim"]

    def test_dkim_agrees_with_dkimpy(self):
        good = sign(base_message(), "rsa", self.rsa_private)
        cases = {
            "rsa relaxed/simple": good,
            "rsa simple/simple": sign(base_message(), "rsa", self.rsa_private, canon=(b"simple", b"simple")),
            "rsa relaxed/relaxed": sign(base_message(), "rsa", self.rsa_private, canon=(b"relaxed", b"relaxed")),
            "ed25519": sign(base_message(), "ed", self.ed_private, alg=b"ed25519-sha256"),
            "body tampered": good.replace(b"Numbers attached.", b"Numbers attacked."),
            "signed header tampered": good.replace(b"Subject: quarterly report", b"Subject: quarterly refund"),
            "unsigned header added": good.replace(b"To: bob", b"X-Added: yes\r\nTo: bob"),
            "l= with text appended": sign(base_message(), "rsa", self.rsa_private, length=True) + b"P.S. appended\r\n",
            "key revoked": sign(base_message(), "revoked", self.rsa_private),
            "key missing": sign(base_message(), "missing", self.rsa_private),
            "key DNS timeout": sign(base_message(), "slow", self.rsa_private),
            "unsigned": base_message(),
        }
        seen = {}
        for name, msg in cases.items():
            theirs = dkim.verify(msg, dnsfunc=self.dnsfunc) if b"DKIM-Signature" in msg else None
            ours = self.dkim_results(self.auth_results(self.scan(msg)))
            seen[name] = (ours, theirs)
            if theirs is None:
                self.assertEqual(ours, ["none"], name)
            else:
                self.assertEqual(ours == ["pass"], theirs, f"{name}: ours {ours}, dkimpy {theirs}")
        self.assertEqual(seen["key DNS timeout"][0], ["temperror"])
        self.assertEqual(seen["key revoked"][0], ["permerror"])
        self.assertEqual(seen["body tampered"][0], ["fail"])

    def test_spf_and_dmarc_in_scan(self):
        msg = sign(base_message(), "rsa", self.rsa_private)
        value = self.auth_results(self.scan(msg))
        parsed = authres.AuthenticationResultsHeader.parse("Authentication-Results: " + value)
        by = {(r.method, r.result) for r in parsed.results}
        self.assertIn(("spf", "pass"), by, value)
        self.assertIn(("dmarc", "pass"), by, value)
        # The same message from an address SPF does not allow, with the signature broken.
        bad = msg.replace(b"Numbers attached.", b"Send gift cards.")
        report = self.scan(bad, ip="198.51.100.7")
        self.assertEqual(report["action"], "reject")
        self.assertIn("DMARC_POLICY_REJECT", [s["name"] for s in report["symbols"]])
        self.assertIn("SPF_FAIL", [s["name"] for s in report["symbols"]])
        report = self.scan(base_message(frm=f"x@bad.{DOMAIN}"), ip="198.51.100.7", mail_from=f"x@bad.{DOMAIN}")
        self.assertIn("DMARC_POLICY_REJECT", [s["name"] for s in report["symbols"]])
        self.assertIn("Used Org Domain Record", self.auth_results(report))
        # DNS down for the sender domain: never a reject.
        report = self.scan(base_message(frm="x@timeout.test"), ip="198.51.100.7", mail_from="x@timeout.test")
        names = [s["name"] for s in report["symbols"]]
        self.assertIn("AUTH_DNS_TEMPFAIL", names)
        self.assertNotEqual(report["action"], "reject")


class AuthProxyTest(unittest.TestCase):
    """DMARC through the proxy from 127.0.0.1 (the test client's address)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="portcullis-auth-")
        cls.rsa_private, record = rsa_key(cls.tmp)
        cls.dns = DnsServer({
            DOMAIN: [("TXT", "v=spf1 ip4:192.0.2.1 -all")],
            f"rsa._domainkey.{DOMAIN}": [("TXT", record)],
            f"_dmarc.{DOMAIN}": [("TXT", "v=DMARC1; p=reject")],
            "quarantine.test": [("TXT", "v=spf1 -all")],
            "_dmarc.quarantine.test": [("TXT", "v=DMARC1; p=quarantine")],
            "relaxed.test": [("TXT", "v=spf1 ip4:127.0.0.1 -all")],
            "_dmarc.relaxed.test": [("TXT", "v=DMARC1; p=reject")],
        })

    @classmethod
    def tearDownClass(cls):
        cls.dns.stop()

    def setUp(self):
        self.gw = Gateway(overrides=[f"dns.servers={self.dns.address}", "dns.timeout=0.5"])

    def tearDown(self):
        self.gw.proc.send_signal(15)
        self.assertEqual(self.gw.proc.wait(15), 0, self.gw.log()[-3000:])  # a clean shutdown
        # Every SPF evaluation ran on the worker pool and every other lookup on the resolver's
        # thread: the resolver refused no blocking call from an event-loop thread.
        self.assertIn("blocking calls refused on event-loop threads: 0", self.gw.log())
        self.gw.stop()

    def send(self, mail_from, msg):
        c = self.gw.client()
        c.banner_and_ehlo()
        reply = send_message(c, mail_from, ["bob@example.com"], msg)
        c.close()
        return reply

    def test_dmarc_reject_quarantine_pass(self):
        # Signed by example.test, the body changed on the way, the envelope from another domain:
        # nothing aligns, and example.test says p=reject. (libspf2 never evaluates a loopback
        # client, so SPF is "none" for every message in this test.)
        forged = sign(base_message(), "rsa", self.rsa_private).replace(b"Numbers", b"Invoice")
        code, text = self.send("bounce@other.test", forged)
        self.assertEqual(code, 550, text)
        self.assertIn("5.7.1", text)
        code, text = self.send("news@quarantine.test", base_message(frm="news@quarantine.test"))
        self.assertEqual(code, 250, text)  # the quarantine action: held, not delivered
        self.assertIn("queued as", text)
        self.assertEqual(self.gw.maildir_messages(), [])
        held = os.listdir(os.path.join(self.gw.dir, "quarantine", "new"))
        self.assertEqual(held, [text.rsplit(" ", 1)[-1]])
        with open(os.path.join(self.gw.dir, "quarantine", "new", held[0]), "rb") as f:
            self.assertIn(b"DMARC_POLICY_QUARANTINE", f.read())
        # A valid signature aligned with From: delivered with our header; a forged one that claims
        # our authserv-id is removed first.
        forged_ar = b"Authentication-Results: gw.test; dmarc=pass header.from=example.test\r\n"
        good = sign(base_message(), "rsa", self.rsa_private)
        code, text = self.send(f"alice@{DOMAIN}", forged_ar + good)
        self.assertEqual(code, 250, text)
        msgs = wait_for(self.gw.maildir_messages, what="delivery")
        delivered = msgs[0].decode()
        headers = delivered.split("\r\n\r\n", 1)[0]
        ars = [h for h in headers.replace("\r\n\t", " ").replace("\r\n ", " ").split("\r\n")
               if h.lower().startswith("authentication-results:")]
        self.assertEqual(len(ars), 1, headers)  # the forged one is gone, ours is there
        parsed = authres.AuthenticationResultsHeader.parse(ars[0])
        self.assertEqual(parsed.authserv_id, "gw.test")
        results = {(r.method, r.result) for r in parsed.results}
        self.assertIn(("dkim", "pass"), results)
        self.assertIn(("dmarc", "pass"), results)
        self.assertIn("removed 1 Authentication-Results", self.gw.log())

        # `portcullis scan` says the same for the same message and envelope.
        path = os.path.join(self.tmp, "good.eml")
        with open(path, "wb") as f:
            f.write(good)
        r = subprocess.run([BIN, "scan", "--json", "--config", self.gw.config, "-o", f"dns.servers={self.dns.address}",
                            "--client-ip", "127.0.0.1", "--helo", "client.test", "--mail-from", f"alice@{DOMAIN}",
                            "--rcpt", "bob@example.com", path], capture_output=True, text=True, timeout=60)
        self.assertIn(r.returncode, (0, 1, 2, 3), r.stderr)  # a verdict; 4 or a signal is a failure
        report = json.loads(r.stdout.splitlines()[0])
        scanned = [h["value"] for h in report["headers"] if h["name"] == "Authentication-Results"][0]
        proxied = ars[0].split(":", 1)[1].strip()
        norm = lambda v: {(x.method, x.result) for x in authres.AuthenticationResultsHeader.parse(
            "Authentication-Results: " + v).results}
        self.assertEqual(norm(scanned), norm(proxied))

    def test_forged_authentication_results_in_every_spelling(self):
        # Issue 15 item 5: each of these was relayed with its dmarc=pass. RFC 8601 2.2 compares
        # the authserv-id as a domain name, and a misnamed field is nobody's honest field.
        forms = {
            "quoted": b'Authentication-Results: "gw.test"; dmarc=pass header.from=example.test',
            "trailing dot": b"Authentication-Results: gw.test.; dmarc=pass header.from=example.test",
            "case and comments": b"Authentication-Results: (x) GW.Test (y); dmarc=pass",
            "encoded word": b"Authentication-Results: =?utf-8?q?gw.test?=; dmarc=pass",
            "nbsp after the name": b"Authentication-Results\xc2\xa0: gw.test; dmarc=pass",
            "suffix on the name": b"Authentication-Results-1: gw.test; dmarc=pass",
            "space before the colon": b"Authentication-Results : gw.test; dmarc=pass",
        }
        good = sign(base_message(), "rsa", self.rsa_private)
        for what, field in forms.items():
            with self.subTest(what):
                tag = f"X-Case: {what}".encode()
                code, text = self.send(f"alice@{DOMAIN}", tag + b"\r\n" + field + b"\r\n" + good)
                self.assertEqual(code, 250, text)
                headers = [h for h in self.delivered_headers(tag)
                           if h.lower().startswith(b"authentication-results")]
                self.assertEqual(len(headers), 1, headers)  # ours alone
                self.assertTrue(headers[0].startswith(b"Authentication-Results: gw.test;"), headers)
        # An honest field from another host stays.
        other = b"Authentication-Results: other.test; dmarc=pass header.from=example.test"
        code, text = self.send(f"alice@{DOMAIN}", b"X-Case: other\r\n" + other + b"\r\n" + good)
        self.assertEqual(code, 250, text)
        self.assertIn(other, self.delivered_headers(b"X-Case: other"))

    def delivered_headers(self, tag):
        """The unfolded header fields of the delivered message that carries the field `tag`."""
        def find():
            for m in self.gw.maildir_messages():
                head = m.split(b"\r\n\r\n", 1)[0]
                fields = head.replace(b"\r\n\t", b" ").replace(b"\r\n ", b" ").split(b"\r\n")
                if tag in fields:
                    return fields
            return None
        return wait_for(find, what=f"delivery of {tag!r}")

if __name__ == "__main__":
    from harness import main
    main()
