"""Logs: the per-transaction line as text (key=value) and as JSON lines (log_format = "json"),
with levels, on stderr. Every JSON line must parse, client-supplied bytes included."""
import json
import unittest

from harness import Gateway, message, send_message


class LogTest(unittest.TestCase):
    def send(self, gw, helo="client.test", sender="a@sender.test"):
        c = gw.client()
        c.banner_and_ehlo(helo)
        code, _ = send_message(c, sender, ["bob@example.com"], message("hi"))
        c.cmd("QUIT")
        c.close()
        return code

    def test_json_lines(self):
        gw = Gateway(extra='log_format = "json"\n')
        self.addCleanup(gw.stop)
        self.assertEqual(self.send(gw), 250)
        # A HELO with a byte that is not UTF-8 must still give valid JSON.
        c = gw.client()
        c.reply()
        c.send(b"EHLO h\xe9llo.test\r\n")
        self.assertEqual(c.reply()[0], 501)
        c.send(b"MAIL FROM:<\xff\xfe@x.test>\r\n")
        c.reply()
        # Bytes that are not UTF-8 are refused even under SMTPUTF8 (RFC 6531), so they never
        # reach a transaction line; a UTF-8 sender does, and must come out as the same text.
        self.assertEqual(c.cmd("EHLO client.test")[0], 250)
        c.send(b"MAIL FROM:<\xff\xfe@x.test> SMTPUTF8\r\n")
        self.assertEqual(c.reply()[0], 553)
        c.send("MAIL FROM:<jöran.ünal@x.test> SMTPUTF8\r\n".encode())
        self.assertEqual(c.reply()[0], 250)
        self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 250)
        self.assertEqual(c.cmd("DATA")[0], 354)
        c.send(message("eight bits") + "\r\n.\r\n")
        self.assertEqual(c.reply()[0], 250)
        c.cmd("QUIT")
        c.close()
        events = []
        # The raw bytes, decoded strictly: gw.log() replaces invalid UTF-8, which would hide a
        # line that is not valid JSON text (RFC 8259 8.1: JSON text is UTF-8).
        with open(gw.log_path, "rb") as f:
            raw = f.read()
        for line in raw.splitlines():
            events.append(json.loads(line.decode("utf-8")))  # every line, not only ours
        for e in events:
            self.assertIn(e["level"], ("debug", "info", "warning", "error"))
            self.assertRegex(e["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            self.assertIsInstance(e["pid"], int)
        tx = [e for e in events if e.get("event") == "transaction"]
        self.assertEqual(len(tx), 2)
        self.assertEqual(tx[1]["from"], "<jöran.ünal@x.test>")
        t = tx[0]
        self.assertIn(t["action"], ("accept", "add_headers"))
        self.assertEqual(t["from"], "<a@sender.test>")
        self.assertEqual(t["to"], "<bob@example.com>")
        self.assertTrue(t["reply"].startswith("250 2.0.0"))
        self.assertIn("SPF_NONE", t["symbols"])
        self.assertRegex(t["elapsed"], r"^\d+ms$")
        self.assertTrue(any(e.get("msg", "").startswith("listening on") for e in events))

    def test_text_lines_and_levels(self):
        gw = Gateway(overrides=["log_level=info"])  # the harness's config says debug
        self.addCleanup(gw.stop)
        self.assertEqual(self.send(gw), 250)
        line = [l for l in gw.log().splitlines() if " action=" in l][-1]
        self.assertRegex(line, r"^\S+ portcullis\[\d+\] info: session=\S+ tx=\S+ client=\[127\.0\.0\.1\]:\d+ "
                               r"helo=client\.test tls=no from=<a@sender\.test> to=<bob@example\.com> ")
        self.assertRegex(line, r' reply="250 2\.0\.0 [^"]+" time=\d+ms')
        self.assertNotIn("debug:", gw.log())


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
