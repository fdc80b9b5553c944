#!/bin/sh
# The disk of run/fs_test, made by real tools: a GPT disk (sgdisk)
# whose partition 1 ("ext2") is an ext2 file system made by mkfs.ext2 with
# its defaults, and partition 2 ("fat") a FAT32 file system made by
# mkfs.vfat; each holds a file, a directory and (ext2) a symlink, written
# by debugfs and mtools.
#
#   mkdisk.sh DIR       makes DIR/disk.img (64 MiB)
#   mkdisk.sh DIR fs_test
#                       makes it 72 MiB, with partition 3 ("ext4") an ext4
#                       file system made by mkfs.ext4 (features lib/ext2
#                       refuses), and zeroes the primary GPT header (LBA 1)
#                       so that only the backup GPT at the disk's end holds
set -e
dir=$1
mode=${2:-}
if [ "$mode" = fs_test ]; then
	truncate -s 72M "$dir/disk.img"
	sgdisk -n 1:2048:+16M -t 1:8300 -c 1:ext2 -n 2:36864:+40M -t 2:0700 -c 2:fat \
		-n 3:118784:+8M -t 3:8300 -c 3:ext4 "$dir/disk.img" >/dev/null
else
	truncate -s 64M "$dir/disk.img"
	sgdisk -n 1:2048:+16M -t 1:8300 -c 1:ext2 -n 2:36864:+40M -t 2:0700 -c 2:fat \
		"$dir/disk.img" >/dev/null
fi
rm -f "$dir/p1.img" "$dir/p2.img"
truncate -s 16M "$dir/p1.img"
mkfs.ext2 -q -F "$dir/p1.img"
printf 'hello from the host\n' > "$dir/hello.txt"
debugfs -w -R "write $dir/hello.txt hello.txt" "$dir/p1.img" >/dev/null 2>&1
debugfs -w -R "mkdir host" "$dir/p1.img" >/dev/null 2>&1
debugfs -w -R "symlink host/link ../hello.txt" "$dir/p1.img" >/dev/null 2>&1
e2fsck -fn "$dir/p1.img" >/dev/null
dd if="$dir/p1.img" of="$dir/disk.img" bs=512 seek=2048 conv=notrunc status=none
truncate -s 40M "$dir/p2.img"
mkfs.vfat -F 32 "$dir/p2.img" >/dev/null
printf 'hello fat\n' > "$dir/hellofat.txt"
mcopy -i "$dir/p2.img" "$dir/hellofat.txt" ::/HELLO.TXT
mmd -i "$dir/p2.img" ::/host
mcopy -i "$dir/p2.img" "$dir/hellofat.txt" "::/host/Long File Name.txt"
fsck.vfat -n "$dir/p2.img" >/dev/null
dd if="$dir/p2.img" of="$dir/disk.img" bs=512 seek=36864 conv=notrunc status=none
if [ "$mode" = fs_test ]; then
	rm -f "$dir/p3.img"
	truncate -s 8M "$dir/p3.img"
	mkfs.ext4 -q -F "$dir/p3.img"
	dd if="$dir/p3.img" of="$dir/disk.img" bs=512 seek=118784 conv=notrunc status=none
	dd if=/dev/zero of="$dir/disk.img" bs=512 seek=1 count=1 conv=notrunc status=none
fi
