#!/usr/bin/env python3
"""run/gui_test's host side: `screen_check.py N` (a `host:` command started
by the line "gui_test: shot N") takes QMP screendumps until the screen shows
what step N must show (`screen_check.py N boot`: at the boot loader's
screen size all along, for fb_boot), then taps a key through QMP (`screen_check.py N virtio`: both heads of
the virtio-gpu with id "gpu" must show it, each screen of the GUI
server composed alike; `screen_check.py N device=ID`: the display device
ID, e.g. one plugged while running) (ps2 -> event -> the events
report: the test's signal to go on). The expected screens are derived here
from the layout the test describes (servers/gui/test/main.c), not from the
guest's code: two clients with 300x200 buffers of known patterns, their
views stacked, the background #202020 elsewhere. Every pixel on a 16-pixel
grid and on both sides of each view's edges is compared.

A screen that does not match yet is taken again (the driver copies the
changed pixels after the GUI server composed them): the run's timeout is
the only limit, and each new mismatch is printed."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402

BW, BH = 300, 200
BACKGROUND = (0x20, 0x20, 0x20)


def red(x, y):
    return (0xff, x & 0xff, y & 0xff)


def blue(x, y):
    return (x & 0xff, y & 0xff, 0xff)


# step: (screen width, height, views from the back to the front)
STEPS = {
    1: (1024, 768, [(red, 100, 100), (blue, 250, 200)]),
    2: (1024, 768, [(blue, 250, 200), (red, 100, 100)]),
    3: (800, 600, [(blue, 250, 200), (red, 100, 100)]),
    4: (800, 600, [(blue, 50, 250), (red, 100, 100)]),
}


def expected(step, x, y):
    _, _, views = STEPS[step]
    for pattern, vx, vy in reversed(views):
        if vx <= x < vx + BW and vy <= y < vy + BH:
            return pattern(x - vx, y - vy)
    return BACKGROUND


def points(step):
    w, h, views = STEPS[step]
    pts = set((x, y) for x in range(0, w, 16) for y in range(0, h, 16))
    pts |= {(w - 1, h - 1), (w - 1, 0), (0, h - 1)}
    for _, vx, vy in views:
        for x in (vx - 1, vx, vx + BW - 1, vx + BW):
            for y in range(vy - 1, vy + BH + 1, 7):
                pts.add((x, y))
        for y in (vy - 1, vy, vy + BH - 1, vy + BH):
            for x in range(vx - 1, vx + BW + 1, 7):
                pts.add((x, y))
    return sorted((x, y) for x, y in pts if 0 <= x < w and 0 <= y < h)


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        if not m:
            raise ValueError("not a PPM file: %s" % path)
        fields.append(m.group(2))
        pos = m.end()
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("not an 8-bit P6 PPM: %r" % fields)
    w, h = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:]
    if len(pixels) < w * h * 3:
        raise ValueError("PPM cut short")
    return w, h, pixels


def judge(step, path):
    """(number of points checked, [mismatch descriptions])"""
    sw, sh, want = STEPS[step][0], STEPS[step][1], points(step)
    w, h, px = read_ppm(path)
    if (w, h) != (sw, sh):
        return len(want), ["screen is %dx%d, not %dx%d" % (w, h, sw, sh)]
    bad = []
    for x, y in want:
        i = (y * w + x) * 3
        got, exp = tuple(px[i:i + 3]), expected(step, x, y)
        if got != exp:
            bad.append("(%d,%d) is #%02x%02x%02x, not #%02x%02x%02x" % ((x, y) + got + exp))
    return len(want), bad


def boot_screen():
    """The boot loader's mode, from the kernel's own line (run/gui_test_boot:
    fb_boot keeps it, so every step has that size)."""
    rx = re.compile(r"^boot: framebuffer (\d+)x(\d+), 32 bits per pixel")
    with open(os.environ["ARGIL_LOG"], errors="replace") as f:
        for line in f:
            m = rx.search(line)
            if m:
                return int(m.group(1)), int(m.group(2))
    sys.exit("screen_check: no 'boot: framebuffer WxH, 32 bits per pixel' line in the log")


def main():
    args = sys.argv[1:]
    if not 1 <= len(args) <= 2 or not args[0].isdigit() or int(args[0]) not in STEPS or \
            not (args[1:] in ([], ["boot"], ["virtio"]) or args[1].startswith("device=")):
        sys.exit("usage: screen_check.py STEP [boot|virtio|device=ID] (STEP one of %s)" %
                 sorted(STEPS))
    step = int(args[0])
    if args[1:] == ["boot"]:
        w, h = boot_screen()
        for k in STEPS:
            STEPS[k] = (w, h, STEPS[k][2])
    # (QMP screendump arguments, file name) per screen
    if args[1:] == ["virtio"]:
        screens = [({"device": "gpu", "head": h}, "screen%d-head%d.ppm" % (step, h))
                   for h in (0, 1)]
    elif args[1:] and args[1].startswith("device="):
        dev = args[1][len("device="):]
        screens = [({"device": dev}, "screen%d-%s.ppm" % (step, dev))]
    else:
        screens = [({}, "screen%d.ppm" % step)]
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    for dump_args, name in screens:
        path = os.path.join(os.environ["ARGIL_WORK"], name)
        last = None
        tries = 0
        while True:
            q.cmd("screendump", filename=path, **dump_args)
            tries += 1
            n, bad = judge(step, path)
            if not bad:
                break
            summary = "%d of %d points wrong, first: %s" % (len(bad), n, "; ".join(bad[:3]))
            if summary != last:
                print("screen_check: step %d %s not yet: %s" % (step, name, summary),
                      flush=True)
                last = summary
            time.sleep(0.2)
        print("screen_check: step %d: %d points right (%d screendumps%s)" %
              (step, n, tries, ", " + name if dump_args else ""), flush=True)
    for down in (True, False):
        q.cmd("input-send-event", events=[{"type": "key", "data": {
            "down": down, "key": {"type": "qcode", "data": "a"}}}])
        time.sleep(0.02)
    q.close()


if __name__ == "__main__":
    main()
