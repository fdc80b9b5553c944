#!/usr/bin/env python3
"""Host check of an AHCI disk after a boot (run/ahci_selftest, run/ahci_test).

    check_disk.py IMAGE ORIGINAL DISK WRITE_LBA WRITE_SECTORS SEED

IMAGE is the disk after the boot, ORIGINAL a copy made before it. The
guest logged `DISK: sha256 <hex> of <n> bytes` after reading the whole
disk: it must be ORIGINAL's SHA-256 and size. Sectors WRITE_LBA ..
WRITE_LBA + WRITE_SECTORS - 1 must hold the pattern (the sector's LBA and
SEED as little-endian 64-bit words, then bytes (lba * 31 + seed * 7 + i)
mod 256), every other byte must be ORIGINAL's. SEED "log": the last seed
the guest logged (`DISK: N rounds ... last seed S`).
"""
import hashlib
import os
import re
import struct
import sys

SECTOR = 512


def pattern(lba, seed):
    head = struct.pack("<QQ", lba, seed)
    base = (lba * 31 + seed * 7) & 0xff
    return head + bytes((base + i) & 0xff for i in range(16, SECTOR))


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    image, orig, disk = sys.argv[1:4]
    lba, count = (int(a, 0) for a in sys.argv[4:6])
    with open(image, "rb") as f:
        now = f.read()
    with open(orig, "rb") as f:
        before = f.read()
    errors = []
    log = open(os.environ["ARGIL_LOG"], errors="replace").read()
    if sys.argv[6] == "log":
        seeds = re.findall(r"\] %s: \d+ rounds .* last seed (\d+)" % re.escape(disk), log)
        if not seeds:
            sys.exit("FAIL %s: no last seed in the log" % disk)
        seed = int(seeds[-1])
    else:
        seed = int(sys.argv[6], 0)
    m = re.findall(r"\] %s: sha256 ([0-9a-f]{64}) of (\d+) bytes" % re.escape(disk), log)
    want = hashlib.sha256(before).hexdigest()
    if not m:
        errors.append("%s: no sha256 line in the log" % disk)
    elif m[0] != (want, str(len(before))):
        errors.append("%s: the guest read sha256 %s of %s bytes, the image has %s of %d"
                      % (disk, m[0][0], m[0][1], want, len(before)))
    if len(now) != len(before):
        errors.append("%s: the image changed size" % disk)
    start, end = lba * SECTOR, (lba + count) * SECTOR
    bad = [s for s in range(lba, lba + count)
           if now[s * SECTOR:(s + 1) * SECTOR] != pattern(s, seed)]
    if bad:
        errors.append("%s: %d sectors lack the pattern, the first LBA %d" % (disk, len(bad), bad[0]))
    if now[:start] != before[:start] or now[end:] != before[end:]:
        errors.append("%s: bytes outside the written range changed" % disk)
    for e in errors:
        print("FAIL " + e)
    if errors:
        sys.exit(1)
    print("%s: the guest read the image exactly (sha256 %s...), %d sectors of pattern at LBA %d, "
          "nothing else changed" % (disk, want[:16], count, lba))


if __name__ == "__main__":
    main()
