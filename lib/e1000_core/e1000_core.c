/*
 * The driver core of e1000 and e1000e (e1000_core.h): the first device of
 * the given models its Platform session shows, reset, its MAC from the
 * receive address registers (filled from the EEPROM at reset) or the
 * EEPROM itself, 128 legacy receive and transmit descriptors in one DMA
 * buffer, receive buffers from the Uplink's NIC_UP payload and frames
 * sent straight from NIC_DOWN's (both streams DMA buffers of ours, handed
 * to the router through the session library, nic_connection.h), link
 * changes to the router.
 *
 * Receive buffers are NIC_FRAME_MAX bytes, allocated in whole blocks of
 * the stream (at least 64 bytes: 1536 bytes); RCTL says 2048, but without
 * long-packet reception (LPE) the controller drops every frame over 1522
 * bytes with its CRC, which is stripped (SECRC): at most 1518 are written.
 *
 * Interrupts: an MSI-X model gets three vectors (receive, transmit, other
 * causes: link) through IVAR, every other one its one MSI or legacy line
 * (82540EM: the line the acpi report routes). Each signal does all the
 * work: read and clear the causes, reap both rings, refill, send.
 *
 * Trusts its parent, core, the platform driver; the device for the data
 * and the lengths it writes (cut to the buffer, checked by nic_port);
 * the router for nothing (nic_port, packet stream).
 */
#include <argil/log.h>
#include <argil/string.h>
#include <e1000_core.h>
#include <driver.h>
#include <nic_connection.h>
#include <uplink_dma.h>
#include "e1000_regs.h"

#define RX_RING 128u
#define TX_RING 128u
#define UP_SIZE (1ul << 20)       /* receive buffers with the device and the router */
#define DOWN_SIZE (512ul << 10)
#define STREAM_SLOTS 256u
#define RX_WRITTEN_MAX 1536u     /* what one receive buffer holds (blocks) */
#define PLATFORM_RAM (64 * 1024)
#define RESET_SPINS 1000000
#define EERD_SPINS 100000
#define IRQS_MAX 3

static const struct e1000_model *model;
static struct platform_connection plat;
static struct drv_device dev;
static struct drv_mmio regs;
static struct drv_irq irq[IRQS_MAX];
static unsigned nirq;
static struct signal_handler sig;
static struct dma_buf rings;
static volatile struct e1000_rx_desc *rxd;
static volatile struct e1000_tx_desc *txd;
static struct uplink_buf rx_slot[RX_RING], tx_slot[TX_RING];
static struct dma_buf stream[NIC_STREAMS];
static unsigned rx_head, rx_tail, tx_head, tx_tail;
static struct uplink_connection up;
static bool link_up;
static char devname[PLATFORM_NAME_MAX];

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(1);
}

static uint16_t eeprom_word(unsigned addr)
{
	uint32_t v = 0;

	REG_WRITE(&regs.io, E1000_EERD,
		  FIELD_SET(E1000_EERD, START, 1) | (uint32_t)addr << model->eerd_addr_shift);
	for (int i = 0; i < EERD_SPINS; i++) {
		v = REG_READ(&regs.io, E1000_EERD);
		if (v >> model->eerd_done_shift & 1)
			return FIELD_GET(E1000_EERD, DATA, v);
	}
	return 0xffff;
}

static void read_mac(uint8_t mac[6])
{
	uint32_t lo = REG_READ(&regs.io, E1000_RAL0), hi = REG_READ(&regs.io, E1000_RAH0);

	if (!FIELD_GET(E1000_RAH0, AV, hi)) {
		/* nothing loaded: words 0..2 of the EEPROM, low byte first */
		uint16_t w0 = eeprom_word(0), w1 = eeprom_word(1), w2 = eeprom_word(2);
		lo = w0 | (uint32_t)w1 << 16;
		hi = w2;
	}
	for (int i = 0; i < 4; i++)
		mac[i] = (uint8_t)(lo >> (8 * i));
	mac[4] = (uint8_t)hi;
	mac[5] = (uint8_t)(hi >> 8);
	/* the filter matches it whatever was loaded */
	REG_WRITE(&regs.io, E1000_RAL0, lo);
	REG_WRITE(&regs.io, E1000_RAH0, (hi & 0xffff) | FIELD_SET(E1000_RAH0, AV, 1));
}

static void reset(void)
{
	REG_WRITE(&regs.io, E1000_IMC, 0xffffffffu);
	REG_UPDATE(&regs.io, E1000_CTRL, RST, 1);
	for (int i = 0; i < RESET_SPINS && FIELD_GET(E1000_CTRL, RST, REG_READ(&regs.io, E1000_CTRL)); i++)
		;
	REG_WRITE(&regs.io, E1000_IMC, 0xffffffffu);
	(void)REG_READ(&regs.io, E1000_ICR);
	uint32_t c = REG_READ(&regs.io, E1000_CTRL);
	c = FIELD_INSERT(E1000_CTRL, SLU, c, 1);
	c = FIELD_INSERT(E1000_CTRL, ASDE, c, 1);
	c = FIELD_INSERT(E1000_CTRL, LRST, c, 0);
	c = FIELD_INSERT(E1000_CTRL, PHY_RST, c, 0);
	c = FIELD_INSERT(E1000_CTRL, ILOS, c, 0);
	c = FIELD_INSERT(E1000_CTRL, VME, c, 0);
	REG_WRITE(&regs.io, E1000_CTRL, c);
}

