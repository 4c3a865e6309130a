"""One verdict whichever door a message used: the same messages through the SMTP proxy,
through a real Postfix calling Portcullis as its milter, and through `portcullis scan`, with
the same client address, HELO and envelope. The symbols and their scores must be identical."""
import json
import os
import re
import shutil
import smtplib
import subprocess
import tempfile
import unittest

from harness import BIN, GTUBE, Gateway, PostfixInstance, free_port, have, require_peer, send_message, wait_for


HEAD = ("From: Alice <a@sender.test>\r\nTo: bob@example.com\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
        "Message-ID: <{n}@sender.test>\r\n")
MESSAGES = {
    "clean": HEAD + "Subject: lunch\r\n\r\nSee you at noon.\r\n",
    "gtube": HEAD + "Subject: test\r\n\r\n" + GTUBE + "\r\n",
    "html": HEAD + ("Subject: YOUR ACCOUNT IS SUSPENDED\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/html; charset=utf-8\r\n\r\n"
                    "<html><body><p>Click <a href=\"http://198.51.100.9/login\">here</a> to verify"
                    " your password now!!!</p></body></html>\r\n"),
    "no_date": "From: a@sender.test\r\nTo: bob@example.com\r\nSubject: hi\r\n\r\nhello\r\n",
}


def symbols_of(line):
    m = re.search(r" symbols=(\S+)", line)
    return sorted(m.group(1).split(",")) if m and m.group(1) != "-" else []


@require_peer(have("postfix"), "postfix")
class ThreeDoorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.milter_port = free_port()
        # Learning off: what one door teaches must not change the next door's verdict.
        cls.gw = Gateway(extra=f'[milter]\nlisten = ["inet:127.0.0.1:{cls.milter_port}"]\n'
                               "[reputation]\nlearn = false\n", shipped_rules=True)
        wait_for(lambda: "milter listening" in cls.gw.log(), what="milter")
        # Loopback clients are "local" to Postfix, which then adds a missing Date and
        # Message-ID before its milters see the message; the test's clients stand for remote
        # ones, which it leaves alone.
        cls.pf = PostfixInstance(extra_main=[f"smtpd_milters = inet:127.0.0.1:{cls.milter_port}",
                                             "milter_default_action = tempfail",
                                             "local_header_rewrite_clients ="])
        cls.tmp = tempfile.mkdtemp(prefix="portcullis-doors-")

    @classmethod
    def tearDownClass(cls):
        cls.pf.stop()
        cls.gw.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def last_line(self, prefix, marker):
        lines = [l for l in self.gw.log().splitlines()
                 if prefix in l and "action=" in l and marker in l]
        self.assertTrue(lines, f"no {prefix} line for {marker}")
        return lines[-1]

    def through_proxy(self, name, text):
        c = self.gw.client()
        c.banner_and_ehlo("client.example")
        send_message(c, "a@sender.test", ["bob@example.com"], text)
        c.cmd("QUIT")
        c.close()
        return symbols_of(self.last_line("session=", "from=<a@sender.test>"))

    def through_postfix(self, name, text):
        before = self.gw.log().count("milter session=")
        with smtplib.SMTP("127.0.0.1", self.pf.port, local_hostname="client.example",
                          timeout=30) as s:
            try:
                s.sendmail("a@sender.test", ["bob@example.com"], text)
            except smtplib.SMTPDataError:
                pass  # refused: the verdict is in our log all the same
        wait_for(lambda: self.gw.log().count("milter session=") > before, what="milter verdict")
        return symbols_of(self.last_line("milter session=", "from=<a@sender.test>"))

    def through_scan(self, name, text):
        path = os.path.join(self.tmp, name + ".eml")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([BIN, "scan", "--config", self.gw.config, "--json",
                            "--client-ip", "127.0.0.1", "--helo", "client.example",
                            "--mail-from", "a@sender.test", "--rcpt", "bob@example.com", path],
                           capture_output=True, text=True, timeout=60)
        self.assertIn(r.returncode, (0, 1, 2, 3), r.stderr)  # a verdict; 4 or a signal is a failure
        report = json.loads(r.stdout.splitlines()[0])
        return sorted(f"{s['name']}({s['score']:.2f})" for s in report["symbols"])

    def test_the_same_symbols_through_every_door(self):
        for n, (name, template) in enumerate(MESSAGES.items()):
            with self.subTest(message=name):
                text = template.replace("{n}", str(n))
                proxy = self.through_proxy(name, text)
                milter = self.through_postfix(name, text)
                scan = self.through_scan(name, text)
                self.assertTrue(proxy, "the proxy found no symbols at all")
                if os.environ.get("SHOW_SYMBOLS"):
                    print(name, proxy)
                self.assertEqual(proxy, milter, "proxy vs Postfix+milter")
                self.assertEqual(proxy, scan, "proxy vs scan")


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
