#!/usr/bin/env python3
"""run/ps2_restart's check: what the event server logged from the ps2
instances (`[init -> event] ps2 -> input: <seq> <event>`) against
what the typist sent ($ARGIL_WORK/ps2_expected):
  - each instance's session numbers its events 0, 1, 2 ... (a new session
    starts at 0 again);
  - all of them, in log order, are the sent events with some left out:
    nothing twice, nothing out of order (matched greedily, in order);
  - events are left out in at most one stretch per restart (the keys typed
    while ps2 was down), so a key that came twice cannot hide as a later
    one;
  - the letters typed after the last restart and Esc all arrived.
Prints what was lost per restart and `ps2_restart_check: N passed, N failed`.
Argument (optional): the regular expression of a serial line that marks
one restart (default: ps2_restart's "ps2_restart: restart N")."""
import os
import re
import sys

EVENT = re.compile(r"^\[init -> event\] (?:drivers -> )?ps2 -> input: (\d+) (.*)$")
RESTART = re.compile(r"^\[init(?: -> restarter)?\] ps2_restart: restart (\d+)$")


def main():
    global RESTART
    if len(sys.argv) > 1:
        RESTART = re.compile(sys.argv[1])
    with open(os.path.join(os.environ["ARGIL_WORK"], "ps2_expected")) as f:
        sent = [l.strip() for l in f if l.strip()]
    got, restarts = [], 0
    with open(os.environ["ARGIL_LOG"], errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = EVENT.match(line)
            if m:
                got.append((int(m.group(1)), m.group(2)))
            elif RESTART.match(line):
                restarts += 1
    results = []

    # numbering per session
    ok, expect, sessions = True, 0, 1
    for seq, _ in got:
        if seq == 0 and expect:
            sessions += 1
            expect = 0
        if seq != expect:
            ok = False
        expect = seq + 1
    results.append(("each session numbers its events from 0 without gaps", ok))

    # in order, nothing twice: greedy subsequence; count the stretches skipped
    i, gaps, lost, matched = 0, 0, [], True
    for _, e in got:
        skip = 0
        while i < len(sent) and sent[i] != e:
            i += 1
            skip += 1
        if i == len(sent):
            matched = False
            break
        if skip:
            gaps += 1
            lost.append(skip)
        i += 1
    results.append(("the events arrived in the order sent, none twice", matched))
    results.append(("at most one stretch lost per restart (%d stretches, %d restarts, %d sessions)"
                    % (gaps, restarts, sessions), matched and gaps <= restarts))
    results.append(("everything typed after the last restart arrived",
                    matched and i == len(sent)))
    print("ps2_restart_check: %d events sent, %d arrived, lost per stretch: %s"
          % (len(sent), len(got), lost))
    failed = 0
    for desc, good in results:
        print("%s %s" % ("ok" if good else "FAIL", desc))
        failed += not good
    print("ps2_restart_check: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
