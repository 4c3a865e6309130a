#!/usr/bin/python3
"""Which stock SpamAssassin rules fire on which messages: spamassassin -L -t versus
portcullis scan --json, on the same messages, with the same rule files.

Prints, per rule type, the hit agreement: hits both saw / hits either saw, over every
(message, rule) pair where the rule runs in both systems (regex rules and the metas Portcullis
runs; eval rules are not in these rows). Also lists the rules that disagree most, which is where
to look when the figure drops. On the messages where both hit the same tests, compares our
X-Spam-Status with SpamAssassin's own (format, Yes/No, score).

Then, as their own groups: the eval rules per eval function they call (`header X
eval:check_freemail_from()` is in eval:check_freemail_from), and the relay rules (header rules
over X-Spam-Relays-* or ALL-TRUSTED/ALL-UNTRUSTED/ALL-INTERNAL/ALL-EXTERNAL, and the metas that
depend on one). A rule counts as run when `portcullis rules list` says how it runs, or when
Portcullis fired it at least once; each group shows its scored rules, how many of them run, the
agreement over those, and how often SpamAssassin fired the ones that do not run (the gap).
Portcullis gets -o rules.network_tests=false when the binary knows that key.

A developer's tool, run by hand: by default it reads the 100-message sample in
tests/data/spamassassin-sample (in every clone); --shared reads the whole public corpus from
../shared (PORTCULLIS_SHARED), which only the project's own machines have. The test suite runs
it (tests/integration/test_stock_rules.py) on the sample.
bench/detection.py measures what the two catch (spam caught, ham flagged) on the same corpus.

usage: sa_agreement.py [--sample N] [--min PERCENT] [--min GROUP=PERCENT]... [--rules DIR] [--shared | --corpus DIR]
  --sample N   messages (spread over the folders); 0 = all (with --shared: all 6,046)
  --shared     the whole public corpus in ../shared instead of the sample in tests/data
  --min P      exit 1 if any rule type (header, body, rawbody, uri, full, meta) agrees below P percent
  --min G=P    exit 1 if group G agrees below P percent: a rule type, eval:FUNCTION, eval (every
               eval function with hits) or relay; a group with no hits is not checked (said so)
  --corpus D   every message file under D instead (LICENSE, NOTICE and README.md aside)
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "data", "spamassassin-sample")
SHARED = os.environ.get("PORTCULLIS_SHARED", os.path.join(HERE, "..", "..", "..", "shared"))
# The same required score for both, so that Yes/No and the score cap compare.
REQUIRED = "5.0"
BIN = os.environ.get("PORTCULLIS_BIN", os.path.join(HERE, "..", "..", "build", "gateway", "portcullis"))


def corpus_messages(sample, corpus=None, shared=False):
    """The messages to compare: files under `corpus`, else the labelled public corpus in
    ../shared when `shared`, else the sample in tests/data."""
    if not corpus and not shared:
        corpus = SAMPLE
    if corpus:
        rows = sorted(os.path.join(root, n) for root, _, names in os.walk(corpus) for n in names
                      if n not in ("LICENSE", "NOTICE", "README.md"))
        if not rows:
            sys.exit(f"no messages under {corpus}")
        return sample_of(rows, sample)
    base = os.path.join(SHARED, "corpora", "spamassassin-public-corpus")
    rows = []
    with open(os.path.join(base, "labels.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0] != "path":
                rows.append(os.path.join(SHARED, "corpora", parts[0]))
    rows = [r for r in rows if os.path.isfile(r)]
    tdata = os.path.join(SHARED, "corpora", "spamassassin-tdata", "t", "data")
    for sub in ("spam", "nice"):
        d = os.path.join(tdata, sub)
        rows += sorted(os.path.join(d, n) for n in os.listdir(d) if os.path.isfile(os.path.join(d, n)))
    return sample_of(rows, sample)


def sample_of(rows, sample):
    if sample and sample < len(rows):
        random.Random(7).shuffle(rows)
        rows = sorted(rows[:sample])
    return rows


def read_message(path, index):
    """The message with LF line ends and no mbox line, tagged with its index: spamassassin
    --mbox does not answer in input order. Both systems see the same tag."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"From "):
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    return b"X-Agreement-Id: %d\n" % index + data.replace(b"\r\n", b"\n")


