#!/usr/bin/env python3
"""run/wm_test's host side: `wm_screen_check.py N` (a `host:` command started
by the line "wm_test: shot N") takes QMP screendumps until the screen shows
what step N of servers/wm/test/main.c must show, then taps A through QMP
(ps2 -> event_filter -> gui: the GUI's global key of wm_test's "host"
session, the test's signal to go on).

The expected screen is computed here from the step's windows (content
rectangle, focus, the application's view in it), not from the guest's
code: each window's decoration is a 4-pixel border (#404040) around it, a
title bar of 18 pixels above the content (#3060a0 focused, #606060 not)
with the close button (#c03030) and the maximize button (#30a040) as
18x18 squares at its right end; the content is the application's pattern
where its view is (cut at the window) and the decoration's #404040
elsewhere; windows from the back to the front; #202020 behind all. Every
pixel on an 8-pixel grid and on both sides of every edge is compared,
except in each title's text box (TEXT_BOX pixels from 4 pixels into the
title bar, cut before the buttons): there every visible pixel must be
the title bar's colour or a blend of it towards the text colour (#ffffff
focused, #d0d0d0 not: anti-aliased glyphs), and there must be text: at
least TEXT_MIN pixels at least half-way to the text colour, spread over
at least 2 pixels per character of the title (the application's label,
"red", "blue"). Without titles, or with titles elsewhere, this fails."""
import os
import sys

