#!/usr/bin/env python3
"""run/ps2_test's check: the events the event server logged for ps2's
session (`[init -> event] ps2 -> input: <seq> <event>`) are exactly those
qmp_input.py sent ($ARGIL_WORK/ps2_expected), in order, numbered from 0,
none twice and none missing. Prints `ps2_check: N passed, N failed`."""
import os
import re
import sys

LINE = re.compile(r"^\[init -> event\] ps2 -> input: (\d+) (.*)$")


def main():
    with open(os.path.join(os.environ["ARGIL_WORK"], "ps2_expected")) as f:
        want = [l.strip() for l in f if l.strip()]
    got = []
    with open(os.environ["ARGIL_LOG"], errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\r\n"))
            if m:
                got.append((int(m.group(1)), m.group(2)))
    failed = 0
    seqs = [s for s, _ in got]
    if seqs != list(range(len(got))):
        print("ps2_check: sequence numbers %s are not 0.. in order" % seqs)
        failed += 1
    events = [e for _, e in got]
    if events != want:
        print("ps2_check: events differ from what was sent")
        for i in range(max(len(events), len(want))):
            a = events[i] if i < len(events) else "-"
            b = want[i] if i < len(want) else "-"
            print("  %s %-24s %s" % ("  " if a == b else "!!", a, b))
        failed += 1
    print("ps2_check: %d events; %d passed, %d failed" % (len(events), 2 - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
