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


class Block:
    """Rows of text as tools/term_render draws them at the terminal's
    font size (the cursor hidden), each compared on its first spans[i]
    cells, searched for inside the terminal's window."""

    def __init__(self, lines, spans, font_px, name):
        work = os.environ["ARGIL_WORK"]
        text_path = os.path.join(work, name + ".txt")
        ref_path = os.path.join(work, name + ".ppm")
        with open(text_path, "w") as f:
            f.write("\033[?25l" + "\r\n".join(lines))
        out = subprocess.run([os.path.join(ROOT, "build", "host", "term_render"), "--text",
                              os.path.join(ROOT, "build", "fonts", "DejaVuSansMono.ttf"),
                              str(font_px), "600", str(20 * (len(lines) + 1)), ref_path, text_path],
                             capture_output=True, text=True)
        m = re.search(r"cells of (\d+)x(\d+)", out.stdout)
        if out.returncode or not m:
            raise RuntimeError("term_render: %s%s" % (out.stdout, out.stderr))
        self.cw, self.ch = int(m.group(1)), int(m.group(2))
        self.rw, _, self.rpx = read_ppm(ref_path)
        self.spans = spans
        # a pixel row of the first line with the most colours, to search for
        self.key_y = max(range(self.ch), key=lambda y: len(set(
            self.ref_row(0, y)[k:k + 3] for k in range(0, len(self.ref_row(0, y)), 3))))
        self.key = self.ref_row(0, self.key_y)

    def ref_row(self, row, y):
        i = ((row * self.ch + y) * self.rw) * 3
        return self.rpx[i:i + self.spans[row] * self.cw * 3]

    def find(self, px, w, h, t):
        """The block's top-left on the screen, or None."""
        cw, ch = self.cw, self.ch
        for y in range(max(0, t["ypos"]), min(h, t["ypos"] + t["height"] + 40)):
            row = px[y * w * 3:(y + 1) * w * 3]
            at = row.find(self.key)
            while at >= 0:
                if at % 3 == 0:
                    x0, y0 = at // 3, y - self.key_y
                    if y0 >= 0 and y0 + len(self.spans) * ch <= h and all(
                            px[((y0 + i * ch + yy) * w + x0) * 3:
                               ((y0 + i * ch + yy) * w + x0 + self.spans[i] * cw) * 3]
                            == self.ref_row(i, yy)
                            for i in range(len(self.spans)) for yy in range(ch)):
                        return x0, y0
                at = row.find(self.key, at + 1)
        return None


def wait_block(q, path, block, t, what):
    """Screendumps until block is in the terminal's window: its place, or
    None after TRIES (the screen kept as build/desktop_test_shell.ppm)."""
    keep = os.path.join(ROOT, "build", "desktop_test_shell.ppm")
    for tries in range(1, TRIES + 1):
        q.cmd("screendump", filename=path)
        w, h, px = read_ppm(path)
        at = block.find(px, w, h, t)
        if at:
            with open(path, "rb") as f, open(keep, "wb") as o:
                o.write(f.read())
            print("desktop_check: %s at %d,%d (cells of %dx%d, %d screendumps; %s)"
                  % (what, at[0], at[1], block.cw, block.ch, tries, os.path.relpath(keep, ROOT)),
                  flush=True)
            return at
        time.sleep(0.2)
    with open(path, "rb") as f, open(keep, "wb") as o:
        o.write(f.read())
    print("desktop_check: FAIL: not in the terminal: %s (screen kept as %s)"
          % (what, os.path.relpath(keep, ROOT)), flush=True)
    return None


def shell_ps(q, r, path):
    """The shell in the terminal (apps/shell). A click into the terminal
    (the focus), `ps` and Enter typed: the terminal must show the end of
    the shell's answer, the last children's names (cells 0..15 of their
    rows, the shell pads them to 16) and then "N components, " with N the
    children of desktop.config. Then copy and paste: a drag over the last
    name selects it (the clipboard report), Shift+Insert pastes it (the
    ROM clipboard) at the prompt and Enter runs it: "$ NAME" and
    "shell: NAME: no such command". Each block equal pixel for pixel to
    tools/term_render's at the terminal's font size, searched for inside
    the terminal's window (the decorations' offset and the rows the output
    scrolled aside). Returns 0 when all was there, 1 otherwise."""
    names, font_px = desktop_children()
    t = r["terminal"]
    tail = names[-4:]
    total = "%d components, " % len(names)
    try:
        ps = Block(tail + [total], [16] * len(tail) + [len(total)], font_px, "ps")
        ran = Block(["$ " + tail[-1], "shell: %s: no such command" % tail[-1]],
                    [2 + len(tail[-1]), len("shell: %s: no such command" % tail[-1])], font_px, "paste")
    except RuntimeError as e:
        print("desktop_check: FAIL: %s" % e, flush=True)
        return 1
    # a click into the middle of the terminal, the pointer then out of the way
    move(q, -1100, -800)
    move(q, t["xpos"] + t["width"] // 2, t["ypos"] + t["height"] // 2)
    click(q)
    move(q, 1100, 800)
    for k in ("p", "s", "ret"):
        tap(q, k)
    at = wait_block(q, path, ps, t, "the shell's ps: %s and '%s'" % (", ".join(tail), total.strip()))
    if not at:
        return 1
    # a drag over the last name's cells (row len(tail) - 1 of the block)
    x0, y0 = at
    y = y0 + (len(tail) - 1) * ps.ch + ps.ch // 2
    move(q, -1100, -800)
    move(q, x0 + 2, y)
    send(q, [{"type": "btn", "data": {"down": True, "button": "left"}}], 0.1)
    move(q, (len(tail[-1]) - 1) * ps.cw, 0)
    send(q, [{"type": "btn", "data": {"down": False, "button": "left"}}], 0.1)
    move(q, 1100, 800)
    key(q, "shift", True)
    tap(q, "insert")
    key(q, "shift", False)
    tap(q, "ret")
    if not wait_block(q, path, ran, t, "'%s' selected, pasted by Shift+Insert and run" % tail[-1]):
        return 1
    return 0


def key(q, qcode, down):
    send(q, [{"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}])


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
