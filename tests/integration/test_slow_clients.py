"""Slow clients (slowloris) against the real binary: per-command and per-DATA deadlines.

Issue 15 item 3: the idle timeout was re-armed on every read, so a client sending one byte
every few seconds held its slot for ever and a command line that never ended was never
answered. Now a command line must be whole within smtp.command_timeout, DATA must keep up
smtp.min_data_rate and end within smtp.data_timeout; a slow client gets 421 4.4.2, a log line
and a metric, and its slot comes back. The milter door's packets have the same kind of
deadline. Small timeouts keep this fast; every loop is bounded. Loopback only.
"""
import select
import socket
import struct
import time
import unittest
import urllib.request

from harness import Gateway, SmtpClient, free_port, message, send_message, wait_for

IDLE = 5          # longer than any pause below: only the new deadlines can end a session
COMMAND = 1.5
DATA = 6
RATE = 2000       # bytes per second
SLACK = 1.5       # scheduling on a loaded machine


def trickle(sock, data, pause, give_up):
    """Sends `data` a byte-slice at a time with `pause` between slices until the peer answers
    or closes, or `give_up` seconds pass. Returns (elapsed, what the peer sent)."""
    start = time.monotonic()
    got = b""
    for piece in data:
        if time.monotonic() - start > give_up:
            break
        try:
            sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            break
        ready, _, _ = select.select([sock], [], [], pause)
        if ready:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            got += chunk
            if not chunk or b"\r\n" in got:
                break
    return time.monotonic() - start, got


