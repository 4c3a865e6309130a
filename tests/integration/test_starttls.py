"""STARTTLS: offered by default with a self-signed certificate; commands pipelined behind
STARTTLS are discarded, never executed after the handshake; the session is reset."""
import unittest

from harness import FakeDownstream, Gateway, message, send_message


class StartTlsTest(unittest.TestCase):
    def setUp(self):
        self.down = FakeDownstream()
        self.gw = Gateway(self.down.url())

    def tearDown(self):
        self.gw.stop()
        self.down.stop()

    def test_self_signed_certificate_is_made_and_logged(self):
        self.assertRegex(self.gw.log(), r"STARTTLS: self-signed certificate for gw.test made at start-up \(SHA-256 [0-9A-F:]{95}\)")

    def test_message_over_tls_is_marked_esmtps(self):
        c = self.gw.client()
        self.assertIn("STARTTLS", c.banner_and_ehlo())
        c.starttls()
        caps = c.cmd("EHLO client.test")[1]
        self.assertNotIn("STARTTLS", caps)
        code, _ = send_message(c, "a@sender.test", ["bob@example.com"], message())
        self.assertEqual(code, 250)
        data = self.down.messages[0][2].replace(b"\r\n\t", b" ")
        self.assertRegex(data, rb"\(using TLSv1\.[23] with cipher [A-Z0-9_-]+\) by gw.test \(Portcullis\) with ESMTPS")

    def test_commands_pipelined_behind_starttls_are_discarded(self):
        c = self.gw.client()
        c.banner_and_ehlo()
        # The classic injection: plaintext commands in the same packet as STARTTLS.
        c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\nRCPT TO:<bob@example.com>\r\n")
        code, _ = c.reply()
        self.assertEqual(code, 220)
        import ssl
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        c.sock = ctx.wrap_socket(c.sock)
        c.buf = b""
        # Had the injected MAIL run, this RCPT would be accepted; and EHLO is required again.
        self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 503)
        self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 503)
        self.assertEqual(c.cmd("EHLO client.test")[0], 250)
        self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 503)
        c.cmd("QUIT")
        self.assertFalse(any("injected" in x for x in self.down.commands))

    def test_configured_certificate_is_served(self):
        import os, ssl, subprocess, tempfile
        d = tempfile.mkdtemp()
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-days", "2", "-subj", "/CN=mx.configured.test", "-keyout", key, "-out", cert],
                       check=True, capture_output=True, timeout=30)
        gw = Gateway(self.down.url(), overrides=[f"smtp.tls_cert={cert}", f"smtp.tls_key={key}"])
        try:
            self.assertRegex(gw.log(), r"STARTTLS: certificate .*cert\.pem \(SHA-256 [0-9A-F:]{95}\)")
            c = gw.client()
            c.banner_and_ehlo()
            c.cmd("STARTTLS")
            ctx = ssl.create_default_context(cafile=cert)
            ctx.check_hostname = True
            tls = ctx.wrap_socket(c.sock, server_hostname="mx.configured.test")  # verifies the chain
            self.assertEqual(dict(x[0] for x in tls.getpeercert()["subject"])["commonName"], "mx.configured.test")
            tls.close()
        finally:
            gw.stop()
        # A key that does not match the certificate stops the gateway at start-up with a reason.
        other = os.path.join(d, "other.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", other],
                       check=True, capture_output=True, timeout=30)
        bad = Gateway(self.down.url(), overrides=[f"smtp.tls_cert={cert}", f"smtp.tls_key={other}"], start=False)
        bad.expected_exit = 1
        try:
            with self.assertRaises(AssertionError):
                bad.start()
            self.assertIn("other.pem: cannot load private key: key values mismatch", bad.log())
        finally:
            bad.stop()

    def test_starttls_disabled_by_config(self):
        gw = Gateway(self.down.url(), overrides=["smtp.starttls=false"])
        try:
            c = gw.client()
            self.assertNotIn("STARTTLS", c.banner_and_ehlo())
            self.assertEqual(c.cmd("STARTTLS")[0], 502)
        finally:
            gw.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
