#!/usr/bin/env python3
"""run/trusted_path_test's host side: `trusted_check.py STEP` (a `host:`
command started by "trusted_path_test: host STEP"):

  normal  screendumps until the screen shows bank's view in front of all
          of evil's (evil's raised and created later: domain apps, layer 2,
          is behind domain bank, layer 1), one of them over the whole
          screen and beyond its edges
  input   a click at 350,300 (bank), k
  xray    a click at 160,160 (evil's view: evil has the focus), the x-ray
          key (Scroll Lock) held while screendumps are taken until the
          screen shows the x-ray picture computed here: every view framed
          (3 pixels) in its domain's colour under an 18-pixel label bar,
          bank's view dimmed (not focused), bank's frame and bar in front
          of evil's view that tried to cover the bar; then the key
          released, j

then A (the GUI's global key of the test's "host" client: done). The
expected screens are computed here from the layout the test describes
(servers/gui/test/trusted/main.c) and the server's documented x-ray
geometry (docs/gui.md), not from the guest's code. Points: a 4-pixel grid
and both sides of every edge; the inside of a label bar (where the label's
text is) is left out, as is the pointer's 11x17 box; then the labels of
bank and evil must be text in their bars (check_labels: white on the
bar's colour, within the bar's text area). The screens judged
are kept as build/screens/trusted_normal.ppm and trusted_xray.ppm."""
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import gui_input  # noqa: E402
import screen_check  # noqa: E402

W, H = 1024, 768
BACKGROUND = (0x20, 0x20, 0x20)
FRAME, BAR = 3, 18


def bank(x, y):
    return (x & 0xff, 0xc0, y & 0xff)


def evil(x, y):
    return (0xc0, y & 0xff, x & 0xff)


# views from the back to the front: (x, y, w, h, buffer w, h, pattern, colour, client)
VIEWS = [
    (-100, -100, 1300, 1000, 400, 300, evil, (0xc0, 0, 0), "evil"),
    (150, 150, 400, 300, 400, 300, evil, (0xc0, 0, 0), "evil"),
    (190, 170, 320, 40, 400, 300, evil, (0xc0, 0, 0), "evil"),
    (200, 200, 300, 200, 300, 200, bank, (0, 0xc0, 0), "bank"),
]


def dim(c):
    return tuple(v >> 1 for v in c)


