#!/usr/bin/env python3
"""Host check of run/nvme_selftest and run/nvme_test: the disk images
against their copies made before the boot (<name>.orig) and against the
log of the test (the driver's self-test NVME_*, or nvme_blkdrv_test's
NVBLK_* through the Block_driver sessions: the same cases).

usage: check_disks.py IMG...   (IMG: image names in $ARGIL_WORK, in
                                namespace order: nsid 1, 2, ..)
       check_disks.py --restart IMG ROUNDS   (run/nvme_restart)

Per namespace n (disk nvme0n<n>, block size from the driver's log):
- the SHA-256 the test logged (case 0002) is that of the image's first
  bytes, and those bytes are unchanged;
- bytes 2 MiB .. 3 MiB hold the pattern (word k of block b is
  n << 56 | b << 16 | k, little endian);
- bytes 3 MiB .. 3 MiB + 64 KiB are zero if the driver trimmed them
  (case 0006), else unchanged;
- every other byte is unchanged.

With --restart (run/nvme_restart, drivers/nvme/test/restart.c): the
image of namespace 1 holds the pattern in ROUNDS ranges of 512 KiB from
byte 2 MiB and is unchanged elsewhere, and the driver came up ROUNDS + 1
times.
"""
import hashlib
import os
import re
import struct
import sys

MIB = 1 << 20
PATTERN_AT, PATTERN_SIZE = 2 * MIB, MIB
TRIM_AT, TRIM_SIZE = 3 * MIB, 64 * 1024


def fail(msg):
    print("check_disks: FAIL " + msg)
    sys.exit(1)


def pattern(nsid, first_block, size, bs):
    out = bytearray()
    for off in range(0, size, 8):
        block = first_block + off // bs
        out += struct.pack("<Q", (nsid << 56 | block << 16 | (off % bs) // 8) & (2**64 - 1))
    return bytes(out)


def restart(name, rounds):
    work = os.environ["ARGIL_WORK"]
    log = open(os.environ["ARGIL_LOG"], errors="replace").read()
    img = open(os.path.join(work, name + ".img"), "rb").read()
    orig = open(os.path.join(work, name + ".orig"), "rb").read()
    end = PATTERN_AT + rounds * 512 * 1024
    if img[PATTERN_AT:end] != pattern(1, PATTERN_AT // 512, end - PATTERN_AT, 512):
        fail("the pattern of the %d rounds is not in the image" % rounds)
    if img[:PATTERN_AT] != orig[:PATTERN_AT] or img[end:] != orig[end:]:
        fail("bytes outside the rounds' ranges changed")
    ups = len(re.findall(r"\[init -> drivers -> nvme\] nvme0 \(", log))
    if ups != rounds + 1:
        fail("the driver came up %d times, not %d" % (ups, rounds + 1))
    print("check_disks: %d rounds in the image, rest unchanged, driver up %d times" % (rounds, ups))
    print("check_disks: ok")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--restart":
        restart(sys.argv[2], int(sys.argv[3]))
        return
    if len(sys.argv) < 2:
        fail("usage: check_disks.py IMG...")
    work = os.environ["ARGIL_WORK"]
    log = open(os.environ["ARGIL_LOG"], errors="replace").read()
    for nsid, name in enumerate(sys.argv[1:], start=1):
        disk = "nvme0n%d" % nsid
        img = open(os.path.join(work, name + ".img"), "rb").read()
        orig = open(os.path.join(work, name + ".orig"), "rb").read()
        if len(img) != len(orig):
            fail("%s: size changed" % name)
        m = re.search(r"\] %s: (?:served, )?(\d+) blocks of (\d+) bytes" % disk, log)
        if not m:
            fail("%s: no size line in the log" % disk)
        blocks, bs = int(m.group(1)), int(m.group(2))
        if blocks * bs != len(img):
            fail("%s: %d blocks of %d bytes, the image has %d bytes" % (disk, blocks, bs, len(img)))
        m = re.search(r"ok NV(?:ME|BLK)_0002 %s: sha256 of bytes 0\.\.(\d+): ([0-9a-f]{64})" % disk, log)
        if not m:
            fail("%s: no hash in the log" % disk)
        n, digest = int(m.group(1)), m.group(2)
        if hashlib.sha256(img[:n]).hexdigest() != digest:
            fail("%s: the driver's SHA-256 of the first %d bytes differs from the image's" % (disk, n))
        want = pattern(nsid, PATTERN_AT // bs, PATTERN_SIZE, bs)
        if img[PATTERN_AT:PATTERN_AT + PATTERN_SIZE] != want:
            fail("%s: the pattern is not in the image at byte %d" % (disk, PATTERN_AT))
        trimmed = re.search(r"ok NV(?:ME|BLK)_0006 %s:" % disk, log) is not None
        region = img[TRIM_AT:TRIM_AT + TRIM_SIZE]
        if trimmed and region != bytes(TRIM_SIZE):
            fail("%s: the trimmed range is not zero" % disk)
        if not trimmed and region != orig[TRIM_AT:TRIM_AT + TRIM_SIZE]:
            fail("%s: the range not trimmed changed" % disk)
        if img[:PATTERN_AT] != orig[:PATTERN_AT] or img[TRIM_AT + TRIM_SIZE:] != orig[TRIM_AT + TRIM_SIZE:] \
                or img[PATTERN_AT + PATTERN_SIZE:TRIM_AT] != orig[PATTERN_AT + PATTERN_SIZE:TRIM_AT]:
            fail("%s: bytes outside the written ranges changed" % disk)
        print("check_disks: %s (%s): hash, pattern, %s, rest unchanged" %
              (disk, name, "trim" if trimmed else "no trim"))
    print("check_disks: ok")


main()
