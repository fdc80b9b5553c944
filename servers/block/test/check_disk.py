#!/usr/bin/env python3
"""The host's check of run/block_test and run/block_restart: the disk image
after the boot, read with dd and sha256sum, against the patterns
(pattern.py) and what the guest logged.

    check_disk.py [--mbr] IMAGE LOG NAME:START:BLOCKS:SEED[:OFFSET] ...

For each NAME:START:BLOCKS:SEED[:OFFSET], the BLOCKS 512-byte blocks from
START (read by dd) must be exactly pattern SEED from its byte OFFSET; where the serial LOG has a line
"<...>: NAME sha256 <hex>", its digest must be sha256sum's of those blocks.
Then `sgdisk -v IMAGE` must find no problem (both GPT copies intact), or
with --mbr `sfdisk -V IMAGE` (the MBR and its EBR chain).
"""
import hashlib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pattern import pattern  # noqa: E402


def dd_sha(image, start, blocks):
    dd = subprocess.run(["dd", f"if={image}", "bs=512", f"skip={start}", f"count={blocks}",
                         "status=none"], capture_output=True, check=True)
    data = dd.stdout
    sha = subprocess.run(["sha256sum"], input=data, capture_output=True, check=True)
    return data, sha.stdout.split()[0].decode()


def main(argv):
    mbr = len(argv) > 1 and argv[1] == "--mbr"
    if mbr:
        argv = argv[:1] + argv[2:]
    if len(argv) < 4:
        sys.exit(__doc__)
    image, log = argv[1], argv[2]
    text = open(log, errors="replace").read()
    bad = 0
    for spec in argv[3:]:
        name, start, blocks, seed, *offset = spec.split(":")
        start, blocks, seed = int(start), int(blocks), int(seed)
        offset = int(offset[0]) if offset else 0
        data, sha = dd_sha(image, start, blocks)
        want = pattern(seed, blocks * 512, offset)
        if data != want:
            at = next(i for i in range(len(want)) if data[i] != want[i])
            print(f"{name}: differs from pattern {seed} at byte {at} (block {start + at // 512})")
            bad += 1
        else:
            print(f"{name}: pattern {seed} over {blocks} blocks, sha256 {sha}")
        if hashlib.sha256(want).hexdigest() != sha and data == want:
            print(f"{name}: sha256sum disagrees with hashlib")
            bad += 1
        logged = re.findall(rf": {re.escape(name)} sha256 ([0-9a-f]{{64}})$", text, re.M)
        if logged and logged[-1] != sha:
            print(f"{name}: the guest logged sha256 {logged[-1]}, sha256sum says {sha}")
            bad += 1
        elif logged:
            print(f"{name}: the guest's sha256 agrees")
    if mbr:
        v = subprocess.run(["sfdisk", "-V", image], capture_output=True, text=True)
        if v.returncode:
            print("sfdisk -V:", v.stdout.strip(), v.stderr.strip())
            bad += 1
        else:
            print("sfdisk -V: the MBR verifies")
        sys.exit(1 if bad else 0)
    v = subprocess.run(["sgdisk", "-v", image], capture_output=True, text=True)
    if v.returncode or "No problems found" not in v.stdout:
        print("sgdisk -v:", v.stdout.strip(), v.stderr.strip())
        bad += 1
    else:
        print("sgdisk -v: no problems found")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main(sys.argv)