def intersect(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else (0, 0, 0, 0)


def footprint(v, xray):
    """The view, or in x-ray mode its frame and bar around the part of it on
    the screen, kept on the screen."""
    if not xray:
        return v[:4]
    x, y, w, h = intersect(v[:4], (0, 0, W, H))
    return intersect((x - FRAME, y - FRAME - BAR, w + 2 * FRAME, h + 2 * FRAME + BAR),
                     (0, 0, W, H))


def inner(f):
    return (f[0] + FRAME, f[1] + FRAME + BAR, f[2] - 2 * FRAME, f[3] - 2 * FRAME - BAR)


def inside(px, py, r):
    return r[0] <= px < r[0] + r[2] and r[1] <= py < r[1] + r[3]


def expected(px, py, xray, focus):
    """The colour, or None where it is not judged (label text)."""
    for v in reversed(VIEWS):
        x, y, w, h, bw, bh, pattern, colour, client = v
        f = footprint(v, xray)
        if not inside(px, py, f):
            continue
        if inside(px, py, (x, y, w, h)) and (not xray or inside(px, py, inner(f))):
            c = pattern(px - x, py - y) if px - x < bw and py - y < bh else BACKGROUND
            return dim(c) if xray and client != focus else c
        text = (f[0] + 2, f[1] + 2, f[2] - 4, BAR - 4)
        if inside(px, py, text):
            return None
        return colour
    return BACKGROUND


def points():
    pts = set((x, y) for x in range(0, W, 4) for y in range(0, H, 4))
    for v in VIEWS:
        for r in (v[:4], footprint(v, True)):
            x, y, w, h = r
            for xx in (x - 1, x, x + w - 1, x + w):
                pts |= {(xx, yy) for yy in range(y - 1, y + h + 1)}
            for yy in (y - 1, y, y + h - 1, y + h):
                pts |= {(xx, yy) for xx in range(x - 1, x + w + 1)}
    return sorted((x, y) for x, y in pts if 0 <= x < W and 0 <= y < H)


def judge(path, xray, focus, pointer):
    w, h, px = screen_check.read_ppm(path)
    if (w, h) != (W, H):
        return ["screen is %dx%d, not %dx%d" % (w, h, W, H)], 0
    bad, n = [], 0
    for x, y in points():
        if pointer and inside(x, y, (pointer[0], pointer[1], 11, 17)):
            continue
        exp = expected(x, y, xray, focus)
        if exp is None:
            continue
        n += 1
        i = (y * w + x) * 3
        got = tuple(px[i:i + 3])
        if got != exp:
            bad.append("(%d,%d) is #%02x%02x%02x, not #%02x%02x%02x" % ((x, y) + got + exp))
    return bad, n


def text_box(path, v, pointer):
    """The bounding box of the pixels in v's label bar that are not the bar's
    colour (the label's text), and whether each is a mix of the colour and
    white (the server's text colour on a dark bar)."""
    w, h, px = screen_check.read_ppm(path)
    colour = v[7]
    f = footprint(v, True)
    bar = (f[0], f[1], f[2], BAR)
    box, mixed, n = None, True, 0
    for yy in range(bar[1], bar[1] + bar[3]):
        for xx in range(bar[0], bar[0] + bar[2]):
            if pointer and inside(xx, yy, (pointer[0], pointer[1], 11, 17)):
                continue
            i = (yy * w + xx) * 3
            got = tuple(px[i:i + 3])
            if got == colour:
                continue
            n += 1
            mixed &= all(c <= g <= 255 for c, g in zip(colour, got))
            box = (xx, yy, xx, yy) if not box else \
                (min(box[0], xx), min(box[1], yy), max(box[2], xx), max(box[3], yy))
    return bar, box, n, mixed


def check_labels(path, pointer):
    """bank's bar (all of it in front) holds text: at least 40 pixels, all
    white on green, inside the bar's text area at its left end (the label
    'bank' at 14 pixels is about 35 wide); evil's bars the same, also the
    one of its view that covers the whole screen and beyond: on the screen's
    top edge."""
    bad = []
    for v, label in ((VIEWS[3], "bank"), (VIEWS[1], "evil"), (VIEWS[0], "evil")):
        bar, box, n, mixed = text_box(path, v, pointer)
        if not box or n < 40:
            bad.append("%s: no label text in its bar %r (%d pixels)" % (label, bar, n))
            continue
        if not mixed:
            bad.append("%s: label pixels other than white text on the bar's colour" % label)
        if box[0] < bar[0] + 3 or box[2] > bar[0] + 3 + 60 or box[1] < bar[1] + 1 or \
                box[3] > bar[1] + BAR - 1:
            bad.append("%s: label text at %r, outside the bar's text area" % (label, box))
        print("trusted_check: label %s: %d text pixels in %r" % (label, n, box), flush=True)
    if bad:
        sys.exit("trusted_check: " + "; ".join(bad))


def wait_screen(q, name, xray, focus, pointer):
    path = os.path.join(os.environ["ARGIL_WORK"], "trusted_%s.ppm" % name)
    last, tries = None, 0
    while True:
        q.cmd("screendump", filename=path)
        tries += 1
        bad, n = judge(path, xray, focus, pointer)
        if not bad:
            break
        summary = "%d of %d points wrong, first: %s" % (len(bad), n, "; ".join(bad[:3]))
        if summary != last:
            print("trusted_check: %s not yet: %s" % (name, summary), flush=True)
            last = summary
        time.sleep(0.2)
    print("trusted_check: %s: %d points right (%d screendumps)" % (name, n, tries), flush=True)
    keep = os.path.join(os.environ.get("ARGIL_ROOT", "."), "build", "screens")
    os.makedirs(keep, exist_ok=True)
    shutil.copy(path, os.path.join(keep, "trusted_%s.ppm" % name))
    return path


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("normal", "input", "xray"):
        sys.exit("usage: trusted_check.py normal|input|xray")
    i = gui_input.Input()
    step = sys.argv[1]
    if step == "normal":
        wait_screen(i.q, "normal", False, None, None)
    elif step == "input":
        i.click(350, 300)
        i.tap("k")
    else:
        i.click(160, 160)
        i.key("scroll_lock", True)
        path = wait_screen(i.q, "xray", True, "evil", (160, 160))
        check_labels(path, (160, 160))
        i.key("scroll_lock", False)
        i.tap("j")
    i.close()


if __name__ == "__main__":
    main()
