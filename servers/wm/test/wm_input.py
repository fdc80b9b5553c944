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
(each button once the screendump shows it there)
  resize  press at 702,282 (red's bottom right corner), move by 100,60,
          release                                          (WM_0109)
  dbl1    two clicks at 450,70 (red's title)                (WM_0110)
  dbl2    two clicks at 500,12 (the title of red maximized)
  tab     TAB, then LEFTMETA+TAB                            (WM_0111)
  up      LEFTMETA+UP
  tab2    LEFTMETA down, TAB down, LEFTMETA up, TAB up
  q       RIGHTMETA+Q
(the double clicks: press, release, press, release 0.05 s apart, well
within the layouter's 400 ms)
"""
import os
import sys
import time

ROOT = os.environ.get("ARGIL_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "servers", "gui", "test"))
from gui_input import Input  # noqa: E402
from screen_check import read_ppm  # noqa: E402

# a button is clicked only once the screen shows it: the decoration is
# redrawn after the layout changed, and the GUI gives a click to the
# view that is there when it comes (plain or hovered: the decorator keeps
# the hover of the last pointer it saw)
MAXIMIZE = ((0x30, 0xa0, 0x40), (0x60, 0xd0, 0x70))
CLOSE = ((0xc0, 0x30, 0x30), (0xf0, 0x60, 0x60))
BUTTON = {"max": MAXIMIZE, "restore": MAXIMIZE, "close": CLOSE}


def wait_for(i, x, y, colours):
    path = os.path.join(os.environ["ARGIL_WORK"], "wm_input.ppm")
    while True:
        i.q.cmd("screendump", filename=path)
        w, _, px = read_ppm(path)
        k = (y * w + x) * 3
        if tuple(px[k:k + 3]) in colours:
            return
        time.sleep(0.1)


def main():
    clicks = {"max": (672, 70), "restore": (992, 12), "close": (790, 240)}
    doubles = {"dbl1": (450, 70), "dbl2": (500, 12)}
    keys = ("tab", "up", "tab2", "q")
    names = ["click", "drag", "resize"] + list(clicks) + list(doubles) + list(keys)
    if len(sys.argv) != 2 or sys.argv[1] not in names:
        sys.exit("usage: wm_input.py " + "|".join(names))
    i = Input()
    if sys.argv[1] in clicks:
        wait_for(i, *clicks[sys.argv[1]], BUTTON[sys.argv[1]])
        i.click(*clicks[sys.argv[1]])
    elif sys.argv[1] == "click":
        i.click(600, 200)
        i.tap("q")
    elif sys.argv[1] in doubles:
        i.move(-2000, -2000)
        i.move(*doubles[sys.argv[1]])
        for _ in range(2):
            i.send([{"type": "btn", "data": {"down": True, "button": "left"}}])
            i.send([{"type": "btn", "data": {"down": False, "button": "left"}}])
    elif sys.argv[1] == "tab":
        i.tap("tab")
        i.tap("meta_l", "tab")
    elif sys.argv[1] == "up":
        i.tap("meta_l", "up")
    elif sys.argv[1] == "tab2":
        i.key("meta_l", True)
        i.key("tab", True)
        i.key("meta_l", False)
        i.key("tab", False)
    elif sys.argv[1] == "q":
        i.tap("meta_r", "q")
    elif sys.argv[1] == "resize":
        i.move(-2000, -2000)
        i.move(702, 282)
        i.button(True)
        i.move(100, 60)
        i.button(False)
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
