#!/usr/bin/env python3
"""The host's check of run/power_cut: QEMU was quit right after fs_tool
logged that a sync returned, while it went on writing. Partition 1 of the
disk image (tests/fs_disk/mkdisk.sh), read with dd, must pass e2fsck -fn,
and every file whose digest fs_tool logged before "sync returned" must be
there, read by debugfs, with that SHA-256 and size.

    power_cut_check.py IMAGE LOG [START COUNT [MIN]]

START and COUNT: the partition's sectors (default 2048 and 32768, partition
1 of mkdisk.sh); MIN: the least number of digests (default 8). run/
block_restart_fs uses it too: its only sync comes after its digests.
"""
import hashlib
import re
import subprocess
import sys
import tempfile


def main(image, log, start=2048, count=32768, least=8):
    text = open(log, errors="replace").read()
    cut = text.find("[init -> fs_tool] sync returned")
    if cut < 0:
        print("check: no 'sync returned' in the log")
        return 1
    synced = re.findall(r"^\[init -> fs_tool\] sha256 ([0-9a-f]{64})  /disk(/\S+) \((\d+) bytes\)$",
                        text[:cut], re.M)
    failures = []
    if len(synced) < least:
        failures.append("only %d digests before the sync, not %d" % (len(synced), least))
    with tempfile.NamedTemporaryFile(suffix=".img") as part:
        subprocess.run(["dd", f"if={image}", f"of={part.name}", "bs=512", f"skip={start}",
                        f"count={count}", "status=none"], check=True)
        r = subprocess.run(["e2fsck", "-fn", part.name], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append("e2fsck -fn found problems:\n" + r.stdout + r.stderr)
        for digest, path, size in synced:
            data = subprocess.run(["debugfs", "-R", f"cat {path}", part.name],
                                  capture_output=True, check=True).stdout
            if len(data) != int(size) or hashlib.sha256(data).hexdigest() != digest:
                failures.append(f"{path}: {len(data)} bytes, sha256 "
                                f"{hashlib.sha256(data).hexdigest()}, not {size} bytes {digest}")
    for f in failures:
        print("check: " + f)
    print("check: %s (%d synced files)" % ("ok" if not failures else "%d problems" % len(failures),
                                          len(synced)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])))
