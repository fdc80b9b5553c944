# lib/ext2 on mutated ext2 images (docs/storage.md, "ext2"); the seeds are
# images that mkfs.ext2 and debugfs make (tests/fuzz/ext2_seeds.sh).
FUZZERS += ext2
ext2_FUZZ_SRCS := $(wildcard lib/ext2/*.c) lib/fs/bcache.c lib/fs/fs.c
ext2_FUZZ_CFLAGS := -Ilib/fs/include -Ilib/ext2/include
ext2_FUZZ_DEPS := $(wildcard lib/ext2/*.h lib/ext2/include/*.h lib/fs/include/*.h)
ext2_FUZZ_ARGS := -max_len=262144
ext2_FUZZ_SEEDS := $(BUILD)/fuzz/ext2_seeds
$(BUILD)/fuzz/ext2_seeds: tests/fuzz/ext2_seeds.sh
	@sh tests/fuzz/ext2_seeds.sh $@
