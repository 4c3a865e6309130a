#!/usr/bin/python3
"""X-Spam-Relays-Trusted and -Untrusted: SpamAssassin's relay analysis (Received.pm) versus
Portcullis's (gateway/content/relays), on the same messages, with SpamAssassin's stock settings
and no trusted_networks. Prints how many messages get byte-identical texts and the first
differences. A developer's tool, run by hand. By default it reads the 100-message sample in
tests/data/spamassassin-sample (in every clone); --shared reads the whole public corpus from
../shared (PORTCULLIS_SHARED), which only the project's own machines have.

usage: relays_agreement.py [--sample N] [--show N] [--shared | --corpus DIR]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("PORTCULLIS_SHARED", os.path.join(ROOT, "..", "shared"))
SAMPLE = os.path.join(ROOT, "tests", "data", "spamassassin-sample")
DUMP = os.environ.get("RELAY_DUMP", os.path.join(ROOT, "build", "tests", "relay_dump"))

PERL = r'''
use Mail::SpamAssassin;
my $sa = Mail::SpamAssassin->new({local_tests_only => 1, dont_copy_prefs => 1, userprefs_filename => "/dev/null"});
$sa->init(1);
for my $f (@ARGV) {
  open(my $fh, "<", $f) or next; local $/; my $t = <$fh>; close $fh;
  $t =~ s/\A From [^\n]*\n//x;
  my $m = $sa->parse($t);
  my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $m);
  $pms->extract_message_metadata();
  my $tr = $pms->get("X-Spam-Relays-Trusted") // ""; my $un = $pms->get("X-Spam-Relays-Untrusted") // "";
  $tr =~ s/\n//g; $un =~ s/\n//g;
  print "$f\t$tr\t$un\n";
  $pms->finish(); $m->finish();
}
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=500)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--shared", action="store_true")
    ap.add_argument("--corpus")
    args = ap.parse_args()
    base = args.corpus or (os.path.join(SHARED, "corpora", "spamassassin-public-corpus") if args.shared else SAMPLE)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(base) for f in fs
                   if f not in ("labels.tsv", "LICENSE", "NOTICE", "README.md") and not f.endswith(".md"))
    random.Random(16).shuffle(files)
    files = files[:args.sample] if args.sample else files
    with tempfile.NamedTemporaryFile("w", suffix=".pl", delete=False) as pl:
        pl.write(PERL)
    sa = subprocess.run(["perl", pl.name, *files], capture_output=True, text=True, errors="replace").stdout
    pc = subprocess.run([DUMP, "--rules", "/usr/share/spamassassin", *files], capture_output=True,
                        text=True, errors="replace").stdout
    parse = lambda out: {l.split("\t")[0]: l.split("\t")[1:] for l in out.splitlines() if l.count("\t") == 2}
    a, b = parse(sa), parse(pc)
    same = [f for f in files if f in a and a[f] == b.get(f)]
    print(f"relays: identical trusted+untrusted texts on {len(same)} of {len(files)} messages "
          f"({100.0 * len(same) / max(1, len(files)):.1f}%)")
    shown = 0
    for f in files:
        if f in a and a[f] != b.get(f) and shown < args.show:
            shown += 1
            print(f"\n{f}\n  spamassassin: {a[f]}\n  portcullis:   {b.get(f)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
