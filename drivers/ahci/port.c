/*
 * One AHCI port (ahci.h): its memory (command list, received FIS,
 * command tables), start and COMRESET, IDENTIFY DEVICE, the request
 * queue and the command slots, completions, and recovery after an error.
 *
 * Issue rules: reads and writes go out as READ/WRITE FPDMA QUEUED (one
 * tag a slot) when the device and the HBA have NCQ, else as READ/WRITE
 * DMA EXT; a flush (or IDENTIFY, or a raw command) is a barrier: it waits
 * until nothing is in flight, and nothing is issued after it until it is
 * done. Queued and non-queued commands are never in flight together.
 *
 * Recovery (AHCI 1.3.1 section 6.2.2, simplified): on an error interrupt
 * the port is stopped, reset (COMRESET) and started again; every request
 * that was in flight goes back to the front of the queue and is reissued
 * one at a time without queuing ("careful" mode), so that a request that
 * fails alone is the culprit: it is failed, the others complete. A port
 * whose device does not come back is dead: its requests fail.
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include "ahci.h"

#define PORT_MEM 16384u
#define LIST_OFF 0x0000u
#define RFIS_OFF 0x0400u
#define TABLES_OFF 0x0800u
_Static_assert(TABLES_OFF + AHCI_SLOTS_MAX * AHCI_TABLE_SIZE <= PORT_MEM, "port memory layout");

#define R(p, reg) REG_READ(&(p)->io, reg)
#define W(p, reg, v) REG_WRITE(&(p)->io, reg, v)
#define U(p, reg, f, v) REG_UPDATE(&(p)->io, reg, f, v)

static void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

bool ahci_wait(struct ahci_port *p, bool (*cond)(struct ahci_port *), uint64_t us)
{
	struct timer_connection *t = p->hba->timer;
	uint64_t t0 = elapsed_us(t);

	for (;;) {
		if (cond(p))
			return true;
		if (elapsed_us(t) - t0 > us)
			return cond(p);
		sleep_us(t, 100);
	}
}

static bool cr_clear(struct ahci_port *p) { return !FIELD_GET(PX_CMD, CR, R(p, PX_CMD)); }
static bool fr_clear(struct ahci_port *p) { return !FIELD_GET(PX_CMD, FR, R(p, PX_CMD)); }
static bool present(struct ahci_port *p)
{
	return FIELD_GET(PX_SSTS, DET, R(p, PX_SSTS)) == SSTS_DET_PRESENT;
}
static bool not_busy(struct ahci_port *p)
{
	uint32_t tfd = R(p, PX_TFD);
	return !FIELD_GET(PX_TFD, BSY, tfd) && !FIELD_GET(PX_TFD, DRQ, tfd);
}

/* Stop processing the command list (10.1.2: ST off, CR clears within
 * 500 ms). */
static bool port_stop(struct ahci_port *p)
{
	U(p, PX_CMD, ST, 0);
	return ahci_wait(p, cr_clear, 500000);
}

/* COMRESET through SControl (10.4.2): DET = 1 for at least a
 * millisecond, then 0; the device answers with PHY communication
 * (SStatus DET = 3) and a fresh D2H register FIS. */
static bool port_comreset(struct ahci_port *p)
{
	uint32_t sctl = FIELD_SET(PX_SCTL, IPM, SCTL_IPM_NO_PARTIAL_SLUMBER);

	W(p, PX_SCTL, sctl | FIELD_SET(PX_SCTL, DET, SCTL_DET_COMRESET));
	sleep_us(p->hba->timer, 1000);
	W(p, PX_SCTL, sctl);
	bool ok = ahci_wait(p, present, 1000000);
	W(p, PX_SERR, 0xffffffffu);
	return ok;
}