def write_mbox(messages, mbox):
    """messages: the tagged texts (read_message); one mbox that spamassassin --mbox reads."""
    with open(mbox, "wb") as out:
        for body in messages:
            # mbox escaping; a body line starting "From " would otherwise split the message.
            body = re.sub(rb"(?m)^(>*From )", rb">\1", body)
            out.write(b"From portcullis-agreement@localhost Thu Jan  1 00:00:00 2026\n")
            out.write(body if body.endswith(b"\n") else body + b"\n")
            out.write(b"\n")


# A row of the test report (-t) under "Content analysis details": " 2.4 RDNS_NONE   Delivered ...".
REPORT_ROW = re.compile(r"(?m)^\s*(-?\d+\.\d+) ([A-Z0-9_]+)(?:\s|$)")


def parse_spamassassin_output(out):
    """Per message of a spamassassin -t --mbox output, by its X-Agreement-Id: the tests it hit,
    its X-Spam-Status, its score and the points of each test (from the report -t appends)."""
    answers = {}
    # Each output message starts with our "From " line; X-Spam-Status is in its header.
    for chunk in re.split(rb"(?m)^From portcullis-agreement@localhost .*\n", out)[1:]:
        head = chunk.split(b"\n\n", 1)[0].decode("utf-8", "replace")
        head = re.sub(r"\n[ \t]+", " ", head)
        ident = re.search(r"(?mi)^X-Agreement-Id: (\d+)", head)
        # The list is folded after commas: "tests=A,\n\tB autolearn=..."
        m = re.search(r"(?mi)^X-Spam-Status:.*?tests=((?:[^\s,]+,\s*)*[^\s,]*)", head)
        if not ident:
            continue
        tests = set()
        if m and m.group(1) and m.group(1) != "none":
            tests = {t.strip() for t in m.group(1).split(",") if t.strip()}
        status = re.search(r"(?mi)^X-Spam-Status:[ \t]*(.*)$", head)
        score = re.search(r"(?mi)^X-Spam-Status:.*?score=(-?\d+(?:\.\d+)?)", head)
        text = chunk.decode("utf-8", "replace")
        report = text[text.rfind("Content analysis details:"):] if "Content analysis details:" in text else ""
        points = {m.group(2): float(m.group(1)) for m in REPORT_ROW.finditer(report) if m.group(2) in tests}
        answers[int(ident.group(1))] = {"tests": tests, "status": status.group(1).strip() if status else None,
                                        "score": float(score.group(1)) if score else None, "points": points}
    return answers


def run_spamassassin(messages, workdir, configpath, jobs=2, required=REQUIRED):
    """spamassassin -L -t over the tagged messages, in `jobs` processes each over one mbox of a
    slice of them (one process per slice: start-up costs seconds). configpath None keeps
    SpamAssassin's own default rules directory; the site config (/etc/spamassassin) is read
    either way. Bayes and the auto-welcomelist are off (no databases; score set 0, as -L with no
    Bayes). Returns parse_spamassassin_output's answers for all of them; every message must be
    answered."""
    jobs = max(1, min(jobs, len(messages)))
    prefs = os.path.join(workdir, "user_prefs")
    open(prefs, "w").close()
    cmd = ["spamassassin", "-L", "-t", "--mbox", "-x", "-p", prefs]
    if configpath:
        cmd += ["--configpath", configpath]
    cmd += ["--cf", "use_bayes 0", "--cf", "use_auto_whitelist 0", "--cf", "report_safe 0",
            "--cf", f"required_score {required}"]
    procs = []
    for k in range(jobs):
        part = messages[k * len(messages) // jobs:(k + 1) * len(messages) // jobs]
        mbox, result = os.path.join(workdir, f"in{k}.mbox"), os.path.join(workdir, f"out{k}.mbox")
        write_mbox(part, mbox)
        with open(mbox, "rb") as stdin, open(result, "wb") as stdout:
            procs.append((subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL), result))
    answers = {}
    for proc, result in procs:
        if proc.wait() != 0:
            sys.exit(f"spamassassin failed with status {proc.returncode}")
        with open(result, "rb") as f:
            answers.update(parse_spamassassin_output(f.read()))
    return answers


