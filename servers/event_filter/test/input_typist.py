#!/usr/bin/env python3
"""run/input_test's typist (`host:` commands), one phase per call:

  input_typist.py 1 [absolute]   keymap us: y z shift+2, F1 (remapped to X),
                                 F12 (a global key), r held for 1.5 s (the
                                 key repeat), with `absolute` the tablet
                                 moved to (16384, 8192) and clicked; then
                                 F9, the end of phase 1
  input_typist.py 2              keymap de: y z shift+2 AltGr+q ;(ö) Esc

check_input.py knows what each phase must give."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402

GAP = 0.03          # seconds between input events (a steady rate)
HOLD = 1.5          # seconds r is held (the repeat's delay is 0.3 s)


def main():
    phase = sys.argv[1]
    q = qmp.QMP(os.environ["ARGIL_QMP"])

    def key(qcode, down):
        q.cmd("input-send-event", events=[{"type": "key", "data": {
            "down": down, "key": {"type": "qcode", "data": qcode}}}])
        time.sleep(GAP)

    def tap(qcode, mod=None):
        if mod:
            key(mod, True)
        key(qcode, True)
        key(qcode, False)
        if mod:
            key(mod, False)

    if phase == "1":
        tap("y")
        tap("z")
        tap("2", "shift")
        tap("f1")
        tap("f12")
        key("r", True)
        time.sleep(HOLD)
        key("r", False)
        if "absolute" in sys.argv[2:]:
            q.cmd("input-send-event", events=[
                {"type": "abs", "data": {"axis": "x", "value": 16384}},
                {"type": "abs", "data": {"axis": "y", "value": 8192}}])
            time.sleep(GAP)
            for down in (True, False):
                q.cmd("input-send-event", events=[{"type": "btn", "data": {
                    "down": down, "button": "left"}}])
                time.sleep(GAP)
        tap("f9")
    else:
        tap("y")
        tap("z")
        tap("2", "shift")
        tap("q", "alt_r")
        tap("semicolon")
        tap("esc")
    q.close()


if __name__ == "__main__":
    main()