class SlowClientTest(unittest.TestCase):
    def setUp(self):
        self.admin = free_port()
        self.gw = Gateway(
            extra=f'[admin]\nlisten = "127.0.0.1:{self.admin}"\n',
            overrides=[f"smtp.idle_timeout={IDLE}", f"smtp.command_timeout={COMMAND}",
                       f"smtp.data_timeout={DATA}", f"smtp.min_data_rate={RATE}",
                       "firewall.max_connections=3"])
        wait_for(lambda: "admin listening" in self.gw.log(), what="admin listener")

    def tearDown(self):
        self.gw.stop()

    def metric(self, name):
        body = urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/metrics", timeout=5).read().decode()
        for line in body.splitlines():
            if line.startswith(name):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def greeted(self):
        c = self.gw.client(source="127.0.0.81")
        self.assertEqual(c.reply()[0], 220)
        return c

    def in_data(self):
        c = self.greeted()
        c.cmd("EHLO slow.client.test")
        self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 250)
        self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 250)
        self.assertEqual(c.cmd("DATA")[0], 354)
        return c

    def test_trickled_command_line_gets_421_within_the_command_timeout(self):
        c = self.greeted()
        line = b"EHLO " + b"x" * 200 + b"\r\n"
        elapsed, got = trickle(c.sock, [line[i:i + 1] for i in range(len(line))], 0.3, COMMAND + 6)
        self.assertTrue(got.startswith(b"421 4.4.2 "), got)
        self.assertLess(elapsed, COMMAND + SLACK)
        self.assertTrue(c.closed_by_peer())
        c.close()
        wait_for(lambda: "command line not complete" in self.gw.log(), what="log line")
        self.assertEqual(self.metric('portcullis_slow_clients_total{limit="command"}'), 1)

    def test_trickled_data_below_the_minimum_rate_gets_421(self):
        c = self.in_data()
        body = message(body="x" * 2000).encode()
        # 10 bytes every 0.3 s: about 33 bytes/s, far below 2000.
        elapsed, got = trickle(c.sock, [body[i:i + 10] for i in range(0, len(body), 10)], 0.3, COMMAND + 6)
        self.assertTrue(got.startswith(b"421 4.4.2 "), got)
        self.assertLess(elapsed, COMMAND + SLACK)
        self.assertTrue(c.closed_by_peer())
        c.close()
        self.assertEqual(self.gw.maildir_messages(), [])  # nothing half-received goes on
        wait_for(lambda: "minimum rate" in self.gw.log(), what="log line")
        self.assertEqual(self.metric('portcullis_slow_clients_total{limit="data_rate"}'), 1)

    def test_data_is_bounded_as_a_whole_even_at_a_good_rate(self):
        c = self.in_data()
        # 1,000 bytes every 0.2 s (5,000 bytes/s) keeps the rate, but never ends.
        start = time.monotonic()
        elapsed, got = trickle(c.sock, [b"y" * 998 + b"\r\n"] * 100, 0.2, DATA + 6)
        self.assertTrue(got.startswith(b"421 4.4.2 "), got)
        self.assertGreater(elapsed, DATA - 0.5)
        self.assertLess(time.monotonic() - start, DATA + SLACK)
        c.close()
        wait_for(lambda: "message data not complete within" in self.gw.log(), what="log line")

    def test_slow_but_legal_client_passes(self):
        c = self.greeted()
        # A command line in pieces, well within the command timeout.
        for piece in (b"EHLO slow.", b"but.legal.test\r\n"):
            c.send(piece)
            time.sleep(0.4)
        self.assertEqual(c.reply()[0], 250)
        self.assertEqual(c.cmd("MAIL FROM:<a@sender.test>")[0], 250)
        self.assertEqual(c.cmd("RCPT TO:<bob@example.com>")[0], 250)
        self.assertEqual(c.cmd("DATA")[0], 354)
        # DATA for longer than the command timeout, above the minimum rate (5,000 bytes/s).
        c.send(message(body="").encode())
        for _ in range(12):
            c.send(b"z" * 998 + b"\r\n")
            time.sleep(0.2)
        c.send(b".\r\n")
        code, text = c.reply()
        self.assertEqual(code, 250, text)
        self.assertEqual(c.cmd("QUIT")[0], 221)
        c.close()
        self.assertEqual(len(wait_for(self.gw.maildir_messages, what="delivery")), 1)

    def test_slots_come_back(self):
        # max_connections = 3: three tricklers hold every slot, a fourth client is refused.
        holders = []
        for _ in range(3):
            h = self.greeted()
            h.send(b"EH")
            holders.append(h)
        refused = self.gw.client(source="127.0.0.82")
        self.assertEqual(refused.reply()[0], 421)
        refused.close()
        # Each is cut at the command timeout, well before the idle timeout would have.
        for h in holders:
            h.sock.settimeout(COMMAND + SLACK)
            code, text = h.reply()
            self.assertEqual(code, 421, text)
            self.assertIn("4.4.2", text)
            h.close()
        # The slots are free again: a normal client gets through.
        def admitted():
            c = self.gw.client(source="127.0.0.83")
            code = c.reply()[0]
            if code != 220:
                c.close()
                return None
            return c
        c = wait_for(admitted, timeout=5, what="a free slot")
        c.cmd("EHLO fine.client.test")
        self.assertEqual(send_message(c, "a@sender.test", ["bob@example.com"], message())[0], 250)
        c.close()


class SlowMilterPeerTest(unittest.TestCase):
    def test_a_trickled_packet_is_cut_at_the_packet_timeout(self):
        port = free_port()
        gw = Gateway(extra=f'[milter]\nlisten = ["inet:127.0.0.1:{port}"]\ntimeout = 1\n')
        try:
            wait_for(lambda: "milter listening on inet:127.0.0.1" in gw.log(), what="milter")
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            # A packet announced as 100 bytes, then one byte every 0.3 s.
            packet = struct.pack(">I", 100) + b"O" + b"\0" * 99
            pieces = [packet[:4]] + [packet[i:i + 1] for i in range(4, len(packet))]
            elapsed, got = trickle(s, pieces, 0.3, 8)
            self.assertEqual(got, b"")  # closed without an answer
            self.assertLess(elapsed, 1 + SLACK)
            s.close()
            wait_for(lambda: "packet not complete" in gw.log(), what="log line")
        finally:
            gw.stop()


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
