#!/usr/bin/python3
"""Detection side by side: what SpamAssassin and Portcullis catch on the labelled public corpus
(../shared/corpora/spamassassin-public-corpus, labels.tsv: spam or ham per file), in one run.

Systems, each over the same messages (mbox line dropped, CRLF made LF, an X-Agreement-Id field
added so that answers can be matched up, as tests/agreement/sa_agreement.py does):
  spamassassin   `spamassassin -L -t` with SpamAssassin's own defaults (stock rules in
                 /usr/share/spamassassin, site config /etc/spamassassin), Bayes and the
                 auto-welcomelist off (no databases), required_score 5.0; in --jobs processes,
                 each over an mbox of a slice of the messages.
  portcullis     `portcullis scan --json --config packaging/portcullis.toml`, run from the repo
                 root (relative rule paths resolve there), many files per process, --jobs
                 processes; with -o rules.network_tests=false when the binary knows that key (an
                 older binary refuses unknown keys: then the key is left out), store=memory:
                 (nothing is written to ./var, nothing learned between messages) and the rules
                 cache in the build directory.
  portcullis+stock  (--with-stock) the same plus the stock SpamAssassin rules in rules.paths.
  portcullis:FILE   (--config FILE, repeatable) the same with another configuration.
  rspamd         only if the rspamd binary is installed; it is not measured by this tool yet
                 (bench/content_vs_spamassassin.py runs it for speed), which the output says.
  -o KEY=VALUE (repeatable) goes to every Portcullis run.
A binary without rules.network_tests still asks DNS for DKIM keys and DMARC policies (about
20 ms a message where the resolver does not answer; with a working one, today's DMARC policies
judge mail from 2002); -o auth.enabled=false compares like with like (spamassassin -L asks none).

Flagged: SpamAssassin score >= 5.0; Portcullis action other than accept (add_headers, quarantine,
tempfail, reject, discard: whatever its thresholds decide); Portcullis score >= 5.0 is shown too.
Printed per system: catch rate on spam, false positives on ham, per folder; the messages one
side flagged and the other did not; the 30 rules each side fired most on messages where the
other side did not fire a rule of the same name, split by spam and ham (the next gap to close);
the elapsed time of each system. A Portcullis process that crashes is retried on halves of its
files until the message that crashes it is found; such messages are counted and left out.

usage: bench/detection.py [--sample N] [--seed S] [--jobs N] [--with-stock] [--config FILE]...
                          [-o KEY=VALUE]... [--no-spamassassin] [--top N] [--json FILE]
  --sample N   messages, stratified over the five folders (proportional); 0 = all 6,046
               (default 1500; spamassassin takes 0.1-0.3 s per message per core)
  --json FILE  every figure, per system and per message, as JSON

Environment: PORTCULLIS_BIN (default build/gateway/portcullis), PORTCULLIS_RULES_CACHE (default
build/gateway/rules-cache), PORTCULLIS_SHARED (default ../shared, or ../../shared from a
git worktree).
"""
import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "agreement"))
import sa_agreement  # noqa: E402  (the spamassassin runner and message tagging are shared)



def shared_dir():
    """../shared beside the checkout; a git worktree one level further down finds it too."""
    if os.environ.get("PORTCULLIS_SHARED"):
        return os.environ["PORTCULLIS_SHARED"]
    for up in (("..",), ("..", "..")):
        d = os.path.normpath(os.path.join(ROOT, *up, "shared"))
        if os.path.isdir(d):
            return d
    return os.path.normpath(os.path.join(ROOT, "..", "shared"))


SHARED = shared_dir()
CORPUS = os.path.join(SHARED, "corpora", "spamassassin-public-corpus")
BIN = os.environ.get("PORTCULLIS_BIN", os.path.join(ROOT, "build", "gateway", "portcullis"))
CACHE = os.environ.get("PORTCULLIS_RULES_CACHE") or os.path.join(os.path.dirname(BIN), "rules-cache")
SHIPPED_CONFIG = os.path.join(ROOT, "packaging", "portcullis.toml")
STOCK_RULES = "/usr/share/spamassassin"
FOLDERS = ("easy_ham", "easy_ham_2", "hard_ham", "spam", "spam_2")
REQUIRED = 5.0
# Files per Portcullis process at most: bounds what a crash costs to bisect.
BATCH = 400


