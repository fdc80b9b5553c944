#!/usr/bin/env python3
"""run/input_test's check: what event_filter passed to the event server
(`[init -> event] event_filter -> focus|gui: <seq> <event>` lines) against
what input_typist.py typed: the characters of phase 1 under the us keymap
and of phase 2 under de (the keymap changed while running), the key
repeat's characters while r was held, the remapped key, the global key on
the gui session only, and (argument `absolute`) the tablet's absolute
position. `virtio` also checks that the keys came from virtio_input
(event_filter's log of its sources). Prints `input_check: N passed, N failed`."""
import os
import re
import sys

LINE = re.compile(r"^\[init -> event\] event_filter -> (focus|gui): (\d+) (.*)$")
SRC = re.compile(r"^\[init -> event_filter\] (\S+) -> input: press ")
CHAR = re.compile(r"^char U\+([0-9A-F]+)( repeat)?$")

PHASE1 = ["y", "z", "@", "x", "r"]
PHASE2 = ["z", "y", '"', "@", "\u00f6", "\x1b"]


def stray_repeats(events):
    """Repeats that do not repeat the character of the last key pressed
    while that key is still held and no other key was pressed since (how many a key gets depends on timing,
    where they are does not)."""
    stray = []
    held_key, held_char = None, None
    last_press = None
    for e in events:
        m = CHAR.match(e)
        if e.startswith("press "):
            last_press, held_key = e[6:], None     # another key ends a repeat
        elif e.startswith("release ") and e[8:] == held_key:
            held_key = None
        elif m and not m.group(2):
            held_key, held_char = last_press, m.group(1)
        elif m and (held_key is None or m.group(1) != held_char):
            stray.append(e)
    return stray


def main():
    opts = sys.argv[1:]
    ev = {"focus": [], "gui": []}
    sources = set()
    with open(os.environ["ARGIL_LOG"], errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = LINE.match(line)
            if m:
                ev[m.group(1)].append((int(m.group(2)), m.group(3)))
            m = SRC.match(line)
            if m:
                sources.add(m.group(1))
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("input_check: FAIL " + what)

    for name, l in ev.items():
        check([s for s, _ in l] == list(range(len(l))), "%s: sequence numbers not 0.. in order" % name)
    focus = [e for _, e in ev["focus"]]
    check("press F9" in focus, "the end of phase 1 (press F9) not passed on")
    split = focus.index("press F9") if "press F9" in focus else len(focus)
    one, two = focus[:split], focus[split:]

    def chars(l, repeat):
        out = []
        for e in l:
            m = CHAR.match(e)
            if m and bool(m.group(2)) == repeat:
                out.append(chr(int(m.group(1), 16)))
        return out

    c1, c2 = chars(one, False), chars(two, False)
    check(c1 == PHASE1, "phase 1 (us) gave %r, not %r" % (c1, PHASE1))
    check(c2 == PHASE2, "phase 2 (de) gave %r, not %r" % (c2, PHASE2))
    # the repeat: characters r again while r is held, nothing else repeated
    held = one[one.index("press R") + 1:one.index("release R")] if "press R" in one and \
        "release R" in one else []
    r1 = chars(held, True)
    check(len(r1) >= 1 and set(r1) == {"r"}, "r held: repeated %r" % r1)
    check(not stray_repeats(focus), "a repeat while its key was not held")
    # the remap: F1 came out as X, never as F1
    check("press X" in one and not any("F1" == e.split()[-1] for e in focus),
          "F1 not remapped to X")
    # the global key: only on the gui session
    gui = [e for _, e in ev["gui"]]
    check(gui == ["press F12", "release F12"], "gui session got %r" % gui)
    check(not any(e.endswith("F12") for e in focus), "F12 reached the focus")
    if "absolute" in opts:
        check("absolute 16384 8192" in one, "no absolute 16384 8192 in %r" % one)
        check("press BTN_LEFT" in one and "release BTN_LEFT" in one, "no click of the tablet")
    if "virtio" in opts:
        check(sources == {"virtio_input"}, "keys came from %r, not virtio_input" % sorted(sources))
    print("input_check: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
