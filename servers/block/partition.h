/*
 * Partition tables (GPT of UEFI 2.10 chapter 5, and the MBR with its
 * extended partitions), read as a series of block reads the caller does:
 * portable, no I/O of its own, so that the multiplexer runs it over its
 * asynchronous driver stream and tests/host/block_partition.c over disk
 * images made by sgdisk and sfdisk.
 *
 *   part_scan_init(&s, block_size, count);
 *   while (part_scan_need(&s, &lba, &n))   read n blocks from lba into buf,
 *       part_scan_feed(&s, buf);            then hand them over
 *   s.table: the scheme, the partitions, what was wrong
 *
 * Trusts nothing on the disk: every field is checked (GPT: header size,
 * header and entry-array CRC32, its own LBA, the usable range, entries
 * inside it and not overlapping the header or the array; MBR: entries
 * inside the disk; the EBR chain bounded and never revisiting a block).
 * A damaged primary GPT header or array makes the scan read the backup
 * (the primary's alternate LBA when that header is sound, else the last
 * block); what was wrong is said in table.notes.
 */
#ifndef BLOCK_PARTITION_H
#define BLOCK_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PART_MAX 128             /* partitions reported */
#define PART_NAME_MAX 72         /* UTF-8 of a 36-character GPT name, NUL */
#define PART_NOTES 8
#define PART_ARRAY_MAX (256u * 1024)   /* bytes of a GPT entry array we read */
#define PART_LOGICAL_MAX 64     /* MBR logical partitions followed */

enum part_scheme {
	PART_NONE = 0,           /* no table: the disk is one unpartitioned space */
	PART_MBR = 1,
	PART_GPT = 2,
	PART_BROKEN = 3,         /* a table that could not be read (notes say why) */
};

struct part {
	unsigned number;         /* GPT: entry index + 1; MBR: 1..4 primary, 5.. logical */
	uint64_t start, length;  /* blocks */
	uint8_t type_guid[16];   /* GPT, as stored (mixed endian) */
	uint8_t guid[16];        /* GPT: the partition's own */
	uint8_t mbr_type;        /* MBR */
	uint64_t attributes;     /* GPT */
	char name[PART_NAME_MAX];/* GPT label in UTF-8 ("" for MBR) */
};

struct part_table {
	enum part_scheme scheme;
	bool backup_used;        /* GPT read from the backup header */
	unsigned count;
	struct part part[PART_MAX];
	uint8_t disk_guid[16];
	unsigned nnotes;
	const char *notes[PART_NOTES];  /* static strings: what was wrong */
};

enum part_state {
	PS_MBR_AND_HEADER,       /* LBA 0 and 1 */
	PS_PRIMARY_ARRAY,
	PS_BACKUP_HEADER,
	PS_BACKUP_ARRAY,
	PS_EBR,
	PS_DONE,
};

struct gpt_geom {
	uint64_t my_lba, alternate, first_usable, last_usable, array_lba;
	uint32_t entries, entry_size, array_crc;
	uint8_t disk_guid[16];
};

struct part_scan {
	uint32_t block_size;
	uint64_t count;
	enum part_state state;
	uint64_t lba;            /* what part_scan_need asks for */
	uint32_t nblocks;
	struct gpt_geom primary, backup;
	bool primary_ok;         /* the primary header is sound */
	uint64_t ext_start, ext_length;  /* the extended partition */
	uint64_t ebr;            /* the EBR being read, absolute */
	unsigned logicals;
	struct part_table table;
};

/* block_size: 512..65536, a power of two; count: blocks of the disk. */
void part_scan_init(struct part_scan *s, uint32_t block_size, uint64_t count);
/* What to read next (true), or nothing (false: s->table is final). */
bool part_scan_need(struct part_scan *s, uint64_t *lba, uint32_t *nblocks);
/* The blocks asked for (nblocks * block_size bytes); a read that failed:
 * data NULL. */
void part_scan_feed(struct part_scan *s, const void *data);

/* The CRC32 of GPT (IEEE 802.3, reflected, as zlib's crc32). */
uint32_t part_crc32(uint32_t crc, const void *data, size_t n);
/* A GUID as text (36 characters + NUL, upper case as sgdisk prints). */
void part_guid_text(const uint8_t g[16], char out[37]);
const char *part_scheme_name(enum part_scheme s);

#endif
