/*
 * GPT and MBR partition tables (partition.h): the scan's states, each
 * fed the blocks it asked for. Portable; every value from the disk is
 * checked before it is used.
 */
#include "partition.h"

#define GPT_SIG "EFI PART"
#define GPT_HEADER_MIN 92
#define GPT_ENTRY_MIN 128
#define MBR_SIG_OFF 510
#define MBR_TABLE_OFF 446
#define MBR_PROTECTIVE 0xee

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void copy16(uint8_t *d, const uint8_t *s)
{
	for (int i = 0; i < 16; i++)
		d[i] = s[i];
}

static bool zero16(const uint8_t *p)
{
	for (int i = 0; i < 16; i++)
		if (p[i])
			return false;
	return true;
}

uint32_t part_crc32(uint32_t crc, const void *data, size_t n)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

void part_guid_text(const uint8_t g[16], char out[37])
{
	/* the first three fields little endian, the rest as stored */
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	int o = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = "0123456789ABCDEF"[g[order[i]] >> 4];
		out[o++] = "0123456789ABCDEF"[g[order[i]] & 15];
	}
	out[o] = 0;
}

const char *part_scheme_name(enum part_scheme s)
{
	switch (s) {
	case PART_NONE: return "none";
	case PART_MBR: return "mbr";
	case PART_GPT: return "gpt";
	case PART_BROKEN: return "broken";
	}
	return "?";
}

static void note(struct part_scan *s, const char *what)
{
	for (unsigned i = 0; i < s->table.nnotes; i++)
		if (s->table.notes[i] == what)
			return;
	if (s->table.nnotes < PART_NOTES)
		s->table.notes[s->table.nnotes++] = what;
}

static void need(struct part_scan *s, enum part_state st, uint64_t lba, uint32_t n)
{
	s->state = st;
	s->lba = lba;
	s->nblocks = n;
}

static void done(struct part_scan *s, enum part_scheme scheme)
{
	s->table.scheme = scheme;
	s->state = PS_DONE;
}

void part_scan_init(struct part_scan *s, uint32_t block_size, uint64_t count)
{
	uint8_t *p = (uint8_t *)s;

	for (size_t i = 0; i < sizeof(*s); i++)
		p[i] = 0;
	s->block_size = block_size;
	s->count = count;
	if (block_size < 512 || block_size > 65536 || (block_size & (block_size - 1)) ||
	    count < 2) {
		note(s, "disk too small or odd block size for a partition table");
		done(s, PART_NONE);
		return;
	}
	need(s, PS_MBR_AND_HEADER, 0, 2);
}

bool part_scan_need(struct part_scan *s, uint64_t *lba, uint32_t *nblocks)
{
	if (s->state == PS_DONE)
		return false;
	*lba = s->lba;
	*nblocks = s->nblocks;
	return true;
}

/* ---- GPT ---- */

/* Blocks the entry array takes. */
static uint32_t array_blocks(const struct part_scan *s, const struct gpt_geom *g)
{
	uint64_t bytes = (uint64_t)g->entries * g->entry_size;

	return (uint32_t)((bytes + s->block_size - 1) / s->block_size);
}

/* A GPT header at lba: its geometry, or why not. */
static const char *gpt_header(struct part_scan *s, const uint8_t *h, uint64_t lba,
			      struct gpt_geom *g)
{
	uint8_t copy[512];
	uint32_t size, crc;
	uint64_t ablocks;

	for (int i = 0; i < 8; i++)
		if (h[i] != (uint8_t)GPT_SIG[i])
			return "no GPT signature";
	size = le32(h + 12);
	if (size < GPT_HEADER_MIN || size > s->block_size || size > sizeof(copy))
		return "GPT header size out of range";
	for (uint32_t i = 0; i < size; i++)
		copy[i] = h[i];
	for (int i = 16; i < 20; i++)
		copy[i] = 0;
	crc = part_crc32(0, copy, size);
	if (crc != le32(h + 16))
		return "GPT header CRC32 mismatch";
	g->my_lba = le64(h + 24);
	g->alternate = le64(h + 32);
	g->first_usable = le64(h + 40);
	g->last_usable = le64(h + 48);
	copy16(g->disk_guid, h + 56);
	g->array_lba = le64(h + 72);
	g->entries = le32(h + 80);
	g->entry_size = le32(h + 84);
	g->array_crc = le32(h + 88);
	if (g->my_lba != lba)
		return "GPT header names another LBA as its own";
	if (le32(h + 20))
		return "GPT header reserved field not zero";
	if (g->entry_size < GPT_ENTRY_MIN || (g->entry_size & (g->entry_size - 1)))
		return "GPT entry size not 128 times a power of two";
	if (!g->entries || (uint64_t)g->entries * g->entry_size > PART_ARRAY_MAX)
		return "GPT entry array empty or too large";
	if (g->first_usable > g->last_usable || g->last_usable >= s->count ||
	    g->first_usable < 2)
		return "GPT usable range outside the disk";
	ablocks = array_blocks(s, g);
	if (g->array_lba < 2 || g->array_lba >= s->count || ablocks > s->count - g->array_lba)
		return "GPT entry array outside the disk";
	/* the array lies outside the usable range and off the header */
	if (!(g->array_lba + ablocks <= g->first_usable || g->array_lba > g->last_usable))
		return "GPT entry array overlaps the usable range";
	if (g->my_lba >= g->array_lba && g->my_lba < g->array_lba + ablocks)
		return "GPT entry array overlaps its header";
	return 0;
}

