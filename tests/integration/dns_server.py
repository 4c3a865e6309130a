"""A DNS server on loopback whose answers the test controls (UDP and TCP), built on dnslib.

Zone: {name: [entry, ...]} with entries
  ("A"|"AAAA"|"TXT"|"SPF"|"PTR"|"CNAME"|"NS", value)   TXT/SPF value: str, bytes, or a list of
                                                      strings (one character-string each)
  ("MX", (preference, host))
  ("TIMEOUT", None)    no reply for a type that has no records here
  ("SERVFAIL", None)   SERVFAIL for a type that has no records here
  ("TXT", "NONE")      no automatic TXT copy of SPF data (the SPF suite's convention)
A name with SPF data and no TXT entry also answers that data as TXT. A name present with no
entries (or an ancestor of one) answers NODATA; anything else NXDOMAIN. Negative answers carry an
SOA whose minimum is `negative_ttl`. Long TXT strings are split into 255-byte character-strings.
UDP answers over 512 bytes (or the client's EDNS size) are truncated, so clients retry over TCP.
"""
import socket
import struct
import threading

from dnslib import AAAA, CNAME, MX, NS, PTR, QTYPE, RCODE, RR, SOA, A, DNSLabel, DNSRecord, RD


def _bytes(v):
    if isinstance(v, bytes):
        return v
    try:
        return v.encode("latin-1")
    except UnicodeEncodeError:
        return v.encode("utf-8")


def _strings(v):
    if isinstance(v, (list, tuple)):
        return [_bytes(x) for x in v]
    b = _bytes(v)
    return [b[i:i + 255] for i in range(0, len(b), 255)] or [b""]


class RawTXT(RD):
    """TXT rdata from character-strings as given (dnslib's TXT re-encodes text)."""

    def __init__(self, strings):
        self.strings = strings

    def pack(self, buffer):
        for s in self.strings:
            buffer.append(struct.pack("!B", len(s)) + s)


class DnsServer:
    def __init__(self, zone=None, negative_ttl=300, ttl=300):
        self.zone = {}
        self.set_zone(zone or {})
        self.negative_ttl = negative_ttl
        self.ttl = ttl
        self.queries = []  # (name, type) in arrival order
        self.lock = threading.Lock()
        # One port for UDP and TCP: a port free for UDP may be taken for TCP (another test's
        # connection), so try again with another until both bind.
        for attempt in range(50):
            self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.udp.bind(("127.0.0.1", 0))
            self.port = self.udp.getsockname()[1]
            self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                self.tcp.bind(("127.0.0.1", self.port))
                break
            except OSError:
                self.udp.close()
                self.tcp.close()
                if attempt == 49:
                    raise
        self.tcp.listen(16)
        self.stopping = False
        self.threads = [threading.Thread(target=self._serve_udp, daemon=True),
                        threading.Thread(target=self._serve_tcp, daemon=True)]
        for t in self.threads:
            t.start()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def set_zone(self, zone):
        self.zone = {k.lower().rstrip("."): list(v or []) for k, v in zone.items()}

    def add(self, name, *entries):
        self.zone.setdefault(name.lower().rstrip("."), []).extend(entries)

    def query_count(self, name=None):
        with self.lock:
            return sum(1 for q in self.queries if name is None or q[0] == name)

    def stop(self):
        self.stopping = True
        for s in (self.udp, self.tcp):
            try:
                s.close()
            except OSError:
                pass

    # --- answering -------------------------------------------------------------------------
    def _records(self, name, qtype):
        entries = self.zone.get(name, [])
        out = []
        has_txt = any(t == "TXT" for t, _ in entries)
        for t, v in entries:
            if t == "TXT" and v == "NONE":
                continue
            if t == qtype:
                out.append((t, v))
            elif qtype == "TXT" and t == "SPF" and not has_txt:
                out.append(("TXT", v))
        return out

    def _rr(self, name, t, v):
        if t == "A":
            rd = A(v)
        elif t == "AAAA":
            rd = AAAA(v)
        elif t in ("TXT", "SPF"):
            rd = RawTXT(_strings(v))
        elif t == "MX":
            rd = MX(v[1], v[0])
        elif t == "PTR":
            rd = PTR(v)
        elif t == "CNAME":
            rd = CNAME(v)
        elif t == "NS":
            rd = NS(v)
        else:
            return None
        return RR(name, getattr(QTYPE, t), rdata=rd, ttl=self.ttl)

    @staticmethod
    def _wire_name(name):
        return DNSLabel([p.encode("latin-1") for p in name.split(".")])

    def _exists(self, name):
        return name in self.zone or any(k.endswith("." + name) for k in self.zone)

    def answer(self, data):
        """The reply bytes for a query, or None to stay silent."""
        try:
            req = DNSRecord.parse(data)
        except Exception:
            return None
        q = req.q
        # The labels as bytes: str() would escape spaces and the like ("\\032").
        name = ".".join(lbl.decode("latin-1") for lbl in q.qname.label).lower()
        qtype = QTYPE.get(q.qtype, str(q.qtype))
        with self.lock:
            self.queries.append((name, qtype))
        reply = req.reply()
        chain_name = name
        for _ in range(10):
            recs = self._records(chain_name, qtype)
            if recs:
                for t, v in recs:
                    rr = self._rr(self._wire_name(chain_name), t, v)
                    if rr:
                        reply.add_answer(rr)
                return reply.pack()
            cname = [v for t, v in self.zone.get(chain_name, []) if t == "CNAME"]
            if not cname or qtype == "CNAME":
                break
            reply.add_answer(self._rr(chain_name, "CNAME", cname[0]))
            chain_name = cname[0].lower().rstrip(".")
        flags = [t for t, _ in self.zone.get(chain_name, [])]
        if "TIMEOUT" in flags:
            return None
        if "SERVFAIL" in flags:
            reply.header.rcode = RCODE.SERVFAIL
            return reply.pack()
        if not self._exists(chain_name):
            reply.header.rcode = RCODE.NXDOMAIN
        reply.add_auth(RR("test", QTYPE.SOA, ttl=self.negative_ttl,
                          rdata=SOA("ns.test", "hostmaster.test", (1, 3600, 600, 86400, self.negative_ttl))))
        return reply.pack()

    def _serve_udp(self):
        while not self.stopping:
            try:
                data, peer = self.udp.recvfrom(4096)
            except OSError:
                return
            out = self.answer(data)
            if out is None:
                continue
            limit = 512
            try:
                req = DNSRecord.parse(data)
                for ar in req.ar:
                    if ar.rtype == QTYPE.OPT:
                        limit = max(512, ar.rclass)
            except Exception:
                pass
            if len(out) > limit:
                # Header with TC set and the question only: the client retries over TCP.
                r = DNSRecord.parse(out)
                r.rr, r.auth, r.ar = [], [], []
                r.header.tc = 1
                out = r.pack()
            try:
                self.udp.sendto(out, peer)
            except OSError:
                pass

    def _serve_tcp(self):
        while not self.stopping:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                return
            threading.Thread(target=self._tcp_conn, args=(conn,), daemon=True).start()

    def _tcp_conn(self, conn):
        conn.settimeout(5)
        try:
            while True:
                hdr = conn.recv(2)
                if len(hdr) < 2:
                    return
                (n,) = struct.unpack("!H", hdr)
                data = b""
                while len(data) < n:
                    chunk = conn.recv(n - len(data))
                    if not chunk:
                        return
                    data += chunk
                out = self.answer(data)
                if out is not None:
                    conn.sendall(struct.pack("!H", len(out)) + out)
        except OSError:
            pass
        finally:
            conn.close()
