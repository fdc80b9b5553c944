#!/usr/bin/env python3
"""Run every Argil test: `make test`.

    tools/testall.py [-v] [-j N] [--no-build] [SCENARIO ...]

1. `make host-test` (tools/hosttest.py: the sanitizer-built host unit tests).
2. Every run/<name> scenario with `test: yes`, each of its variants (or only
   the scenarios named on the command line), via tools/run.py; -j N boots N
   variants at a time (default 1).
Prints one line per test program / variant and ends with the totals on one
line, exactly `N passed, N failed`. A host test or boot run that fails without
reporting counts (build error, crash, timeout, fail line) counts as 1 failed.
Exits non-zero if anything failed.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no tools/__pycache__ in the tree
import run

COUNTS = re.compile(r"^(\d+) passed, (\d+) failed$")


def host_tests():
    """Returns (passed, failed) of `make host-test`, echoing its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    proc = subprocess.Popen(["make", "-s", "--no-print-directory", "-C", run.ROOT, "host-test"],
                            stdout=subprocess.PIPE, universal_newlines=True, errors="replace", env=env)
    counts = None
    for line in proc.stdout:
        m = COUNTS.match(line.strip())
        if m:  # the final totals line: folded into ours, not echoed
            counts = int(m.group(1)), int(m.group(2))
        else:
            print(line, end="", flush=True)
    rc = proc.wait()
    if counts is None:
        print("FAIL make host-test: exit status %d, no totals line" % rc, flush=True)
        return 0, 1
    print("%s host tests: %d passed, %d failed" % ("PASS" if rc == 0 and not counts[1] else "FAIL",
                                                   *counts), flush=True)
    if rc != 0 and not counts[1]:
        return counts[0], 1
    return counts


def main(argv):
    ap = argparse.ArgumentParser(description="Run the host tests and every test scenario.")
    ap.add_argument("scenarios", nargs="*", metavar="SCENARIO")
    ap.add_argument("-v", "--verbose", action="store_true", help="print serial output live")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="variants booted at a time")
    ap.add_argument("--no-build", action="store_true", help="do not call make for boot files")
    a = ap.parse_args(argv)

    passed, failed = host_tests()

    paths = a.scenarios or sorted(p for p in glob.glob(os.path.join(run.ROOT, "run", "*"))
                                  if os.path.isfile(p) and not p.endswith("~"))
    scns = []
    for p in paths:
        try:
            s = run.load_scenario(p)
        except run.ScenarioError as e:
            print("FAIL %s" % e, flush=True)
            failed += 1
            continue
        if s.test or a.scenarios:
            scns.append(s)

    jobs = []
    try:
        if scns and not a.no_build:
            run.build_files(scns)
        for s in scns:
            try:
                run.prepare(s)
            except RuntimeError as e:
                print("FAIL %s: %s" % (s.name, e), flush=True)
                failed += 1
                continue
            jobs += [(s, vname, cfg) for vname, cfg in s.variants]
    except RuntimeError as e:
        print("FAIL %s" % e, flush=True)
        failed += 1
        jobs = []

    def one(job):
        s, vname, cfg = job
        prefix = "%s%s| " % (s.name, "[%s]" % vname if vname else "") if a.jobs > 1 else ""
        out = run.run_variant(s, vname, cfg, verbose=a.verbose, prefix=prefix)
        run.report(out)
        return out

    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as pool:
        for out in pool.map(one, jobs):
            if out.passed is not None:
                passed += out.passed
                failed += out.failed
            if out.ok and out.passed is None:
                passed += 1
            elif not out.ok and not out.failed:
                failed += 1

    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
