#!/usr/bin/env python3
"""Build and run the host unit tests: every tests/host/*.c.

    tools/hosttest.py [-v] [-j N] [tests/host/NAME.c ...]

Each test is one C file compiled with gcc and AddressSanitizer +
UndefinedBehaviorSanitizer together with the portable sources it names in a
comment line (paths relative to the repository root), for example

    // sources: kernel/src/cnode.c base/src/string.c
    // cflags: -DSOME_OPTION            (optional extra compiler flags)

Include paths: abi/include, kernel/include, base/include, lib/harness/include,
tests/host; the test harness (lib/harness: harness.c, host.c) is linked into
every test. The macro ARGIL_HOST_TEST is defined. A test prints `N passed, N failed` as its
last such line and exits with status 0. The tool prints one line per test and
ends with the totals `N passed, N failed`; a test that does not build, crashes,
trips a sanitizer or prints no counts counts as 1 failed. Binaries go to
build/host/. -j N builds and runs N tests at a time (default 2); the lines
come in the order of the tests all the same.
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CFLAGS = ["-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
          "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
          "-fno-omit-frame-pointer", "-DARGIL_HOST_TEST",
          "-Iabi/include", "-Ikernel/include", "-Ibase/include", "-Ilib/harness/include",
          "-Itests/host"]
# the test harness (lib/harness/include/harness.h), linked into every test
HARNESS = ["lib/harness/harness.c", "lib/harness/host.c"]
TIMEOUT = 300
COUNTS = re.compile(r"(\d+) passed, (\d+) failed\s*$")
DIRECTIVE = re.compile(r"^\s*(?://|/?\*)\s*(?:hosttest-)?(sources|cflags):(.*?)(?:\*/)?\s*$")


def directives(path):
    found = {"sources": [], "cflags": []}
    with open(path, errors="replace") as f:
        for line in f:
            m = DIRECTIVE.match(line)
            if m:
                found[m.group(1)] += m.group(2).split()
    return found


def run_one(test, verbose):
    """Returns (passed, failed, ok, output)."""
    name = os.path.splitext(os.path.basename(test))[0]
    exe = os.path.join("build", "host", name)
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    d = directives(test)
    cmd = ["gcc"] + CFLAGS + d["cflags"] + [test] + d["sources"] + HARNESS + ["-o", exe]
    if verbose:
        print(" ".join(cmd), flush=True)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if r.returncode != 0:
        return 0, 1, False, "does not build:\n" + r.stdout
    env = dict(os.environ, UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    try:
        r = subprocess.run([os.path.join(".", exe)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True,
                           errors="replace", env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
        return 0, 1, False, "timed out after %d s:\n%s" % (TIMEOUT, out)
    counts = [m for m in map(COUNTS.search, r.stdout.splitlines()) if m]
    if not counts:
        return 0, 1, False, "exit status %d, no `N passed, N failed` line:\n%s" % (r.returncode, r.stdout)
    passed, failed = int(counts[-1].group(1)), int(counts[-1].group(2))
    if r.returncode != 0:
        return passed, failed or 1, False, "exit status %d:\n%s" % (r.returncode, r.stdout)
    return passed, failed, failed == 0, r.stdout


def main(argv):
    verbose = "-v" in argv
    jobs = 2
    args = []
    it = iter(argv)
    for a in it:
        if a == "-v":
            continue
        if a == "-j":
            jobs = int(next(it, "2"))
        elif a.startswith("-j"):
            jobs = int(a[2:])
        else:
            args.append(a)
    os.chdir(ROOT)
    tests = args or sorted(glob.glob("tests/host/*.c"))
    total_p = total_f = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        for test, (p, f, ok, out) in zip(tests, pool.map(lambda t: run_one(t, verbose), tests)):
            total_p, total_f = total_p + p, total_f + f
            print("%s %s: %d passed, %d failed" % ("PASS" if ok else "FAIL", test, p, f), flush=True)
            if verbose or not ok:
                print("".join("| " + l + "\n" for l in out.rstrip("\n").splitlines()), end="", flush=True)
    print("%d passed, %d failed" % (total_p, total_f), flush=True)
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
