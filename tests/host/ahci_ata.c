// sources: drivers/ahci/ata.c
// cflags: -Idrivers/ahci
/*
 * Host unit tests of the AHCI driver's ATA part (drivers/ahci/ata.c):
 * IDENTIFY DEVICE data taken apart (sizes, LBA48, NCQ, write cache,
 * strings, refusals) and the register FISes of the commands the driver
 * issues, byte by byte as ACS-3 and SATA lay them out.
 *
 * Area: AATA.
 */
#include <harness.h>
#include "ata.h"

static uint8_t id[ATA_IDENTIFY_BYTES];

static void put(unsigned w, uint16_t v)
{
	id[2 * w] = (uint8_t)v;
	id[2 * w + 1] = (uint8_t)(v >> 8);
}

/* ATA string: the first character of each pair in the high byte. */
static void put_str(unsigned w, unsigned words, const char *s)
{
	unsigned n = strlen(s);
	for (unsigned i = 0; i < words; i++) {
		char a = 2 * i < n ? s[2 * i] : ' ', b = 2 * i + 1 < n ? s[2 * i + 1] : ' ';
		put(w + i, (uint16_t)((uint8_t)a << 8 | (uint8_t)b));
	}
}

/* A SATA disk as ACS-3 describes one: LBA and DMA, words 83/86 valid
 * with 48-bit addressing, FLUSH CACHE EXT, NCQ with 32 tags. */
static void disk(uint64_t sectors)
{
	memset(id, 0, sizeof(id));
	put(0, 0x0040);
	put_str(10, 10, "SER123");
	put_str(23, 4, "FW1.0");
	put_str(27, 20, "TEST DISK MODEL");
	put(49, (1u << 9) | (1u << 8));
	put(60, (uint16_t)(sectors > 0x0fffffff ? 0x0fffffff : sectors));
	put(61, (uint16_t)((sectors > 0x0fffffff ? 0x0fffffff : sectors) >> 16));
	put(75, 31);
	put(76, 1u << 8);
	put(82, 1u << 5);
	put(83, 0x4000 | (1u << 10) | (1u << 13));
	put(85, 1u << 5);
	put(86, (1u << 10) | (1u << 13));
	for (unsigned i = 0; i < 4; i++)
		put(100 + i, (uint16_t)(sectors >> (16 * i)));
}

TEST(AATA_0001, "an LBA48 NCQ disk: size, queue depth, cache, strings")
{
	struct ata_info in;

	disk(0x123456789aull);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK_EQ(in.sectors, 0x123456789aull);
	CHECK_EQ(in.sector_size, 512);
	CHECK(in.lba48 && in.ncq && in.flush_ext);
	CHECK_EQ(in.queue_depth, 32);
	CHECK(in.write_cache && in.write_cache_on);
	CHECK(!strcmp(in.model, "TEST DISK MODEL"));
	CHECK(!strcmp(in.serial, "SER123"));
	CHECK(!strcmp(in.firmware, "FW1.0"));
	CHECK_EQ(ata_max_sectors(&in, true), 65535);
}

TEST(AATA_0002, "an LBA28 disk: size from words 60-61, no NCQ, cache off")
{
	struct ata_info in;

	disk(1000);
	put(83, 0x4000);              /* no 48-bit */
	put(86, 0);
	put(85, 0);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK_EQ(in.sectors, 1000);
	CHECK(!in.lba48 && !in.ncq && !in.flush_ext);
	CHECK_EQ(in.queue_depth, 1);
	CHECK(in.write_cache && !in.write_cache_on);
	CHECK_EQ(ata_max_sectors(&in, false), 255);
}

TEST(AATA_0003, "4 KiB logical sectors taken, unusable IDENTIFY data refused")
{
	struct ata_info in;

	disk(4096);
	put(106, 0x4000 | (1u << 12));
	put(117, 2048);               /* words */
	put(118, 0);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK_EQ(in.sector_size, 4096);
	put(117, 3000);
	CHECK(ata_identify_parse(id, &in) != NULL);
	disk(4096);
	put(0, 0x8000);
	CHECK(ata_identify_parse(id, &in) != NULL);   /* not ATA */
	disk(4096);
	put(49, 1u << 8);
	CHECK(ata_identify_parse(id, &in) != NULL);   /* no LBA */
	disk(4096);
	put(49, 1u << 9);
	CHECK(ata_identify_parse(id, &in) != NULL);   /* no DMA */
	disk(0);
	CHECK(ata_identify_parse(id, &in) != NULL);   /* no sectors */
	disk(4096);
	put(76, 0xffff);              /* word 76 not implemented */
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK(!in.ncq);
}