const char *ahci_port_init(struct ahci_port *p)
{
	struct ahci_hba *h = p->hba;
	rpc_status_t st;

	p->io = reg_io_mmio(h->abar.io.mmio + AHCI_PORT_BASE(p->index));
	snprintf(p->name, sizeof(p->name), "sata%u", p->index);

	/* idle first (10.1.2 step 3): a port the firmware left running is
	 * stopped; FIS receive off before its address changes */
	if (R(p, PX_CMD) & (FIELD_SET(PX_CMD, ST, 1) | FIELD_SET(PX_CMD, CR, 1))) {
		if (!port_stop(p))
			return "the command list does not stop";
	}
	if (FIELD_GET(PX_CMD, FRE, R(p, PX_CMD))) {
		U(p, PX_CMD, FRE, 0);
		if (!ahci_wait(p, fr_clear, 500000))
			return "FIS receive does not stop";
	}

	st = dma_buf_alloc(h->plat, PORT_MEM, h->s64a ? 0 : PLATFORM_DMA_BELOW_4G, &p->mem);
	if (st != RPC_OK)
		return "no DMA memory for the command list";
	if (!h->s64a && (p->mem.dev >> 32))
		return "the DMA buffer lies above 4 GiB and the HBA has no 64-bit addressing";
	p->list = (struct ahci_cmd_header *)(p->mem.virt + LIST_OFF);
	p->rfis = p->mem.virt + RFIS_OFF;
	p->tables = (struct ahci_cmd_table *)(p->mem.virt + TABLES_OFF);
	p->slots = h->nslots;
	for (unsigned s = 0; s < p->slots; s++) {
		uint64_t table = p->mem.dev + TABLES_OFF + s * AHCI_TABLE_SIZE;
		p->list[s].ctba = (uint32_t)table;
		p->list[s].ctbau = (uint32_t)(table >> 32);
	}
	uint64_t clb = p->mem.dev + LIST_OFF, fb = p->mem.dev + RFIS_OFF;
	W(p, PX_CLB, (uint32_t)clb);
	W(p, PX_CLBU, (uint32_t)(clb >> 32));
	W(p, PX_FB, (uint32_t)fb);
	W(p, PX_FBU, (uint32_t)(fb >> 32));
	W(p, PX_SERR, 0xffffffffu);
	W(p, PX_IS, 0xffffffffu);
	W(p, PX_IE, 0);
	/* spin up and power on (no-ops without staggered spin-up), then
	 * FIS receive: the device's first D2H FIS gives PxSIG and PxTFD */
	U(p, PX_CMD, SUD, 1);
	U(p, PX_CMD, POD, 1);
	U(p, PX_CMD, FRE, 1);
	return 0;
}

/* ---- issuing ---- */

static void req_finish(struct ahci_port *p, struct ahci_req *r, bool ok)
{
	if (!ok)
		p->errors++;
	r->next = 0;
	r->done(r, ok);
}

static bool is_barrier(const struct ahci_req *r)
{
	return r->op != ATA_OP_READ && r->op != ATA_OP_WRITE;
}

static uint32_t req_bytes(const struct ahci_port *p, const struct ahci_req *r)
{
	if (r->op == ATA_OP_IDENTIFY)
		return ATA_IDENTIFY_BYTES;
	if (r->op == ATA_OP_READ || r->op == ATA_OP_WRITE || (r->op == ATA_OP_RAW && r->dev))
		return r->count * p->info.sector_size;
	return 0;
}

