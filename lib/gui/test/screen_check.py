#!/usr/bin/env python3
"""run/gui_text_test's host side: `screen_check.py REFERENCE.ppm X Y` (a
`host:` command started by the line "gui_text_test: shot 1") takes QMP
screendumps until the rectangle at X,Y of the reference's size holds
exactly the reference's pixels (the scene of lib/gui/test/scene.c as
tools/gui_render drew it on the host with the same lib/gui code) and the
pixels around it the GUI server's background #202020, keeps that screendump beside the reference (screen.ppm), then taps a key
through QMP (ps2 -> event -> the events report: the test's signal to go
on).

A screen that does not match yet is taken again (the driver copies the
changed pixels after the GUI server composed them): the run's timeout is
the only limit, and each new mismatch is printed with the number of
pixels that differ and the largest difference of a channel."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402

BACKGROUND = b"\x20\x20\x20"
HEADER = re.compile(rb"P6\s+(\d+)\s+(\d+)\s+255\s")


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # QEMU writes "P6\nW H\n255\n" without comments; so does gui_render
    m = HEADER.match(data)
    if not m:
        raise ValueError("%s: not an 8-bit binary PPM" % path)
    w, h = int(m.group(1)), int(m.group(2))
    pixels = data[m.end():]
    if len(pixels) < w * h * 3:
        raise ValueError("%s: cut short" % path)
    return w, h, pixels


def judge(ref, x0, y0, path):
    """(pixels compared, [mismatch descriptions])"""
    rw, rh, rpx = ref
    w, h, px = read_ppm(path)
    if x0 + rw + 1 > w or y0 + rh + 1 > h:
        return 0, ["screen %dx%d too small for the scene at %d,%d" % (w, h, x0, y0)]
    bad, worst, first = 0, 0, None
    for y in range(rh):
        s = ((y0 + y) * w + x0) * 3
        row, want = px[s:s + rw * 3], rpx[y * rw * 3:(y + 1) * rw * 3]
        if row == want:
            continue
        for i in range(0, rw * 3, 3):
            if row[i:i + 3] != want[i:i + 3]:
                bad += 1
                worst = max(worst, max(abs(a - b) for a, b in zip(row[i:i + 3], want[i:i + 3])))
                if first is None:
                    first = "(%d,%d) is #%s, not #%s" % (x0 + i // 3, y0 + y, row[i:i + 3].hex(),
                                                         want[i:i + 3].hex())
    ring = [(x, y0 - 1) for x in range(x0 - 1, x0 + rw + 1)] + \
           [(x, y0 + rh) for x in range(x0 - 1, x0 + rw + 1)] + \
           [(x0 - 1, y) for y in range(y0, y0 + rh)] + [(x0 + rw, y) for y in range(y0, y0 + rh)]
    ring_bad = [p for p in ring if px[(p[1] * w + p[0]) * 3:(p[1] * w + p[0]) * 3 + 3] != BACKGROUND]
    msgs = []
    if bad:
        msgs.append("%d of %d scene pixels differ (largest difference %d), first %s" %
                    (bad, rw * rh, worst, first))
    if ring_bad:
        msgs.append("%d pixels around the view are not the background, first (%d,%d)" %
                    ((len(ring_bad),) + ring_bad[0]))
    return rw * rh + len(ring), msgs


def main():
    args = sys.argv[1:]
    if len(args) != 3 or not args[1].isdigit() or not args[2].isdigit():
        sys.exit("usage: screen_check.py REFERENCE.ppm X Y")
    ref = read_ppm(args[0])
    x0, y0 = int(args[1]), int(args[2])
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    path = os.path.join(os.environ["ARGIL_WORK"], "gui_text.ppm")
    last, tries = None, 0
    while True:
        q.cmd("screendump", filename=path)
        tries += 1
        n, bad = judge(ref, x0, y0, path)
        if not bad:
            break
        summary = "; ".join(bad)
        if summary != last:
            print("screen_check: not yet: %s" % summary, flush=True)
            last = summary
        time.sleep(0.2)
    keep = os.path.join(os.path.dirname(args[0]), "screen.ppm")
    with open(path, "rb") as src, open(keep, "wb") as dst:
        dst.write(src.read())
    print("screen_check: text scene: %d of %d pixels as the host rendered them (%d screendumps, kept as %s)" %
          (n, n, tries, keep), flush=True)
    for down in (True, False):
        q.cmd("input-send-event", events=[{"type": "key", "data": {
            "down": down, "key": {"type": "qcode", "data": "a"}}}])
        time.sleep(0.02)
    q.close()


if __name__ == "__main__":
    main()
