/*
 * ATA commands as register FISes and IDENTIFY DEVICE data (ata.h).
 * Portable: no registers, no memory but what it is given.
 */
#include "ata.h"

static uint16_t word(const uint8_t *d, unsigned w)
{
	return (uint16_t)(d[2 * w] | d[2 * w + 1] << 8);
}

/* ATA strings: two characters a word, the first in the high byte;
 * trailing spaces dropped, anything unprintable shown as '?'. */
static void ata_string(const uint8_t *d, unsigned first, unsigned words, char *out)
{
	unsigned n = 0;

	for (unsigned w = 0; w < words; w++) {
		uint16_t v = word(d, first + w);
		char c[2] = { (char)(v >> 8), (char)(v & 0xff) };
		for (int i = 0; i < 2; i++)
			out[n++] = c[i] >= 0x20 && c[i] < 0x7f ? c[i] : '?';
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == '?'))
		n--;
	out[n] = 0;
}

const char *ata_identify_parse(const uint8_t data[ATA_IDENTIFY_BYTES], struct ata_info *info)
{
	uint16_t w0 = word(data, 0), w49 = word(data, 49), w83 = word(data, 83);
	uint16_t w86 = word(data, 86), w106 = word(data, 106);

	*info = (struct ata_info){ 0 };
	if (w0 & 0x8000)
		return "not an ATA device (IDENTIFY word 0 bit 15)";
	if (!(w49 & (1u << 9)))
		return "no LBA addressing (word 49)";
	if (!(w49 & (1u << 8)))
		return "no DMA (word 49)";
	ata_string(data, 27, 20, info->model);
	ata_string(data, 10, 10, info->serial);
	ata_string(data, 23, 4, info->firmware);
	/* words 83 and 86 are valid when bit 14 is set and bit 15 clear */
	bool w83_valid = (w83 & 0xc000) == 0x4000;
	info->lba48 = w83_valid && (w83 & (1u << 10)) && (w86 & (1u << 10));
	info->flush_ext = info->lba48 && (w86 & (1u << 13));
	if (info->lba48)
		info->sectors = (uint64_t)word(data, 100) | (uint64_t)word(data, 101) << 16 |
				(uint64_t)word(data, 102) << 32 | (uint64_t)word(data, 103) << 48;
	else
		info->sectors = (uint64_t)word(data, 60) | (uint64_t)word(data, 61) << 16;
	if (!info->sectors)
		return "no sectors";
	info->sector_size = 512;
	if ((w106 & 0xc000) == 0x4000 && (w106 & (1u << 12))) {
		uint32_t words = (uint32_t)word(data, 117) | (uint32_t)word(data, 118) << 16;
		if (words < 256 || words > 32768 || (words & (words - 1)))
			return "a logical sector size that is no power of two from 512 to 65536";
		info->sector_size = 2 * words;
	}
	uint16_t w76 = word(data, 76);
	if (w76 != 0 && w76 != 0xffff && (w76 & (1u << 8)) && info->lba48) {
		info->ncq = true;
		info->queue_depth = (word(data, 75) & 0x1f) + 1u;
	} else
		info->queue_depth = 1;
	uint16_t w82 = word(data, 82), w85 = word(data, 85);
	if (w83_valid) {
		info->write_cache = w82 & (1u << 5);
		info->write_cache_on = info->write_cache && (w85 & (1u << 5));
	}
	return 0;
}

uint32_t ata_max_sectors(const struct ata_info *info, bool queued)
{
	(void)queued;
	/* EXT and FPDMA: 16-bit counts (0 would mean 65536; we never send it);
	 * 28-bit commands: 8 bits (0 meaning 256, likewise avoided) */
	return info->lba48 ? 65535u : 255u;
}

bool ata_fis_build(uint8_t fis[FIS_H2D_BYTES], const struct ata_info *info, enum ata_op op,
		   uint64_t lba, uint32_t count, unsigned tag, bool queued, uint8_t raw_cmd)
{
	bool rw = op == ATA_OP_READ || op == ATA_OP_WRITE;
	bool ext = info->lba48;

	for (unsigned i = 0; i < FIS_H2D_BYTES; i++)
		fis[i] = 0;
	fis[0] = FIS_TYPE_H2D;
	fis[1] = FIS_H2D_C;
	if (rw) {
		if (!count || count > ata_max_sectors(info, queued))
			return false;
		if (lba + count < lba || lba + count > (ext ? 1ull << 48 : 1ull << 28))
			return false;
		if (queued && (!info->ncq || tag >= 32))
			return false;
	}
	switch (op) {
	case ATA_OP_READ:
	case ATA_OP_WRITE:
		break;
	case ATA_OP_FLUSH:
		fis[2] = info->flush_ext ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH;
		return true;
	case ATA_OP_IDENTIFY:
		fis[2] = ATA_CMD_IDENTIFY;
		return true;
	case ATA_OP_RAW:
		fis[2] = raw_cmd;
		fis[7] = ATA_DEV_LBA;
		for (int i = 0; i < 6; i++)
			fis[i < 3 ? 4 + i : 5 + i] = (uint8_t)(lba >> (8 * i));
		fis[12] = (uint8_t)count;
		fis[13] = (uint8_t)(count >> 8);
		return true;
	default:
		return false;
	}
	bool write = op == ATA_OP_WRITE;
	fis[4] = (uint8_t)lba;
	fis[5] = (uint8_t)(lba >> 8);
	fis[6] = (uint8_t)(lba >> 16);
	if (queued) {
		/* FPDMA: the count in the feature registers, the tag in bits 7:3
		 * of the count register (ACS-3 13.6.4 / 13.6.7) */
		fis[2] = write ? ATA_CMD_WRITE_FPDMA : ATA_CMD_READ_FPDMA;
		fis[3] = (uint8_t)count;
		fis[11] = (uint8_t)(count >> 8);
		fis[12] = (uint8_t)(tag << 3);
		fis[7] = ATA_DEV_LBA;
		fis[8] = (uint8_t)(lba >> 24);
		fis[9] = (uint8_t)(lba >> 32);
		fis[10] = (uint8_t)(lba >> 40);
	} else if (ext) {
		fis[2] = write ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT;
		fis[7] = ATA_DEV_LBA;
		fis[8] = (uint8_t)(lba >> 24);
		fis[9] = (uint8_t)(lba >> 32);
		fis[10] = (uint8_t)(lba >> 40);
		fis[12] = (uint8_t)count;
		fis[13] = (uint8_t)(count >> 8);
	} else {
		fis[2] = write ? ATA_CMD_WRITE_DMA : ATA_CMD_READ_DMA;
		fis[7] = (uint8_t)(ATA_DEV_LBA | ((lba >> 24) & 0x0f));
		fis[12] = (uint8_t)count;
	}
	return true;
}

const char *ata_error_name(uint8_t status, uint8_t error)
{
	if (!(status & 0x01))
		return status & 0x20 ? "device fault" : "no error bit";
	if (error & 0x40)
		return "uncorrectable data";
	if (error & 0x10)
		return "ID not found (LBA out of range)";
	if (error & 0x80)
		return "interface CRC";
	if (error & 0x04)
		return "command aborted";
	return "error";
}
