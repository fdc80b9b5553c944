/*
 * AHCI 1.3.1 registers and in-memory structures, each defined once
 * (driver_reg.h): the generic host control registers at the start of ABAR
 * (BAR 5), one block of port registers per port at 0x100 + port * 0x80,
 * the command header, the physical region descriptor and the received-FIS
 * area. Names follow the specification (section 3 for registers, 4 for
 * system memory structures).
 */
#ifndef AHCI_REGS_H
#define AHCI_REGS_H

#include <driver_reg.h>

#define AHCI_ABAR 5                 /* BAR index of the HBA's registers */
#define AHCI_PORTS_MAX 32
#define AHCI_SLOTS_MAX 32
#define AHCI_PORT_BASE(p) (0x100u + 0x80u * (unsigned)(p))

/* ---- generic host control (3.1) ---- */

REG(HBA_CAP, 0x00, 32);
FIELD(HBA_CAP, NP, 0, 5);           /* ports - 1 */
FIELD(HBA_CAP, NCS, 8, 5);          /* command slots - 1 */
FIELD(HBA_CAP, ISS, 20, 4);         /* interface speed */
FIELD(HBA_CAP, SCLO, 24, 1);
FIELD(HBA_CAP, SSS, 27, 1);         /* staggered spin-up */
FIELD(HBA_CAP, SNCQ, 30, 1);        /* native command queuing */
FIELD(HBA_CAP, S64A, 31, 1);        /* 64-bit addressing */

REG(HBA_GHC, 0x04, 32);
FIELD(HBA_GHC, HR, 0, 1);           /* HBA reset, self-clearing */
FIELD(HBA_GHC, IE, 1, 1);           /* interrupt enable */
FIELD(HBA_GHC, AE, 31, 1);          /* AHCI enable */

REG(HBA_IS, 0x08, 32);              /* one bit a port, write 1 to clear */
REG(HBA_PI, 0x0c, 32);              /* ports implemented */
REG(HBA_VS, 0x10, 32);
FIELD(HBA_VS, MNR, 0, 16);
FIELD(HBA_VS, MJR, 16, 16);

REG(HBA_CAP2, 0x24, 32);
FIELD(HBA_CAP2, BOH, 0, 1);         /* BIOS/OS handoff */

REG(HBA_BOHC, 0x28, 32);
FIELD(HBA_BOHC, BOS, 0, 1);         /* BIOS owned semaphore */
FIELD(HBA_BOHC, OOS, 1, 1);         /* OS owned semaphore */
FIELD(HBA_BOHC, BB, 4, 1);          /* BIOS busy */

/* ---- port registers (3.3), offsets within a port's block ---- */

REG(PX_CLB, 0x00, 32);              /* command list base, 1 KiB aligned */
REG(PX_CLBU, 0x04, 32);
REG(PX_FB, 0x08, 32);               /* received FIS base, 256 B aligned */
REG(PX_FBU, 0x0c, 32);

REG(PX_IS, 0x10, 32);               /* interrupt status (write 1 to clear) */
FIELD(PX_IS, DHRS, 0, 1);           /* device-to-host register FIS */
FIELD(PX_IS, PSS, 1, 1);            /* PIO setup FIS */
FIELD(PX_IS, DSS, 2, 1);            /* DMA setup FIS */
FIELD(PX_IS, SDBS, 3, 1);           /* set device bits FIS */
FIELD(PX_IS, UFS, 4, 1);            /* unknown FIS */
FIELD(PX_IS, DPS, 5, 1);            /* descriptor processed */
FIELD(PX_IS, PCS, 6, 1);            /* port connect change */
FIELD(PX_IS, PRCS, 22, 1);          /* PhyRdy change */
FIELD(PX_IS, OFS, 24, 1);           /* overflow */
FIELD(PX_IS, INFS, 26, 1);          /* interface non-fatal error */
FIELD(PX_IS, IFS, 27, 1);           /* interface fatal error */
FIELD(PX_IS, HBDS, 28, 1);          /* host bus data error */
FIELD(PX_IS, HBFS, 29, 1);          /* host bus fatal error */
FIELD(PX_IS, TFES, 30, 1);          /* task file error */
FIELD(PX_IS, CPDS, 31, 1);          /* cold port detect */

REG(PX_IE, 0x14, 32);               /* the same bits as PX_IS */

REG(PX_CMD, 0x18, 32);
FIELD(PX_CMD, ST, 0, 1);            /* start: process the command list */
FIELD(PX_CMD, SUD, 1, 1);           /* spin-up device */
FIELD(PX_CMD, POD, 2, 1);           /* power on device */
FIELD(PX_CMD, CLO, 3, 1);           /* command list override */
FIELD(PX_CMD, FRE, 4, 1);           /* FIS receive enable */
FIELD(PX_CMD, CCS, 8, 5);           /* current command slot */
FIELD(PX_CMD, FR, 14, 1);           /* FIS receive running */
FIELD(PX_CMD, CR, 15, 1);           /* command list running */
FIELD(PX_CMD, ATAPI, 24, 1);
FIELD(PX_CMD, ICC, 28, 4);          /* interface communication control */

