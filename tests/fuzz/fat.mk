# The FAT back end's fuzzer (lib/fat, docs/storage.md "FAT"): its seeds are
# images that mkfs.vfat and mtools make (tests/fuzz/fat_seeds.sh).
FUZZERS += fat
fat_FUZZ_SRCS   := $(wildcard lib/fat/*.c) lib/fs/fs.c lib/fs/bcache.c
fat_FUZZ_DEPS   := $(wildcard lib/fat/*.h lib/fat/include/*.h lib/fs/include/*.h)
fat_FUZZ_CFLAGS := -Ilib/fs/include -Ilib/fat/include
fat_FUZZ_SEEDS  := $(BUILD)/fuzz/fat_seeds
$(BUILD)/fuzz/fat_seeds: tests/fuzz/fat_seeds.sh
	@rm -rf $@ && tests/fuzz/fat_seeds.sh $@
