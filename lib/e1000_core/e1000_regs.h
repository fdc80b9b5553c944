/*
 * Registers of the 8254x/8257x controllers that the driver uses (Intel
 * 8254x and 82574 software developer's manuals), defined once.
 */
#ifndef E1000_REGS_H
#define E1000_REGS_H

#include <driver_reg.h>

REG(E1000_CTRL, 0x0000, 32);
FIELD(E1000_CTRL, LRST, 3, 1);
FIELD(E1000_CTRL, ASDE, 5, 1);
FIELD(E1000_CTRL, SLU, 6, 1);
FIELD(E1000_CTRL, ILOS, 7, 1);
FIELD(E1000_CTRL, RST, 26, 1);
FIELD(E1000_CTRL, VME, 30, 1);
FIELD(E1000_CTRL, PHY_RST, 31, 1);
REG(E1000_STATUS, 0x0008, 32);
FIELD(E1000_STATUS, LU, 1, 1);
REG(E1000_EERD, 0x0014, 32);
FIELD(E1000_EERD, START, 0, 1);
FIELD(E1000_EERD, DATA, 16, 16);
REG(E1000_CTRL_EXT, 0x0018, 32);
FIELD(E1000_CTRL_EXT, PBA_SUPPORT, 31, 1);
REG(E1000_ICR, 0x00c0, 32);
REG(E1000_IMS, 0x00d0, 32);
REG(E1000_IMC, 0x00d8, 32);
REG(E1000_IVAR, 0x00e4, 32);         /* 82574 */
FIELD(E1000_IVAR, RXQ0, 0, 4);
FIELD(E1000_IVAR, TXQ0, 8, 4);
FIELD(E1000_IVAR, OTHER, 16, 4);
FIELD(E1000_IVAR, TX_EVERY_WB, 31, 1);
#define E1000_IVAR_VALID 0x8u
REG(E1000_RCTL, 0x0100, 32);
FIELD(E1000_RCTL, EN, 1, 1);
FIELD(E1000_RCTL, BAM, 15, 1);
FIELD(E1000_RCTL, BSIZE, 16, 2);     /* 0: 2048 bytes */
FIELD(E1000_RCTL, SECRC, 26, 1);
REG(E1000_TCTL, 0x0400, 32);
FIELD(E1000_TCTL, EN, 1, 1);
FIELD(E1000_TCTL, PSP, 3, 1);
FIELD(E1000_TCTL, CT, 4, 8);
FIELD(E1000_TCTL, COLD, 12, 10);
REG(E1000_TIPG, 0x0410, 32);
REG(E1000_RDBAL, 0x2800, 32);
REG(E1000_RDBAH, 0x2804, 32);
REG(E1000_RDLEN, 0x2808, 32);
REG(E1000_RDH, 0x2810, 32);
REG(E1000_RDT, 0x2818, 32);
REG(E1000_TDBAL, 0x3800, 32);
REG(E1000_TDBAH, 0x3804, 32);
REG(E1000_TDLEN, 0x3808, 32);
REG(E1000_TDH, 0x3810, 32);
REG(E1000_TDT, 0x3818, 32);
REG(E1000_MTA, 0x5200, 32);          /* 128 registers */
#define E1000_MTA_COUNT 128
REG(E1000_RAL0, 0x5400, 32);
REG(E1000_RAH0, 0x5404, 32);
FIELD(E1000_RAH0, AV, 31, 1);

/* Interrupt causes (ICR, IMS, IMC). */
enum {
	E1000_INT_TXDW = 1u << 0,
	E1000_INT_LSC = 1u << 2,
	E1000_INT_RXDMT0 = 1u << 4,
	E1000_INT_RXO = 1u << 6,
	E1000_INT_RXT0 = 1u << 7,
	E1000_INT_RXQ0 = 1u << 20,       /* 82574, MSI-X */
	E1000_INT_TXQ0 = 1u << 22,
	E1000_INT_OTHER = 1u << 24,
};

/* Legacy descriptors (16 bytes each). */
struct e1000_rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};

struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};

enum {
	E1000_RXD_DD = 1u << 0,
	E1000_RXD_EOP = 1u << 1,
	E1000_TXD_EOP = 1u << 0,
	E1000_TXD_IFCS = 1u << 1,
	E1000_TXD_RS = 1u << 3,
	E1000_TXD_DD = 1u << 0,
};

#endif
