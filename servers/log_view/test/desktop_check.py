#!/usr/bin/env python3
"""desktop_check.py: run/desktop_test's host side (docs/gui.md, "The
desktop"). Steps, each through QMP screendumps (at most TRIES of them a
step) and QMP input-send-event (ps2's keyboard and mouse):

  windows  the windows the layouter's rules (run/config/desktop.rules)
           place are on the screen: the terminal's (its background TERM_BG
           over most of the window) and log_view's (its background over
           most of it, and label text), and ram_monitor's demo windows, one
           per running component, in the grid of its tiling rule
           (rows="N": slots a step of the window and the decorator's
           margins apart); as many as ram_monitor's last "N components, W
           windows" line says, every component (a <start> of
           run/config/desktop.config) with a window. The screen
           is kept in build/desktop_test.ppm.
  focus    a click into the first demo window's content gives it the focus
           (its title bar in the decorator's focused colour, the terminal's
           not), then a click into the terminal's content gives the focus
           to the terminal (and takes it from the demo window).
  xray     SCROLLLOCK held (the GUI's x-ray key): frames and label bars
           in the apps domain's colour (yellow) around the windows, none
           before; dark label text in the bar above the terminal; the
           terminal (focused) undimmed, log_view's background dimmed;
           released: no yellow again.
  sleeper  the sleeper exits (3 s after it started: meanwhile the steps
           before ran): ram_monitor says its window closed, and the
           grid shows one window less (W - 1, as its next line says).
  demo     the demo children's lines through log_view in the serial log.
  shell    the shell in the terminal (apps/shell, shell_ps below): `ps`
           typed, the end of its answer on the screen; a name selected by a
           drag, pasted by Shift+Insert and run.
  home     HOME, the GUI's global key of log_view, which then logs the
           lines it shows (the run's last expected line).

A window's rectangle is its rule's <assign xpos ypos width height> (the
content; log_view's size from its config in run/config/desktop.config);
only the inner part of it is checked (decorations and exact offsets aside).
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.environ.get("ARGIL_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "servers", "gui", "test"))
from gui_input import Input  # noqa: E402
from screen_check import read_ppm  # noqa: E402

TRIES = 300
TERM_BG = bytes((0x10, 0x10, 0x18))
LV_BG = bytes((0x10, 0x18, 0x20))  # its labels are #80c0ff
LV_BG_DIM = bytes((0x08, 0x0c, 0x10))  # x-ray: each channel halved
RM_BG = bytes((0x18, 0x20, 0x28))  # ram_monitor's window, its bar #303840 / #40a060
RM_BARS = (bytes((0x30, 0x38, 0x40)), bytes((0x40, 0xa0, 0x60)))
TITLE_FOCUSED = bytes((0x30, 0x60, 0xa0))  # the decorator's
XRAY = bytes((0xff, 0xff, 0x00))  # the apps domain's colour (desktop.config)
MARGINS = (22, 4, 4, 4)  # the decorator's: top, bottom, left, right
INSET = 30
RM_PREFIX = "ram_monitor -> "
RM_LINE = r"^\[init -> desktop -> log_view\] \[ram_monitor\] (\d+) components, (\d+) windows,"
SLEEPER_GONE = (r"^\[init -> desktop -> log_view\] \[ram_monitor\] window of 'sleeper' closed: "
                r"exited or gone$")
DEMO_LINES = (r"^\[init -> desktop -> log_view\] \[sleeper\] three ticks slept$",
              r"^\[init -> desktop -> log_view\] \[ticker\] tick 1$")
# the desktop init's children (each with a window while it runs)
COMPONENTS = len(re.findall(r'^  <start name="', open(os.path.join(
    ROOT, "run", "config", "desktop.config")).read(), re.M))


def fail(msg):
    print("desktop_check: FAIL: %s" % msg, flush=True)
    sys.exit(1)


def rules():
    text = open(os.path.join(ROOT, "run", "config", "desktop.rules")).read()
    out = {}
    for m in re.finditer(r'<assign label_prefix="([^"]+)"([^/]*)/>', text):
        a = dict(re.findall(r'(\w+)="(\d+)"', m.group(2)))
        out[m.group(1).replace("&gt;", ">")] = {k: int(v) for k, v in a.items()}
    config = open(os.path.join(ROOT, "run", "config", "desktop.config")).read()
    lv = re.search(r'<config lines="\d+" width="(\d+)" height="(\d+)"', config)
    out["log_view"]["width"], out["log_view"]["height"] = int(lv.group(1)), int(lv.group(2))
    return out


def log_text():
    return open(os.environ["ARGIL_LOG"], errors="replace").read()


def windows_logged():
    """ram_monitor's last (components, windows), or None."""
    m = re.findall(RM_LINE, log_text(), re.M)
    return tuple(int(v) for v in m[-1]) if m else None


