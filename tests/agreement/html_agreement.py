#!/usr/bin/python3
"""Agreement with SpamAssassin on the rules the HTML eval functions drive, per function.

Runs spamassassin -L -t and portcullis scan --json on the same messages (sa_agreement.py's
runners) over the stock rules plus one extra file: for every stock rule written
eval:<html function>(...), a twin rule HA_<n> with the same call and a small score, so that the
disabled ones (score 0) and the __ sub-rules show in X-Spam-Status too. Counts per function:
twin hits both saw / twin hits either saw, and lists the messages where only one side hit.
Also prints the stock rules over HTML that are visible as they are (metas included).
A developer's tool: it reads the sample in tests/data/spamassassin-sample, or with --shared
the whole public corpus in ../shared (the project's own machines only).

usage: html_agreement.py [--sample N] [--rules DIR]
"""
import argparse
import collections
import glob
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sa_agreement  # noqa: E402

FUNCTIONS = ("html_test", "html_range", "html_eval", "html_tag_exists", "html_tag_balance",
             "html_image_only", "html_image_ratio", "html_text_match", "html_text_not_match",
             "html_title_subject_ratio", "html_charset_faraway", "check_iframe_src",
             "check_https_ip_mismatch", "check_https_http_mismatch")


def twin_rules(rules_dir, work):
    """A copy of the rule files plus the twins; returns (dir, {twin: (function, stock rule)})."""
    out_dir = os.path.join(work, "rules")
    shutil.copytree(rules_dir, out_dir)
    twins, lines = {}, []
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.cf"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"\s*body\s+(\S+)\s+(eval:(\w+)\(.*\))\s*$", line)
                if m and m.group(3) in FUNCTIONS:
                    twin = "HA_%d_%s" % (len(twins), m.group(1).strip("_"))
                    twins[twin] = (m.group(3), m.group(1))
                    lines += [f"body {twin} {m.group(2)}", f"score {twin} 0.001"]
    with open(os.path.join(out_dir, "99_html_agreement.cf"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return out_dir, twins


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--rules", default="/usr/share/spamassassin")
    ap.add_argument("--shared", action="store_true")
    args = ap.parse_args()
    paths = sa_agreement.corpus_messages(args.sample, shared=args.shared)
    with tempfile.TemporaryDirectory() as work:
        rules_dir, twins = twin_rules(args.rules, work)
        sa, _ = sa_agreement.spamassassin_hits(paths, rules_dir, work)
        pc, _ = sa_agreement.portcullis_hits(paths, rules_dir, work)
    rules = {t: f for t, (f, _) in twins.items()}
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
                                       os.path.join(*path.split(os.sep)[-2:])))
    print(f"{len(paths)} messages; per function: hits both saw / hits either saw")
    for function in FUNCTIONS:
        if either[function]:
            print(f"  {function:28s} {both[function]:4d} / {either[function]:4d}  "
                  f"{100.0 * both[function] / either[function]:5.1f}%")
        else:
            print(f"  {function:28s}    0 /    0  (no hits either side)")
    print("per rule (both, spamassassin only, portcullis only):")
    for rule in sorted(per_rule, key=lambda r: twins[r][1]):
        print(f"  {twins[rule][1]:28s} {per_rule[rule]}")
    visible = ["HTML_MESSAGE", "MIME_HTML_ONLY", "HTML_MIME_NO_HTML_TAG", "HTML_SHORT_LINK_IMG_1",
               "HTML_SHORT_LINK_IMG_2", "HTML_SHORT_LINK_IMG_3", "HTML_FONT_LOW_CONTRAST",
               "HTML_IMAGE_ONLY_08", "HTML_IMAGE_ONLY_16", "HTML_IMAGE_ONLY_24", "HTML_IMAGE_ONLY_32",
               "HTML_IMAGE_RATIO_02", "HTML_IMAGE_RATIO_04", "HTML_IMAGE_RATIO_06", "HTML_IMAGE_RATIO_08",
               "HTML_TAG_BALANCE_BODY", "HTML_TAG_BALANCE_HEAD", "HTML_EXTRA_CLOSE", "HTTPS_HTTP_MISMATCH"]
    print("stock rules as they are (both, spamassassin only, portcullis only):")
    for rule in visible:
        c = [sum(1 for s_, p_ in zip(sa, pc) if (rule in s_) == a and (rule in p_) == b and (a or b))
             for a, b in ((True, True), (True, False), (False, True))]
        print(f"  {rule:28s} {c}")
    for function, rows in only.items():
        for rule, side, path in rows[:8]:
            print(f"  only {side}: {rule} {path}")


if __name__ == "__main__":
    main()