/* UTF-16LE name (36 units) to UTF-8, cut at the first NUL. */
static void utf8_name(char *out, const uint8_t *in, unsigned units)
{
	unsigned o = 0;

	for (unsigned i = 0; i < units; i++) {
		uint32_t c = le16(in + 2 * i);
		if (!c)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < units) {
			uint32_t lo = le16(in + 2 * i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				c = '?';
			}
		} else if (c >= 0xd800 && c < 0xe000) {
			c = '?';
		}
		if (c < 0x80 && o + 1 < PART_NAME_MAX) {
			out[o++] = (char)c;
		} else if (c < 0x800 && o + 2 < PART_NAME_MAX) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000 && o + 3 < PART_NAME_MAX) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c >= 0x10000 && o + 4 < PART_NAME_MAX) {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			break;
		}
	}
	out[o] = 0;
}

static bool overlaps(const struct part_table *t, uint64_t start, uint64_t length)
{
	for (unsigned i = 0; i < t->count; i++) {
		const struct part *p = &t->part[i];
		if (start < p->start + p->length && p->start < start + length)
			return true;
	}
	return false;
}

/* The entry array of g: false when its CRC does not match. */
static bool gpt_entries(struct part_scan *s, const uint8_t *a, const struct gpt_geom *g)
{
	struct part_table *t = &s->table;

	if (part_crc32(0, a, (size_t)g->entries * g->entry_size) != g->array_crc)
		return false;
	t->count = 0;
	for (uint32_t i = 0; i < g->entries; i++) {
		const uint8_t *e = a + (size_t)i * g->entry_size;
		uint64_t first = le64(e + 32), last = le64(e + 40);
		struct part *p;

		if (zero16(e))
			continue;
		if (first > last || first < g->first_usable || last > g->last_usable) {
			note(s, "GPT entry outside the usable range (left out)");
			continue;
		}
		if (overlaps(t, first, last - first + 1)) {
			note(s, "GPT entry overlaps another (left out)");
			continue;
		}
		if (t->count == PART_MAX) {
			note(s, "more GPT entries than reported (left out)");
			break;
		}
		p = &t->part[t->count++];
		p->number = i + 1;
		p->start = first;
		p->length = last - first + 1;
		copy16(p->type_guid, e);
		copy16(p->guid, e + 16);
		p->attributes = le64(e + 48);
		utf8_name(p->name, e + 56, 36);
	}
	copy16(t->disk_guid, g->disk_guid);
	return true;
}

static void go_backup(struct part_scan *s)
{
	uint64_t lba = s->count - 1;

	if (s->primary_ok && s->primary.alternate > 1 && s->primary.alternate < s->count)
		lba = s->primary.alternate;
	need(s, PS_BACKUP_HEADER, lba, 1);
}

/* ---- MBR ---- */

static bool mbr_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static void add_mbr(struct part_scan *s, unsigned number, uint8_t type, uint64_t start,
		    uint64_t length)
{
	struct part_table *t = &s->table;
	struct part *p;

	if (!length || start == 0 || start >= s->count || length > s->count - start) {
		note(s, "MBR entry outside the disk (left out)");
		return;
	}
	if (overlaps(t, start, length)) {
		note(s, "MBR entry overlaps another (left out)");
		return;
	}
	if (t->count == PART_MAX)
		return;
	p = &t->part[t->count++];
	p->number = number;
	p->mbr_type = type;
	p->start = start;
	p->length = length;
}

