"""The Debian package, installed for real: cpack builds it from this build tree, dpkg -i installs
it on this machine, the installed config passes check-config, systemd-analyze verify accepts the
units, and the installed binary, started as the package's user on a high port, delivers a
message end to end. Purged again at the end. Needs root (CI runs as root)."""
import glob
import gzip
import http.client
import os
import pwd
import shutil
import subprocess
import tempfile
import unittest

from harness import SmtpClient, free_port, listening, message, need_peer, require_peer, send_message, wait_for

BUILD = os.environ.get("PORTCULLIS_BUILD_DIR", "build")
CONFIG = "/etc/portcullis/portcullis.toml"


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)


@require_peer(os.geteuid() == 0 and shutil.which("dpkg") and shutil.which("cpack"), "root, dpkg or cpack")
class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="portcullis-deb-")
        r = run("cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", cls.out)
        assert r.returncode == 0, r.stdout + r.stderr
        cls.deb = glob.glob(os.path.join(cls.out, "portcullis_*.deb"))[0]
        r = run("dpkg", "-i", cls.deb)
        assert r.returncode == 0, r.stdout + r.stderr
        cls.proc = None

    @classmethod
    def tearDownClass(cls):
        status = 0
        if cls.proc:
            if cls.proc.poll() is None:
                cls.proc.terminate()
            status = cls.proc.wait(timeout=30)
        run("dpkg", "--purge", "portcullis")
        shutil.rmtree(cls.out, ignore_errors=True)
        # The installed gateway must shut down cleanly on SIGTERM, as under systemd.
        assert status == 0, f"installed gateway exited with {status} on SIGTERM"

    def test_1_layout_user_and_permissions(self):
        for path in ("/usr/sbin/portcullis", CONFIG, "/etc/portcullis/rules.d/local.cf",
                     "/lib/systemd/system/portcullis.service", "/lib/systemd/system/portcullis.socket",
                     "/usr/share/man/man8/portcullis.8.gz", "/usr/share/man/man5/portcullis.toml.5.gz",
                     "/usr/share/man/man5/portcullis-rules.5.gz"):
            self.assertTrue(os.path.exists(path), path)
        # The shipped rules are compiled into the binary (builtin:shipped): no copy on disk.
        self.assertFalse(os.path.exists("/usr/share/portcullis/rules"))
        with open(CONFIG) as f:
            self.assertIn('paths = ["builtin:shipped", "/etc/portcullis/rules.d"]', f.read())
        for page in glob.glob("/usr/share/man/man*/portcullis*.gz"):
            self.assertTrue(gzip.open(page).read().startswith(b".TH "), page)
        user = pwd.getpwnam("portcullis")
        self.assertEqual(user.pw_shell.rsplit("/", 1)[-1], "nologin")
        st = os.stat(CONFIG)
        self.assertEqual(st.st_mode & 0o777, 0o640)
        self.assertEqual(st.st_gid, user.pw_gid)
        st = os.stat("/var/lib/portcullis")
        self.assertEqual((st.st_uid, st.st_mode & 0o777), (user.pw_uid, 0o750))
        r = run("dpkg-query", "--control-show", "portcullis", "conffiles")
        self.assertIn(CONFIG, r.stdout)
        r = run("dpkg", "-s", "portcullis")
        self.assertIn("libhyperscan5", r.stdout)  # shared-library dependencies were computed

    def test_2_units_verify(self):
        need_peer(shutil.which("systemd-analyze"), "systemd-analyze")
        r = run("systemd-analyze", "verify", "/lib/systemd/system/portcullis.service",
                "/lib/systemd/system/portcullis.socket")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("portcullis", r.stdout + r.stderr)  # no complaint about our units
        unit = open("/lib/systemd/system/portcullis.service").read()
        for line in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                     "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "ReadWritePaths=/var/lib/portcullis",
                     "ExecReload=/bin/kill -HUP $MAINPID", "User=portcullis"):
            self.assertIn(line + "\n", unit)

    def test_3_installed_binary_as_the_package_user(self):
        as_user = ["setpriv", "--reuid=portcullis", "--regid=portcullis", "--clear-groups"]
        r = run(*as_user, "/usr/sbin/portcullis", "check-config", CONFIG)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("OK", r.stdout + r.stderr)
        port, admin = free_port(), free_port()
        log = open(os.path.join(self.out, "gateway.log"), "wb")
        type(self).proc = subprocess.Popen(
            as_user + ["/usr/sbin/portcullis", "run", "--config", CONFIG, "-o", f"listen=127.0.0.1:{port}",
                       "-o", f"admin.listen=127.0.0.1:{admin}", "-o", "dns.servers=127.0.0.1:9",
                       "-o", "dns.timeout=0.5", "-o", "firewall.pregreet_delay=0"],
            stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: listening(port) or self.proc.poll() is not None, timeout=60, what="installed gateway")
        self.assertIsNone(self.proc.poll(), open(log.name).read())
        c = SmtpClient(port)
        c.banner_and_ehlo("client.test")
        code, text = send_message(c, "a@sender.test", ["bob@example.com"], message("from the package"))
        c.cmd("QUIT")
        c.close()
        self.assertEqual(code, 250, text)
        delivered = glob.glob("/var/lib/portcullis/maildir/new/*")
        self.assertEqual(len(delivered), 1)
        self.assertEqual(os.stat(delivered[0]).st_uid, pwd.getpwnam("portcullis").pw_uid)
        self.assertIn(b"Subject: from the package", open(delivered[0], "rb").read())
        conn = http.client.HTTPConnection("127.0.0.1", admin, timeout=5)
        conn.request("GET", "/metrics")
        body = conn.getresponse().read().decode()
        self.assertIn('portcullis_transactions_total{', body)
        conn.close()


if __name__ == "__main__":
    from harness import main
    main()
