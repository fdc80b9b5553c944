#!/bin/sh
# tests/fuzz/fat_seeds.sh DIR: the FAT fuzzer's seed corpus (tests/fuzz/fat.mk):
# small FAT12 and FAT16 images made by mkfs.vfat with files, long names and
# directories put there by mtools, and small FAT32 ones as mkfs.vfat makes
# them (mtools takes a FAT32 of fewer than 65525 clusters for a FAT16 and
# refuses to write to it; the fuzzer creates files itself), each cut after
# its last non-zero byte (the fuzzer's device reads zeros beyond its input).
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1
mkdir -p "$out"
printf 'hello, fat\n' > "$tmp/small"
head -c 5000 /dev/zero | tr '\0' 'x' > "$tmp/mid"
make_one() { # name mkfs-args kib [empty]
    img=$tmp/$1.img
    mkfs.vfat -C $2 "$img" "$3" >/dev/null 2>&1
    if [ -z "${4:-}" ]; then
        mmd -i "$img" ::/dir ::/dir/sub
        mcopy -i "$img" "$tmp/small" "::/A long file name.txt"
        mcopy -i "$img" "$tmp/small" ::/short.txt
        mcopy -i "$img" "$tmp/mid" "::/dir/sub/Mid sized file.bin"
        mcopy -i "$img" "$tmp/small" "::/dir/Ünïcødé.txt"
    fi
    python3 - "$img" "$out/$1" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read().rstrip(b'\0')
open(sys.argv[2], 'wb').write(data)
PY
}
make_one fat12 "-F 12" 1024
make_one fat16 "-F 16 -s 1 -r 64" 3072
make_one fat12-2k "-F 12 -S 2048" 1024
make_one fat32 "-F 32 -s 1" 3072 empty
make_one fat32-1fat "-F 32 -f 1 -s 2" 2048 empty
make_one fat32-4k "-F 32 -S 4096 -s 1" 3072 empty
