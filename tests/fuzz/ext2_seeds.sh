#!/bin/sh
# tests/fuzz/ext2_seeds.sh DIR: the ext2 fuzzer's seed images, made by
# mkfs.ext2 and filled by debugfs (Debian's e2fsprogs): small (128-256 KiB)
# so that libFuzzer mutates them quickly, with every kind of inode and map
# the back end reads: directories (one indexed by e2fsck -D), files with
# direct, indirect and double indirect blocks, a sparse file, fast and slow
# symlinks, hard links, a fifo; 1 KiB and 4 KiB blocks, revision 0, no
# filetype feature. The same bytes every time: fixed UUIDs, hash seed,
# clock and file contents.
set -eu
out=$1
PATH=$PATH:/usr/sbin:/sbin
E2FSPROGS_FAKE_TIME=1700000000
export E2FSPROGS_FAKE_TIME
tmp=$out.tmp
rm -rf "$tmp" && mkdir -p "$tmp"

img() { # name size mkfs-options...
    name=$1 size=$2
    shift 2
    truncate -s "$size" "$tmp/$name"
    mkfs.ext2 -q -F -U 3b1f0c6e-5a2d-4e8f-9c71-0a6b2d4e8f10 \
        -E hash_seed=7c2e9a41-0d3b-4f65-8a17-5e9c3b2d1f04 "$@" "$tmp/$name" >/dev/null
}

fill() { # name: the usual content
    yes 'small file of an ext2 seed' | head -c 300 > "$tmp/small"
    seq 1 100000 | head -c 20000 > "$tmp/ind"
    seq 7 100000 | head -c 70000 > "$tmp/dind"
    truncate -s 0 "$tmp/sparse" && truncate -s 150000 "$tmp/sparse" && printf end >> "$tmp/sparse"
    debugfs -w -f - "$tmp/$1" >/dev/null 2>&1 <<EOS
mkdir /a
mkdir /a/b
mkdir /a/b/c
write $tmp/small /a/small
write $tmp/ind /a/b/ind
write $tmp/dind /dind
write $tmp/sparse /a/sparse
symlink /fast /a/small
symlink /a/slow /a/b/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
ln /a/small /a/b/hard
sif /a/small links_count 2
cd /a
mknod fifo p
EOS
}

img empty 128K
img full 256K -N 64
fill full
img four 256K -b 4096 -N 16
fill four
img rev0 128K -r 0 -N 32
debugfs -w -R "mkdir /d" "$tmp/rev0" >/dev/null 2>&1
img nofiletype 128K -O ^filetype -N 32
fill nofiletype
img htree 256K -N 96
{
    echo "mkdir /h"
    echo "cd /h"
    i=0
    while [ $i -lt 70 ]; do echo "mknod a-longer-name-for-more-blocks-$i p"; i=$((i + 1)); done
} | debugfs -w -f - "$tmp/htree" >/dev/null 2>&1
e2fsck -fyD "$tmp/htree" >/dev/null 2>&1 || true
for f in small ind dind sparse; do rm -f "$tmp/$f"; done
rm -rf "$out" && mv "$tmp" "$out"
