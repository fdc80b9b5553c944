#!/bin/sh
# The disk of run/fs_bench: a 640 MiB GPT disk (sgdisk, sparse) whose
# partition 1 ("ext2", 600 MiB) is an empty ext2 file system made by
# mkfs.ext2 with its defaults (4 KiB blocks at this size).
#
#   mkbench.sh DIR      makes DIR/disk.img
set -e
dir=$1
truncate -s 640M "$dir/disk.img"
sgdisk -n 1:2048:+600M -t 1:8300 -c 1:ext2 "$dir/disk.img" >/dev/null
rm -f "$dir/p1.img"
truncate -s 600M "$dir/p1.img"
mkfs.ext2 -q -F "$dir/p1.img"
dd if="$dir/p1.img" of="$dir/disk.img" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$dir/p1.img"
