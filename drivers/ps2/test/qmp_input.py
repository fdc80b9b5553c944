#!/usr/bin/env python3
"""run/ps2_test's typist (a `host:` command): types keys and moves the
mouse through QMP input-send-event at a steady rate, and writes the events
the event server must log for them, in order, to $ARGIL_WORK/ps2_expected
(one "press A" / "motion 10 -5" a line) for check_events.py. Ends with Esc,
whose release tells the scenario that everything was sent."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402

GAP = 0.02          # seconds between input events (the steady rate)

# QMP qcode -> our key name (servers/event/session/include/input_keys.h)
KEYS = {"shift": "LEFTSHIFT", "a": "A", "r": "R", "g": "G", "i": "I", "l": "L",
        "spc": "SPACE", "4": "4", "2": "2", "up": "UP", "kp_enter": "KP_ENTER",
        "ctrl_r": "RIGHTCTRL", "caps_lock": "CAPSLOCK", "f7": "F7", "esc": "ESC"}


def key(q, qcode, down):
    q.cmd("input-send-event", events=[{"type": "key", "data": {
        "down": down, "key": {"type": "qcode", "data": qcode}}}])
    time.sleep(GAP)


def main():
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    out = open(os.path.join(os.environ["ARGIL_WORK"], "ps2_expected"), "w")

    class Expected:
        # written before the input is sent: QEMU stops as soon as the
        # last event is logged, which may end this script
        def append(self, line):
            out.write(line + "\n")
            out.flush()

    expected = Expected()

    def tap(qcode):
        expected.append("press " + KEYS[qcode])
        key(q, qcode, True)
        expected.append("release " + KEYS[qcode])
        key(q, qcode, False)

    # "Argil 42": a shifted key, plain keys, extended keys, the lock key
    expected.append("press LEFTSHIFT")
    key(q, "shift", True)
    tap("a")
    expected.append("release LEFTSHIFT")
    key(q, "shift", False)
    for k in ["r", "g", "i", "l", "spc", "4", "2", "up", "kp_enter", "ctrl_r",
              "caps_lock", "f7", "caps_lock"]:
        tap(k)
    # the mouse: one motion, the left button, the wheel turned up
    expected.append("motion 10 -5")
    q.cmd("input-send-event", events=[
        {"type": "rel", "data": {"axis": "x", "value": 10}},
        {"type": "rel", "data": {"axis": "y", "value": -5}}])
    time.sleep(GAP)
    for down in (True, False):
        expected.append(("press " if down else "release ") + "BTN_LEFT")
        q.cmd("input-send-event", events=[{"type": "btn", "data": {"down": down, "button": "left"}}])
        time.sleep(GAP)
    expected.append("wheel 0 1")
    q.cmd("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "wheel-up"}}])
    q.cmd("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "wheel-up"}}])
    time.sleep(GAP)
    tap("esc")
    out.close()
    q.close()


if __name__ == "__main__":
    main()
