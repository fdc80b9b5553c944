#!/usr/bin/env python3
"""run/wm_test's input steps: `wm_input.py click|drag` (a `host:` command
started by "wm_test: input N") clicks, types and drags through QMP
`input-send-event` (ps2's keyboard and mouse; the pointer moves by relative
motion, so each sequence first moves far to the top left, where the GUI
clamps it at 0,0), then taps A, the GUI's global key of wm_test's "host"
session, which tells the test that everything before it went through.

  click   click at 600,200 (into red's view), type q     (WM_0105)
  drag    press at 550,290 (blue's title), move by 100,-50, release  (WM_0106)
  max     click at 672,70 (red's maximize button)          (WM_0107)
  restore click at 992,12 (the maximize button of red maximized)
  close   click at 790,240 (blue's close button)
"""
import os
import sys

ROOT = os.environ.get("ARGIL_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "servers", "gui", "test"))
from gui_input import Input  # noqa: E402


def main():
    clicks = {"max": (672, 70), "restore": (992, 12), "close": (790, 240)}
    if len(sys.argv) != 2 or sys.argv[1] not in ["click", "drag"] + list(clicks):
        sys.exit("usage: wm_input.py click|drag|max|restore|close")
    i = Input()
    if sys.argv[1] in clicks:
        i.click(*clicks[sys.argv[1]])
    elif sys.argv[1] == "click":
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