/* ---- rings ---- */

static void rx_fill(void)
{
	unsigned t = rx_tail;

	uplink_rx_reclaim(&up);
	while ((t + 1) % RX_RING != rx_head && uplink_rx_alloc(&up, &rx_slot[t]) == PS_OK) {
		rxd[t].addr = rx_slot[t].dev;
		rxd[t].status = 0;
		t = (t + 1) % RX_RING;
	}
	if (t != rx_tail) {
		rx_tail = t;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		REG_WRITE(&regs.io, E1000_RDT, rx_tail);
	}
}

static void rx_reap(void)
{
	while (rx_head != rx_tail && (rxd[rx_head].status & E1000_RXD_DD)) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		uint8_t st = rxd[rx_head].status, err = rxd[rx_head].errors;
		uint32_t len = rxd[rx_head].length;
		/* one buffer a frame (2048 bytes hold the largest): a frame that
		 * spans buffers or has errors is dropped */
		if (!(st & E1000_RXD_EOP) || err || len > RX_WRITTEN_MAX ||
		    uplink_rx_submit(&up, &rx_slot[rx_head], len) != PS_OK)
			uplink_rx_drop(&up, &rx_slot[rx_head]);   /* dropped: no frame, or no room */
		rx_head = (rx_head + 1) % RX_RING;
	}
}

static void tx_reap(void)
{
	while (tx_head != tx_tail && (txd[tx_head].status & E1000_TXD_DD)) {
		uplink_tx_done(&up, &tx_slot[tx_head], true);
		tx_head = (tx_head + 1) % TX_RING;
	}
}

static void tx_send(void)
{
	unsigned t = tx_tail;

	while ((t + 1) % TX_RING != tx_head && uplink_tx_next(&up, &tx_slot[t])) {
		txd[t].addr = tx_slot[t].dev;
		txd[t].length = (uint16_t)tx_slot[t].len;
		txd[t].cso = 0;
		txd[t].css = 0;
		txd[t].special = 0;
		txd[t].status = 0;
		txd[t].cmd = E1000_TXD_EOP | E1000_TXD_IFCS | E1000_TXD_RS;
		t = (t + 1) % TX_RING;
	}
	if (t != tx_tail) {
		tx_tail = t;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		REG_WRITE(&regs.io, E1000_TDT, tx_tail);
	}
}

static void check_link(void)
{
	uplink_dma_link(&up, devname, &link_up,
			FIELD_GET(E1000_STATUS, LU, REG_READ(&regs.io, E1000_STATUS)));
}

/* Every interrupt and stream signal comes here. */
static void work(void *arg)
{
	uint32_t icr = REG_READ(&regs.io, E1000_ICR);

	(void)arg;
	/* 82574 with MSI-X keeps causes until written back; a read clears the 82540EM's */
	if (icr)
		REG_WRITE(&regs.io, E1000_ICR, icr);
	for (unsigned i = 0; i < nirq; i++)
		drv_irq_ack(&irq[i]);
	if (icr & E1000_INT_LSC)
		check_link();
	uplink_tx_flush(&up);
	rx_reap();
	rx_fill();
	tx_reap();
	tx_send();
	uplink_tx_flush(&up);
	if (up.dead) {
		log("error: the Uplink streams broke");
		component_exit(1);
	}
}

static void rings_start(void)
{
	rxd = (volatile struct e1000_rx_desc *)rings.virt;
	txd = (volatile struct e1000_tx_desc *)(rings.virt + RX_RING * sizeof(*rxd));
	uint64_t rx_dev = rings.dev, tx_dev = rings.dev + RX_RING * sizeof(*rxd);

	for (unsigned i = 0; i < E1000_MTA_COUNT; i++)
		REG_WRITE_AT(&regs.io, E1000_MTA, 4 * i, 0);
	REG_WRITE(&regs.io, E1000_RDBAL, (uint32_t)rx_dev);
	REG_WRITE(&regs.io, E1000_RDBAH, (uint32_t)(rx_dev >> 32));
	REG_WRITE(&regs.io, E1000_RDLEN, RX_RING * sizeof(*rxd));
	REG_WRITE(&regs.io, E1000_RDH, 0);
	REG_WRITE(&regs.io, E1000_RDT, 0);
	REG_WRITE(&regs.io, E1000_TDBAL, (uint32_t)tx_dev);
	REG_WRITE(&regs.io, E1000_TDBAH, (uint32_t)(tx_dev >> 32));
	REG_WRITE(&regs.io, E1000_TDLEN, TX_RING * sizeof(*txd));
	REG_WRITE(&regs.io, E1000_TDH, 0);
	REG_WRITE(&regs.io, E1000_TDT, 0);
	REG_WRITE(&regs.io, E1000_RCTL, FIELD_SET(E1000_RCTL, EN, 1) | FIELD_SET(E1000_RCTL, BAM, 1) |
					      FIELD_SET(E1000_RCTL, BSIZE, 0) |
					      FIELD_SET(E1000_RCTL, SECRC, 1));
	REG_WRITE(&regs.io, E1000_TCTL, FIELD_SET(E1000_TCTL, EN, 1) | FIELD_SET(E1000_TCTL, PSP, 1) |
					      FIELD_SET(E1000_TCTL, CT, 0x0f) |
					      FIELD_SET(E1000_TCTL, COLD, 0x40));
	REG_WRITE(&regs.io, E1000_TIPG, 10u | 8u << 10 | 6u << 20);
}

