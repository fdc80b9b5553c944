#!/bin/sh
# The disk of run/fs_ext2_test, made by real tools: a GPT disk (sgdisk)
# whose partition 1 is an ext2 file system made by mkfs.ext2 with its
# defaults, holding a file and a directory written by debugfs.
#
#   mkdisk.sh DIR       makes DIR/disk.img (24 MiB), DIR/hello.txt
set -e
dir=$1
truncate -s 24M "$dir/disk.img"
sgdisk -n 1:2048:+16M -t 1:8300 -c 1:ext2 "$dir/disk.img" >/dev/null
rm -f "$dir/p1.img"
truncate -s 16M "$dir/p1.img"
mkfs.ext2 -q -F "$dir/p1.img"
printf 'hello from the host\n' > "$dir/hello.txt"
debugfs -w -R "write $dir/hello.txt hello.txt" "$dir/p1.img" >/dev/null 2>&1
debugfs -w -R "mkdir host" "$dir/p1.img" >/dev/null 2>&1
debugfs -w -R "symlink host/link ../hello.txt" "$dir/p1.img" >/dev/null 2>&1
e2fsck -fn "$dir/p1.img" >/dev/null
dd if="$dir/p1.img" of="$dir/disk.img" bs=512 seek=2048 conv=notrunc status=none
