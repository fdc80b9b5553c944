#!/usr/bin/env python3
"""run/terminal_test's host side: `screen_check.py REFERENCE.ppm STEP` (a
`host:` command started by "terminal_test: shot N") takes QMP screendumps
until the whole screen holds exactly the reference's pixels (the test's
byte stream drawn by tools/term_render with the terminal's own vt.c and
render.c, lib/gui and stb_truetype on the host: no tolerance), keeps the
screendump beside the reference (screenN.ppm), then types through QMP
`input-send-event`: after step 1 a click (the focus) and "Echo 42!" with
Enter, after step 2 a drag over the first row's first 13 cells (the
selection), after step 3 (the screen resized to 800x600) Escape (the
test's end, step 3's), before step 4's screendumps Shift+PageUp and
after them Escape, after step 5 (italic, faint, blinking, wide
characters; with a second reference, the blinking text hidden, which
must be seen as well) Shift+Insert (a paste); `screen_check.py - middle` a middle click (the
second paste).

A screen that does not match yet is taken again (the driver copies after
the GUI composed): the run's timeout is the only limit, and each new
mismatch is printed with the number of pixels that differ."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "lib", "gui", "test"))
import qmp  # noqa: E402
from screen_check import read_ppm  # noqa: E402


def judge(ref, path):
    rw, rh, rpx = ref
    w, h, px = read_ppm(path)
    if (w, h) != (rw, rh):
        return ["screen %dx%d, not %dx%d" % (w, h, rw, rh)]
    px = px[:w * h * 3]
    if px == rpx[:w * h * 3]:
        return []
    bad, first = 0, None
    for i in range(0, w * h * 3, 3):
        if px[i:i + 3] != rpx[i:i + 3]:
            bad += 1
            if first is None:
                first = "(%d,%d) is #%s, not #%s" % (i // 3 % w, i // 3 // w, px[i:i + 3].hex(),
                                                     rpx[i:i + 3].hex())
    return ["%d of %d pixels differ, first %s" % (bad, w * h, first)]


def send(q, events, pause=0.05):
    q.cmd("input-send-event", events=events)
    time.sleep(pause)


def key(q, qcode, down):
    send(q, [{"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}])


def tap(q, *qcodes):
    for k in qcodes:
        key(q, k, True)
    for k in reversed(qcodes):
        key(q, k, False)


def move(q, dx, dy):
    """In steps of at most 100 (QEMU's ps2 mouse sends one packet of at
    most 127 per event)."""
    while dx or dy:
        sx = max(-100, min(100, dx))
        sy = max(-100, min(100, dy))
        send(q, [{"type": "rel", "data": {"axis": "x", "value": sx}},
                 {"type": "rel", "data": {"axis": "y", "value": sy}}], 0.02)
        dx -= sx
        dy -= sy
    time.sleep(0.1)


def main():
    args = sys.argv[1:]
    if len(args) not in (2, 3) or args[1] not in ("1", "2", "3", "4", "5", "middle"):
        sys.exit("usage: screen_check.py REFERENCE.ppm 1|2|3|4|5 [REFERENCE2.ppm], "
                 "screen_check.py - middle")
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    if args[1] == "middle":
        # a paste by the middle button (nothing compared)
        send(q, [{"type": "btn", "data": {"down": True, "button": "middle"}}], 0.1)
        send(q, [{"type": "btn", "data": {"down": False, "button": "middle"}}], 0.1)
        q.close()
        return
    ref = read_ppm(args[0])
    if args[1] == "4":
        # the view half a screen back into the scrollback
        tap(q, "shift", "pgup")
    path = os.path.join(os.environ["ARGIL_WORK"], "terminal.ppm")
    last, tries = None, 0
    while True:
        q.cmd("screendump", filename=path)
        tries += 1
        bad = judge(ref, path)
        if not bad:
            break
        summary = "; ".join(bad)
        if summary != last:
            print("screen_check: not yet: %s" % summary, flush=True)
            last = summary
            # the latest mismatch, to look at when the run times out
            miss = os.path.join(os.path.dirname(args[0]), "mismatch%s.ppm" % args[1])
            with open(path, "rb") as src, open(miss, "wb") as dst:
                dst.write(src.read())
        time.sleep(0.2)
    keep = os.path.join(os.path.dirname(args[0]), "screen%s.ppm" % args[1])
    with open(path, "rb") as src, open(keep, "wb") as dst:
        dst.write(src.read())
    print("screen_check: terminal step %s: all %d pixels as the host rendered them "
          "(%d screendumps, kept as %s)" % (args[1], ref[0] * ref[1], tries, keep), flush=True)
    if len(args) == 3:
        # the same screen in its other blink phase: blinking text hidden
        ref2 = read_ppm(args[2])
        tries, last = 0, None
        while True:
            q.cmd("screendump", filename=path)
            tries += 1
            bad = judge(ref2, path)
            if not bad:
                break
            if "; ".join(bad) != last:
                last = "; ".join(bad)
                print("screen_check: not yet (blink phase): %s" % last, flush=True)
            time.sleep(0.1)
        print("screen_check: terminal step %s: also as %s (%d screendumps)"
              % (args[1], os.path.basename(args[2]), tries), flush=True)
    if args[1] == "1":
        # a click anywhere: the terminal's view covers the screen
        send(q, [{"type": "btn", "data": {"down": True, "button": "left"}}], 0.1)
        send(q, [{"type": "btn", "data": {"down": False, "button": "left"}}], 0.1)
        tap(q, "shift", "e")
        for k in ("c", "h", "o", "spc", "4", "2"):
            tap(q, k)
        tap(q, "shift", "1")
        tap(q, "ret")
    elif args[1] == "2":
        # a drag over cells 0..12 of row 0 (cells of 9 x 17 pixels): the
        # selection "Argil termina", copied to the clipboard report
        move(q, -2000, -2000)
        move(q, 4, 4)
        send(q, [{"type": "btn", "data": {"down": True, "button": "left"}}], 0.1)
        move(q, 9 * 12, 0)
        send(q, [{"type": "btn", "data": {"down": False, "button": "left"}}], 0.1)
    elif args[1] == "5":
        # italic, faint, wide characters compared: a paste by Shift+Insert
        tap(q, "shift", "insert")
    else:
        tap(q, "esc")   # steps 3 and 4
    q.close()


if __name__ == "__main__":
    main()
