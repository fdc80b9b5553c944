/*
 * NVMe (NVM Express base specification 1.4, PCIe transport): the
 * controller's registers in BAR0, the layouts of submission and
 * completion queue entries, the admin and NVM command set opcodes and
 * the fields of IDENTIFY pages the driver reads, each defined once
 * (driver_reg.h).
 */
#ifndef NVME_REG_H
#define NVME_REG_H

#include <driver_reg.h>
#include <stdint.h>

/* ---- controller registers (BAR0) ---- */

REG(NVME_CAP, 0x00, 64);                 /* controller capabilities */
FIELD(NVME_CAP, MQES, 0, 16);            /* largest I/O queue, 0's based */
FIELD(NVME_CAP, CQR, 16, 1);             /* queues must be physically contiguous */
FIELD(NVME_CAP, TO, 24, 8);              /* ready timeout, 500 ms units */
FIELD(NVME_CAP, DSTRD, 32, 4);           /* doorbell stride: 4 << DSTRD bytes */
FIELD(NVME_CAP, CSS_NVM, 37, 1);         /* the NVM command set */
FIELD(NVME_CAP, MPSMIN, 48, 4);          /* smallest page: 4 KiB << MPSMIN */
FIELD(NVME_CAP, MPSMAX, 52, 4);

REG(NVME_VS, 0x08, 32);                  /* version */
FIELD(NVME_VS, TER, 0, 8);
FIELD(NVME_VS, MNR, 8, 8);
FIELD(NVME_VS, MJR, 16, 16);

REG(NVME_INTMS, 0x0c, 32);               /* interrupt mask set (not with MSI-X) */
REG(NVME_INTMC, 0x10, 32);               /* interrupt mask clear */

REG(NVME_CC, 0x14, 32);                  /* controller configuration */
FIELD(NVME_CC, EN, 0, 1);
FIELD(NVME_CC, CSS, 4, 3);               /* 0: NVM command set */
FIELD(NVME_CC, MPS, 7, 4);               /* host page: 4 KiB << MPS */
FIELD(NVME_CC, AMS, 11, 3);              /* 0: round robin */
FIELD(NVME_CC, SHN, 14, 2);              /* shutdown notification */
FIELD(NVME_CC, IOSQES, 16, 4);           /* I/O SQ entry: 2^n bytes */
FIELD(NVME_CC, IOCQES, 20, 4);           /* I/O CQ entry: 2^n bytes */

REG(NVME_CSTS, 0x1c, 32);                /* controller status */
FIELD(NVME_CSTS, RDY, 0, 1);
FIELD(NVME_CSTS, CFS, 1, 1);             /* controller fatal status */
FIELD(NVME_CSTS, SHST, 2, 2);            /* shutdown status: 2 complete */

REG(NVME_AQA, 0x24, 32);                 /* admin queue attributes */
FIELD(NVME_AQA, ASQS, 0, 12);            /* admin SQ size, 0's based */
FIELD(NVME_AQA, ACQS, 16, 12);           /* admin CQ size, 0's based */

REG(NVME_ASQ, 0x28, 64);                 /* admin SQ base (page aligned) */
REG(NVME_ACQ, 0x30, 64);                 /* admin CQ base */

/* Doorbells from 0x1000: SQ y tail at 2y strides, CQ y head at 2y + 1. */
REG(NVME_DOORBELL, 0x1000, 32);
FIELD(NVME_DOORBELL, VALUE, 0, 16);

enum {
	NVME_SHN_NORMAL = 1,
	NVME_SHST_COMPLETE = 2,
	NVME_PAGE = 4096,                /* the host page size we configure (MPS 0) */
	NVME_SQE_SHIFT = 6,              /* 64-byte submission entries */
	NVME_CQE_SHIFT = 4,              /* 16-byte completion entries */
};

/* ---- queue entries ---- */

/* A submission queue entry (64 bytes). */
struct nvme_sqe {
	uint32_t cdw0;           /* NVME_SQE_CDW0 */
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr;           /* metadata pointer */
	uint64_t prp1, prp2;     /* data pointer (PRP entries) */
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 1 << NVME_SQE_SHIFT, "SQE is 64 bytes");

REG(NVME_SQE_CDW0, 0, 32);
FIELD(NVME_SQE_CDW0, OPC, 0, 8);
FIELD(NVME_SQE_CDW0, FUSE, 8, 2);
FIELD(NVME_SQE_CDW0, PSDT, 14, 2);       /* 0: PRPs */
FIELD(NVME_SQE_CDW0, CID, 16, 16);

/* A completion queue entry (16 bytes). */
struct nvme_cqe {
	uint32_t dw0;            /* command specific */
	uint32_t dw1;
	uint32_t dw2;            /* NVME_CQE_DW2 */
	uint32_t dw3;            /* NVME_CQE_DW3 */
};
_Static_assert(sizeof(struct nvme_cqe) == 1 << NVME_CQE_SHIFT, "CQE is 16 bytes");

REG(NVME_CQE_DW2, 0, 32);
FIELD(NVME_CQE_DW2, SQHD, 0, 16);        /* the SQ's head when posted */
FIELD(NVME_CQE_DW2, SQID, 16, 16);
REG(NVME_CQE_DW3, 0, 32);
FIELD(NVME_CQE_DW3, CID, 0, 16);
FIELD(NVME_CQE_DW3, P, 16, 1);           /* phase tag */
FIELD(NVME_CQE_DW3, STATUS, 17, 15);     /* SC, SCT, CRD, M, DNR: 0 is success */
FIELD(NVME_CQE_DW3, SC, 17, 8);          /* status code */
FIELD(NVME_CQE_DW3, SCT, 25, 3);         /* status code type */
FIELD(NVME_CQE_DW3, MORE, 30, 1);        /* more in the error log */
FIELD(NVME_CQE_DW3, DNR, 31, 1);         /* do not retry */