ROOT = os.environ.get("ARGIL_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "servers", "gui", "test"))
import qmp  # noqa: E402
from screen_check import read_ppm, settle, tap  # noqa: E402

SW, SH = 1024, 768
BACKGROUND = (0x20, 0x20, 0x20)
BORDER, TITLE = 4, 18
C_BORDER = (0x40, 0x40, 0x40)
C_TITLE, C_TITLE_FOCUSED = (0x60, 0x60, 0x60), (0x30, 0x60, 0xa0)
C_CLOSE, C_MAXIMIZE = (0xc0, 0x30, 0x30), (0x30, 0xa0, 0x40)
C_TEXT, C_TEXT_FOCUSED = (0xd0, 0xd0, 0xd0), (0xff, 0xff, 0xff)
TEXT_PAD, TEXT_BOX, TEXT_MIN = 4, 48, 10
TEXT = "text"        # a pixel of a title's text box


def red(x, y):
    return (0xff, x & 0xff, y & 0xff)


def blue(x, y):
    return (x & 0xff, y & 0xff, 0xff)


# a window: (pattern, content x, y, w, h, focused, view x, y, w, h in the window)
RED_1 = (red, 100, 100, 300, 200, False, 0, 0, 300, 200)
RED_2 = (red, 400, 80, 300, 200, False, 0, 0, 300, 200)
RED_4 = (red, 400, 80, 300, 200, False, 100, 50, 300, 200)
BLUE = (blue, 500, 300, 200, 150, True, 0, 0, 200, 150)
BLUE_MAX = (blue, 4, 22, 1016, 742, True, 0, 0, 200, 150)
RED_5 = (red, 400, 80, 300, 200, False, 100, 50, 300, 200)
BLUE_5 = (blue, 600, 250, 200, 150, True, 0, 0, 200, 150)
STEPS = {
    1: [RED_1, BLUE],
    2: [RED_2, BLUE],
    3: [RED_2, BLUE_MAX],
    4: [RED_4, BLUE],
    5: [RED_5, BLUE_5],
    6: [(red, 400, 80, 300, 200, True, 100, 50, 300, 200)],
    7: [(red, 400, 80, 400, 260, True, 100, 50, 300, 200)],
    8: [(red, 4, 22, 1016, 742, True, 100, 50, 300, 200)],
}


def inside(x, y, rx, ry, rw, rh):
    return rx <= x < rx + rw and ry <= y < ry + rh


def window_pixel(win, x, y):
    """The window's colour at x, y, or None where it is not."""
    pattern, wx, wy, ww, wh, focused, vx, vy, vw, vh = win
    if not inside(x, y, wx - BORDER, wy - BORDER - TITLE, ww + 2 * BORDER,
                  wh + 2 * BORDER + TITLE):
        return None
    if inside(x, y, wx, wy, ww, wh):
        if inside(x, y, wx + vx, wy + vy, vw, vh):
            return pattern(x - wx - vx, y - wy - vy)
        return C_BORDER
    ty = wy - TITLE
    if inside(x, y, wx + ww - TITLE, ty, TITLE, TITLE):
        return C_CLOSE
    if ww >= 2 * TITLE and inside(x, y, wx + ww - 2 * TITLE, ty, TITLE, TITLE):
        return C_MAXIMIZE
    if inside(x, y, wx, ty, ww, TITLE):
        if text_box(win, x, y):
            return TEXT
        return C_TITLE_FOCUSED if focused else C_TITLE
    return C_BORDER


def text_box(win, x, y):
    _, wx, wy, ww, _, _, _, _, _, _ = win
    buttons = wx + ww - (2 * TITLE if ww >= 2 * TITLE else TITLE)
    right = min(wx + TEXT_PAD + TEXT_BOX, buttons - TEXT_PAD)
    return wx + TEXT_PAD <= x < right and wy - TITLE <= y < wy


def front_window(step, x, y):
    for win in reversed(STEPS[step]):
        if window_pixel(win, x, y) is not None:
            return win
    return None


def judge_title(step, win, w, px):
    """The title text of win where it is visible: blends of the bar's
    colour towards the text colour only, and enough text."""
    pattern, wx, wy, ww, _, focused, _, _, _, _ = win
    bar = C_TITLE_FOCUSED if focused else C_TITLE
    fg = C_TEXT_FOCUSED if focused else C_TEXT
    bad, strong, xs, seen = [], 0, set(), 0
    for y in range(wy - TITLE, wy):
        for x in range(wx + TEXT_PAD, wx + TEXT_PAD + TEXT_BOX):
            if not (0 <= x < SW and 0 <= y < SH) or not text_box(win, x, y) or \
                    front_window(step, x, y) is not win:
                continue
            seen += 1
            i = (y * w + x) * 3
            got = tuple(px[i:i + 3])
            ts = [(g - b) / (f - b) for g, b, f in zip(got, bar, fg) if f != b]
            if not all(-0.02 <= t <= 1.02 for t in ts) or max(ts) - min(ts) > 0.1:
                bad.append("(%d,%d) is #%02x%02x%02x, no blend of the title bar and its text" %
                           ((x, y) + got))
            elif min(ts) >= 0.5:
                strong += 1
                xs.add(x)
    title = pattern.__name__
    if seen and (strong < TEXT_MIN or (xs and max(xs) - min(xs) < 2 * len(title)) or not xs):
        bad.append("the title '%s' of the window at %d,%d shows %d text pixels over %d columns" %
                   (title, wx, wy, strong, len(xs)))
    return bad


def expected(step, x, y):
    for win in reversed(STEPS[step]):
        c = window_pixel(win, x, y)
        if c is not None:
            return c
    return BACKGROUND


def points(step):
    pts = set((x, y) for x in range(0, SW, 8) for y in range(0, SH, 8))
    for _, wx, wy, ww, wh, _, vx, vy, vw, vh in STEPS[step]:
        xs = {wx - BORDER, wx, wx + ww, wx + ww + BORDER, wx + vx, wx + vx + vw,
              wx + ww - TITLE, wx + ww - 2 * TITLE}
        ys = {wy - BORDER - TITLE, wy - TITLE, wy, wy + wh, wy + wh + BORDER, wy + vy,
              wy + vy + vh}
        for x in xs:
            for y in range(wy - TITLE - BORDER - 1, wy + wh + BORDER + 1, 5):
                pts |= {(x - 1, y), (x, y)}
        for y in ys:
            for x in range(wx - BORDER - 1, wx + ww + BORDER + 1, 5):
                pts |= {(x, y - 1), (x, y)}
    return sorted((x, y) for x, y in pts if 0 <= x < SW and 0 <= y < SH)


def judge(step, path):
    want = points(step)
    w, h, px = read_ppm(path)
    if (w, h) != (SW, SH):
        return len(want), ["screen is %dx%d, not %dx%d" % (w, h, SW, SH)]
    bad = []
    for win in STEPS[step]:
        bad += judge_title(step, win, w, px)
    for x, y in want:
        i = (y * w + x) * 3
        got, exp = tuple(px[i:i + 3]), expected(step, x, y)
        if exp == TEXT:
            continue
        if got != exp:
            bad.append("(%d,%d) is #%02x%02x%02x, not #%02x%02x%02x" % ((x, y) + got + exp))
    return len(want), bad


def main():
    args = sys.argv[1:]
    if len(args) != 1 or not args[0].isdigit() or int(args[0]) not in STEPS:
        sys.exit("usage: wm_screen_check.py STEP (one of %s)" % sorted(STEPS))
    step = int(args[0])
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    path = os.path.join(os.environ["ARGIL_WORK"], "wm_screen%d.ppm" % step)
    settle(q, path, lambda f: judge(step, f), "wm_screen_check", step)
    tap(q)
    q.close()


if __name__ == "__main__":
    main()
