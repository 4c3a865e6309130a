"""OpenDKIM's miltertest against the milter front door: protocol edge cases from Lua scripts
(tests/milter/*.lua): an MTA that negotiates fewer capabilities, a message aborted half-way,
several messages on one connection."""
import os
import subprocess
import unittest

from harness import Gateway, free_port, have, require_peer, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.abspath(os.path.join(HERE, "..", "milter"))


@require_peer(have("miltertest"), "miltertest")
class MiltertestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.gw = Gateway(extra=f'[milter]\nlisten = ["inet:127.0.0.1:{cls.port}"]\n',
                         shipped_rules=True)
        wait_for(lambda: "milter listening" in cls.gw.log(), what="milter")

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()

    def run_script(self, name):
        env = dict(os.environ, MILTER_SOCKET=f"inet:{self.port}@127.0.0.1", MILTER_SCRIPTS=SCRIPTS)
        r = subprocess.run(["miltertest", "-s", os.path.join(SCRIPTS, name)], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr + self.gw.log()[-3000:])
        self.assertIn("ok " + name[:-4], r.stdout)

    def test_fewer_capabilities(self):
        self.run_script("fewer_capabilities.lua")

    def test_abort_and_several_messages(self):
        self.run_script("abort_and_several.lua")
        self.assertIn("action=reject", self.gw.log())


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