/* Put r into slot s: command FIS, PRDs, header; then issue it. */
static bool issue(struct ahci_port *p, unsigned s, struct ahci_req *r, bool queued)
{
	struct ahci_cmd_table *t = &p->tables[s];
	uint8_t fis[FIS_H2D_BYTES];
	uint32_t bytes = req_bytes(p, r);
	unsigned n = 0;

	if (!ata_fis_build(fis, &p->info, r->op, r->lba, r->count, s, queued, r->raw_cmd))
		return false;
	if (bytes && (r->dev & 1))
		return false;
	for (unsigned i = 0; i < FIS_H2D_BYTES; i++)
		t->cfis[i] = fis[i];
	for (uint32_t done = 0; done < bytes; n++) {
		uint32_t k = bytes - done < PRD_MAX_BYTES ? bytes - done : PRD_MAX_BYTES;
		if (n == AHCI_TABLE_PRDS)
			return false;
		uint64_t a = r->dev + done;
		t->prd[n].dba = (uint32_t)a;
		t->prd[n].dbau = (uint32_t)(a >> 32);
		t->prd[n].dw3 = FIELD_SET(PRD_DW3, DBC, k - 1);
		done += k;
	}
	bool write = r->op == ATA_OP_WRITE;
	p->list[s].prdbc = 0;
	p->list[s].dw0 = FIELD_SET(CMDH_DW0, CFL, FIS_H2D_BYTES / 4) | FIELD_SET(CMDH_DW0, W, write) |
			 FIELD_SET(CMDH_DW0, PRDTL, n);
	p->slot_req[s] = r;
	p->in_flight |= 1u << s;
	p->in_flight_queued = queued;
	p->requests++;
	fence();
	if (queued)
		W(p, PX_SACT, 1u << s);
	W(p, PX_CI, 1u << s);
	unsigned nf = (unsigned)__builtin_popcount(p->in_flight);
	if (nf > p->max_in_flight)
		p->max_in_flight = nf;
	return true;
}

static int free_slot(struct ahci_port *p, unsigned limit)
{
	for (unsigned s = 0; s < limit; s++)
		if (!(p->in_flight & (1u << s)))
			return (int)s;
	return -1;
}

void ahci_port_kick(struct ahci_port *p)
{
	while (p->head && p->state == PORT_READY) {
		struct ahci_req *r = p->head;
		bool barrier = is_barrier(r);
		bool queued = p->ncq && !barrier && !p->careful;
		if (p->in_flight) {
			if (barrier || p->careful || queued != p->in_flight_queued)
				break;
		}
		unsigned limit = queued ? (p->info.queue_depth < p->slots ? p->info.queue_depth : p->slots)
					: p->slots;
		int s = free_slot(p, limit);
		if (s < 0)
			break;
		p->head = r->next;
		if (!p->head)
			p->tail = 0;
		r->next = 0;
		if (!issue(p, (unsigned)s, r, queued)) {
			log("%s: a request the device cannot take (op %d, LBA %lu, %u sectors)", p->name,
			    r->op, (unsigned long)r->lba, r->count);
			if (p->careful)
				p->careful--;
			req_finish(p, r, false);
		}
	}
}

void ahci_port_submit(struct ahci_port *p, struct ahci_req *r)
{
	r->next = 0;
	if (p->state != PORT_READY) {
		req_finish(p, r, false);
		return;
	}
	if (p->tail)
		p->tail->next = r;
	else
		p->head = r;
	p->tail = r;
	ahci_port_kick(p);
}

/* ---- completion ---- */

static void complete(struct ahci_port *p)
{
	uint32_t busy = R(p, PX_CI);
	if (p->in_flight_queued)
		busy |= R(p, PX_SACT);
	uint32_t done = p->in_flight & ~busy;

	while (done) {
		unsigned s = (unsigned)__builtin_ctz(done);
		done &= done - 1;
		struct ahci_req *r = p->slot_req[s];
		p->slot_req[s] = 0;
		p->in_flight &= ~(1u << s);
		p->progress++;
		bool ok = true;
		uint32_t want = req_bytes(p, r);
		/* non-queued commands report the bytes moved; short is a failure */
		if (!p->in_flight_queued && want && p->list[s].prdbc != want) {
			log("%s: slot %u moved %u of %u bytes", p->name, s, p->list[s].prdbc, want);
			ok = false;
		}
		if (p->careful)
			p->careful--;
		req_finish(p, r, ok);
	}
}

/* Fail everything: the port is dead. */
static void fail_all(struct ahci_port *p)
{
	for (unsigned s = 0; s < AHCI_SLOTS_MAX; s++) {
		struct ahci_req *r = p->slot_req[s];
		if (!r)
			continue;
		p->slot_req[s] = 0;
		p->in_flight &= ~(1u << s);
		req_finish(p, r, false);
	}
	while (p->head) {
		struct ahci_req *r = p->head;
		p->head = r->next;
		req_finish(p, r, false);
	}
	p->tail = 0;
	p->careful = 0;
}

