#!/usr/bin/env python3
"""run/ps2_restart's typist (a `host:` command): taps the letters a..z over
and over through QMP input-send-event at a steady rate while ps2_restart_test
kills and restarts ps2, until the serial log says the test is done;
then a few more letters and Esc. Every event is written to
$ARGIL_WORK/ps2_expected before it is sent (check_restart.py).
Arguments (optional): the serial line's start that says the restarts are
done (default: ps2_restart's), the gap between two events in seconds."""
import os
import string
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402

GAP = 0.02
DONE = ("[init] ps2_restart: done:", "[init -> restarter] ps2_restart: done:")
MAX_TAPS = 5000     # a bound if the restarter never finishes (the scenario then times out)


def main():
    global DONE, GAP
    if len(sys.argv) > 1:
        DONE = (sys.argv[1],)
    if len(sys.argv) > 2:
        GAP = float(sys.argv[2])
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    out = open(os.path.join(os.environ["ARGIL_WORK"], "ps2_expected"), "w")

    def tap(qcode, name):
        for down in (True, False):
            out.write("%s %s\n" % ("press" if down else "release", name))
            out.flush()
            q.cmd("input-send-event", events=[{"type": "key", "data": {
                "down": down, "key": {"type": "qcode", "data": qcode}}}])
            time.sleep(GAP)

    def done():
        with open(os.environ["ARGIL_LOG"], errors="replace") as f:
            return any(l.startswith(DONE) for l in f)

    letters = string.ascii_lowercase
    n = 0
    while n < MAX_TAPS and (n % 26 or not done()):
        tap(letters[n % 26], letters[n % 26].upper())
        n += 1
    for c in letters[:5]:
        tap(c, c.upper())
    tap("esc", "ESC")
    out.close()
    q.close()


if __name__ == "__main__":
    main()
