// sources: servers/block/partition.c
// cflags: -Iservers/block
/*
 * Host unit tests of the block multiplexer's partition tables
 * (servers/block/partition.c) on disk images made by the real tools:
 * sgdisk (GPT) and sfdisk (MBR with logical partitions). What the scan
 * finds is compared with what the tools themselves print about the same
 * image (sgdisk -i, sfdisk -d); damage is done with dd over the image
 * (primary header, primary entry array, both copies), and the scan must
 * read the backup or give up cleanly.
 *
 * Area: BLKP.
 */
#include <harness.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "partition.h"

struct image {
	uint8_t *data;
	size_t size;
	char path[64];
	unsigned reads;
};

static int sh(const char *fmt, const char *path)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), fmt, path, path, path, path);
	return system(cmd);
}

static int make_image(struct image *im, const char *size)
{
	char cmd[128];
	int fd;

	memset(im, 0, sizeof(*im));
	strcpy(im->path, "/tmp/argil-blkp-XXXXXX");
	fd = mkstemp(im->path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "truncate -s %s %s", size, im->path);
	return system(cmd);
}

static int load(struct image *im)
{
	FILE *f = fopen(im->path, "rb");

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	im->size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	free(im->data);
	im->data = malloc(im->size);
	if (!im->data || fread(im->data, 1, im->size, f) != im->size) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void drop(struct image *im)
{
	unlink(im->path);
	free(im->data);
}

/* The scan over the image, each read checked to be inside the disk. */
static int scan(struct image *im, struct part_scan *s)
{
	uint64_t lba;
	uint32_t n;
	uint64_t count = im->size / 512;

	part_scan_init(s, 512, count);
	im->reads = 0;
	while (part_scan_need(s, &lba, &n)) {
		if (!n || lba >= count || n > count - lba || ++im->reads > 200)
			return -1;
		part_scan_feed(s, im->data + lba * 512);
	}
	return 0;
}

static const struct part *find(const struct part_table *t, unsigned number)
{
	for (unsigned i = 0; i < t->count; i++)
		if (t->part[i].number == number)
			return &t->part[i];
	return 0;
}

/* Compare partition number with `sgdisk -i number` of the image. */
static int same_as_sgdisk(struct image *im, const struct part_table *t, unsigned number)
{
	char cmd[128], line[256], guid[37], name[256] = "", tg[37] = "";
	unsigned long long first = ~0ull, last = ~0ull;
	const struct part *p = find(t, number);
	FILE *f;

	if (!p)
		return 0;
	snprintf(cmd, sizeof(cmd), "sgdisk -i %u %s", number, im->path);
	f = popen(cmd, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Partition GUID code: %36s", tg);
		sscanf(line, "First sector: %llu", &first);
		sscanf(line, "Last sector: %llu", &last);
		if (!strncmp(line, "Partition name: '", 17)) {
			char *e = strrchr(line, '\'');
			if (e && e > line + 16) {
				*e = 0;
				snprintf(name, sizeof(name), "%s", line + 17);
			}
		}
	}
	pclose(f);
	part_guid_text(p->type_guid, guid);
	return first == p->start && last == p->start + p->length - 1 && !strcmp(tg, guid) &&
	       !strcmp(name, p->name);
}

static int gpt_image(struct image *im)
{
	if (make_image(im, "16M"))
		return -1;
	return sh("sgdisk -n 1:2048:+4M -t 1:8300 -c 1:alpha "
		  "-n 2:0:+6M -t 2:0700 -c 2:data-part "
		  "-n 3:0:0 -t 3:EF00 -c 3:Ümlaut %s >/dev/null", im->path) || load(im) ? -1 : 0;
}

TEST(BLKP_0001, "CRC32 is the IEEE one (check value of \"123456789\")")
{
	CHECK_EQ(part_crc32(0, "123456789", 9), 0xcbf43926u);
	CHECK_EQ(part_crc32(part_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
}

TEST(BLKP_0002, "a GPT made by sgdisk: three partitions as sgdisk -i reports them")
{
	struct image im;
	static struct part_scan s;

	CHECK_EQ(gpt_image(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	CHECK_EQ(s.table.scheme, PART_GPT);
	CHECK(!s.table.backup_used);
	CHECK_EQ(s.table.count, 3u);
	CHECK_EQ(s.table.nnotes, 0u);
	for (unsigned i = 1; i <= 3; i++)
		CHECK_MSG(same_as_sgdisk(&im, &s.table, i), "partition %u differs from sgdisk -i", i);
	CHECK(!strcmp(find(&s.table, 3)->name, "\xc3\x9cmlaut"));
	drop(&im);
}

TEST(BLKP_0003, "primary GPT header zeroed with dd: the backup is read, same partitions")
{
	struct image im;
	static struct part_scan s;

	CHECK_EQ(gpt_image(&im), 0);
	CHECK_EQ(sh("dd if=/dev/zero of=%s bs=512 seek=1 count=1 conv=notrunc status=none",
		    im.path), 0);
	CHECK_EQ(load(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	CHECK_EQ(s.table.scheme, PART_GPT);
	CHECK(s.table.backup_used);
	CHECK(s.table.nnotes > 0);
	CHECK_EQ(s.table.count, 3u);
	/* sgdisk itself reads the backup of the damaged image */
	for (unsigned i = 1; i <= 3; i++)
		CHECK_MSG(same_as_sgdisk(&im, &s.table, i), "partition %u differs from sgdisk -i", i);
	drop(&im);
}

TEST(BLKP_0004, "one byte of the primary entry array changed: its CRC fails, the backup counts")
{
	struct image im;
	static struct part_scan s;
	struct part_table primary;

	CHECK_EQ(gpt_image(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	primary = s.table;
	/* the name of entry 1 (LBA 2, byte 56) through dd from a file of one byte */
	CHECK_EQ(sh("printf Z > %s.b && dd if=%s.b of=%s bs=1 seek=1080 count=1 conv=notrunc "
		    "status=none && rm %s.b", im.path), 0);
	CHECK_EQ(load(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	CHECK_EQ(s.table.scheme, PART_GPT);
	CHECK(s.table.backup_used);
	CHECK_EQ(s.table.count, primary.count);
	for (unsigned i = 0; i < primary.count; i++) {
		CHECK_EQ(s.table.part[i].start, primary.part[i].start);
		CHECK_EQ(s.table.part[i].length, primary.part[i].length);
		CHECK(!strcmp(s.table.part[i].name, primary.part[i].name));
	}
	drop(&im);
}

TEST(BLKP_0005, "both GPT headers zeroed: broken, no partitions, nothing read outside")
{
	struct image im;
	static struct part_scan s;

	CHECK_EQ(gpt_image(&im), 0);
	CHECK_EQ(sh("dd if=/dev/zero of=%s bs=512 seek=1 count=1 conv=notrunc status=none && "
		    "dd if=/dev/zero of=%s bs=512 seek=32767 count=1 conv=notrunc status=none",
		    im.path), 0);
	CHECK_EQ(load(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	CHECK_EQ(s.table.scheme, PART_BROKEN);
	CHECK_EQ(s.table.count, 0u);
	CHECK(s.table.nnotes >= 2);
	drop(&im);
}

TEST(BLKP_0006, "an MBR made by sfdisk: primaries, an extended one, logicals as sfdisk -d says")
{
	struct image im;
	static struct part_scan s;
	char cmd[128], line[256];
	unsigned seen = 0;
	FILE *f;

	CHECK_EQ(make_image(&im, "32M"), 0);
	CHECK_EQ(sh("printf 'label: dos\\n,4M,83\\n,4M,c\\n,,5\\n,3M,83\\n,2M,82\\n,,83\\n' | "
		    "sfdisk -q %s >/dev/null", im.path), 0);
	CHECK_EQ(load(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	CHECK_EQ(s.table.scheme, PART_MBR);
	CHECK_EQ(s.table.nnotes, 0u);
	/* 2 primaries and 3 logicals (the extended one is not a partition to serve) */
	CHECK_EQ(s.table.count, 5u);
	snprintf(cmd, sizeof(cmd), "sfdisk -d %s", im.path);
	f = popen(cmd, "r");
	CHECK(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned n;
		unsigned long long start, size;
		unsigned type;
		char *p = strstr(line, im.path);
		if (!p)
			continue;
		p += strlen(im.path);
		/* a path ending in a digit gets a 'p' before the number (as nvme0n1p1) */
		if (*p == 'p')
			p++;
		if (sscanf(p, "%u : start= %llu, size= %llu, type=%x", &n, &start, &size, &type) != 4)
			continue;
		if (type == 5)
			continue;
		const struct part *q = find(&s.table, n);
		CHECK_MSG(q, "partition %u missing", n);
		CHECK_EQ(q->start, start);
		CHECK_EQ(q->length, size);
		CHECK_EQ(q->mbr_type, type);
		seen++;
	}
	pclose(f);
	CHECK_EQ(seen, 5u);
	drop(&im);
}

TEST(BLKP_0007, "a disk without a table (all zeroes) is unpartitioned")
{
	struct image im;
	static struct part_scan s;

	CHECK_EQ(make_image(&im, "1M"), 0);
	CHECK_EQ(load(&im), 0);
	CHECK_EQ(scan(&im, &s), 0);
	CHECK_EQ(s.table.scheme, PART_NONE);
	CHECK_EQ(s.table.count, 0u);
	drop(&im);
}

TEST(BLKP_0008, "20,000 random corruptions of the first blocks and the backup: no read outside the disk, no partition outside it")
{
	struct image im;
	static struct part_scan s;
	uint8_t *orig;
	uint32_t seed = 12345;
	uint64_t count;

	CHECK_EQ(gpt_image(&im), 0);
	count = im.size / 512;
	orig = malloc(im.size);
	CHECK(orig);
	memcpy(orig, im.data, im.size);
	for (int i = 0; i < 20000; i++) {
		memcpy(im.data, orig, 34 * 512);
		memcpy(im.data + im.size - 33 * 512, orig + im.size - 33 * 512, 33 * 512);
		for (int k = 0; k < 1 + (i % 8); k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (34 * 512);
			if (seed & 1)
				at = im.size - 33 * 512 + (seed >> 9) % (33 * 512);
			seed = seed * 1103515245u + 12345u;
			im.data[at] = (uint8_t)(seed >> 24);
		}
		CHECK_EQ(scan(&im, &s), 0);
		for (unsigned k = 0; k < s.table.count; k++)
			CHECK(s.table.part[k].start + s.table.part[k].length <= count);
	}
	free(orig);
	drop(&im);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
