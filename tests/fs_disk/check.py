#!/usr/bin/env python3
"""The host's check of run/fs_test: a partition of
the disk image (tests/fs_disk/mkdisk.sh) after the boot, read with dd, must
pass the file system's own check and hold what fs_tool wrote, read back
with the file system's own tools.

    check.py ext2 IMAGE LOG     partition 1: e2fsck -fn, debugfs
    check.py fat IMAGE LOG      partition 2: fsck.vfat -n, mtools

ext2: /new/abc is "abc", /new/hello2.txt the host's hello.txt.
fat: /host/renamed.txt is "written on fat", "/A Long Directory Name/hello
copy.txt" the host's HELLO.TXT.
Both: /tree/dir0 is gone, /tree/dir1 holds file0..file2 of 10000 bytes
each, and the digest fs_tool logged for tree/dir1/file2 (under /disk for
ext2, /fat for FAT) is sha256sum's of what the host's tool reads of it.
"""
import hashlib
import re
import subprocess
import sys
import tempfile

PARTS = {"ext2": (2048, 32768), "fat": (36864, 81920)}


def run(cmd):
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def reader(kind, img):
    if kind == "ext2":
        return lambda path: run(["debugfs", "-R", f"cat {path}", img])
    return lambda path: run(["mtype", "-i", img, "::" + path])


def lister(kind, img):
    if kind == "ext2":
        return lambda path: run(["debugfs", "-R", f"ls {path}", img]).decode(errors="replace")
    return lambda path: run(["mdir", "-b", "-i", img, "::" + path]).decode(errors="replace")


def main(kind, image, log):
    failures = []
    start, count = PARTS[kind]
    with tempfile.NamedTemporaryFile(suffix=".img") as part:
        run(["dd", f"if={image}", f"of={part.name}", "bs=512", f"skip={start}",
             f"count={count}", "status=none"])
        fsck = ["e2fsck", "-fn"] if kind == "ext2" else ["fsck.vfat", "-n"]
        r = subprocess.run(fsck + [part.name], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"{' '.join(fsck)} found problems:\n" + r.stdout + r.stderr)
        cat, ls = reader(kind, part.name), lister(kind, part.name)
        if kind == "ext2":
            want = {"/new/abc": b"abc", "/new/hello2.txt": b"hello from the host\n"}
        else:
            want = {"/host/renamed.txt": b"written on fat",
                    "/A Long Directory Name/hello copy.txt": b"hello fat\n"}
        for path, data in want.items():
            got = cat(path)
            if got != data:
                failures.append(f"{path}: {got[:40]!r}, not {data!r}")
        if "dir0" in ls("/tree"):
            failures.append("/tree/dir0 is still there")
        for i in range(3):
            got = cat(f"/tree/dir1/file{i}")
            if len(got) != 10000:
                failures.append(f"/tree/dir1/file{i}: {len(got)} bytes, not 10000")
        digest = hashlib.sha256(cat("/tree/dir1/file2")).hexdigest()
        mnt = "disk" if kind == "ext2" else "fat"
        logged = re.findall(r"sha256 ([0-9a-f]{64})  /%s/tree/dir1/file2 " % mnt,
                            open(log, errors="replace").read())
        if logged != [digest]:
            failures.append(f"fs_tool logged {logged} for tree/dir1/file2, the host reads {digest}")
    for f in failures:
        print("check: " + f)
    print("check: %s" % ("ok" if not failures else "%d problems" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
