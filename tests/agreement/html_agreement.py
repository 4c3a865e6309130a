#!/usr/bin/python3
"""Agreement with SpamAssassin on the rules the HTML eval functions drive, per function.

Runs spamassassin -L -t and portcullis scan --json on the same messages (sa_agreement.py's
runners) and, for every stock rule written eval:<html function>(...) whose hits are visible
(not __ sub-rules), counts per function: hits both saw / hits either saw, and the messages
where only one side hit. A developer's tool: it reads the public corpus in ../shared.

usage: html_agreement.py [--sample N] [--rules DIR]
"""
import argparse
import collections
import glob
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sa_agreement  # noqa: E402

FUNCTIONS = ("html_test", "html_range", "html_eval", "html_tag_exists", "html_tag_balance",
             "html_image_only", "html_image_ratio", "html_text_match", "html_text_not_match",
             "html_title_subject_ratio", "html_charset_faraway", "check_iframe_src",
             "check_https_ip_mismatch", "check_https_http_mismatch")


def rules_by_function(rules_dir):
    out = {}
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.cf"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"\s*body\s+(\S+)\s+eval:(\w+)\(", line)
                if m and m.group(2) in FUNCTIONS and not m.group(1).startswith("__"):
                    out[m.group(1)] = m.group(2)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--rules", default="/usr/share/spamassassin")
    args = ap.parse_args()
    rules = rules_by_function(args.rules)
    paths = sa_agreement.corpus_messages(args.sample)
    with tempfile.TemporaryDirectory() as work:
        sa, _ = sa_agreement.spamassassin_hits(paths, args.rules, work)
        pc, _ = sa_agreement.portcullis_hits(paths, args.rules, work)
    both = collections.Counter()
    either = collections.Counter()
    only = collections.defaultdict(list)
    per_rule = collections.defaultdict(lambda: [0, 0, 0])
    for path, s, p in zip(paths, sa, pc):
        for rule, function in rules.items():
            hs, hp = rule in s, rule in p
            if hs or hp:
                either[function] += 1
                per_rule[rule][0 if hs and hp else 1 if hs else 2] += 1
            if hs and hp:
                both[function] += 1
            elif hs or hp:
                only[function].append((rule, "spamassassin" if hs else "portcullis",
                                       os.path.relpath(path, sa_agreement.SHARED)))
    print(f"{len(paths)} messages; per function: hits both saw / hits either saw")
    for function in FUNCTIONS:
        if either[function]:
            print(f"  {function:28s} {both[function]:4d} / {either[function]:4d}  "
                  f"{100.0 * both[function] / either[function]:5.1f}%")
        else:
            print(f"  {function:28s}    0 /    0  (no hits either side)")
    print("per rule (both, spamassassin only, portcullis only):")
    for rule in sorted(per_rule):
        print(f"  {rule:28s} {per_rule[rule]}")
    for function, rows in only.items():
        for rule, side, path in rows[:8]:
            print(f"  only {side}: {rule} {path}")


if __name__ == "__main__":
    main()
