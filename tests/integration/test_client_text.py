"""Client-supplied text in the header fields the gateway writes, and symbols counted once.

Issue 15 item 7: a HELO name with ( ) " ; \\ < > went verbatim into our Received field, where
it could close the comment, open one, or end the clause list with a ';' of its own (the date
part readers look for); and a client that said EHLO twice had HELO_NOT_FQDN added and scored
twice. Through the real binary; loopback only.
"""
import re
import unittest

import authres

from harness import Gateway, message, send_message, wait_for

EVIL_HELO = 'evil(by.attacker.test);"\\<x>'


def unfolded_fields(msg):
    head = msg.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    return head.replace("\r\n\t", " ").replace("\r\n ", " ").split("\r\n")


def field(fields, name):
    return [f.split(":", 1)[1].strip() for f in fields if f.lower().startswith(name.lower() + ":")]


class ClientTextTest(unittest.TestCase):
    def setUp(self):
        self.gw = Gateway()

    def tearDown(self):
        self.gw.stop()

    def deliver(self, helos, source="127.0.0.61"):
        c = self.gw.client(source=source)
        c.reply()
        for verb, name in helos:
            code, text = c.cmd(f"{verb} {name}")
            self.assertEqual(code, 250, text)
        code, text = send_message(c, "a@sender.test", ["bob@example.com"], message())
        self.assertEqual(code, 250, text)
        c.close()
        return unfolded_fields(wait_for(self.gw.maildir_messages, what="delivery")[-1])

    def test_helo_specials_stay_inside_our_fields(self):
        fields = self.deliver([("EHLO", EVIL_HELO)])
        received = field(fields, "Received")[0]
        # RFC 5321 4.4: "from" Extended-Domain, then our "by" clause, one ';' before the date.
        # The HELO cannot open or close a comment, quote, or add clauses of its own.
        self.assertEqual(received.count(";"), 1, received)
        self.assertNotIn("(by.attacker.test)", received)
        m = re.match(r'from (\S+) \((\S+) \[127\.0\.0\.61\]\) by gw\.test \(Portcullis\) with ESMTP id ',
                     received)
        self.assertIsNotNone(m, received)
        self.assertFalse(set(m.group(1)) & set('()";\\<>'), m.group(1))
        self.assertIn("evil", m.group(1))  # still recognisable to whoever reads the trace
        # RFC 8601: smtp.helo carries the name as a quoted-string (RFC 5322 3.2.4: quoted-pairs
        # for '"' and '\\'), read back exactly; authres checks the field still parses.
        ar = field(fields, "Authentication-Results")[0]
        parsed = authres.AuthenticationResultsHeader.parse("Authentication-Results: " + ar)
        self.assertEqual(parsed.authserv_id, "gw.test")
        m = re.search(r'smtp\.helo="((?:[^"\\]|\\.)*)"', ar)
        self.assertIsNotNone(m, ar)
        self.assertEqual(re.sub(r"\\(.)", r"\1", m.group(1)), EVIL_HELO, ar)

    def test_symbol_counted_once_per_transaction(self):
        # The same HELO checks run at every HELO/EHLO; the evidence is one fact, scored once.
        fields = self.deliver([("EHLO", "notqualified"), ("HELO", "notqualified"), ("EHLO", "notqualified")])
        symbols = field(fields, "X-Portcullis-Symbols")[0]
        self.assertEqual(symbols.count("HELO_NOT_FQDN("), 1, symbols)
        names = [s.split("(")[0] for s in symbols.split(",")]
        self.assertEqual(len(names), len(set(names)), symbols)
        total = sum(float(s.split("(")[1].rstrip(")")) for s in symbols.split(","))
        self.assertAlmostEqual(float(field(fields, "X-Spam-Score")[0]), total, places=2)
        status = field(fields, "X-Spam-Status")[0]
        self.assertEqual(status.count("HELO_NOT_FQDN"), 1, status)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
