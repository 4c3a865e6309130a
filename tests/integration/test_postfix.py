"""Real peers downstream: Postfix's smtp-sink and a private Postfix instance.

swaks -> portcullis -> Postfix delivers with our Received header; XCLIENT makes Postfix name
the original client; Postfix's own refusals reach the sender; smtp-sink's injected failures
(4xx, 5xx, 421-and-close, silent close) come back as the matching replies."""
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import (Gateway, PostfixInstance, free_port, have, listening, message, read_files, require_peer,
                     send_message, wait_for)


def swaks(port, *args):
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{port}", "--helo", "client.example", *args],
                       capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr


class SmtpSink:
    def __init__(self, *flags):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="portcullis-sink-")
        os.chmod(self.dir, 0o777)
        self.proc = subprocess.Popen(["smtp-sink", "-u", "nobody", "-d", os.path.join(self.dir, "%H%M%S."),
                                      *flags, f"127.0.0.1:{self.port}", "64"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: listening(self.port), what="smtp-sink")

    def dumps(self):
        return read_files(self.dir)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


@require_peer(have("smtp-sink"), "smtp-sink (postfix)")
class SmtpSinkTest(unittest.TestCase):
    def test_delivery_and_injected_failures(self):
        cases = [((), 250), (("-r", "data"), 450), (("-f", "rcpt"), 500), (("-Q", "mail"), 451), (("-q", "."), 451)]
        for flags, expected in cases:
            with self.subTest(flags):
                sink = SmtpSink(*flags)
                gw = Gateway(f"smtp://127.0.0.1:{sink.port}", overrides=["relay.command_timeout=5"])
                try:
                    code, out = swaks(gw.port, "--to", "bob@example.com", "--from", "a@sender.test")
                    self.assertIn(f"\n<** {expected} " if expected != 250 else "\n<-  250 2.0.0", out + "\n")
                    if expected == 250:
                        wait_for(lambda: sink.dumps(), what="smtp-sink dump")
                        self.assertIn(b"(Portcullis) with ESMTP", sink.dumps()[0].replace(b"\n\t", b" "))
                finally:
                    gw.stop()
                    sink.stop()


@require_peer(have("postfix") and os.geteuid() == 0, "postfix or root")
class PostfixDownstreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The gateway's address is not in Postfix's mynetworks, so Postfix relays only to example.com.
        cls.pf = PostfixInstance(extra_main=["mynetworks = 127.0.0.2/32"])

    @classmethod
    def tearDownClass(cls):
        cls.pf.stop()

    def test_swaks_through_portcullis_into_postfix(self):
        gw = Gateway(f"smtp://127.0.0.1:{self.pf.port}", relay_domains=("example.com", "elsewhere.test"),
                     overrides=["relay.xclient=true"])
        try:
            before = len(self.pf.delivered())
            code, out = swaks(gw.port, "--to", "bob@example.com", "--from", "a@sender.test",
                              "--header", "Subject: through the gateway")
            self.assertEqual(code, 0, out)
            self.assertRegex(out, r"<-  250 2\.0\.0 Ok: queued as [0-9A-F]+")
            wait_for(lambda: len(self.pf.delivered()) > before, timeout=30, what="postfix delivery")
            msg = self.pf.delivered()[-1].replace(b"\n\t", b" ")
            self.assertIn(b"Subject: through the gateway", msg)
            self.assertRegex(msg, rb"Received: from client\.example \(unknown \[127\.0\.0\.1\]\) by gw\.test "
                                  rb"\(Portcullis\) with ESMTP id [0-9A-F.]+ for <bob@example\.com>")
            # XCLIENT: Postfix's own Received header names the original client's HELO, not the gateway.
            self.assertRegex(msg, rb"Received: from client\.example \(unknown \[127\.0\.0\.1\]\)\s+by downstream\.test \(Postfix\)")
            # Postfix's refusal reaches the sender unchanged.
            code, out = swaks(gw.port, "--to", "bob@elsewhere.test", "--from", "a@sender.test")
            self.assertIn("<** 454 4.7.1 <bob@elsewhere.test>: Relay access denied", out)
        finally:
            gw.stop()

    def test_smuggling_attempt_never_reaches_postfix(self):
        gw = Gateway(f"smtp://127.0.0.1:{self.pf.port}")
        try:
            before = len(self.pf.delivered())
            c = gw.client()
            c.banner_and_ehlo()
            c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")
            self.assertEqual([c.reply()[0] for _ in range(3)], [250, 250, 354])
            c.send("Subject: innocent\r\n\r\nhi\n.\r\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<bob@example.com>\r\n"
                   "DATA\r\nSubject: SMUGGLED\r\n\r\nx\r\n.\r\n")
            self.assertEqual(c.reply()[0], 521)
            c.close()
            # A control message after the attempt, on a new connection: once Postfix has
            # delivered it and logged its sender, anything the attempt had slipped through
            # before it would be in the maildir and the log too (a fixed sleep proved nothing
            # when Postfix was slow, and an absent log hid everything).
            c = gw.client()
            c.banner_and_ehlo()
            code, _ = send_message(c, "control@sender.test", ["bob@example.com"],
                                   message("control after smuggling"))
            self.assertEqual(code, 250)
            c.close()
            wait_for(lambda: any(b"control after smuggling" in m for m in self.pf.delivered()[before:]),
                     timeout=30, what="the control message delivered by Postfix")
            wait_for(lambda: "from=<control@sender.test>" in self.pf.log() and "status=sent" in self.pf.log(),
                     timeout=30, what="Postfix's log of the control message")
            delivered = self.pf.delivered()[before:]
            self.assertEqual(len(delivered), 1, delivered)  # the control message, nothing else
            for m in delivered:
                self.assertNotIn(b"SMUGGLED", m)
                self.assertNotIn(b"innocent", m)
            self.assertNotIn("ceo@bank.example", self.pf.log())
        finally:
            gw.stop()


@require_peer(have("postfix") and have("openssl") and os.geteuid() == 0, "postfix, openssl or root")
class PostfixTlsDownstreamTest(unittest.TestCase):
    """relay.tls: STARTTLS to a Postfix downstream with its own certificate."""

    @classmethod
    def setUpClass(cls):
        cls.certdir = tempfile.mkdtemp(prefix="portcullis-cert-")
        cls.cert = os.path.join(cls.certdir, "cert.pem")
        cls.key = os.path.join(cls.certdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-days", "2", "-subj", "/CN=downstream.test", "-addext",
                        "subjectAltName=DNS:downstream.test", "-keyout", cls.key, "-out", cls.cert],
                       check=True, capture_output=True, timeout=30)
        os.chmod(cls.certdir, 0o755)
        os.chmod(cls.key, 0o644)
        cls.pf = PostfixInstance(extra_main=[
            "mynetworks = 127.0.0.2/32", f"smtpd_tls_cert_file = {cls.cert}", f"smtpd_tls_key_file = {cls.key}",
            "smtpd_tls_security_level = may", "smtpd_tls_received_header = yes"])

    @classmethod
    def tearDownClass(cls):
        cls.pf.stop()
        shutil.rmtree(cls.certdir, ignore_errors=True)

    def send(self, overrides):
        gw = Gateway(f"smtp://127.0.0.1:{self.pf.port}", overrides=overrides)
        try:
            c = gw.client()
            c.banner_and_ehlo()
            mail = c.cmd("MAIL FROM:<a@sender.test>")  # the downstream connection opens here
            if mail[0] != 250:
                return mail, gw.log()
            self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 250)
            self.assertEqual(c.cmd("DATA")[0], 354)
            c.send(message("over tls") + "\r\n.\r\n")
            return c.reply(), gw.log()
        finally:
            gw.stop()

    def test_required_tls_with_pinned_ca_is_used(self):
        before = len(self.pf.delivered())
        (code, text), _ = self.send(["relay.tls=require", f"relay.tls_ca_file={self.cert}"])
        # The certificate names downstream.test, not 127.0.0.1: verification must fail closed.
        self.assertEqual(code, 451, text)
        self.assertIn("TLS handshake failed: certificate verify failed", text)
        (code, text), _ = self.send(["relay.tls=require", f"relay.tls_ca_file={self.cert}",
                                      "relay.tls_name=downstream.test"])
        self.assertEqual(code, 250, text)
        wait_for(lambda: len(self.pf.delivered()) > before, timeout=30, what="delivery")
        msg = self.pf.delivered()[-1].replace(b"\n\t", b" ")
        self.assertRegex(msg, rb"\(using TLSv1\.[23] with cipher [^)]+\) .*by downstream\.test \(Postfix\) with ESMTPS")
        # Without verification the same downstream is used, encrypted but unauthenticated.
        (code, text), _ = self.send(["relay.tls=require", "relay.tls_verify=false"])
        self.assertEqual(code, 250, text)

    def test_untrusted_certificate_is_refused(self):
        (code, text), _ = self.send(["relay.tls=require"])  # system trust store: self-signed fails
        self.assertEqual(code, 451, text)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