static void interrupts_start(void)
{
	rpc_status_t st = drv_irq_open(&irq[0], &dev, 0, sig.cap);
	uint32_t ims = E1000_INT_TXDW | E1000_INT_LSC | E1000_INT_RXDMT0 | E1000_INT_RXO |
		       E1000_INT_RXT0;

	if (st != RPC_OK)
		fail("no interrupt", st);
	nirq = 1;
	if (model->msix && irq[0].kind == PLATFORM_IRQ_MSIX) {
		for (; nirq < IRQS_MAX; nirq++) {
			st = drv_irq_open(&irq[nirq], &dev, nirq, sig.cap);
			if (st != RPC_OK)
				fail("no MSI-X vector", st);
		}
		REG_WRITE(&regs.io, E1000_IVAR,
			  FIELD_SET(E1000_IVAR, RXQ0, E1000_IVAR_VALID | 0) |
				  FIELD_SET(E1000_IVAR, TXQ0, E1000_IVAR_VALID | 1) |
				  FIELD_SET(E1000_IVAR, OTHER, E1000_IVAR_VALID | 2) |
				  FIELD_SET(E1000_IVAR, TX_EVERY_WB, 1));
		REG_UPDATE(&regs.io, E1000_CTRL_EXT, PBA_SUPPORT, 1);
		ims |= E1000_INT_RXQ0 | E1000_INT_TXQ0 | E1000_INT_OTHER;
	}
	REG_WRITE(&regs.io, E1000_IMS, ims);
}

static const char *irq_kind(void)
{
	switch (irq[0].kind) {
	case PLATFORM_IRQ_MSIX: return "MSI-X";
	case PLATFORM_IRQ_MSI: return "MSI";
	default: return "legacy interrupt";
	}
}

void e1000_start(struct component_env *env, const struct e1000_model *models, unsigned n)
{
	struct drv_id ids[8];
	struct uplink_args ua = { .mtu = 1500, .slots = STREAM_SLOTS };
	rpc_status_t st;

	if (n > sizeof(ids) / sizeof(ids[0]))
		n = sizeof(ids) / sizeof(ids[0]);
	for (unsigned i = 0; i < n; i++)
		ids[i] = (struct drv_id){ models[i].vendor, models[i].product };
	/* the router's session first: it closes before the streams' buffers go */
	st = uplink_open(&up, "");
	if (st != RPC_OK)
		fail("no Uplink session", st);
	st = platform_connect(&plat, "", PLATFORM_RAM);
	if (st != RPC_OK)
		fail("no Platform session", st);
	st = drv_device_find_routed_wait(&plat, ids, n, devname, sizeof(devname));
	if (st != RPC_OK)
		fail("no device", st);
	st = drv_device_acquire(&dev, &plat, devname);
	if (st != RPC_OK)
		fail("cannot acquire the device", st);
	uint32_t id = drv_config_read(&dev, 0, 4);
	model = &models[0];
	for (unsigned i = 0; i < n; i++)
		if (models[i].vendor == (id & 0xffff) && models[i].product == id >> 16)
			model = &models[i];
	st = drv_mmio_map(&dev, 0, 0, &regs);
	if (st != RPC_OK)
		fail("cannot map the registers", st);
	if (regs.size < 0x10000)
		fail("register BAR too small", RPC_E_UNAVAILABLE);
	reset();
	read_mac(ua.mac);
	st = dma_buf_alloc(&plat, 4096, 0, &rings);
	if (st == RPC_OK)
		st = uplink_dma_streams(&plat, UP_SIZE, DOWN_SIZE, stream, &ua);
	if (st != RPC_OK)
		fail("no DMA memory", st);
	st = signal_handler_init(&env->ep, &sig, work, 0);
	if (st != RPC_OK)
		fail("no signal handler", st);
	rings_start();
	link_up = FIELD_GET(E1000_STATUS, LU, REG_READ(&regs.io, E1000_STATUS));
	interrupts_start();
	ua.link = link_up;
	ua.sigh = sig.cap;
	st = uplink_start(&up, &ua);
	if (st != RPC_OK)
		fail("Uplink session", st);
	const uint8_t *mac = ua.mac;
	log("%s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, %s, link %s", devname, model->name, mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5], irq_kind(), link_up ? "up" : "down");
	work(0);
}
