#!/usr/bin/env python3
"""run/wm_test's check: after the boot, reads the serial log ($ARGIL_LOG)
for the wm's lines `session for "wm_test -> cycle", RAM avail N` (one per
open of the session that WM_0108 opens and closes again and again) and
fails unless there are as many as wm_test's `wm_test: N cycles` says and
all show the same N: the wm's own RAM stays level over opens and closes
(each close gives back the whole donation, which the wm had passed on to
the GUI server)."""
import os
import re
import sys


def main():
    text = open(os.environ["ARGIL_LOG"], errors="replace").read()
    cycles = re.findall(r"^\[init -> wm_test\] wm_test: (\d+) cycles$", text, re.M)
    avail = re.findall(r'^\[init -> wm\] session for "wm_test -> cycle", RAM avail (\d+)$', text,
                       re.M)
    if len(cycles) != 1:
        sys.exit("wm_ram_check: no 'wm_test: N cycles' line")
    if len(avail) != int(cycles[0]):
        sys.exit("wm_ram_check: %d opens of 'cycle' logged by the wm, not %s" %
                 (len(avail), cycles[0]))
    if len(set(avail)) != 1:
        sys.exit("wm_ram_check: the wm's free RAM at the opens is not level: %s" % ", ".join(avail))
    print("wm_ram_check: the wm's free RAM at %d opens: %s bytes each" % (len(avail), avail[0]))


if __name__ == "__main__":
    main()
