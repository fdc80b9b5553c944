#!/usr/bin/env python3
"""The host's side of run/net_router_test.

    net_router_host.py forward     (a host: line) picks a free port on
        127.0.0.1, forwards it to the guest's port 80 (QMP: HMP hostfwd_add
        on netdev n0, so to nic_router's uplink address 10.0.2.15, which
        forwards it to http_server), then fetches with curl: the file whose
        SHA-256 fs_tool logged (compared), a range of it, HEAD, a range past
        the end (416), a missing file (404), a '..' escape (400), two
        requests over one kept-alive connection, three fetches at once.
        At the end it asks for /verdict-ok (or /verdict-failed), which
        http_server logs: the scenario waits for that line.
    net_router_host.py --check WORK LOG   (a check: line) the SHA-256 that
        client_a logged for the file it fetched through NAT equals the
        host's file.

Only 127.0.0.1 is used."""
import hashlib
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))


def log_text():
    return open(os.environ["ARGIL_LOG"], errors="replace").read()


def curl(args, timeout=60):
    r = subprocess.run(["curl", "-sS", "--max-time", "30"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return r.returncode, r.stdout, r.stderr.decode(errors="replace")


def forward():
    import qmp
    m = re.search(r"sha256 ([0-9a-f]{64})  /fs/pub/file0 \((\d+) bytes\)", log_text())
    if not m:
        print("fs_tool's checksum of /fs/pub/file0 is not in the log")
        return 1
    want, size = m.group(1), int(m.group(2))
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    port = None
    for _ in range(5):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        reply = q.cmd("human-monitor-command", **{"command-line": "hostfwd_add n0 tcp:127.0.0.1:%d-:80" % p})
        if not reply.strip():
            port = p
            break
        print("hostfwd_add on %d: %s" % (p, reply.strip()))
    q.close()
    if port is None:
        return 1
    base = "http://127.0.0.1:%d" % port
    print("forwarding 127.0.0.1:%d to the guest's port 80" % port)
    problems = []
    # http_server may not listen yet: retried until it answers
    body = None
    for attempt in range(60):
        rc, out, err = curl(["-f", "--max-time", "10", base + "/file0"])
        if rc == 0:
            body = out
            break
        print("attempt %d: %s" % (attempt + 1, err.strip()))
        time.sleep(1)
    if body is None:
        print("no answer from http_server: %s" % err.strip())
        return 1
    got = hashlib.sha256(body).hexdigest()
    print("GET /file0: %d bytes, sha256 %s (fs_tool's: %s)" % (len(body), got, want))
    if got != want or len(body) != size:
        problems.append("the file differs")

    def status(args):
        rc, out, err = curl(["-o", "/dev/null", "-w", "%{http_code}"] + args)
        return out.decode().strip()

    rc, out, err = curl(["-r", "1000-1999", "-w", "\n%{http_code}", base + "/file0"])
    part, _, code = out.rpartition(b"\n")
    print("GET /file0 Range: bytes=1000-1999: %s, %d bytes" % (code.decode(), len(part)))
    if code != b"206" or part != body[1000:2000]:
        problems.append("the range")
    rc, out, err = curl(["-I", base + "/file0"])
    head = out.decode(errors="replace")
    print("HEAD /file0: " + head.strip().replace("\r\n", "; "))
    if not head.startswith("HTTP/1.1 200") or ("Content-Length: %d\r\n" % size) not in head:
        problems.append("HEAD")
    # keep-alive: the second request on the first one's connection
    rc, out, err = curl(["-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n",
                         base + "/index.html", base + "/file0"])
    lines = out.decode().split()
    print("two requests, one connection (code, new connections): %s" % " ".join(lines))
    if lines != ["200", "1", "200", "0"]:
        problems.append("keep-alive")
    # three at once
    procs = [subprocess.Popen(["curl", "-sS", "--max-time", "60", base + "/file0"],
                              stdout=subprocess.PIPE) for _ in range(3)]
    sums = [hashlib.sha256(p.communicate()[0]).hexdigest() for p in procs]
    print("three at once: %s" % ("all equal to the file" if all(s == want for s in sums) else sums))
    if any(s != want for s in sums):
        problems.append("concurrent fetches")
    for what, args, want_code in (
            ("a range past the end", ["-r", "%d-" % (size + 10), base + "/file0"], "416"),
            ("a missing file", [base + "/missing"], "404"),
            ("a directory", [base + "/dir"], "404"),
            ("'..' above the root", ["--path-as-is", base + "/../../pub/file0"], "400"),
            ("an encoded NUL", [base + "/file0%00.txt"], "400"),
            ("POST", ["-X", "POST", base + "/file0"], "405")):
        c = status(args)
        print("%s: %s" % (what, c))
        if c != want_code:
            problems.append("%s: %s, not %s" % (what, c, want_code))
    for p in problems:
        print("problem: " + p)
    status([base + ("/verdict-ok" if not problems else "/verdict-failed")])
    return 1 if problems else 0


def check(work, log):
    want = hashlib.sha256(open(os.path.join(work, "file.bin"), "rb").read()).hexdigest()
    got = re.findall(r"NAT: GET http://10\.0\.2\.100/file\.bin: \d+ bytes, sha256 ([0-9a-f]{64})$",
                     open(log, errors="replace").read(), re.M)
    print("host sha256 %s, client_a's: %s" % (want, " ".join(got)))
    return len(got) == 1 and got[0] == want


if __name__ == "__main__":
    if sys.argv[1:] == ["forward"]:
        sys.exit(forward())
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3]) else 1)
    sys.stderr.write("usage: net_router_host.py forward | --check WORK LOG\n")
    sys.exit(2)