static void mbr_primary(struct part_scan *s, const uint8_t *m)
{
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = m + MBR_TABLE_OFF + 16 * i;
		uint8_t type = e[4];
		uint64_t start = le32(e + 8), length = le32(e + 12);

		if (!type)
			continue;
		if (mbr_extended(type)) {
			if (s->ext_length) {
				note(s, "second extended MBR partition (left out)");
				continue;
			}
			if (!length || start == 0 || start >= s->count ||
			    length > s->count - start) {
				note(s, "extended MBR partition outside the disk (left out)");
				continue;
			}
			s->ext_start = start;
			s->ext_length = length;
			continue;
		}
		add_mbr(s, i + 1, type, start, length);
	}
	if (s->ext_length) {
		s->ebr = s->ext_start;
		need(s, PS_EBR, s->ebr, 1);
	} else {
		done(s, PART_MBR);
	}
}

static void mbr_logical(struct part_scan *s, const uint8_t *b)
{
	const uint8_t *e0 = b + MBR_TABLE_OFF, *e1 = e0 + 16;
	uint64_t next;

	if (b[MBR_SIG_OFF] != 0x55 || b[MBR_SIG_OFF + 1] != 0xaa) {
		note(s, "EBR without signature (chain ends)");
		done(s, PART_MBR);
		return;
	}
	if (e0[4]) {
		uint64_t start = s->ebr + le32(e0 + 8), length = le32(e0 + 12);
		if (start + length > s->ext_start + s->ext_length || start <= s->ebr)
			note(s, "logical partition outside its extended partition (left out)");
		else
			add_mbr(s, 5 + s->logicals, e0[4], start, length);
	}
	s->logicals++;
	if (!mbr_extended(e1[4]) || !le32(e1 + 8)) {
		done(s, PART_MBR);
		return;
	}
	next = s->ext_start + le32(e1 + 8);
	/* forward only and inside the extended partition: no loops */
	if (next <= s->ebr || next >= s->ext_start + s->ext_length) {
		note(s, "EBR chain points backwards or outside (chain ends)");
		done(s, PART_MBR);
		return;
	}
	if (s->logicals >= PART_LOGICAL_MAX) {
		note(s, "too many logical partitions (chain ends)");
		done(s, PART_MBR);
		return;
	}
	s->ebr = next;
	need(s, PS_EBR, next, 1);
}

/* ---- the states ---- */

static void first_blocks(struct part_scan *s, const uint8_t *d)
{
	const uint8_t *h = d + s->block_size;
	bool mbr_sig = d[MBR_SIG_OFF] == 0x55 && d[MBR_SIG_OFF + 1] == 0xaa;
	bool protective = false, gpt_sig = true;
	const char *why;

	for (unsigned i = 0; mbr_sig && i < 4; i++)
		if (d[MBR_TABLE_OFF + 16 * i + 4] == MBR_PROTECTIVE)
			protective = true;
	for (int i = 0; i < 8; i++)
		if (h[i] != (uint8_t)GPT_SIG[i])
			gpt_sig = false;
	if (!protective && !gpt_sig) {
		if (mbr_sig)
			mbr_primary(s, d);
		else
			done(s, PART_NONE);
		return;
	}
	why = gpt_header(s, h, 1, &s->primary);
	if (!why) {
		s->primary_ok = true;
		need(s, PS_PRIMARY_ARRAY, s->primary.array_lba, array_blocks(s, &s->primary));
		return;
	}
	note(s, why);
	note(s, "primary GPT header damaged: reading the backup");
	go_backup(s);
}

void part_scan_feed(struct part_scan *s, const void *data)
{
	const uint8_t *d = data;
	const char *why;

	if (s->state == PS_DONE)
		return;
	if (!d) {
		note(s, "read error");
		if (s->state == PS_PRIMARY_ARRAY) {
			go_backup(s);
			return;
		}
		done(s, s->state == PS_EBR ? PART_MBR : PART_BROKEN);
		return;
	}
	switch (s->state) {
	case PS_MBR_AND_HEADER:
		first_blocks(s, d);
		break;
	case PS_PRIMARY_ARRAY:
		if (gpt_entries(s, d, &s->primary)) {
			done(s, PART_GPT);
			break;
		}
		note(s, "primary GPT entry array CRC32 mismatch: reading the backup");
		go_backup(s);
		break;
	case PS_BACKUP_HEADER:
		why = gpt_header(s, d, s->lba, &s->backup);
		if (why) {
			note(s, why);
			note(s, "backup GPT header damaged too: no partitions");
			done(s, PART_BROKEN);
			break;
		}
		need(s, PS_BACKUP_ARRAY, s->backup.array_lba, array_blocks(s, &s->backup));
		break;
	case PS_BACKUP_ARRAY:
		if (!gpt_entries(s, d, &s->backup)) {
			note(s, "backup GPT entry array CRC32 mismatch: no partitions");
			done(s, PART_BROKEN);
			break;
		}
		s->table.backup_used = true;
		done(s, PART_GPT);
		break;
	case PS_EBR:
		mbr_logical(s, d);
		break;
	case PS_DONE:
		break;
	}
}
