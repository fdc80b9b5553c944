#!/usr/bin/env python3
"""The host's check of run/fs_ext2_test: partition 1 of the disk image
after the boot, read with dd, must pass `e2fsck -fn` and hold what fs_tool
wrote, read back with debugfs.

    check.py IMAGE LOG

- /new/abc is "abc", /new/hello2.txt the host's hello.txt;
- /tree/dir0 is gone, /tree/dir1 holds file0..file2 of 10000 bytes each;
- the digest fs_tool logged for /disk/tree/dir1/file2 is sha256sum's of
  what debugfs reads of /tree/dir1/file2.
"""
import hashlib
import re
import subprocess
import sys
import tempfile

START, BLOCKS = 2048, 32768


def debugfs(img, cmd):
    return subprocess.run(["debugfs", "-R", cmd, img], capture_output=True, check=True).stdout


def main(image, log):
    failures = []
    with tempfile.NamedTemporaryFile(suffix=".img") as part:
        subprocess.run(["dd", f"if={image}", f"of={part.name}", "bs=512", f"skip={START}",
                        f"count={BLOCKS}", "status=none"], check=True)
        fsck = subprocess.run(["e2fsck", "-fn", part.name], capture_output=True, text=True)
        if fsck.returncode != 0:
            failures.append("e2fsck -fn found problems:\n" + fsck.stdout + fsck.stderr)
        want = {"/new/abc": b"abc", "/new/hello2.txt": b"hello from the host\n"}
        for path, data in want.items():
            got = debugfs(part.name, f"cat {path}")
            if got != data:
                failures.append(f"{path}: {got[:40]!r}, not {data!r}")
        if b"dir0" in debugfs(part.name, "ls /tree"):
            failures.append("/tree/dir0 is still there")
        for i in range(3):
            got = debugfs(part.name, f"cat /tree/dir1/file{i}")
            if len(got) != 10000:
                failures.append(f"/tree/dir1/file{i}: {len(got)} bytes, not 10000")
        digest = hashlib.sha256(debugfs(part.name, "cat /tree/dir1/file2")).hexdigest()
        logged = re.findall(r"sha256 ([0-9a-f]{64})  /disk/tree/dir1/file2 ",
                            open(log, errors="replace").read())
        if logged != [digest]:
            failures.append(f"fs_tool logged {logged} for /tree/dir1/file2, debugfs reads {digest}")
    for f in failures:
        print("check: " + f)
    print("check: %s" % ("ok" if not failures else "%d problems" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
