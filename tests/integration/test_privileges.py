"""Least privilege: started as root, `run` binds, opens its state, hands that state to the
configured user and becomes it (supplementary groups cleared) before serving; as root with no
user it refuses to serve unless run_as_root says so. Listening sockets from systemd socket
activation (the real systemd-socket-activate) replace the configured addresses."""
import http.client
import os
import pwd
import shutil
import subprocess
import unittest

from harness import BIN, Gateway, free_port, listening, message, require_peer, send_message, wait_for

AS_ROOT = os.geteuid() == 0


def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.split()
    return fields


class PrivilegeTest(unittest.TestCase):
    def deliver(self, gw):
        c = gw.client()
        c.banner_and_ehlo("client.test")
        code, text = send_message(c, "a@sender.test", ["bob@example.com"], message("hi"))
        c.cmd("QUIT")
        c.close()
        return code, text

    @require_peer(AS_ROOT, "root")
    def test_root_without_a_user_is_refused(self):
        gw = Gateway(start=False)
        self.addCleanup(gw.stop)
        r = subprocess.run([BIN, "run", "--config", gw.config, "-o", "run_as_root=false"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("refusing to serve as root", r.stderr)

    @require_peer(AS_ROOT, "root")
    def test_drops_to_the_configured_user_and_serves(self):
        nobody = pwd.getpwnam("nobody")
        gw = Gateway(start=False, extra='user = "nobody"\ngroup = "nogroup"\n')
        os.chmod(gw.dir, 0o755)  # the config must stay readable (SIGHUP) after the drop
        gw.overrides.append(f'rules.cache_dir="{gw.dir}/rules-cache"')
        gw.start()
        self.addCleanup(gw.stop)
        # The gateway listens before it drops (it binds as root): read its ids once it says it
        # dropped, not as soon as the port answers (the sanitizer build showed uid 0 there).
        wait_for(lambda: "running as user nobody" in gw.log(), what="the privilege drop")
        st = status(gw.proc.pid)
        self.assertEqual(st["Uid"], [str(nobody.pw_uid)] * 4)
        self.assertEqual(st["Gid"], [str(nobody.pw_gid)] * 4)
        self.assertEqual(st["Groups"], [])
        self.assertEqual(st["CapEff"], ["0000000000000000"])
        self.assertIn("running as user nobody", gw.log())
        code, text = self.deliver(gw)
        self.assertEqual(code, 250, text)
        files = os.listdir(os.path.join(gw.dir, "maildir", "new"))
        self.assertEqual(len(files), 1)
        self.assertEqual(os.stat(os.path.join(gw.dir, "maildir", "new", files[0])).st_uid, nobody.pw_uid)
        self.assertEqual(os.stat(os.path.join(gw.dir, "quarantine", "new")).st_uid, nobody.pw_uid)
        # A reload re-reads the config as the user.
        gw.signal(1)
        wait_for(lambda: "reload complete" in gw.log() or "reload failed" in gw.log(), what="reload")
        self.assertIn("reload complete", gw.log())
        self.assertNotRegex(gw.log(), r" (error|warning): ")

    def test_unknown_user_is_a_config_error(self):
        gw = Gateway(start=False, extra='user = "no-such-user-here"\n')
        self.addCleanup(gw.stop)
        r = subprocess.run([BIN, "check-config", gw.config], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("user 'no-such-user-here': no such user", r.stdout + r.stderr)

    @require_peer(shutil.which("systemd-socket-activate"), "systemd-socket-activate")
    def test_socket_activation(self):
        smtp_port, admin_port = free_port(), free_port()
        gw = Gateway(start=False, extra=f'[admin]\nlisten = "127.0.0.1:{free_port()}"\n')
        self.addCleanup(gw.stop)
        configured = gw.port
        # systemd-socket-activate binds both, and execs the gateway at the first connection.
        gw.logf = open(gw.log_path, "wb")
        gw.proc = subprocess.Popen(
            ["systemd-socket-activate", "-l", f"127.0.0.1:{smtp_port}", "-l", f"127.0.0.1:{admin_port}",
             "--fdname=smtp:admin", BIN, "run", "--config", gw.config] + sum((["-o", o] for o in gw.overrides), []),
            stdout=gw.logf, stderr=subprocess.STDOUT)
        wait_for(lambda: listening(smtp_port), what="socket bound")
        gw.port = smtp_port
        code, text = self.deliver(gw)
        self.assertEqual(code, 250, text)
        self.assertIn(f"listening on 127.0.0.1:{smtp_port} (from systemd)", gw.log())
        self.assertIn(f"admin listening on 127.0.0.1:{admin_port} (from systemd)", gw.log())
        self.assertFalse(listening(configured), "the configured address must not be bound as well")
        conn = http.client.HTTPConnection("127.0.0.1", admin_port, timeout=5)
        conn.request("GET", "/healthz")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()


if __name__ == "__main__":
    from harness import main
    main()