def count(px, w, rect, colours, step=2):
    x0, y0, x1, y1 = rect
    n = 0
    for y in range(y0, y1, step):
        row = y * w
        for x in range(x0, x1, step):
            i = (row + x) * 3
            if px[i:i + 3] in colours:
                n += 1
    return n, ((x1 - x0 + step - 1) // step) * ((y1 - y0 + step - 1) // step)


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


def inner(a, w, h):
    return (a["xpos"] + INSET, a["ypos"] + INSET, min(w, a["xpos"] + a["width"] - INSET),
            min(h, a["ypos"] + a["height"] - INSET))


def slots(r, w, h):
    """The content rectangles of the demo windows' grid, in slot order."""
    m = r[RM_PREFIX]
    out, k = [], 0
    while True:
        x = m["xpos"] + k // m["rows"] * (m["width"] + MARGINS[2] + MARGINS[3])
        y = m["ypos"] + k % m["rows"] * (m["height"] + MARGINS[0] + MARGINS[1])
        if x + m["width"] > w:
            return out
        if y + m["height"] <= h:
            out.append((x, y, x + m["width"], y + m["height"]))
        k += 1


def demo_windows(px, w, r, h):
    """How many slots of the grid show a demo window (its background and bar)."""
    n = 0
    for x0, y0, x1, y1 in slots(r, w, h):
        bg, total = count(px, w, (x0, y0, x1, y1), (RM_BG,))
        bars, _ = count(px, w, (x0, y0, x1, y1), RM_BARS)
        if bg * 10 >= total * 3 and bars >= 50:
            n += 1
    return n


def title_focused(px, w, rect):
    """The title bar above a content rectangle: a third of it (beside a
    title's text) the focused colour?"""
    x0, y0, x1, _ = rect
    n, total = count(px, w, (x0 + 2, y0 - MARGINS[0] + 6, x1 - 40, y0 - 6), (TITLE_FOCUSED,), 1)
    return n * 3 > total


def content(a):
    return (a["xpos"], a["ypos"], a["xpos"] + a["width"], a["ypos"] + a["height"])


class Desktop:
    def __init__(self):
        self.r = rules()
        self.i = Input()
        self.path = os.path.join(os.environ["ARGIL_WORK"], "desktop.ppm")

    def shot(self):
        self.i.q.cmd("screendump", filename=self.path)
        return read_ppm(self.path)

    def until(self, what, judge):
        """Screendumps until judge(w, h, px) returns no complaints."""
        last = None
        for tries in range(1, TRIES + 1):
            w, h, px = self.shot()
            bad = judge(w, h, px)
            if not bad:
                return tries
            if bad != last:
                print("desktop_check: %s: not yet: %s" % (what, "; ".join(bad)), flush=True)
                last = bad
            time.sleep(0.2)
        fail("%s: %s" % (what, "; ".join(last)))

    def judge_windows(self, w, h, px, want):
        r, bad = self.r, []
        n, total = count(px, w, inner(r["terminal"], w, h), (TERM_BG,))
        if n * 10 < total * 8:
            bad.append("terminal: %d of %d points its background" % (n, total))
        lv = r["log_view"]
        n, total = count(px, w, inner(lv, w, h), (LV_BG,))
        if n * 10 < total * 5:
            bad.append("log_view: %d of %d points its background" % (n, total))
        n = labelish(px, w, (lv["xpos"], lv["ypos"], min(w, lv["xpos"] + lv["width"]),
                             min(h, lv["ypos"] + lv["height"])))
        if n < 200:
            bad.append("log_view: %d points of label text" % n)
        logged = windows_logged()
        shown = demo_windows(px, w, r, h)
        if not logged or not want(logged):
            bad.append("ram_monitor said %s" % (logged,))
        elif shown != logged[1]:
            bad.append("ram_monitor: %d windows on the screen, %d said" % (shown, logged[1]))
        return bad

    def windows(self):
        tries = self.until("windows", lambda w, h, px: self.judge_windows(
            w, h, px, lambda lg: lg == (COMPONENTS, COMPONENTS)))
        keep = os.path.join(ROOT, "build", "desktop_test.ppm")
        os.makedirs(os.path.dirname(keep), exist_ok=True)
        with open(self.path, "rb") as f, open(keep, "wb") as o:
            o.write(f.read())
        print("desktop_check: windows of terminal, log_view and %d of ram_monitor on the screen "
              "(%d screendumps; %s)" % (COMPONENTS, tries, os.path.relpath(keep, ROOT)),
              flush=True)

    def sleeper(self):
        def judge(w, h, px):
            if not re.search(SLEEPER_GONE, log_text(), re.M):
                return ["ram_monitor has not closed the sleeper's window"]
            return self.judge_windows(w, h, px,
                                      lambda lg: lg == (COMPONENTS, COMPONENTS - 1))
        self.until("sleeper", judge)
        print("desktop_check: the sleeper exited, its window went: %d demo windows"
              % (COMPONENTS - 1), flush=True)

    def focus(self):
        first = slots(self.r, 1024, 768)[0]
        term = content(self.r["terminal"])
        at = None
        for name, rect, other in (("the first demo window", first, term),
                                  ("the terminal", term, first)):
            x, y = (rect[0] + rect[2]) // 2, (rect[1] + rect[3]) // 2
            if at:  # from the last click on (relative motion)
                self.i.move(x - at[0], y - at[1])
                self.i.button(True)
                self.i.button(False)
            else:   # from 0,0 (far to the top left first)
                self.i.click(x, y)
            at = (x, y)
            self.until("focus on %s" % name, lambda w, h, px: [] if (
                title_focused(px, w, rect) and not title_focused(px, w, other)) else [
                "title bars: %s %s, the other %s" % (
                    name, "focused" if title_focused(px, w, rect) else "not focused",
                    "focused" if title_focused(px, w, other) else "not focused")])
            print("desktop_check: a click into %s gave it the focus" % name, flush=True)

    def xray(self):
        term, lv = self.r["terminal"], self.r["log_view"]
        w, h, px = self.shot()
        n, _ = count(px, w, (0, 0, w, h), (XRAY,))
        if n:
            fail("xray: %d points of yellow before the key" % n)

        def judge_on(w, h, px):
            bad = []
            n, _ = count(px, w, (0, 0, w, h), (XRAY,))
            if n < 2000:
                bad.append("%d points of yellow frames" % n)
            # the terminal's label bar: yellow with dark text, above its frame
            bar = (term["xpos"], term["ypos"] - 21, term["xpos"] + 300, term["ypos"] - 3)
            yel, total = count(px, w, bar, (XRAY,), 1)
            dark = sum(1 for y in range(bar[1], bar[3]) for x in range(bar[0], bar[2])
                       if sum(px[(y * w + x) * 3:(y * w + x) * 3 + 3]) < 0x180)
            if yel * 2 < total or dark < 40:
                bad.append("terminal's label bar: %d yellow, %d dark of %d" % (yel, dark, total))
            n, total = count(px, w, inner(term, w, h), (TERM_BG,))
            if n * 10 < total * 8:
                bad.append("terminal (focused) dimmed: %d of %d its background" % (n, total))
            n, total = count(px, w, inner(lv, w, h), (LV_BG_DIM,))
            if n * 10 < total * 5:
                bad.append("log_view not dimmed: %d of %d its dimmed background" % (n, total))
            return bad
        self.i.key("scroll_lock", True)
        self.until("x-ray on", judge_on)
        keep = os.path.join(ROOT, "build", "desktop_test_xray.ppm")
        with open(self.path, "rb") as f, open(keep, "wb") as o:
            o.write(f.read())
        self.i.key("scroll_lock", False)
        self.until("x-ray off", lambda w, h, px: [] if not count(
            px, w, (0, 0, w, h), (XRAY,))[0] else ["yellow still there"])
        print("desktop_check: x-ray: yellow frames and label bars while SCROLLLOCK was held "
              "(%s), none after" % os.path.relpath(keep, ROOT), flush=True)

    def demo(self):
        # the demo children's lines through log_view in the serial log
        for _ in range(TRIES):
            if all(re.search(p, log_text(), re.M) for p in DEMO_LINES):
                return
            time.sleep(0.2)
        fail("demo lines missing")

    def home(self):
        # HOME, the GUI's global key of log_view: it scrolls to the first
        # line and logs it, the run's last expected line; press and release
        # in one command: the run ends as soon as log_view answers, QEMU
        # may be gone before anything else
        events = [{"type": "key", "data": {"down": down, "key": {
            "type": "qcode", "data": "home"}}} for down in (True, False)]
        try:
            self.i.q.cmd("input-send-event", events=events)
            print("desktop_check: HOME tapped", flush=True)
            self.i.q.close()
        except OSError:
            pass  # QEMU stopped: the run saw log_view's line


def main():
    d = Desktop()
    d.windows()
    d.focus()
    d.xray()
    d.sleeper()
    d.demo()
    if shell_ps(d):
        return 1
    d.home()
    return 0


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


def wait_block(d, block, t, what):
    """Screendumps until block is in the terminal's window: its place, or
    None after TRIES (the screen kept as build/desktop_test_shell.ppm)."""
    keep = os.path.join(ROOT, "build", "desktop_test_shell.ppm")
    for tries in range(1, TRIES + 1):
        w, h, px = d.shot()
        at = block.find(px, w, h, t)
        if at:
            with open(d.path, "rb") as f, open(keep, "wb") as o:
                o.write(f.read())
            print("desktop_check: %s at %d,%d (cells of %dx%d, %d screendumps; %s)"
                  % (what, at[0], at[1], block.cw, block.ch, tries, os.path.relpath(keep, ROOT)),
                  flush=True)
            return at
        time.sleep(0.2)
    with open(d.path, "rb") as f, open(keep, "wb") as o:
        o.write(f.read())
    print("desktop_check: FAIL: not in the terminal: %s (screen kept as %s)"
          % (what, os.path.relpath(keep, ROOT)), flush=True)
    return None


def shell_ps(d):
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
    t, i = d.r["terminal"], d.i
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
    i.click(t["xpos"] + t["width"] // 2, t["ypos"] + t["height"] // 2)
    i.move(1100, 800)
    for k in ("p", "s", "ret"):
        i.tap(k)
    at = wait_block(d, ps, t, "the shell's ps: %s and '%s'" % (", ".join(tail), total.strip()))
    if not at:
        return 1
    # a drag over the last name's cells (row len(tail) - 1 of the block)
    x0, y0 = at
    y = y0 + (len(tail) - 1) * ps.ch + ps.ch // 2
    i.move(-2000, -2000)
    i.move(x0 + 2, y)
    i.button(True)
    i.move((len(tail[-1]) - 1) * ps.cw, 0)
    i.button(False)
    i.move(1100, 800)
    i.tap("shift", "insert")
    i.tap("ret")
    if not wait_block(d, ran, t, "'%s' selected, pasted by Shift+Insert and run" % tail[-1]):
        return 1
    return 0



if __name__ == "__main__":
    sys.exit(main())