void ahci_port_recover(struct ahci_port *p, const char *why)
{
	uint32_t is = R(p, PX_IS), tfd = R(p, PX_TFD), serr = R(p, PX_SERR);
	uint32_t ci = R(p, PX_CI), sact = R(p, PX_SACT);
	uint8_t status = (uint8_t)FIELD_GET(PX_TFD, STS, tfd);
	uint8_t error = (uint8_t)FIELD_GET(PX_TFD, ERR, tfd);
	struct ahci_req *culprit = 0;

	log("%s: port error: %s: PxIS 0x%x, status 0x%x error 0x%x (%s), SError 0x%x, CI 0x%x, "
	    "SACT 0x%x, in flight 0x%x%s", p->name, why, is, status, error,
	    ata_error_name(status, error), serr, ci, sact, p->in_flight,
	    p->careful ? " (one at a time)" : "");

	/* which request failed: certain only when it was alone (careful) */
	if (p->careful && __builtin_popcount(p->in_flight) == 1) {
		unsigned s = (unsigned)__builtin_ctz(p->in_flight);
		culprit = p->slot_req[s];
		p->slot_req[s] = 0;
		p->in_flight = 0;
		p->careful--;
	}
	/* everything else in flight goes back to the front, in slot order */
	struct ahci_req *first = 0, **link = &first;
	unsigned back = 0;
	for (unsigned s = 0; s < AHCI_SLOTS_MAX; s++) {
		struct ahci_req *r = p->slot_req[s];
		if (!r)
			continue;
		p->slot_req[s] = 0;
		*link = r;
		link = &r->next;
		back++;
	}
	p->in_flight = 0;
	*link = p->head;
	p->head = first;
	if (!*link && back) {
		/* the old queue was empty: the tail is the last one put back */
		struct ahci_req *t = first;
		while (t->next)
			t = t->next;
		p->tail = t;
	}
	p->careful += back;

	/* stop, reset, start (10.4.2) */
	p->resets++;
	bool ok = port_stop(p);
	if (!ok)
		log("%s: the command list did not stop: resetting anyway", p->name);
	ok = port_comreset(p);
	W(p, PX_IS, 0xffffffffu);
	if (ok)
		ok = ahci_wait(p, not_busy, 2000000);
	if (ok) {
		W(p, PX_SERR, 0xffffffffu);
		W(p, PX_IS, 0xffffffffu);
		U(p, PX_CMD, ST, 1);
		log("%s: port reset; %u request%s to reissue one at a time%s", p->name, back,
		    back == 1 ? "" : "s", culprit ? ", the failed one failed" : "");
	} else {
		log("error: %s: the device did not come back after COMRESET (SStatus 0x%x, TFD 0x%x): "
		    "port dead", p->name, R(p, PX_SSTS), R(p, PX_TFD));
		p->state = PORT_DEAD;
	}
	if (culprit)
		req_finish(p, culprit, false);
	if (p->state == PORT_DEAD)
		fail_all(p);
	else
		ahci_port_kick(p);
}

void ahci_port_interrupt(struct ahci_port *p)
{
	uint32_t is = R(p, PX_IS);

	if (p->state != PORT_READY) {
		W(p, PX_IS, is);
		return;
	}
	if (is & PX_IS_ERRORS) {
		ahci_port_recover(p, FIELD_GET(PX_IS, TFES, is)   ? "task file error"
				     : FIELD_GET(PX_IS, HBFS, is) ? "host bus fatal error"
				     : FIELD_GET(PX_IS, HBDS, is) ? "host bus data error"
				     : FIELD_GET(PX_IS, IFS, is)  ? "interface fatal error"
				     : FIELD_GET(PX_IS, PCS, is) || FIELD_GET(PX_IS, PRCS, is)
					     ? "device connection changed"
					     : "error interrupt");
		return;
	}
	W(p, PX_IS, is);
	complete(p);
	ahci_port_kick(p);
}

