#!/bin/sh
# The disk of run/fs_corrupt, made by real tools: a GPT disk (sgdisk) with
# four ext2 file systems of 8 MiB made by mkfs.ext2 and damaged by debugfs
# -w (and dd for a bitmap), and a FAT32 one made by mkfs.vfat:
#   1 "sb"      the superblock says 0 inodes per group
#   2 "ptr"     /far's third block pointer and /ind's first indirect entry
#               point beyond the disk; /good is whole
#   3 "loop"    /x/.. is /x/y (a directory loop); /ok is whole
#   4 "bitmap"  the block bitmap says every block is used, the counts
#               say otherwise; /good is whole
#   5 "fat"     an empty FAT32 of 40 MiB (mtools wants 65525 clusters)
#
#   mkcorrupt.sh DIR       makes DIR/disk.img (80 MiB)
set -e
dir=$1
truncate -s 80M "$dir/disk.img"
sgdisk -n 1:2048:+8M -c 1:sb -n 2:0:+8M -c 2:ptr -n 3:0:+8M -c 3:loop \
	-n 4:0:+8M -c 4:bitmap -n 5:0:+40M -t 5:0700 -c 5:fat "$dir/disk.img" >/dev/null
yes 'argil fs_corrupt' | head -c 20480 > "$dir/f"
img() {   # a fresh ext2 image DIR/$1.img
	rm -f "$dir/$1.img"
	truncate -s 8M "$dir/$1.img"
	mkfs.ext2 -q -F "$dir/$1.img"
}
dfs() {
	debugfs -w -R "$2" "$dir/$1.img" >/dev/null 2>&1
}
img sb
dfs sb "ssv inodes_per_group 0"
img ptr
for f in far ind good; do dfs ptr "write $dir/f /$f"; done
dfs ptr "sif /far block[2] 99999999"
ind=$(debugfs -R "stat /ind" "$dir/ptr.img" 2>/dev/null | sed -n 's/.*(IND):\([0-9]*\).*/\1/p')
printf '\360\377\377\177' | dd of="$dir/ptr.img" bs=1 seek=$((ind * 1024)) conv=notrunc status=none
img loop
dfs loop "mkdir /x"
dfs loop "mkdir /x/y"
dfs loop "mkdir /x/y/z"
dfs loop "unlink /x/.."
dfs loop "link /x/y /x/.."
dfs loop "write $dir/f /ok"
img bitmap
dfs bitmap "write $dir/f /good"
bb=$(dumpe2fs "$dir/bitmap.img" 2>/dev/null | sed -n 's/.*Block bitmap at \([0-9]*\).*/\1/p' | head -1)
head -c 1024 /dev/zero | tr '\0' '\377' | dd of="$dir/bitmap.img" bs=1024 seek="$bb" conv=notrunc status=none
rm -f "$dir/fat.img"
truncate -s 40M "$dir/fat.img"
mkfs.vfat -F 32 "$dir/fat.img" >/dev/null
n=1
for p in sb ptr loop bitmap fat; do
	start=$(sgdisk -i $n "$dir/disk.img" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
	dd if="$dir/$p.img" of="$dir/disk.img" bs=512 seek="$start" conv=notrunc status=none
	n=$((n + 1))
done
