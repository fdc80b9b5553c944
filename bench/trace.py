#!/usr/bin/env python3
r"""Count the kernel instructions of each system call the benchmark makes.

    bench/trace.py [--listing] [--top N] [symbol ...]

Boots build/image/kernel_bench.iso (made by `make bench`) once more in
QEMU with one instruction per translation block and `-d exec`, logging
only the instructions inside the given kernel functions (by default the
system call entry, the two IPC fastpath functions and the general SYSRET
exit). The log is cut at every entry to `syscall_entry`: each piece is the
kernel's part of one system call (as far as those functions go). Pieces
with the same per-function counts are grouped; the most frequent groups
are printed, most frequent first, as

    <how often> <instructions> {function: instructions, ...}

With --listing, the instructions of the first Call and the first
ReplyRecv that took the whole fastpath are printed as well, one line
each, disassembled with objdump. Needs nm, objdump and
qemu-system-x86_64 (7.2: -singlestep). Under -icount shift=0 the run is
the benchmark's own, so the pieces match its figures (which add the few
user instructions of the timed window; see README.md).
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SYMBOLS = ["syscall_entry", "c_fastpath_call", "c_fastpath_reply_recv",
                   "restore_user_sysret"]


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            syms.append((int(f[0], 16), f[2]))
    return syms


def disassembly(elf):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf],
                         capture_output=True, text=True, check=True).stdout
    insns = {}
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+(.*)", line)
        if m:
            insns[int(m.group(1), 16)] = m.group(2).strip()
    return insns


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("symbols", nargs="*", default=DEFAULT_SYMBOLS)
    ap.add_argument("--listing", action="store_true")
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--elf", default=os.path.join(ROOT, "build/kernel.elf"))
    ap.add_argument("--iso", default=os.path.join(ROOT, "build/image/kernel_bench.iso"))
    args = ap.parse_args()
    if not os.path.isfile(args.iso):
        sys.exit("trace.py: %s missing (run make bench first)" % args.iso)

    syms = symbols(args.elf)
    addrs = [a for a, _ in syms]
    ranges = []
    for want in args.symbols:
        idx = [i for i, (_, n) in enumerate(syms) if n == want]
        if not idx:
            sys.exit("trace.py: no symbol %s in %s" % (want, args.elf))
        i = idx[0]
        ranges.append("0x%x..0x%x" % (syms[i][0], syms[i + 1][0] - 1))
    entry = [a for a, n in syms if n == "syscall_entry"][0]

    with tempfile.TemporaryDirectory(prefix="argil-trace-") as tmp:
        log = os.path.join(tmp, "exec.log")
        cmd = ["qemu-system-x86_64", "-nodefaults", "-machine", "q35", "-accel", "tcg",
               "-smp", "1", "-m", "512M", "-display", "none", "-no-reboot",
               "-serial", "file:" + os.path.join(tmp, "serial.log"), "-monitor", "none",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-cdrom", args.iso, "-boot", "d", "-icount", "shift=0",
               "-singlestep", "-d", "exec,nochain", "-dfilter", ",".join(ranges), "-D", log]
        subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=600)
        pcs = []
        rx = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
        with open(log) as f:
            for line in f:
                m = rx.match(line)
                if m:
                    pcs.append(int(m.group(1), 16))

    def name(pc):
        return syms[bisect.bisect_right(addrs, pc) - 1][1]

    pieces, cur = [], None
    for pc in pcs:
        if pc == entry:
            cur = []
            pieces.append(cur)
        if cur is not None:
            cur.append(pc)
    groups = collections.Counter()
    first = {}
    for p in pieces:
        key = tuple(sorted(collections.Counter(name(pc) for pc in p).items()))
        groups[key] += 1
        first.setdefault(key, p)
    for key, n in groups.most_common(args.top):
        print(n, sum(c for _, c in key), dict(key))

    if args.listing:
        insns = disassembly(args.elf)
        for fast in ("c_fastpath_call", "c_fastpath_reply_recv"):
            for key, _ in groups.most_common():
                d = dict(key)
                if fast in d and "restore_user_sysret" not in d and d[fast] > 40:
                    print("\n%s: %d instructions" % (fast, sum(d.values())))
                    for i, pc in enumerate(first[key]):
                        print("%4d  %-22s %x  %s" % (i + 1, name(pc), pc, insns.get(pc, "?")))
                    break


if __name__ == "__main__":
    main()