/* ---- commands ---- */

enum nvme_admin_opcode {
	NVME_ADMIN_DELETE_SQ = 0x00,
	NVME_ADMIN_CREATE_SQ = 0x01,
	NVME_ADMIN_DELETE_CQ = 0x04,
	NVME_ADMIN_CREATE_CQ = 0x05,
	NVME_ADMIN_IDENTIFY = 0x06,
	NVME_ADMIN_SET_FEATURES = 0x09,
};

enum nvme_io_opcode {
	NVME_IO_FLUSH = 0x00,
	NVME_IO_WRITE = 0x01,
	NVME_IO_READ = 0x02,
	NVME_IO_DSM = 0x09,              /* dataset management */
};

/* CREATE_CQ / CREATE_SQ */
REG(NVME_CREATE_CDW10, 0, 32);
FIELD(NVME_CREATE_CDW10, QID, 0, 16);
FIELD(NVME_CREATE_CDW10, QSIZE, 16, 16); /* 0's based */
REG(NVME_CREATE_CQ_CDW11, 0, 32);
FIELD(NVME_CREATE_CQ_CDW11, PC, 0, 1);   /* physically contiguous */
FIELD(NVME_CREATE_CQ_CDW11, IEN, 1, 1);  /* interrupts enabled */
FIELD(NVME_CREATE_CQ_CDW11, IV, 16, 16); /* MSI-X vector */
REG(NVME_CREATE_SQ_CDW11, 0, 32);
FIELD(NVME_CREATE_SQ_CDW11, PC, 0, 1);
FIELD(NVME_CREATE_SQ_CDW11, QPRIO, 1, 2);
FIELD(NVME_CREATE_SQ_CDW11, CQID, 16, 16);

/* IDENTIFY: CDW10 CNS */
enum nvme_cns {
	NVME_CNS_NAMESPACE = 0x00,
	NVME_CNS_CONTROLLER = 0x01,
	NVME_CNS_ACTIVE_NSIDS = 0x02,    /* active namespace IDs above NSID, ascending */
};

/* SET_FEATURES: CDW10 feature id, Number of Queues in CDW11 and in the
 * completion's DW0 (both 0's based) */
enum { NVME_FEAT_NUM_QUEUES = 0x07 };
REG(NVME_NUM_QUEUES, 0, 32);
FIELD(NVME_NUM_QUEUES, NSQ, 0, 16);
FIELD(NVME_NUM_QUEUES, NCQ, 16, 16);

/* READ / WRITE: CDW10-11 starting LBA, CDW12 */
REG(NVME_RW_CDW12, 0, 32);
FIELD(NVME_RW_CDW12, NLB, 0, 16);        /* blocks, 0's based */
FIELD(NVME_RW_CDW12, FUA, 30, 1);

/* DSM: CDW10 number of ranges (0's based), CDW11 attributes; the ranges
 * (16 bytes each) are the data */
REG(NVME_DSM_CDW11, 0, 32);
FIELD(NVME_DSM_CDW11, AD, 2, 1);         /* deallocate */
struct nvme_dsm_range {
	uint32_t attributes;
	uint32_t nlb;            /* blocks (not 0's based) */
	uint64_t slba;
};

/* ---- IDENTIFY pages (4 KiB): byte offsets ---- */

enum nvme_id_ctrl {
	NVME_IDC_VID = 0,                /* 2 bytes */
	NVME_IDC_SN = 4,                 /* 20 bytes, ASCII, space padded */
	NVME_IDC_MN = 24,                /* 40 bytes */
	NVME_IDC_FR = 64,                /* 8 bytes */
	NVME_IDC_MDTS = 77,              /* largest transfer: 2^n min pages, 0 none */
	NVME_IDC_VER = 80,
	NVME_IDC_SQES = 512,             /* required (3:0) and largest (7:4) SQ entry */
	NVME_IDC_CQES = 513,
	NVME_IDC_NN = 516,               /* 4 bytes: namespaces */
	NVME_IDC_ONCS = 520,             /* 2 bytes: optional NVM commands */
	NVME_IDC_VWC = 525,              /* volatile write cache (bit 0) */
};
enum { NVME_ONCS_DSM = 1u << 2 };

enum nvme_id_ns {
	NVME_IDN_NSZE = 0,               /* 8 bytes: size in blocks */
	NVME_IDN_NCAP = 8,
	NVME_IDN_NLBAF = 25,             /* LBA formats, 0's based */
	NVME_IDN_FLBAS = 26,             /* the format in use */
	NVME_IDN_LBAF = 128,             /* 4 bytes each: NVME_LBAF */
};
REG(NVME_FLBAS, 0, 8);
FIELD(NVME_FLBAS, INDEX, 0, 4);
FIELD(NVME_FLBAS, INDEX_HIGH, 5, 2);     /* formats 16..63 (2.0) */
REG(NVME_LBAF, 0, 32);
FIELD(NVME_LBAF, MS, 0, 16);             /* metadata bytes per block */
FIELD(NVME_LBAF, LBADS, 16, 8);          /* block size: 2^n */

#endif