def labelled_corpus():
    rows = []
    with open(os.path.join(CORPUS, "labels.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or parts[0] == "path" or parts[1] not in ("spam", "ham"):
                continue
            path = os.path.join(SHARED, "corpora", parts[0])
            folder = parts[0].split("/")[-2]
            if os.path.isfile(path):
                rows.append({"path": path, "label": parts[1], "folder": folder})
    if not rows:
        sys.exit(f"no labelled messages under {CORPUS}")
    return rows


def stratified_sample(rows, n, seed):
    """n messages, each folder contributing its share of the corpus (largest remainders), so the
    per-folder figures stay comparable between runs of different sizes."""
    if not n or n >= len(rows):
        return rows
    by_folder = collections.defaultdict(list)
    for r in rows:
        by_folder[r["folder"]].append(r)
    quota = {f: n * len(v) / len(rows) for f, v in by_folder.items()}
    take = {f: int(q) for f, q in quota.items()}
    for f in sorted(quota, key=lambda f: -(quota[f] - take[f]))[: n - sum(take.values())]:
        take[f] += 1
    rng = random.Random(seed)
    out = []
    for f in sorted(by_folder):
        members = sorted(by_folder[f], key=lambda r: r["path"])
        rng.shuffle(members)
        out += sorted(members[: max(1, take[f])], key=lambda r: r["path"])
    return out


def probe_overrides(config, overrides, workdir):
    """The overrides this binary accepts: each is tried alone on a one-line message; one it
    refuses as an unknown key is left out (today's binary does not know rules.network_tests)."""
    probe = os.path.join(workdir, "probe.eml")
    with open(probe, "wb") as f:
        f.write(b"Subject: probe\n\nprobe\n")
    kept = []
    for ov in overrides:
        r = subprocess.run([BIN, "scan", "--json", "--config", config, "-o", "store=memory:", "-o",
                            f"rules.cache_dir={json.dumps(CACHE)}", "-o", ov, probe], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode == 4 and "unknown key" in r.stderr:
            print(f"note: {os.path.basename(BIN)} does not know {ov.split('=')[0]}: left out")
        elif r.returncode in (0, 1, 2, 3):
            kept.append(ov)
        else:
            sys.exit(f"portcullis scan -o {ov} failed with status {r.returncode}: {r.stderr[-2000:]}")
    return kept


class PortcullisRun:
    """portcullis scan --json over many files per process, `jobs` processes at once."""

    def __init__(self, config, overrides, names=None):
        self.names = names or {}  # scanned file -> the corpus file it was made from, for notes
        self.cmd = [BIN, "scan", "--json", "--config", config, "-o", "store=memory:", "-o",
                    f"rules.cache_dir={json.dumps(CACHE)}"]
        for ov in overrides:
            self.cmd += ["-o", ov]
        self.crashed = []

    def start(self, files):
        return subprocess.Popen(self.cmd + files, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self, proc, files):
        out, err = proc.communicate()
        answers, asked = {}, set(files)
        for line in out.decode("utf-8", "replace").splitlines():
            if line.startswith("{"):
                try:
                    r = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash
                if r.get("file") in asked and "action" in r:
                    answers[r["file"]] = r
        if proc.returncode in (0, 1, 2, 3) and len(answers) == len(files):
            return answers, []
        if proc.returncode == 4 and not answers:
            sys.exit(f"portcullis scan failed: {err.decode('utf-8', 'replace')[-2000:]}")
        # A crash loses what stdout buffered: try again on halves of what is unanswered.
        return answers, [f for f in files if f not in answers]

    def run(self, files, jobs):
        pending = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
        answers = {}
        while pending:
            batch, pending = pending[:jobs], pending[jobs:]
            running = [(self.start(b), b) for b in batch]
            for proc, b in running:
                got, missing = self.finish(proc, b)
                answers.update(got)
                if missing and len(b) == 1:
                    self.crashed.append(b[0])
                    print(f"note: portcullis scan died ({proc.returncode}) on {self.names.get(b[0], b[0])}; "
                          "left out")
                elif missing:
                    half = (len(missing) + 1) // 2
                    pending += [missing[:half], missing[half:]] if len(missing) > 1 else [missing]
        return answers


def flagged_portcullis(answer):
    return answer["action"] != "accept"


def tally(rows, flagged):
    """[messages, flagged] per label ("spam", "ham") and per folder ("folder/spam", ...): the
    label spam and the folder spam are different sets."""
    t = {k: [0, 0] for k in ("spam", "ham", *(f"folder/{f}" for f in FOLDERS))}
    for r, flag in zip(rows, flagged):
        if flag is None:
            continue
        for k in (r["label"], f"folder/{r['folder']}"):
            t.setdefault(k, [0, 0])
            t[k][0] += 1
            t[k][1] += bool(flag)
    return t


def pct(part, whole):
    return 100.0 * part / whole if whole else 0.0


def print_table(systems, rows):
    print(f"\n{'system':34} {'spam caught':>17} {'ham flagged (FP)':>17}   " +
          " ".join(f"{f:>11}" for f in FOLDERS))
    figures = {}
    for name, flagged in systems:
        t = tally(rows, flagged)
        figures[name] = {k: {"messages": v[0], "flagged": v[1], "percent": round(pct(v[1], v[0]), 2)}
                         for k, v in t.items()}
        cells = " ".join(f"{pct(t['folder/' + f][1], t['folder/' + f][0]):10.1f}%" for f in FOLDERS)
        print(f"{name:34} {t['spam'][1]:5d}/{t['spam'][0]:<5d}{pct(t['spam'][1], t['spam'][0]):5.1f}% "
              f"{t['ham'][1]:5d}/{t['ham'][0]:<5d}{pct(t['ham'][1], t['ham'][0]):5.1f}%   {cells}")
    print(f"{'(folder sizes)':34} {'':17} {'':17}   " +
          " ".join(f"{tally(rows, [True] * len(rows))['folder/' + f][0]:11d}" for f in FOLDERS))
    return figures


def disagreements(rows, a_flags, b_flags):
    """Messages one side flagged and the other did not, per label."""
    out = {"spam": [0, 0], "ham": [0, 0]}
    for r, a, b in zip(rows, a_flags, b_flags):
        if a is None or b is None or bool(a) == bool(b):
            continue
        out[r["label"]][0 if a else 1] += 1
    return out


def rule_gaps(rows, a_rules, b_rules):
    """Per label: rule -> [messages where it fired on side a and no same-named rule on side b,
    its points summed] (and the same the other way)."""
    gaps = {side: {"spam": collections.defaultdict(lambda: [0, 0.0]),
                   "ham": collections.defaultdict(lambda: [0, 0.0])} for side in ("a", "b")}
    for r, a, b in zip(rows, a_rules, b_rules):
        if a is None or b is None:
            continue
        for side, mine, other in (("a", a, b), ("b", b, a)):
            for rule, points in mine.items():
                if rule not in other:
                    g = gaps[side][r["label"]][rule]
                    g[0] += 1
                    g[1] += points
    return gaps


def print_gaps(a_name, b_name, gaps, top):
    out = {}
    for side, name, other in (("a", a_name, b_name), ("b", b_name, a_name)):
        for label in ("spam", "ham"):
            ranked = sorted(gaps[side][label].items(), key=lambda kv: (-kv[1][0], kv[0]))[:top]
            out[f"{name} not {other} on {label}"] = [
                {"rule": k, "messages": v[0], "mean_points": round(v[1] / v[0], 3)} for k, v in ranked]
            print(f"\ntop {top} rules {name} fired on {label} where {other} did not "
                  f"(messages, mean points):")
            for i in range(0, len(ranked), 2):
                cells = [f"  {k:30} {v[0]:5d} {v[1] / v[0]:6.2f}" for k, v in ranked[i:i + 2]]
                print("".join(cells))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--with-stock", action="store_true")
    ap.add_argument("--config", action="append", default=[])
    ap.add_argument("-o", dest="overrides", action="append", default=[])
    ap.add_argument("--no-spamassassin", action="store_true")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--json")
    args = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no portcullis binary at {BIN} (build it, or set PORTCULLIS_BIN)")

    rows = stratified_sample(labelled_corpus(), args.sample, args.seed)
    print(f"messages: {len(rows)} ({sum(r['label'] == 'spam' for r in rows)} spam, "
          f"{sum(r['label'] == 'ham' for r in rows)} ham); portcullis: {BIN}")
    report = {"messages": len(rows), "sample": args.sample, "seed": args.seed, "systems": {},
              "elapsed_seconds": {}}
    systems = []  # (name, flagged per row, rules per row {name: points}, scores per row)
    with tempfile.TemporaryDirectory() as work:
        tagged = [sa_agreement.read_message(r["path"], i) for i, r in enumerate(rows)]
        files = []
        for i, body in enumerate(tagged):
            files.append(os.path.join(work, f"m{i:05d}.eml"))
            with open(files[-1], "wb") as f:
                f.write(body)

        variants = [("portcullis", SHIPPED_CONFIG, [])]
        if args.with_stock:
            paths = json.dumps(["./rules/shipped", STOCK_RULES])
            variants.append(("portcullis+stock", SHIPPED_CONFIG, [f"rules.paths={paths}"]))
        for c in args.config:
            variants.append((f"portcullis:{os.path.basename(c)}", os.path.abspath(c), []))
        optional = probe_overrides(SHIPPED_CONFIG, ["rules.network_tests=false"], work)
        for name, config, extra in variants:
            run = PortcullisRun(config, optional + args.overrides + extra,
                                {f: r["path"] for f, r in zip(files, rows)})
            # One process first compiles the rules into the cache (about 40 s for the stock
            # set), so the parallel ones do not each compile them; timed as start-up.
            start = time.monotonic()
            run.run(files[:1], 1)
            report.setdefault("startup_seconds", {})[name] = round(time.monotonic() - start, 1)
            start = time.monotonic()
            answers = run.run(files, args.jobs)
            report["elapsed_seconds"][name] = round(time.monotonic() - start, 1)
            got = [answers.get(f) for f in files]
            systems.append((name, [flagged_portcullis(a) if a else None for a in got],
                            [{s["name"]: s["score"] for s in a["symbols"]} if a else None for a in got],
                            [a["score"] if a else None for a in got]))
            systems.append((f"{name} (score>=5)", [a["score"] >= REQUIRED if a else None for a in got],
                            None, None))
            if run.crashed:
                report.setdefault("crashed", {})[name] = [rows[files.index(f)]["path"] for f in run.crashed]
            print(f"{name}: {report['elapsed_seconds'][name]:.1f} s, {len(answers)} answers (start-up "
                  f"{report['startup_seconds'][name]:.1f} s before)"
                  f"{f', {len(run.crashed)} crashed' if run.crashed else ''}")

        if not args.no_spamassassin:
            start = time.monotonic()
            answers = sa_agreement.run_spamassassin(tagged, work, None, jobs=args.jobs,
                                                    required=f"{REQUIRED:.1f}")
            report["elapsed_seconds"]["spamassassin"] = round(time.monotonic() - start, 1)
            got = [answers.get(i) for i in range(len(rows))]
            missing = sum(a is None for a in got)
            print(f"spamassassin: {report['elapsed_seconds']['spamassassin']:.1f} s, {len(answers)} answers"
                  f"{f', {missing} unanswered (left out)' if missing else ''}")
            systems.insert(0, ("spamassassin", [a["score"] >= REQUIRED if a and a["score"] is not None else None
                                                for a in got],
                               [{t: a["points"].get(t, 0.0) for t in a["tests"]} if a else None for a in got],
                               [a["score"] if a else None for a in got]))

    rspamd = shutil.which("rspamd")
    report["rspamd"] = "not installed" if not rspamd else "installed, not measured"
    print("rspamd: not installed" if not rspamd else
          "rspamd: installed at " + rspamd + ", but this tool does not measure its detection yet")

    report["systems"] = print_table([(n, f) for n, f, _, _ in systems], rows)
    print("\nelapsed: " + ", ".join(f"{k} {v:.1f} s" for k, v in report["elapsed_seconds"].items()))

    with_rules = [s for s in systems if s[2] is not None]
    if with_rules[0][0] == "spamassassin":
        sa = with_rules[0]
        report["comparisons"] = {}
        for other in with_rules[1:]:
            d = disagreements(rows, sa[1], other[1])
            print(f"\nflagged by one side only, spamassassin vs {other[0]}:")
            for label in ("spam", "ham"):
                print(f"  {label:4}: spamassassin only {d[label][0]:5d}   {other[0]} only {d[label][1]:5d}")
            gaps = print_gaps("spamassassin", other[0], rule_gaps(rows, sa[2], other[2]), args.top)
            report["comparisons"][other[0]] = {
                "flagged_by_one_side": {label: {"spamassassin_only": d[label][0], f"{other[0]}_only": d[label][1]}
                                        for label in d},
                "rule_gaps": gaps}

    if args.json:
        report["per_message"] = [
            dict(path=r["path"], label=r["label"], folder=r["folder"],
                 **{name: {"flagged": f[i], "score": sc[i], "rules": sorted(ru[i]) if ru[i] is not None else None}
                    for name, f, ru, sc in systems if ru is not None})
            for i, r in enumerate(rows)]
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
