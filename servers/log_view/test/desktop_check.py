#!/usr/bin/env python3
"""desktop_check.py: run/desktop_test's host side (docs/gui.md, "The
desktop"). Takes QMP screendumps until the windows the layouter's rules
(run/config/desktop.rules) place are on the screen: the terminal's (its
background TERM_BG over most of the window) and log_view's (its background
over most of it, and labels: pixels of its label colour, blended). Each window's
rectangle comes from its <assign xpos ypos width height> (log_view's size
from its config, 976x280); only the inner part is checked (decorations and
the layout's exact offset aside), waits for the demo children's
lines (through log_view) in the serial log, then (shell_ps) types `ps` into
the terminal and checks the shell's answer on the screen, and at last taps
HOME (the GUI's global key of log_view, which logs the lines it shows then:
the run's last expected line, so it comes last). Gives up after TRIES
screendumps."""
import os
import re
import subprocess
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
            if shell_ps(q, r, path):
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


# ---- the shell in the terminal (apps/shell, docs/gui.md "The shell") ----

def desktop_children():
    """The names of desktop.config's children and the terminal's font_px."""
    text = open(os.path.join(ROOT, "run", "config", "desktop.config")).read()
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    names = re.findall(r'^  <start name="([^"]+)"', text, re.M)
    m = re.search(r'<start name="terminal".*?<config[^>]*font_px="(\d+)"', text, re.S)
    return names, int(m.group(1)) if m else 16


def shell_ps(q, r, path):
    """A click into the terminal (the focus), `ps` and Enter typed: the
    terminal must show the end of the shell's answer, the last children's
    names (cells 0..15 of their rows, the shell pads them to 16) and then
    "N components, " with N the children of desktop.config, pixel for
    pixel as tools/term_render draws them at the terminal's font size.
    The block is searched for inside the terminal's window (the
    decorations' offset and the rows the output scrolled aside). Returns
    0 when it is there, 1 after TRIES screendumps."""
    names, font_px = desktop_children()
    t = r["terminal"]
    tail = names[-4:]
    work = os.environ["ARGIL_WORK"]
    text_path = os.path.join(work, "ps.txt")
    ref_path = os.path.join(work, "ps.ppm")
    with open(text_path, "w") as f:
        f.write("\033[?25l" + "\r\n".join(tail) + "\r\n%d components, " % len(names))
    out = subprocess.run([os.path.join(ROOT, "build", "host", "term_render"), "--text",
                          os.path.join(ROOT, "build", "fonts", "DejaVuSansMono.ttf"), str(font_px),
                          "400", "200", ref_path, text_path],
                         capture_output=True, text=True)
    m = re.search(r"cells of (\d+)x(\d+)", out.stdout)
    if out.returncode or not m:
        print("desktop_check: FAIL: term_render: %s%s" % (out.stdout, out.stderr), flush=True)
        return 1
    cw, ch = int(m.group(1)), int(m.group(2))
    rw, _, rpx = read_ppm(ref_path)
    # the block: a row per name, 16 cells wide; the last row 15 cells
    spans = [16] * len(tail) + [len("%d components, " % len(names))]

    def ref_row(row, y):
        i = ((row * ch + y) * rw) * 3
        return rpx[i:i + spans[row] * cw * 3]

    # a pixel row of the first name with glyph pixels in it, to search for
    key_y = max(range(ch), key=lambda y: len(set(ref_row(0, y)[k:k + 3]
                                                 for k in range(0, len(ref_row(0, y)), 3))))
    key = ref_row(0, key_y)

    def found(px, w, h):
        for y in range(max(0, t["ypos"]), min(h, t["ypos"] + t["height"] + 40)):
            row = px[y * w * 3:(y + 1) * w * 3]
            at = row.find(key)
            while at >= 0:
                if at % 3 == 0:
                    x0, y0 = at // 3, y - key_y
                    if y0 >= 0 and y0 + len(spans) * ch <= h and all(
                            px[((y0 + row_i * ch + yy) * w + x0) * 3:
                               ((y0 + row_i * ch + yy) * w + x0 + spans[row_i] * cw) * 3]
                            == ref_row(row_i, yy)
                            for row_i in range(len(spans)) for yy in range(ch)):
                        return x0, y0
                at = row.find(key, at + 1)
        return None

    # a click into the middle of the terminal, the pointer then out of the way
    move(q, -3000, -3000)
    move(q, t["xpos"] + t["width"] // 2, t["ypos"] + t["height"] // 2)
    click(q)
    move(q, 3000, 3000)
    for k in ("p", "s", "ret"):
        tap(q, k)
    last = None
    for tries in range(1, TRIES + 1):
        q.cmd("screendump", filename=path)
        w, h, px = read_ppm(path)
        at = found(px, w, h)
        if at:
            keep = os.path.join(ROOT, "build", "desktop_test_ps.ppm")
            with open(path, "rb") as f, open(keep, "wb") as o:
                o.write(f.read())
            print("desktop_check: the shell's ps in the terminal: %s and '%d components' at %d,%d "
                  "(cells of %dx%d, %d screendumps; %s)" % (", ".join(tail), len(names), at[0], at[1],
                                                            cw, ch, tries, os.path.relpath(keep, ROOT)),
                  flush=True)
            return 0
        if last is None:
            print("desktop_check: not yet: no ps answer in the terminal", flush=True)
            last = True
        time.sleep(0.2)
    keep = os.path.join(ROOT, "build", "desktop_test_ps.ppm")
    with open(path, "rb") as f, open(keep, "wb") as o:
        o.write(f.read())
    print("desktop_check: FAIL: the terminal shows no ps answer ending with %s, '%d components' "
          "(screen kept as %s)" % (", ".join(tail), len(names), os.path.relpath(keep, ROOT)), flush=True)
    return 1


def send(q, events, pause=0.05):
    q.cmd("input-send-event", events=events)
    time.sleep(pause)


def tap(q, qcode):
    for down in (True, False):
        send(q, [{"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}])


def click(q):
    for down in (True, False):
        send(q, [{"type": "btn", "data": {"down": down, "button": "left"}}], 0.1)


def move(q, dx, dy):
    """In steps of at most 100 (a ps2 mouse packet holds at most 127)."""
    while dx or dy:
        sx, sy = max(-100, min(100, dx)), max(-100, min(100, dy))
        send(q, [{"type": "rel", "data": {"axis": "x", "value": sx}},
                 {"type": "rel", "data": {"axis": "y", "value": sy}}], 0.02)
        dx -= sx
        dy -= sy
    time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
