/*
 * The ATA side of the AHCI driver, portable (host-tested in
 * tests/host/ahci_ata.c): the host-to-device register FIS of each command
 * the driver issues (ACS-3: IDENTIFY DEVICE, READ/WRITE DMA (EXT), READ/
 * WRITE FPDMA QUEUED, FLUSH CACHE (EXT)) and what the driver takes from
 * IDENTIFY DEVICE data. Nothing here trusts the device: IDENTIFY data that
 * says nothing sensible is refused with a reason.
 */
#ifndef AHCI_ATA_H
#define AHCI_ATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIS_TYPE_H2D 0x27
#define FIS_TYPE_D2H 0x34
#define FIS_H2D_BYTES 20
#define FIS_H2D_C 0x80              /* byte 1: this FIS carries a command */

#define ATA_CMD_IDENTIFY 0xec
#define ATA_CMD_READ_DMA 0xc8
#define ATA_CMD_WRITE_DMA 0xca
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_READ_FPDMA 0x60
#define ATA_CMD_WRITE_FPDMA 0x61
#define ATA_CMD_FLUSH 0xe7
#define ATA_CMD_FLUSH_EXT 0xea

#define ATA_DEV_LBA 0x40            /* device register: LBA addressing */
#define ATA_IDENTIFY_BYTES 512

/* What one command is. */
enum ata_op {
	ATA_OP_READ,
	ATA_OP_WRITE,
	ATA_OP_FLUSH,
	ATA_OP_IDENTIFY,
	ATA_OP_RAW,              /* a command byte as given (tests: errors) */
};

/* What the driver takes from IDENTIFY DEVICE. */
struct ata_info {
	char model[41], serial[21], firmware[9];
	uint64_t sectors;        /* logical sectors */
	uint32_t sector_size;    /* bytes of a logical sector */
	bool lba48;
	bool ncq;
	unsigned queue_depth;    /* NCQ tags the device takes (1 without NCQ) */
	bool write_cache;        /* supported */
	bool write_cache_on;     /* enabled */
	bool flush_ext;
};

/* Parse 256 words of IDENTIFY DEVICE data (little endian as the device
 * sent them). NULL on success, else why the data is unusable. */
const char *ata_identify_parse(const uint8_t data[ATA_IDENTIFY_BYTES], struct ata_info *info);

/* The largest number of sectors one READ/WRITE command may move. */
uint32_t ata_max_sectors(const struct ata_info *info, bool queued);

/* Write the register FIS of a command into fis (FIS_H2D_BYTES): op with
 * lba and count (sectors; read/write only), tag (queued only), queued for
 * FPDMA (NCQ), raw_cmd for ATA_OP_RAW. false if the command cannot be
 * expressed (a count of 0 or above ata_max_sectors, an LBA out of the
 * addressing's reach). */
bool ata_fis_build(uint8_t fis[FIS_H2D_BYTES], const struct ata_info *info, enum ata_op op,
		   uint64_t lba, uint32_t count, unsigned tag, bool queued, uint8_t raw_cmd);

/* The name of an ATA status/error pair for logs. */
const char *ata_error_name(uint8_t status, uint8_t error);

#endif
