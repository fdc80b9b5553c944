#!/usr/bin/env python3
"""run/wm_test's input steps: `wm_input.py click|drag` (a `host:` command
started by "wm_test: input N") clicks, types and drags through QMP
`input-send-event` (ps2's keyboard and mouse; the pointer moves by relative
motion, so each sequence first moves far to the top left, where the GUI
clamps it at 0,0), then taps A, the GUI's global key of wm_test's "host"
session, which tells the test that everything before it went through.

  click   click at 600,200 (into red's view), type q     (WM_0105)
  drag    press at 550,290 (blue's title), move by 100,-50, release  (WM_0106)
"""
import os
import sys

ROOT = os.environ.get("ARGIL_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "servers", "gui", "test"))
from gui_input import Input  # noqa: E402


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("click", "drag"):
        sys.exit("usage: wm_input.py click|drag")
    i = Input()
    if sys.argv[1] == "click":
        i.click(600, 200)
        i.tap("q")
    else:
        i.move(-2000, -2000)
        i.move(550, 290)
        i.button(True)
        i.move(100, -50)
        i.button(False)
    i.close()
    print("wm_input: %s sent" % sys.argv[1], flush=True)


if __name__ == "__main__":
    main()
