"""The milter front door with a real Postfix: Postfix on loopback calls Portcullis through
`smtpd_milters`, swaks sends to Postfix. Accepted mail is delivered by Postfix with our
headers (a forged Authentication-Results claiming our authserv-id removed); rejected mail gets
our 5xx text; several messages ride one milter connection."""
import smtplib
import subprocess
import unittest

from harness import GTUBE, Gateway, PostfixInstance, free_port, have, require_peer, wait_for



def swaks(port, *args):
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{port}", "--helo", "client.example",
                        "--from", "a@sender.test", "--to", "bob@example.com", *args],
                       capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr


@require_peer(have("swaks") and have("postfix"), "swaks or postfix")
class PostfixMilterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.milter_port = free_port()
        cls.gw = Gateway(extra=f'[milter]\nlisten = ["inet:127.0.0.1:{cls.milter_port}"]\n',
                         shipped_rules=True)
        wait_for(lambda: "milter listening on inet:127.0.0.1" in cls.gw.log(), what="milter")
        cls.pf = PostfixInstance(extra_main=[
            f"smtpd_milters = inet:127.0.0.1:{cls.milter_port}",
            "milter_default_action = tempfail", "milter_protocol = 6"])

    @classmethod
    def tearDownClass(cls):
        cls.pf.stop()
        cls.gw.stop()

    def test_accepted_mail_is_delivered_with_our_headers(self):
        code, out = swaks(self.pf.port, "--header", "Subject: milter hello",
                          "--add-header", "Authentication-Results: gw.test; dkim=pass header.d=bank.example",
                          "--body", "see you tomorrow")
        self.assertEqual(code, 0, out)
        wait_for(lambda: any("milter hello" in m for m in self.delivered()), timeout=20,
                 what="delivery by Postfix")
        msg = [m for m in self.delivered() if "milter hello" in m][0]
        head = msg.split("\n\n", 1)[0]
        # Ours, at the top of what the milter may change, and the forged one gone.
        self.assertRegex(head, r"Authentication-Results: gw\.test;")
        self.assertNotIn("bank.example", head)
        self.assertIn("X-Spam-Status:", head)
        self.assertIn("see you tomorrow", msg)
        line = [l for l in self.gw.log().splitlines() if "milter session=" in l and " action=" in l][-1]
        # The verdict that let it through: accepted, with or without spam headers.
        self.assertRegex(line, r" action=(accept|add_headers) ")
        self.assertRegex(line, r"queue_id=[0-9A-F]+")
        self.assertIn("client=[127.0.0.1]", line)

    def test_rejected_mail_gets_our_reply(self):
        code, out = swaks(self.pf.port, "--header", "Subject: spam", "--body", GTUBE)
        self.assertNotEqual(code, 0)
        self.assertRegex(out, r"<\*\* 550 5\.7\.1 Message rejected as spam \(ref M[0-9A-F]+\.\d+\)")
        self.assertIn("action=reject", self.gw.log())

    def delivered(self):
        return [m.decode("utf-8", "replace") for m in self.pf.delivered()]

    def test_several_messages_in_one_connection(self):
        # One SMTP session to Postfix, three messages (one refused in between, one to two
        # recipients): Postfix keeps one milter connection and aborts between messages.
        before = self.gw.log().count("milter connection session=")
        with smtplib.SMTP("127.0.0.1", self.pf.port, timeout=30) as s:
            s.ehlo("client.example")
            for i, body in enumerate(["first", GTUBE, "third"]):
                rcpts = ["bob@example.com", "carol@example.com"] if i == 2 else ["bob@example.com"]
                msg = f"From: a@sender.test\r\nSubject: batch {i}\r\n\r\n{body}\r\n"
                if body == GTUBE:
                    with self.assertRaises(smtplib.SMTPDataError) as e:
                        s.sendmail("a@sender.test", rcpts, msg)
                    self.assertEqual(e.exception.smtp_code, 550)
                else:
                    s.sendmail("a@sender.test", rcpts, msg)
        self.assertEqual(self.gw.log().count("milter connection session=") - before, 1)
        wait_for(lambda: sum("Subject: batch 2" in m for m in self.delivered()) >= 2,
                 timeout=20, what="both copies of the third delivered")
        self.assertTrue(any("Subject: batch 0" in m for m in self.delivered()))
        self.assertFalse(any("Subject: batch 1" in m for m in self.delivered()))
        self.assertIn("to=<bob@example.com>,<carol@example.com>", self.gw.log())


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
