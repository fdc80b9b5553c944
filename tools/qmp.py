#!/usr/bin/env python3
"""A small client of QEMU's machine protocol (QMP) for tools/run.py and for
the host scripts of scenarios (`host:` and `check:` lines, which find their
own QMP socket in $ARGIL_QMP).

    import qmp
    q = qmp.QMP(os.environ["ARGIL_QMP"])      # connects, negotiates
    pci = q.cmd("query-pci")                   # the "return" value
    q.cmd("input-send-event", events=[...])
    q.close()

    tools/qmp.py SOCKET COMMAND [JSON-ARGUMENTS]   prints the reply

A reply with "error" raises QMPError. Events that arrive meanwhile are kept
in q.events (and passed to on_event, if given)."""
import json
import os
import socket
import sys
import time


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path, timeout=30.0, on_event=None):
        self.events = []
        self.on_event = on_event
        self.buf = b""
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(path)
                break
            except OSError as e:
                self.sock.close()
                if time.monotonic() >= deadline:
                    raise QMPError("cannot connect to QMP at %s: %s" % (path, e))
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        greeting = self.read()
        if "QMP" not in greeting:
            raise QMPError("not a QMP greeting: %r" % greeting)
        self.cmd("qmp_capabilities")

    def read(self):
        """The next JSON object from QEMU (an event, a reply or the greeting)."""
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise QMPError("QEMU closed the QMP connection")
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    def send(self, execute, **arguments):
        msg = {"execute": execute}
        if arguments:
            msg["arguments"] = arguments
        self.send_raw(msg)

    def send_raw(self, msg):
        self.sock.sendall(json.dumps(msg).encode() + b"\n")

    def reply(self):
        """Read until a reply; events seen on the way go to self.events."""
        while True:
            obj = self.read()
            if "event" in obj:
                self.events.append(obj)
                if self.on_event:
                    self.on_event(obj)
                continue
            return obj

    def cmd(self, execute, **arguments):
        self.send(execute, **arguments)
        r = self.reply()
        if "error" in r:
            raise QMPError("%s: %s" % (execute, r["error"].get("desc", r["error"])))
        return r.get("return")

    def close(self):
        self.sock.close()


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    q = QMP(argv[0])
    args = json.loads(argv[2]) if len(argv) == 3 else {}
    print(json.dumps(q.cmd(argv[1], **args), indent=1))
    q.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
