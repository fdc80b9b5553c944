#!/usr/bin/env python3
"""The block tests' pattern (servers/block/test/pattern.h) on the host.

    pattern.py SEED BYTES [OFFSET]   write BYTES bytes of pattern SEED,
                                     starting at byte OFFSET of it, to stdout
"""
import struct
import sys

M = (1 << 64) - 1


def pattern(seed, nbytes, offset=0):
    out = bytearray(nbytes)
    base = (seed << 40) + offset // 8
    pack = struct.Struct("<Q").pack_into
    for i in range(nbytes // 8):
        z = (base + i + 0x9E3779B97F4A7C15) & M
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        pack(out, i * 8, z ^ (z >> 31))
    return bytes(out)


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    seed, nbytes = int(argv[1]), int(argv[2])
    offset = int(argv[3]) if len(argv) == 4 else 0
    if nbytes % 8 or offset % 8:
        sys.exit("pattern.py: BYTES and OFFSET must be multiples of 8")
    sys.stdout.buffer.write(pattern(seed, nbytes, offset))


if __name__ == "__main__":
    main(sys.argv)
