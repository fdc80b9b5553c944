#!/usr/bin/env python3
"""HTTP/1.1 server of run/net_test for one connection on stdin/stdout.

QEMU's user network starts it per connection of the guest to
10.0.2.100:80 (guestfwd=tcp:10.0.2.100:80-cmd:python3 WORK/net_test_http.py WORK),
so it serves exactly one request and exits. It serves the files NAME
the scenario's setup made in WORK (file.bin, small.bin: GET, Range:
bytes=N-) under these paths, and keeps what happened in WORK:

    /NAME              the file
    /moved/NAME        302 to /NAME
    /cut/NAME          the first time: a 200 with the full Content-Length,
                       but the connection is cut after half the file
                       (WORK/cut.done); then the file, Range honoured
    /busy/NAME         the first time: 503 (WORK/busy.done); then the file
    /slow/NAME         a header, then nothing for 20 s (the guest times out)
    anything else      404

    net_test_http.py --check WORK LOG [N]   compares every "sha256" line of
    fetchurl in LOG (N expected, default 4) with the SHA-256 of the file
    its URL names, and, if LOG shows fetches of /cut/ and /busy/, that the
    cut and the refusal happened and a Range request followed the cut;
    exit 1 otherwise.
"""
import hashlib
import os
import re
import sys
import time

sys.dont_write_bytecode = True


def send(out, status, reason, headers, body=b""):
    lines = ["HTTP/1.1 %d %s" % (status, reason)] + ["%s: %s" % h for h in headers]
    out.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    out.flush()


def note(work, text):
    with open(os.path.join(work, "requests.log"), "a") as f:
        f.write(text + "\n")


def serve(work):
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    request = inp.readline(8192).decode("latin-1").strip()
    headers = {}
    while True:
        line = inp.readline(8192).decode("latin-1").strip()
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    note(work, "%s range=%s" % (request, headers.get("range", "-")))
    parts = request.split()
    if len(parts) != 3 or parts[0] != "GET":
        send(out, 400, "Bad Request", [("Content-Length", "0"), ("Connection", "close")])
        return
    path = parts[1]
    m = re.fullmatch(r"(/(?:moved|cut|busy|slow))?/(file\.bin|small\.bin)", path)
    if not m or not os.path.exists(os.path.join(work, m.group(2))):
        send(out, 404, "Not Found", [("Content-Length", "0"), ("Connection", "close")])
        return
    kind, name = m.group(1) or "", m.group(2)
    data = open(os.path.join(work, name), "rb").read()
    first_time = lambda mark: not os.path.exists(os.path.join(work, mark))
    if kind == "/moved":
        send(out, 302, "Found", [("Location", "/" + name), ("Content-Length", "0"),
                                 ("Connection", "close")])
        return
    if kind == "/busy" and first_time("busy.done"):
        open(os.path.join(work, "busy.done"), "w").close()
        send(out, 503, "Service Unavailable", [("Content-Length", "0"), ("Connection", "close")])
        return
    if kind == "/cut" and first_time("cut.done"):
        open(os.path.join(work, "cut.done"), "w").close()
        send(out, 200, "OK", [("Content-Length", str(len(data))), ("Connection", "close")],
             data[:len(data) // 2])
        return
    if kind == "/slow":
        # the header, then nothing: the guest's timeout has to end it
        send(out, 200, "OK", [("Content-Length", str(len(data))), ("Connection", "close")])
        time.sleep(20)
        return
    m = re.fullmatch(r"bytes=(\d+)-", headers.get("range", ""))
    if m and int(m.group(1)) < len(data):
        start = int(m.group(1))
        send(out, 206, "Partial Content",
             [("Content-Length", str(len(data) - start)),
              ("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data))),
              ("Connection", "close")], data[start:])
        return
    send(out, 200, "OK", [("Content-Length", str(len(data))), ("Connection", "close")], data)


def check(work, log, count):
    text = open(log, errors="replace").read()
    got = re.findall(r"fetchurl: http://[^/]+(\S*)/(\S+): (\d+) bytes in \d+ ms, \d+ attempts, "
                     r"sha256 ([0-9a-f]{64})$", text, re.M)
    ok = len(got) == count
    print("%d fetches with a SHA-256 (%d expected)" % (len(got), count))
    for kind, name, size, digest in got:
        path = os.path.join(work, name)
        want = hashlib.sha256(open(path, "rb").read()).hexdigest() if os.path.exists(path) else "-"
        good = digest == want and int(size) == os.path.getsize(path)
        print("%s/%s: %s bytes, guest %s, host %s: %s" % (kind, name, size, digest, want,
                                                       "ok" if good else "WRONG"))
        ok = ok and good
    requests = open(os.path.join(work, "requests.log")).read()
    print(requests.strip().replace("\n", "; "))
    for mark, kind in (("cut.done", "/cut/"), ("busy.done", "/busy/")):
        if kind in requests and not os.path.exists(os.path.join(work, mark)):
            print("%s missing: that case did not happen" % mark)
            ok = False
    if "/cut/" in requests and not re.search(r"GET /cut/\S+ HTTP/1.1 range=bytes=[1-9]\d*-",
                                             requests):
        print("no Range request after the cut")
        ok = False
    return ok


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--check":
        n = int(sys.argv[4]) if len(sys.argv) == 5 else 4
        sys.exit(0 if check(sys.argv[2], sys.argv[3], n) else 1)
    if len(sys.argv) != 2:
        sys.stderr.write("usage: net_test_http.py WORK | --check WORK LOG [N]\n")
        sys.exit(2)
    try:
        serve(sys.argv[1])
    except (BrokenPipeError, ConnectionResetError):
        pass