/* ---- start and IDENTIFY ---- */

static bool sync_done;
static bool sync_ok;
static void sync_cb(struct ahci_req *r, bool ok)
{
	(void)r;
	sync_done = true;
	sync_ok = ok;
}

/* One command, waited for by polling (the port's interrupts also arrive
 * and find nothing left to do). */
static bool exec_sync(struct ahci_port *p, struct ahci_req *r)
{
	struct timer_connection *t = p->hba->timer;
	uint64_t t0 = elapsed_us(t);

	sync_done = false;
	r->done = sync_cb;
	ahci_port_submit(p, r);
	while (!sync_done) {
		ahci_port_interrupt(p);
		if (sync_done)
			break;
		if (elapsed_us(t) - t0 > 5000000) {
			ahci_port_recover(p, "a command took longer than 5 s");
			/* the replay runs from the queue; give it one more try */
			t0 = elapsed_us(t);
		}
		sleep_us(t, 100);
	}
	return sync_ok;
}

const char *ahci_port_start(struct ahci_port *p)
{
	uint32_t ssts = R(p, PX_SSTS);

	switch (FIELD_GET(PX_SSTS, DET, ssts)) {
	case SSTS_DET_PRESENT:
		break;
	case SSTS_DET_NO_PHY:
		/* a device the link did not come up with: COMRESET once */
		if (!port_comreset(p))
			return "a device without PHY communication";
		break;
	default:
		return "no device";
	}
	if (!ahci_wait(p, not_busy, 5000000))
		return "the device stays busy";
	uint32_t sig = R(p, PX_SIG);
	if (sig == SIG_ATAPI)
		return "an ATAPI device (not driven)";
	if (sig != SIG_ATA) {
		/* the signature comes with the device's first D2H FIS */
		sleep_us(p->hba->timer, 10000);
		sig = R(p, PX_SIG);
		if (sig != SIG_ATA)
			return "no ATA disk (signature not 0x101)";
	}
	W(p, PX_SERR, 0xffffffffu);
	W(p, PX_IS, 0xffffffffu);
	W(p, PX_IE, PX_IS_ERRORS | PX_IS_DONE);
	U(p, PX_CMD, ST, 1);
	p->state = PORT_READY;

	/* IDENTIFY DEVICE into the spare half of the port's memory */
	const unsigned id_off = PORT_MEM - ATA_IDENTIFY_BYTES;
	struct ahci_req r = { .op = ATA_OP_IDENTIFY, .dev = p->mem.dev + id_off };
	p->info.sector_size = 512;
	if (!exec_sync(p, &r)) {
		p->state = PORT_DEAD;
		return "IDENTIFY DEVICE failed";
	}
	uint8_t id[ATA_IDENTIFY_BYTES];
	memcpy(id, p->mem.virt + id_off, sizeof(id));
	const char *why = ata_identify_parse(id, &p->info);
	if (why) {
		p->state = PORT_DEAD;
		return why;
	}
	p->ncq = p->info.ncq && FIELD_GET(HBA_CAP, SNCQ, p->hba->cap);
	uint64_t mib = p->info.sectors * p->info.sector_size >> 20;
	HBA_LOG(p->hba, "%s: \"%s\" serial \"%s\" firmware \"%s\": %lu sectors of %u bytes "
		"(%lu MiB), %s, %s, write cache %s", p->name, p->info.model, p->info.serial, p->info.firmware,
	    (unsigned long)p->info.sectors, p->info.sector_size, (unsigned long)mib,
	    p->info.lba48 ? "LBA48" : "LBA28",
	    p->ncq ? "NCQ" : "no NCQ", !p->info.write_cache ? "absent"
				      : p->info.write_cache_on ? "on" : "off");
	if (p->ncq)
		HBA_LOG(p->hba, "%s: NCQ depth %u", p->name,
		    p->info.queue_depth < p->slots ? p->info.queue_depth : p->slots);
	return 0;
}
