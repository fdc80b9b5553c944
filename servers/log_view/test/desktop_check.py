#!/usr/bin/env python3
"""desktop_check.py: run/desktop_test's host side (docs/gui.md, "The
desktop"). Takes QMP screendumps until the windows the layouter's rules
(run/config/desktop.rules) place are on the screen: the terminal's (its
background TERM_BG over most of the window) and log_view's (its background
over most of it, and labels: pixels of its label colour, blended). Each window's
rectangle comes from its <assign xpos ypos width height> (log_view's size
from its config, 976x280); only the inner part is checked (decorations and
the layout's exact offset aside), waits for the demo children's
lines (through log_view) in the serial log, then taps HOME (the GUI's global key
of log_view, which logs the lines it shows then). Gives up after TRIES screendumps."""
import os
import re
import sys
import time

ROOT = os.environ.get("ARGIL_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "servers", "gui", "test"))
import qmp  # noqa: E402
from screen_check import read_ppm  # noqa: E402

TRIES = 300
TERM_BG = bytes((0x10, 0x10, 0x18))
LV_BG = bytes((0x10, 0x18, 0x20))  # its labels are #80c0ff
RM_BAR = bytes((0x40, 0xa0, 0x60))
INSET = 30
DEMO_LINES = (r"^\[init -> desktop -> log_view\] \[sleeper\] three ticks slept$",
              r"^\[init -> desktop -> log_view\] \[ticker\] tick 1$")


def rules():
    text = open(os.path.join(ROOT, "run", "config", "desktop.rules")).read()
    out = {}
    for m in re.finditer(r'<assign label_prefix="(\w+)"([^/]*)/>', text):
        a = dict(re.findall(r'(\w+)="(\d+)"', m.group(2)))
        out[m.group(1)] = {k: int(v) for k, v in a.items()}
    return out


def count(px, w, rect, colour):
    x0, y0, x1, y1 = rect
    n = 0
    for y in range(y0, y1, 2):
        row = y * w
        for x in range(x0, x1, 2):
            i = (row + x) * 3
            if px[i:i + 3] == colour:
                n += 1
    return n, ((x1 - x0 + 1) // 2) * ((y1 - y0 + 1) // 2)


def labelish(px, w, rect):
    """Points of anti-aliased label text: blue well above red, over LV_BG."""
    x0, y0, x1, y1 = rect
    n = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            i = (y * w + x) * 3
            r, b = px[i], px[i + 2]
            if b >= 0x60 and b - r >= 0x30:
                n += 1
    return n


def judge(path, r):
    w, h, px = read_ppm(path)
    bad = []
    t = r["terminal"]
    rect = (t["xpos"] + INSET, t["ypos"] + INSET, t["xpos"] + t["width"] - INSET,
            t["ypos"] + t["height"] - INSET)
    n, total = count(px, w, rect, TERM_BG)
    if n * 10 < total * 8:
        bad.append("terminal: %d of %d points its background" % (n, total))
    lv = r["log_view"]
    rect = (lv["xpos"] + INSET, lv["ypos"] + INSET, min(w, lv["xpos"] + 976 - INSET),
            min(h, lv["ypos"] + 280 - INSET))
    n, total = count(px, w, rect, LV_BG)
    if n * 10 < total * 5:
        bad.append("log_view: %d of %d points its background" % (n, total))
    rect = (lv["xpos"], lv["ypos"], min(w, lv["xpos"] + 976), min(h, lv["ypos"] + 300))
    n = labelish(px, w, rect)
    if n < 200:
        bad.append("log_view: %d points of label text" % n)
    # ram_monitor: its bars (#40a060) in the rectangle of its rule
    m = r["ram_monitor"]
    rect = (m["xpos"], m["ypos"], min(w, m["xpos"] + 360), min(h, m["ypos"] + 360))
    n, _ = count(px, w, rect, RM_BAR)
    if n < 100:
        bad.append("ram_monitor: %d points of its bars" % n)
    return bad


def main():
    r = rules()
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    path = os.path.join(os.environ["ARGIL_WORK"], "desktop.ppm")
    last = None
    for tries in range(1, TRIES + 1):
        q.cmd("screendump", filename=path)
        bad = judge(path, r)
        if not bad:
            keep = os.path.join(ROOT, "build", "desktop_test.ppm")
            os.makedirs(os.path.dirname(keep), exist_ok=True)
            with open(path, "rb") as f, open(keep, "wb") as o:
                o.write(f.read())
            print("desktop_check: windows of terminal, log_view and ram_monitor on the screen "
                  "(%d screendumps; %s)" % (tries, os.path.relpath(keep, ROOT)), flush=True)
            # the demo children's lines through log_view in the serial log
            # before the last step
            for _ in range(TRIES):
                log = open(os.environ["ARGIL_LOG"], errors="replace").read()
                if all(re.search(p, log, re.M) for p in DEMO_LINES):
                    break
                time.sleep(0.2)
            else:
                print("desktop_check: FAIL: demo lines missing", flush=True)
                return 1
            # HOME, the GUI's global key of log_view: it scrolls to the
            # first line and logs it, the run's last expected line
            # press and release in one command: the run ends as soon as
            # log_view answers, QEMU may be gone before anything else
            events = [{"type": "key", "data": {"down": down, "key": {
                "type": "qcode", "data": "home"}}} for down in (True, False)]
            try:
                q.cmd("input-send-event", events=events)
                print("desktop_check: HOME tapped", flush=True)
                q.close()
            except OSError:
                pass  # QEMU stopped: the run saw log_view's line
            return 0
        if bad != last:
            print("desktop_check: not yet: %s" % "; ".join(bad), flush=True)
            last = bad
        time.sleep(0.2)
    print("desktop_check: FAIL: %s" % "; ".join(last), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