TEST(AATA_0004, "READ/WRITE FPDMA QUEUED: count in the features, tag in the count")
{
	struct ata_info in;
	uint8_t f[FIS_H2D_BYTES];

	disk(1ull << 40);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK(ata_fis_build(f, &in, ATA_OP_READ, 0x0102030405ull, 0x1234, 7, true, 0));
	const uint8_t want[FIS_H2D_BYTES] = { 0x27, 0x80, 0x60, 0x34, 0x05, 0x04, 0x03, 0x40,
					      0x02, 0x01, 0x00, 0x12, 7 << 3, 0, 0, 0 };
	CHECK(!memcmp(f, want, sizeof(want)));
	CHECK(ata_fis_build(f, &in, ATA_OP_WRITE, 0, 1, 31, true, 0));
	CHECK_EQ(f[2], 0x61);
	CHECK_EQ(f[12], 31 << 3);
	CHECK(!ata_fis_build(f, &in, ATA_OP_WRITE, 0, 1, 32, true, 0));   /* no tag 32 */
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, 0, 0, 0, true, 0));     /* no count */
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, 0, 65536, 0, true, 0)); /* too many */
	in.ncq = false;
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, 0, 1, 0, true, 0));     /* no NCQ */
}

TEST(AATA_0005, "READ/WRITE DMA EXT and the 28-bit commands, LBA reach checked")
{
	struct ata_info in;
	uint8_t f[FIS_H2D_BYTES];

	disk(1ull << 40);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK(ata_fis_build(f, &in, ATA_OP_WRITE, 0xa0b0c0d0e0f0ull, 0x0203, 0, false, 0));
	const uint8_t want[FIS_H2D_BYTES] = { 0x27, 0x80, 0x35, 0, 0xf0, 0xe0, 0xd0, 0x40,
					      0xc0, 0xb0, 0xa0, 0, 0x03, 0x02, 0, 0 };
	CHECK(!memcmp(f, want, sizeof(want)));
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, (1ull << 48) - 1, 2, 0, false, 0));
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, ~0ull, 2, 0, false, 0));   /* wraps */

	disk(1000);
	put(83, 0x4000);
	put(86, 0);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK(ata_fis_build(f, &in, ATA_OP_READ, 0x0abcdef, 255, 0, false, 0));
	CHECK_EQ(f[2], 0xc8);
	CHECK_EQ(f[4], 0xef);
	CHECK_EQ(f[5], 0xcd);
	CHECK_EQ(f[6], 0xab);
	CHECK_EQ(f[7], 0x40);         /* LBA 27:24 = 0 */
	CHECK_EQ(f[12], 255);
	CHECK(ata_fis_build(f, &in, ATA_OP_WRITE, 0x0fffff00, 1, 0, false, 0));
	CHECK_EQ(f[2], 0xca);
	CHECK_EQ(f[7], 0x4f);
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, 0, 256, 0, false, 0));
	CHECK(!ata_fis_build(f, &in, ATA_OP_READ, (1u << 28) - 1, 2, 0, false, 0));
}

TEST(AATA_0006, "FLUSH CACHE (EXT), IDENTIFY and a raw command")
{
	struct ata_info in;
	uint8_t f[FIS_H2D_BYTES];

	disk(100);
	CHECK(ata_identify_parse(id, &in) == NULL);
	CHECK(ata_fis_build(f, &in, ATA_OP_FLUSH, 0, 0, 0, false, 0));
	CHECK_EQ(f[0], 0x27);
	CHECK_EQ(f[1], 0x80);
	CHECK_EQ(f[2], 0xea);
	in.flush_ext = false;
	CHECK(ata_fis_build(f, &in, ATA_OP_FLUSH, 0, 0, 0, false, 0));
	CHECK_EQ(f[2], 0xe7);
	CHECK(ata_fis_build(f, &in, ATA_OP_IDENTIFY, 0, 0, 0, false, 0));
	CHECK_EQ(f[2], 0xec);
	CHECK(ata_fis_build(f, &in, ATA_OP_RAW, 0x010203040506ull, 0x0708, 0, false, 0x25));
	const uint8_t want[FIS_H2D_BYTES] = { 0x27, 0x80, 0x25, 0, 0x06, 0x05, 0x04, 0x40,
					      0x03, 0x02, 0x01, 0, 0x08, 0x07, 0, 0 };
	CHECK(!memcmp(f, want, sizeof(want)));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