def spamassassin_hits(paths, rules_dir, workdir):
    """Hits and X-Spam-Status per message, in the order of paths."""
    answers = run_spamassassin([read_message(p, i) for i, p in enumerate(paths)], workdir, rules_dir)
    missing = sum(1 for i in range(len(paths)) if i not in answers)
    if missing:
        sys.exit(f"spamassassin did not answer for {missing} of {len(paths)} messages")
    return [answers[i]["tests"] for i in range(len(paths))], [answers[i]["status"] for i in range(len(paths))]


def accepts_override(cmd, override, workdir, cwd=None):
    """Whether `cmd` (a portcullis scan command line without files) takes -o override: a binary
    older than the key refuses it as an unknown key (status 4), and the run goes on without it."""
    probe = os.path.join(workdir, "probe.eml")
    with open(probe, "wb") as f:
        f.write(b"Subject: probe\n\nprobe\n")
    r = subprocess.run(cmd + ["-o", override, probe], cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode in (0, 1, 2, 3):
        return True
    if "unknown key" in r.stderr:
        print(f"note: portcullis does not know {override.split('=')[0]}: left out")
        return False
    sys.exit(f"portcullis scan -o {override} failed with status {r.returncode}: {r.stderr[-2000:]}")


def portcullis_hits(paths, rules_dir, workdir):
    files = []
    for i, p in enumerate(paths):
        f = os.path.join(workdir, f"m{i:05d}.eml")
        with open(f, "wb") as out:
            out.write(read_message(p, i))
        files.append(f)
    cache = os.environ.get("PORTCULLIS_RULES_CACHE") or os.path.join(os.path.dirname(BIN), "rules-cache")
    cmd = [BIN, "scan", "--json", "-o", f"rules.paths={json.dumps(rules_dir)}", "-o",
           f"rules.cache_dir={json.dumps(cache)}", "-o", 'relay_domains="localhost"', "-o", "store=memory:",
           "-o", f"verdict.add_headers={REQUIRED}"]
    # spamassassin -L runs no network test; a binary that has the key is told the same.
    if accepts_override(cmd, "rules.network_tests=false", workdir):
        cmd += ["-o", "rules.network_tests=false"]
    cmd += files
    r = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    # 0-3 are verdicts (accept, reject, tempfail, add_headers); 4 is an error, < 0 a signal.
    if r.returncode not in (0, 1, 2, 3):
        sys.exit(f"portcullis scan failed with status {r.returncode}")
    out = r.stdout.decode()
    results, statuses = [], []
    for line in out.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results.append({s["name"] for s in r["symbols"]})
            status = next((h["value"] for h in r["headers"] if h["name"] == "X-Spam-Status"), None)
            statuses.append((status, {s["name"]: s["score"] for s in r["symbols"]}))
    if len(results) != len(paths):
        sys.exit(f"portcullis returned {len(results)} results for {len(paths)}")
    return results, statuses


# SpamAssassin's X-Spam-Status without its trailing "autolearn=... version=..." (we have no
# autolearning, and version= names SpamAssassin's version): "Yes, score=7.3 required=5.0 tests=A,B".
STATUS = re.compile(r"^(Yes|No), score=(-?\d+\.\d) required=(\d+\.\d) tests=(\S+)$")


def all_rule_names(rules_dir):
    return {line.split("\t")[0] for line in rules_listing(rules_dir)}


def compare_status_headers(paths, sa_status, pc_status, rule_names):
    """Our X-Spam-Status against SpamAssassin's own, on the messages where both hit exactly the
    same rules: the same shape (one decimal, sorted tests), the same Yes/No, and scores within
    rounding of each other. Our own symbols that are not SpamAssassin rules (DKIM_NONE,
    DMARC_NONE, ...) are set aside when they score 0; a message where one scores is left out.
    Returns how many messages differ."""
    same, bad = 0, []
    for path, sa, (pc, pc_scores) in zip(paths, sa_status, pc_status):
        if not sa or not pc:
            bad.append((path, sa, pc, "header missing"))
            continue
        sa = re.sub(r"\s+", " ", sa)  # SpamAssassin folds after white space and commas
        sa = re.sub(r", ", ",", sa)
        sa = re.sub(r"^(Yes|No),", r"\1, ", sa)
        sa = re.sub(r"\s+autolearn=\S+", "", sa)
        sa = re.sub(r"\s+version=\S+", "", sa).strip()
        msa, mpc = STATUS.match(sa), STATUS.match(pc)
        if not mpc:
            bad.append((path, sa, pc, "ours is not in SpamAssassin's form"))
            continue
        if not msa:
            bad.append((path, sa, pc, "SpamAssassin's could not be read"))
            continue
        ours = [t for t in mpc.group(4).split(",") if t in rule_names or t == "none"]
        if any(pc_scores.get(t, 0) != 0 for t in mpc.group(4).split(",") if t not in rule_names):
            continue  # one of our own symbols changes the score
        if sorted(msa.group(4).split(",")) != sorted(ours or ["none"]):
            continue  # different hit sets: the rule comparison above covers those
        same += 1
        tests = mpc.group(4).split(",")
        if tests != sorted(tests) and tests != ["none"]:
            bad.append((path, sa, pc, "tests not sorted"))
        elif msa.group(1) != mpc.group(1):
            bad.append((path, sa, pc, "Yes/No differs"))
        elif msa.group(3) != mpc.group(3):
            bad.append((path, sa, pc, "required differs"))
        elif abs(float(msa.group(2)) - float(mpc.group(2))) > 0.1 + 1e-9:
            bad.append((path, sa, pc, "score differs beyond rounding"))
    print(f"X-Spam-Status: {same} messages with the same hits in both; {len(bad)} differ")
    for path, sa, pc, why in bad[:10]:
        print(f"  {why}: {os.path.basename(path)}\n    spamassassin: {sa}\n    portcullis:   {pc}")
    if same == 0:
        bad.append((None, None, None, "no message with the same hits: nothing was compared"))
    return len(bad)


def rules_listing(rules_dir):
    """`portcullis rules list` over the directory, a line per rule; a failure ends the run (an
    empty listing would compare nothing and agree 100%)."""
    cache = os.environ.get("PORTCULLIS_RULES_CACHE") or os.path.join(os.path.dirname(BIN), "rules-cache")
    r = subprocess.run([BIN, "rules", "list", "--cache", cache, rules_dir], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit(f"portcullis rules list failed with status {r.returncode}: {r.stderr.decode()[-2000:]}")
    return [line for line in r.stdout.decode().splitlines() if line]


def runnable_rules(rules_dir, evals=()):
    """Rule name -> type, for the rules of the rule-type rows: scored, not __ subrules, run by
    Portcullis, and not eval rules (which are compared per eval function)."""
    types = {}
    for name, (rtype, how, score) in rule_listing_table(rules_dir).items():
        if how != "not-run" and not name.startswith("__") and score != 0 and name not in evals:
            types[name] = rtype
    return types


def rule_listing_table(rules_dir):
    """name -> (type, how it runs or "not-run", score in the listing's score set)."""
    table = {}
    for line in rules_listing(rules_dir):
        name, rtype, how, score, _ = (line.split("\t") + [""] * 5)[:5]
        table[name] = (rtype, how, float(score or 0))
    return table


RULE_DEF = re.compile(r"^\s*(header|body|rawbody|full|uri|meta)\s+([A-Za-z0-9_]+)\s+(.*?)\s*$")
EVAL_CALL = re.compile(r"^eval:([A-Za-z0-9_]+)\s*\(")
# Header rules over the relay analysis: the X-Spam-Relays-* pseudo-headers and the ALL-TRUSTED,
# ALL-UNTRUSTED, ALL-INTERNAL, ALL-EXTERNAL queries (Received headers split by trust).
RELAY_QUERY = re.compile(r"^(X-Spam-Relays-[A-Za-z]+|ALL-(?:TRUSTED|UNTRUSTED|INTERNAL|EXTERNAL))\b")
IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def rule_groups(rules_dir):
    """From the .cf files (name order, a later definition replacing an earlier one, as both
    systems read them): the eval function each eval rule calls, and the relay rules: header
    rules over a relay query and the metas that depend on one, directly or through other metas.
    Returns ({rule: function}, {relay rules})."""
    definitions = {}
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".cf"):
            continue
        with open(os.path.join(rules_dir, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                m = RULE_DEF.match(line)
                if m:
                    definitions[m.group(2)] = (m.group(1), m.group(3))
    evals, relay_headers, metas = {}, set(), {}
    for rule, (rtype, body) in definitions.items():
        call = EVAL_CALL.match(body)
        if rtype != "meta" and call:
            evals[rule] = call.group(1)
        elif rtype == "header" and RELAY_QUERY.match(body):
            relay_headers.add(rule)
        elif rtype == "meta":
            metas[rule] = set(IDENTIFIER.findall(body)) & definitions.keys()
    over_relay = {}

    def depends_on_relay(rule, seen):
        if rule in relay_headers:
            return True
        if rule not in metas or rule in seen:
            return False
        if rule not in over_relay:
            seen.add(rule)
            over_relay[rule] = any(depends_on_relay(d, seen) for d in metas[rule])
        return over_relay[rule]

    relay = {r for r in definitions if depends_on_relay(r, set())}
    return evals, relay


def group_agreement(groups, table, sa, pc):
    """Per group of rules (scored, not __ subrules): of those that run in Portcullis (the listing
    says how, or Portcullis fired it at least once), both / sa-only / pc-only hits; of those that
    do not, how often SpamAssassin fired them. groups: name -> set of rules."""
    fired_by_us = set().union(*pc) if pc else set()
    out = {}
    for group, members in groups.items():
        scored = {r for r in members if r in table and table[r][2] != 0 and not r.startswith("__")}
        running = {r for r in scored if table[r][1] != "not-run" or r in fired_by_us}
        counts = [0, 0, 0, 0]  # both, sa only, portcullis only, spamassassin hits on rules not run
        per_rule = collections.defaultdict(lambda: [0, 0, 0])
        for s, p in zip(sa, pc):
            for rule in (s | p) & running:
                k = 0 if (rule in s and rule in p) else 1 if rule in s else 2
                counts[k] += 1
                per_rule[rule][k] += 1
            counts[3] += len(s & (scored - running))
        out[group] = {"rules": len(scored), "running": len(running), "counts": counts, "per_rule": per_rule}
    return out


def print_groups(title, results):
    """The group table; returns {group: agreement percent} for groups with hits."""
    print(f"{title:44} {'rules':>5} {'run':>4} {'both':>6} {'sa-only':>8} {'pc-only':>8} {'agreement':>10} "
          f"{'sa hits, not run':>17}")
    shown, quiet = {}, []
    order = sorted(results, key=lambda g: (-(sum(results[g]["counts"][1:])), g))
    for group in order:
        r = results[group]
        b, so, po, missed = r["counts"]
        n = b + so + po
        if not n and not missed:
            quiet.append(group)
            continue
        cell = f"{100.0 * b / n:9.1f}%" if n else f"{'-':>10}"
        if n:
            shown[group] = 100.0 * b / n
        print(f"{group:44} {r['rules']:5d} {r['running']:4d} {b:6d} {so:8d} {po:8d} {cell} {missed:17d}")
    if quiet:
        print(f"  no hits on these messages in either system ({len(quiet)}): "
              + " ".join(g.split(":", 1)[-1] for g in sorted(quiet)))
    return shown


def parse_min(values):
    """--min P (every rule type: header ... meta, as before) and --min GROUP=P (one group:
    a type, eval:FUNCTION, eval for every eval function, or relay). Returns (types, groups)."""
    types_min, groups_min = 0.0, {}
    for v in values:
        group, _, percent = v.rpartition("=")
        try:
            value = float(percent)
        except ValueError:
            sys.exit(f"--min takes PERCENT or GROUP=PERCENT, not {v!r}")
        if group:
            groups_min[group] = value
        else:
            types_min = value
    return types_min, groups_min


# Of the rules the .cf files define, the share the comparison must cover: Debian's set defines
# 1,247 (eval and plugin rules included) and 433 run in both systems with a score.
MIN_SHARE_COMPARED = 0.25
# Of the rules compared, the share that must fire at least once in either system over the sample.
MIN_SHARE_FIRED = 0.1
RULE_LINE = re.compile(r"^\s*(header|body|rawbody|uri|full|meta)\s+([A-Za-z0-9_]+)\s", re.M)


def defined_rules(rules_dir):
    """Rule names of the compared types defined in the .cf files, read without portcullis: the
    yardstick for how many rules the comparison must cover."""
    names = set()
    for name in os.listdir(rules_dir):
        if name.endswith(".cf"):
            with open(os.path.join(rules_dir, name), encoding="utf-8", errors="replace") as f:
                names |= {m.group(2) for m in RULE_LINE.finditer(f.read()) if not m.group(2).startswith("__")}
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--min", action="append", default=[])
    ap.add_argument("--rules", default="/usr/share/spamassassin")
    ap.add_argument("--corpus")
    ap.add_argument("--shared", action="store_true")
    args = ap.parse_args()

    type_min, group_min = parse_min(args.min)
    paths = corpus_messages(args.sample, args.corpus, args.shared)
    evals, relay = rule_groups(args.rules)
    types = runnable_rules(args.rules, evals)
    # An empty or truncated rule list compares nothing and agrees 100%: require that most rules
    # the files define (eval and plugin rules, unscored and not-run ones aside) are compared.
    defined = defined_rules(args.rules)
    if len(types) < MIN_SHARE_COMPARED * len(defined):
        print(f"FAIL: {len(types)} rules compared of {len(defined)} defined in {args.rules} "
              f"(at least {MIN_SHARE_COMPARED:.0%} expected)")
        return 1
    with tempfile.TemporaryDirectory() as work:
        sa, sa_status = spamassassin_hits(paths, args.rules, work)
        pc, pc_status = portcullis_hits(paths, args.rules, work)
    header_mismatches = compare_status_headers(paths, sa_status, pc_status, all_rule_names(args.rules))

    per_type = collections.defaultdict(lambda: [0, 0, 0])  # both, sa only, portcullis only
    per_rule = collections.defaultdict(lambda: [0, 0, 0])
    for s, p in zip(sa, pc):
        for rule in (s | p):
            if rule not in types:
                continue
            k = 0 if (rule in s and rule in p) else 1 if rule in s else 2
            per_type[types[rule]][k] += 1
            per_rule[rule][k] += 1

    print(f"messages: {len(paths)}; rules compared (run in both, scored): {len(types)}")
    print(f"{'type':8} {'both':>6} {'sa-only':>8} {'pc-only':>8} {'agreement':>10}")
    worst = 100.0
    total = [0, 0, 0]
    for t in ("header", "body", "rawbody", "uri", "full", "meta"):
        b, so, po = per_type[t]
        total = [total[0] + b, total[1] + so, total[2] + po]
        n = b + so + po
        pct = 100.0 * b / n if n else 100.0
        worst = min(worst, pct) if n else worst
        print(f"{t:8} {b:6d} {so:8d} {po:8d} {pct:9.1f}%")
    n = sum(total)
    print(f"{'all':8} {total[0]:6d} {total[1]:8d} {total[2]:8d} {100.0 * total[0] / n if n else 100.0:9.1f}%")
    bad = sorted(per_rule.items(), key=lambda kv: -(kv[1][1] + kv[1][2]))[:15]
    print("rules that disagree most (both / sa-only / pc-only):")
    for rule, (b, so, po) in bad:
        if so + po:
            print(f"  {rule:32} {types[rule]:8} {b:4d} {so:4d} {po:4d}")
    # Rules that fired at all, in either system: a run where nothing fired compared nothing.
    fired = sum(1 for b, so, po in per_rule.values() if b + so + po)
    print(f"rules that fired in either system: {fired}")
    if fired < MIN_SHARE_FIRED * len(types):
        print(f"FAIL: only {fired} of {len(types)} compared rules fired on {len(paths)} messages")
        return 1

    # Eval rules per function they call, and the relay rules, each as their own group.
    table = rule_listing_table(args.rules)
    by_function = collections.defaultdict(set)
    for rule, function in evals.items():
        by_function[f"eval:{function}"].add(rule)
    print()
    eval_results = group_agreement(by_function, table, sa, pc)
    eval_results = {g: r for g, r in eval_results.items() if r["rules"]}
    shown = print_groups("eval function", eval_results)
    totals = [sum(r["counts"][k] for r in eval_results.values()) for k in range(4)]
    n = sum(totals[:3])
    print(f"{'all eval':44} {sum(r['rules'] for r in eval_results.values()):5d} "
          f"{sum(r['running'] for r in eval_results.values()):4d} {totals[0]:6d} {totals[1]:8d} {totals[2]:8d} "
          + (f"{100.0 * totals[0] / n:9.1f}%" if n else f"{'-':>10}") + f" {totals[3]:17d}")
    print()
    relay_results = group_agreement({"relay": relay}, table, sa, pc)
    shown.update(print_groups("relay rules (and metas on them)", relay_results))
    disagree = sorted(((rule, c) for r in list(eval_results.values()) + list(relay_results.values())
                       for rule, c in r["per_rule"].items() if c[1] + c[2]), key=lambda kv: -(kv[1][1] + kv[1][2]))
    if disagree:
        print("eval and relay rules that disagree most (both / sa-only / pc-only):")
        for rule, (b, so, po) in disagree[:15]:
            print(f"  {rule:32} {b:4d} {so:4d} {po:4d}")

    if worst < type_min:
        print(f"FAIL: agreement {worst:.1f}% below {type_min}%")
        return 1
    failed = False
    for group, bound in group_min.items():
        if group == "eval":
            checked = {g: v for g, v in shown.items() if g.startswith("eval:")}
        elif group in ("header", "body", "rawbody", "uri", "full", "meta"):
            b, so, po = per_type[group]
            checked = {group: 100.0 * b / (b + so + po)} if b + so + po else {}
        else:
            checked = {group: shown[group]} if group in shown else {}
        if not checked:
            print(f"note: --min {group}={bound}: no hits in that group on these messages, not checked")
        for g, v in checked.items():
            if v < bound:
                print(f"FAIL: {g} agreement {v:.1f}% below {bound}%")
                failed = True
    if failed:
        return 1
    if header_mismatches:
        print("FAIL: our X-Spam-Status differs from SpamAssassin's")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
