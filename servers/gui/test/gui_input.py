#!/usr/bin/env python3
"""The host side of the GUI's input tests: `gui_input.py NAME` (a `host:`
command started by a line such as "gui_test: input 1") clicks and types
through QMP `input-send-event` (ps2's keyboard and mouse), then taps A,
the GUI's global key of the test's "host" client, which tells the test
that everything before it went through.

A click moves the pointer far to the top left first (2000 pixels) (the GUI clamps it at
0,0), then by the target's coordinates (relative motion: ps2's mouse).

Sequences (what the test expects them to do is in the test):
  gui1      click 200,150; q; click 100,400; w          (run/gui_test)
  keys      y z shift+2                                 (run/gui_test)
  bench     click 100,100; x 30 times, 0.15 s apart     (run/gui_bench)
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402


class Input:
    def __init__(self):
        self.q = qmp.QMP(os.environ["ARGIL_QMP"])

    def send(self, events, pause=0.05):
        self.q.cmd("input-send-event", events=events)
        time.sleep(pause)

    def key(self, qcode, down):
        self.send([{"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}])

    def tap(self, *qcodes):
        """Press the keys in order, release them in reverse (shift+2: tap("shift", "2"))."""
        for k in qcodes:
            self.key(k, True)
        for k in reversed(qcodes):
            self.key(k, False)

    def move(self, dx, dy):
        """In steps of at most 100 (QEMU's ps2 mouse sends one packet of at
        most 127 per event and keeps the rest for the next one)."""
        while dx or dy:
            sx = max(-100, min(100, dx))
            sy = max(-100, min(100, dy))
            self.send([{"type": "rel", "data": {"axis": "x", "value": sx}},
                       {"type": "rel", "data": {"axis": "y", "value": sy}}], 0.02)
            dx -= sx
            dy -= sy
        time.sleep(0.1)

    def button(self, down):
        self.send([{"type": "btn", "data": {"down": down, "button": "left"}}], 0.1)

    def click(self, x, y):
        self.move(-2000, -2000)
        self.move(x, y)
        self.button(True)
        self.button(False)

    def close(self):
        self.tap("a")
        self.q.close()


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("gui1", "keys", "bench"):
        sys.exit("usage: gui_input.py gui1|keys|bench")
    i = Input()
    if sys.argv[1] == "bench":
        i.click(100, 100)
        for _ in range(30):
            time.sleep(0.1)
            i.tap("x")
        i.q.close()
        print("gui_input: bench sent", flush=True)
        return
    if sys.argv[1] == "gui1":
        i.click(200, 150)
        i.tap("q")
        i.click(100, 400)
        i.tap("w")
    else:
        i.tap("y")
        i.tap("z")
        i.tap("shift", "2")
    i.close()
    print("gui_input: %s sent" % sys.argv[1], flush=True)


if __name__ == "__main__":
    main()
