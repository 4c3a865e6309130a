"""The embedded store survives kill -9 during writes: a writer commits transactions as fast as
it can (each growing the tree by 50 keys) and is killed with SIGKILL at a random moment, 25
times over. After each kill the store must reopen with no recovery step, every record must
decode, and the counter must hold exactly the commits the writer reported (plus at most the
one it committed but had no time to report)."""
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

WRITER = os.environ.get("STORE_WRITER", "build/tests/store_writer")


class KillNineTest(unittest.TestCase):
    def test_kill_during_writes_loses_nothing_committed(self):
        tmp = tempfile.mkdtemp(prefix="portcullis-kill9-")
        url = "lmdb:" + os.path.join(tmp, "store")
        rng = random.Random(20261123)
        committed = 0
        try:
            for round_ in range(25):
                w = subprocess.Popen([WRITER, "write", url], stdout=subprocess.PIPE)
                # The first kill comes at once, before the writer can have committed (or even
                # created) anything: that must read as an empty store, not a broken one.
                time.sleep(0 if round_ == 0 else rng.uniform(0.02, 0.3))
                os.kill(w.pid, signal.SIGKILL)
                out, _ = w.communicate(timeout=10)
                lines = out.decode().split("\n")
                reported = int(lines[-2]) if len(lines) >= 2 and lines[-2] else 0
                v = subprocess.run([WRITER, "verify", url], capture_output=True, timeout=30)
                self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
                fields = dict(f.split("=") for f in v.stdout.decode().split())
                self.assertEqual(fields["undecodable"], "0")
                counter = int(fields["counter"]) if fields["counter"] != "-1" else 0
                self.assertGreaterEqual(counter, committed + reported, (round_, fields))
                self.assertLessEqual(counter, committed + reported + 1, (round_, fields))
                self.assertEqual(int(fields["records"]), 1 + 50 * counter if counter else 0)
                committed = counter
            self.assertGreater(committed, 100)  # the writer did get work done between kills
            print(f"25 kills, {committed} transactions committed and all found intact")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from harness import main
    main(verbosity=2)
