#!/usr/bin/env python3
"""Run every Argil test: `make test`.

    tools/testall.py [-v] [-j N] [--no-build] [--machines] [--no-host] [SCENARIO ...]

1. `make host-test` (tools/hosttest.py: the sanitizer-built host unit tests).
2. Every libFuzzer harness (`make fuzz/NAME FUZZ_SECONDS=60` for each NAME of
   `make fuzz-list`, two at a time), one test each (`PASS fuzz NAME: ...` or
   `FAIL fuzz NAME: ...`; a crash input stays in build/fuzz/);
   --fuzz-seconds changes the time.
3. Every run/<name> scenario with `test: yes`, each of its variants (or only
   the scenarios named on the command line), via tools/run.py; -j N boots N
   variants at a time (default 1).
   With --machines, each variant with the scenario's own memory (the least
   it needs) or 1 GiB boots also with the other of those and with 4 GiB
   (the machine shapes of README.md, section "Machine shapes").
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
MATRIX_MEMORY = ("1G", "4G")   # --machines: besides each variant's own memory


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


FUZZ_DONE = re.compile(r"^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)/")
FUZZ_ARTIFACT = re.compile(r"Test unit written to (\S+)")


def make_env():
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}


def fuzzers():
    """The fuzzers tests/fuzz/*.mk declare (`make fuzz-list`)."""
    proc = subprocess.run(["make", "-s", "--no-print-directory", "-C", run.ROOT, "fuzz-list"],
                          stdout=subprocess.PIPE, universal_newlines=True, env=make_env())
    return proc.stdout.split() if proc.returncode == 0 else []


def fuzz_one(name, seconds):
    """Runs `make fuzz/NAME`; returns (passed, failed, report lines)."""
    proc = subprocess.run(["make", "-s", "--no-print-directory", "-C", run.ROOT, "fuzz/" + name,
                           "FUZZ_SECONDS=%d" % seconds],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, errors="replace", env=make_env())
    lines = proc.stdout.splitlines()
    done = [m for m in map(FUZZ_DONE.match, lines) if m]
    if proc.returncode == 0 and done:
        runs, cov, ft, corp = done[-1].groups()
        return 1, 0, ["PASS fuzz %s: %s runs in %d s, cov %s, ft %s, corpus %s"
                      % (name, runs, seconds, cov, ft, corp)]
    artifacts = [m.group(1) for m in map(FUZZ_ARTIFACT.search, lines) if m]
    return 0, 1, ["FAIL fuzz %s: exit status %d%s" % (
        name, proc.returncode, ", input kept in " + artifacts[-1] if artifacts else "")] + \
        ["| " + l for l in lines[-60:]]


def fuzz_step(seconds):
    """Runs every fuzzer for seconds, two at a time; returns (passed, failed)."""
    names = fuzzers()
    if not names:
        print("FAIL fuzz: `make fuzz-list` names no fuzzer", flush=True)
        return 0, 1
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for p, f, out in pool.map(lambda n: fuzz_one(n, seconds), names):
            print("\n".join(out), flush=True)
            passed, failed = passed + p, failed + f
    return passed, failed


def matrix(s):
    """--machines: each variant of s with the scenario's own memory or
    1 GiB also with the other of those and with 4 GiB (variants with other
    sizes, like 16 GiB, are shapes of their own); a shape that a variant
    already boots is not booted twice."""
    def shape(cfg):
        return (cfg["machine"], cfg["firmware"], cfg["cpus"], run.memory_bytes(cfg["memory"]))
    sizes = [s.memory] + list(MATRIX_MEMORY)
    seen = {shape(cfg) for _, cfg in s.variants}
    out = []
    for vname, cfg in s.variants:
        if run.memory_bytes(cfg["memory"]) not in map(run.memory_bytes, (s.memory, "1G")):
            continue
        for mem in sizes:
            c = dict(cfg, memory=mem)
            if shape(c) in seen:
                continue
            seen.add(shape(c))
            out.append((s, "%s-%s" % (vname, mem) if vname else mem, c))
    return out


def main(argv):
    ap = argparse.ArgumentParser(description="Run the host tests and every test scenario.")
    ap.add_argument("scenarios", nargs="*", metavar="SCENARIO")
    ap.add_argument("-v", "--verbose", action="store_true", help="print serial output live")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="variants booted at a time")
    ap.add_argument("--no-build", action="store_true", help="do not call make for boot files")
    ap.add_argument("--fuzz-seconds", type=int, default=60, help="time for each fuzzer (default 60)")
    ap.add_argument("--machines", action="store_true",
                    help="each variant also with 1 GiB and 4 GiB of RAM besides its own")
    ap.add_argument("--no-host", action="store_true", help="skip the host tests and the fuzzer")
    a = ap.parse_args(argv)

    passed = failed = 0
    if not a.no_host:
        passed, failed = host_tests()
        p, f = fuzz_step(max(1, a.fuzz_seconds))
        passed, failed = passed + p, failed + f

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
            if a.machines:
                jobs += matrix(s)
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
