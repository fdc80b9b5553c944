#!/usr/bin/env python3
"""run/hotplug_test's hand on the machine (a `host:` command): follows the
serial log ($ARGIL_LOG) and, for each step the test component announces
("[init -> test] await N: NAME"), plugs or unplugs a virtio-rng-pci on the
root port rp1 through QMP ($ARGIL_QMP): device_add for a "plug" step;
device_del for an "unplug" step, but only once virtio_rng has said it set
the card up (its "virtio-rng, features" line for that plug), so that the
removal finds a driver at work and not one still starting. Ends with the
test's result line, or gives up after TIMEOUT seconds (the scenario then
times out)."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))
import qmp  # noqa: E402

AWAIT = re.compile(r"^\[init -> test\] await (\d+): (.*)$")
END = re.compile(r"^\[init -> test\] driver_manager_test: \d+ passed")
READY = re.compile(r"^\[init -> drivers -> virtio_rng\] [0-9a-f]{2}:00\.0: virtio-rng, features")
TIMEOUT = 80


def main():
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    log = open(os.environ["ARGIL_LOG"], errors="replace")
    deadline = time.monotonic() + TIMEOUT
    steps, ready, plugs, done, buf, end = [], 0, 0, 0, "", False
    while time.monotonic() < deadline and not end:
        chunk = log.read()
        if not chunk:
            time.sleep(0.01)
        buf += chunk
        lines = buf.split("\n")
        buf = lines.pop()
        for line in lines:
            line = line.rstrip("\r")
            m = AWAIT.match(line)
            if m:
                steps.append(m.group(2))
            elif READY.match(line):
                ready += 1
            elif END.match(line):
                end = True
        while done < len(steps):
            name = steps[done]
            if name.startswith("plug"):
                plugs += 1
                q.cmd("device_add", driver="virtio-rng-pci", bus="rp1", id="hot%d" % plugs)
            elif name.startswith("unplug"):
                if ready < plugs:
                    break       # the driver has not set the card up yet
                q.cmd("device_del", id="hot%d" % plugs)
            print("step %d: %s" % (done + 1, name), flush=True)
            done += 1
    q.close()


if __name__ == "__main__":
    main()