REG(PX_TFD, 0x20, 32);              /* task file data: the device's status */
FIELD(PX_TFD, STS, 0, 8);
FIELD(PX_TFD, ERR_BIT, 0, 1);       /* STS.ERR */
FIELD(PX_TFD, DRQ, 3, 1);           /* STS.DRQ */
FIELD(PX_TFD, BSY, 7, 1);           /* STS.BSY */
FIELD(PX_TFD, ERR, 8, 8);           /* the error register */

REG(PX_SIG, 0x24, 32);              /* signature of the first D2H FIS */
REG(PX_SSTS, 0x28, 32);             /* SStatus */
FIELD(PX_SSTS, DET, 0, 4);
FIELD(PX_SSTS, SPD, 4, 4);
FIELD(PX_SSTS, IPM, 8, 4);
REG(PX_SCTL, 0x2c, 32);             /* SControl */
FIELD(PX_SCTL, DET, 0, 4);
FIELD(PX_SCTL, IPM, 8, 4);
REG(PX_SERR, 0x30, 32);             /* SError, write 1 to clear */
REG(PX_SACT, 0x34, 32);             /* NCQ tags outstanding */
REG(PX_CI, 0x38, 32);               /* commands issued */

#define SSTS_DET_NO_PHY 1           /* device detected, no PHY communication */
#define SSTS_DET_PRESENT 3          /* device present, PHY communication up */
#define SSTS_IPM_ACTIVE 1
#define SCTL_DET_COMRESET 1
#define SCTL_IPM_NO_PARTIAL_SLUMBER 3
#define SIG_ATA 0x00000101u
#define SIG_ATAPI 0xeb140101u

/* Interrupts we take; the error ones make the port recover. */
#define PX_IS_ERRORS                                                                     \
	(FIELD_SET(PX_IS, TFES, 1) | FIELD_SET(PX_IS, HBFS, 1) | FIELD_SET(PX_IS, HBDS, 1) | \
	 FIELD_SET(PX_IS, IFS, 1) | FIELD_SET(PX_IS, OFS, 1) | FIELD_SET(PX_IS, PCS, 1) |    \
	 FIELD_SET(PX_IS, PRCS, 1) | FIELD_SET(PX_IS, UFS, 1))
#define PX_IS_DONE                                                                       \
	(FIELD_SET(PX_IS, DHRS, 1) | FIELD_SET(PX_IS, PSS, 1) | FIELD_SET(PX_IS, DSS, 1) |   \
	 FIELD_SET(PX_IS, SDBS, 1) | FIELD_SET(PX_IS, DPS, 1))

/* ---- system memory structures (4.2) ---- */

/* Command header: 32 bytes, 32 of them form the 1 KiB command list. */
REG(CMDH_DW0, 0, 32);
FIELD(CMDH_DW0, CFL, 0, 5);         /* command FIS length in dwords */
FIELD(CMDH_DW0, A, 5, 1);           /* ATAPI */
FIELD(CMDH_DW0, W, 6, 1);           /* write: host to device */
FIELD(CMDH_DW0, P, 7, 1);           /* prefetchable */
FIELD(CMDH_DW0, C, 10, 1);          /* clear busy upon R_OK */
FIELD(CMDH_DW0, PRDTL, 16, 16);     /* PRD entries */

struct ahci_cmd_header {
	volatile uint32_t dw0;
	volatile uint32_t prdbc;            /* bytes transferred */
	volatile uint32_t ctba;             /* command table, 128 B aligned */
	volatile uint32_t ctbau;
	uint32_t reserved[4];
};
_Static_assert(sizeof(struct ahci_cmd_header) == 32, "command header is 32 bytes");

/* Physical region descriptor: 16 bytes. */
REG(PRD_DW3, 0, 32);
FIELD(PRD_DW3, DBC, 0, 22);         /* bytes - 1 (bit 0 always 1: even counts) */
FIELD(PRD_DW3, I, 31, 1);           /* interrupt on completion */
#define PRD_MAX_BYTES (4u << 20)

struct ahci_prd {
	volatile uint32_t dba;              /* data base, word aligned */
	volatile uint32_t dbau;
	uint32_t reserved;
	volatile uint32_t dw3;
};

/* Command table: the command FIS, the ATAPI command, then the PRDs. We
 * give every slot a table of AHCI_TABLE_SIZE bytes. */
#define AHCI_TABLE_SIZE 256u
#define AHCI_TABLE_PRDS ((AHCI_TABLE_SIZE - 0x80u) / 16u)
struct ahci_cmd_table {
	volatile uint8_t cfis[64];
	volatile uint8_t acmd[16];
	uint8_t reserved[48];
	struct ahci_prd prd[AHCI_TABLE_PRDS];
};
_Static_assert(sizeof(struct ahci_cmd_table) == AHCI_TABLE_SIZE, "command table layout");

/* Received FIS area (256 bytes, without FIS-based switching). */
#define RFIS_DSFIS 0x00
#define RFIS_PSFIS 0x20
#define RFIS_RFIS 0x40              /* D2H register FIS */
#define RFIS_SDBFIS 0x58
#define RFIS_SIZE 256u

#endif
