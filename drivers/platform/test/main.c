/*
 * platform_test: the platform driver (drivers/platform, docs/devices.md)
 * against real devices of the QEMU machine: edu (MSI, DMA), e1000 (legacy
 * INTx, I/O ports), nvme (MSI-X, DMA), the PS/2 controller (ISA). Started
 * by core as init; its children (testbed.h) are timer, report_rom,
 * platform and test drivers. The test plays pci_decode and acpi: through
 * a raw Platform session (pci_config="yes") it walks bus 0, sizes the
 * BARs, reads the MSI/MSI-X capabilities and writes the `devices` report
 * (legacy lines routed as QEMU routes them: on pc through the PIIX's
 * links, whose IRQ SeaBIOS writes into the interrupt line register; on
 * q35 PIRQ (slot + pin) % 4 to GSI 16..19), and the `acpi` report (ECAM
 * from the Q35 host bridge's PCIEXBAR, the DMAR unit where the VT-d
 * registers answer at QEMU's address). platform reads both through
 * report_rom, and reports its own state there ("platform").
 *
 * Waits for interrupts are unbounded (the scenario's timeout is the
 * bound); no check depends on time.
 */
#include <argil/kernel.h>
#include <argil/config.h>
#include <argil/io.h>
#include <argil/rom.h>
#include <platform_session.h>
#include <timer_session.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define PLATFORM_RAM (8 * MB)
#define PLATFORM_CAPS 4096
#define PRIO 200

#define EDU_VENDOR 0x1234
#define EDU_PRODUCT 0x11e8
#define VTD_BASE 0xfed90000ul      /* QEMU's intel-iommu registers */

static struct tb_child *platform, *rr, *timer;
static struct tb_report devices_report, acpi_report;
static cptr_t ntfn;
static cptr_t bits[62];
static bool q35, iommu;
static char edu[8], e1000[8], nvme[8];

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"test -> devices\"/>\n"
	"  <policy label=\"platform -> acpi\" report=\"test -> acpi\"/>\n"
	"  <policy label=\"test -> platform\" report=\"platform -> platform\"/>\n"
	"</config>\n";

static char platform_config[1024];

static void make_config(bool edu_for_drv)
{
	snprintf(platform_config, sizeof(platform_config),
		 "<config verbose=\"yes\">\n"
		 "  <policy label=\"raw\" pci_config=\"yes\"/>\n"
		 "  <policy label=\"noraw\"/>\n"
		 "  <policy label_prefix=\"drv_edu\"> %s </policy>\n"
		 "  <policy label=\"drv_net\"> <pci class=\"ETHERNET\"/> </policy>\n"
		 "  <policy label=\"drv_nvme\"> <pci class=\"NVME\"/> </policy>\n"
		 "  <policy label=\"drv_isa\"> <device name=\"ps2\"/> </policy>\n"
		 "  <policy label=\"driver\"> <pci vendor=\"0x1234\" product=\"0x11e8\"/> </policy>\n"
		 "  <policy label=\"bad\"> <pci colour=\"red\"/> </policy>\n"
		 "</config>\n",
		 edu_for_drv ? "<pci vendor=\"0x1234\" product=\"0x11e8\"/>" : "");
}

/* ROM requests of platform go to report_rom, except its config. */
static void route(struct tb_child *client, const char *service, const char *label,
		  struct tb_route *r)
{
	tb_route_default(client, service, label, r);
	if (client == platform && !strcmp(service, "ROM") && strcmp(label, "config")) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
}

/* ---- sessions and helpers ---- */

static void open_platform(struct tb_own *o, const char *label, word_t extra)
{
	CHECK_OK(tb_open(o, platform, PLATFORM_SERVICE, label, "", PLATFORM_SESSION_RAM + extra,
			 PLATFORM_SESSION_CAPS));
}

static uint32_t raw_read(struct tb_own *o, word_t bdf, word_t off, word_t width)
{
	word_t v = 0;

	CHECK_OK(platform_pci_config_read(o->cap, bdf, off, width, &v));
	return (uint32_t)v;
}

static void raw_write(struct tb_own *o, word_t bdf, word_t off, word_t width, uint32_t v)
{
	CHECK_OK(platform_pci_config_write(o->cap, bdf, off, width, v));
}

static const char *bdf_name(unsigned bdf, char *buf)
{
	snprintf(buf, 8, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 31, bdf & 7);
	return buf;
}

struct bar_map {
	cptr_t ds;
	word_t at;
	volatile uint8_t *regs;
	word_t size;
};

static void map_bar(struct tb_own *o, word_t handle, word_t bar, struct bar_map *m)
{
	word_t offset;

	CHECK_OK(platform_io_mem(o->cap, handle, bar, 0, &m->ds, &m->size, &offset));
	CHECK_OK(pd_attach(tb_env->pd, m->ds, 0, 0, 0, ATTACH_WRITE, &m->at));
	m->regs = (volatile uint8_t *)(m->at + offset);
}

static void unmap_bar(struct bar_map *m)
{
	CHECK_OK(pd_detach(tb_env->pd, m->at));
	cap_slot_free(m->ds);
}

static inline uint32_t rd32(struct bar_map *m, word_t off)
{
	return *(volatile uint32_t *)(m->regs + off);
}

static inline void wr32(struct bar_map *m, word_t off, uint32_t v)
{
	*(volatile uint32_t *)(m->regs + off) = v;
}

static inline void wr64(struct bar_map *m, word_t off, uint64_t v)
{
	*(volatile uint64_t *)(m->regs + off) = v;
}

static inline uint64_t rd64(struct bar_map *m, word_t off)
{
	return *(volatile uint64_t *)(m->regs + off);
}

struct dma {
	cptr_t ds;
	word_t at;
	word_t addr;
	volatile uint8_t *va;
};

static rpc_status_t dma_get(struct tb_own *o, word_t size, struct dma *d)
{
	rpc_status_t st = platform_dma_alloc(o->cap, size, 0, &d->ds, &d->addr);

	if (st != RPC_OK)
		return st;
	CHECK_OK(pd_attach(tb_env->pd, d->ds, 0, 0, 0, ATTACH_WRITE, &d->at));
	d->va = (volatile uint8_t *)d->at;
	return RPC_OK;
}

static void dma_put(struct tb_own *o, struct dma *d)
{
	CHECK_OK(pd_detach(tb_env->pd, d->at));
	CHECK_OK(platform_dma_free(o->cap, d->addr));
	cap_slot_free(d->ds);
}

/* Wait for signal bit b (other bits that arrive meanwhile are kept). */
static word_t pending_bits;
static void wait_bit(int b)
{
	while (!(pending_bits & (1ull << b)))
		pending_bits |= sys_wait(ntfn);
	pending_bits &= ~(1ull << b);
}

static bool poll_bit(int b)
{
	pending_bits |= sys_poll(ntfn);
	bool set = pending_bits & (1ull << b);
	pending_bits &= ~(1ull << b);
	return set;
}

/* The text of a ROM of report_rom (the platform report). */
static void fetch_rom(const char *label, char *out, word_t max)
{
	struct tb_own o;
	struct rpc_msg m;
	word_t addr, len;

	CHECK_OK(tb_open(&o, rr, "ROM", label, "", ROM_SESSION_RAM + 64 * KB, ROM_SESSION_CAPS));
	rpc_init(&m, ROM_DATASPACE);
	CHECK_OK(rpc_call_expect(o.cap, &m, 2, true));
	len = m.w[0];
	CHECK_OK(pd_attach(tb_env->pd, m.cap, 0, 0, 0, 0, &addr));
	word_t n = len < max - 1 ? len : max - 1;
	memcpy(out, (void *)addr, n);
	out[n] = 0;
	CHECK_OK(pd_detach(tb_env->pd, addr));
	cap_slot_free(m.cap);
	CHECK_OK(tb_close(&o));
}

static char report_buf[16384];

static const char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return 0;
}

/* ---- the reports the test publishes ---- */

static unsigned bar_size(struct tb_own *o, unsigned bdf, unsigned off, uint32_t *orig,
			 uint64_t *size64, bool *is64)
{
	uint32_t v = raw_read(o, bdf, off, 4);
	*orig = v;
	raw_write(o, bdf, off, 4, 0xffffffffu);
	uint32_t m = raw_read(o, bdf, off, 4);
	raw_write(o, bdf, off, 4, v);
	*is64 = false;
	if (v & 1) {
		m &= ~3u;
		*size64 = m ? (uint64_t)(uint32_t)(~(m | 0xffff0000u) + 1) : 0;
		return 1;
	}
	uint64_t mask = m & ~0xfull;
	if (!mask) {
		*size64 = 0;
		return ((v >> 1) & 3) == 2 ? 2 : 1;
	}
	if (((v >> 1) & 3) == 2) {
		uint32_t hi = raw_read(o, bdf, off + 4, 4);
		raw_write(o, bdf, off + 4, 4, 0xffffffffu);
		uint32_t mh = raw_read(o, bdf, off + 4, 4);
		raw_write(o, bdf, off + 4, 4, hi);
		mask |= (uint64_t)mh << 32;
		*is64 = true;
		*orig = v;
		*size64 = mask ? ~mask + 1 : 0;
		return 2;
	}
	mask |= 0xffffffff00000000ull;
	*size64 = mask ? ~mask + 1 : 0;
	return 1;
}

static void describe(struct tb_own *o, unsigned bdf, struct cfg_writer *w)
{
	char name[8], buf[24];
	uint32_t id = raw_read(o, bdf, 0, 4), cls = raw_read(o, bdf, 8, 4);
	unsigned htype = raw_read(o, bdf, 0x0e, 1) & 0x7f;

	bdf_name(bdf, name);
	cfg_node_begin(w, "device");
	cfg_node_attr(w, "name", name);
	cfg_node_attr(w, "type", "pci");
	cfg_node_attr_u64(w, "bus", bdf >> 8);
	cfg_node_attr_u64(w, "device", (bdf >> 3) & 31);
	cfg_node_attr_u64(w, "function", bdf & 7);
	snprintf(buf, sizeof(buf), "0x%04x", id & 0xffff);
	cfg_node_attr(w, "vendor", buf);
	snprintf(buf, sizeof(buf), "0x%04x", id >> 16);
	cfg_node_attr(w, "product", buf);
	snprintf(buf, sizeof(buf), "0x%06x", cls >> 8);
	cfg_node_attr(w, "class", buf);
	cfg_node_attr(w, "bridge", htype == 1 ? "yes" : "no");
	if (htype == 0) {
		uint32_t cmd = raw_read(o, bdf, 4, 2);
		raw_write(o, bdf, 4, 2, cmd & ~3u);   /* no decoding while sizing */
		for (unsigned i = 0; i < 6;) {
			uint32_t orig;
			uint64_t size;
			bool is64;
			unsigned n = bar_size(o, bdf, 0x10 + 4 * i, &orig, &size, &is64);
			if (size) {
				uint64_t addr = orig & 1 ? orig & ~3u : orig & ~0xfu;
				if (is64)
					addr |= (uint64_t)raw_read(o, bdf, 0x14 + 4 * i, 4) << 32;
				cfg_node_begin(w, "bar");
				cfg_node_attr_u64(w, "index", i);
				snprintf(buf, sizeof(buf), "0x%lx", (unsigned long)addr);
				cfg_node_attr(w, "address", buf);
				snprintf(buf, sizeof(buf), "0x%lx", (unsigned long)size);
				cfg_node_attr(w, "size", buf);
				cfg_node_attr(w, "type", orig & 1 ? "io" : is64 ? "mem64" : "mem32");
				if (!(orig & 1))
					cfg_node_attr(w, "prefetchable", orig & 8 ? "yes" : "no");
				cfg_node_end(w);
			}
			i += n;
		}
		raw_write(o, bdf, 4, 2, cmd);
		unsigned pin = raw_read(o, bdf, 0x3d, 1);
		if (pin >= 1 && pin <= 4) {
			unsigned gsi = q35 ? 16 + (((bdf >> 3) & 31) + pin - 1) % 4
					   : raw_read(o, bdf, 0x3c, 1);
			char p[2] = { (char)('A' + pin - 1), 0 };
			cfg_node_begin(w, "irq");
			cfg_node_attr(w, "type", "legacy");
			cfg_node_attr(w, "pin", p);
			cfg_node_attr_u64(w, "gsi", gsi);
			cfg_node_attr(w, "trigger", "level");
			cfg_node_attr(w, "polarity", "high");
			cfg_node_end(w);
		}
	}
	if (raw_read(o, bdf, 6, 2) & 0x10) {
		unsigned p = raw_read(o, bdf, 0x34, 1) & 0xfc;
		for (int n = 0; n < 48 && p >= 0x40; n++) {
			unsigned cid = raw_read(o, bdf, p, 1), ctl = raw_read(o, bdf, p + 2, 2);
			if (cid == 0x05) {
				cfg_node_begin(w, "msi");
				cfg_node_attr_u64(w, "vectors", 1u << ((ctl >> 1) & 7));
				cfg_node_attr(w, "address64", ctl & 0x80 ? "yes" : "no");
				cfg_node_end(w);
			} else if (cid == 0x11) {
				uint32_t t = raw_read(o, bdf, p + 4, 4), pb = raw_read(o, bdf, p + 8, 4);
				cfg_node_begin(w, "msix");
				cfg_node_attr_u64(w, "vectors", (ctl & 0x7ff) + 1);
				cfg_node_attr_u64(w, "table_bar", t & 7);
				snprintf(buf, sizeof(buf), "0x%x", t & ~7u);
				cfg_node_attr(w, "table_offset", buf);
				cfg_node_attr_u64(w, "pba_bar", pb & 7);
				snprintf(buf, sizeof(buf), "0x%x", pb & ~7u);
				cfg_node_attr(w, "pba_offset", buf);
				cfg_node_end(w);
			}
			p = raw_read(o, bdf, p + 1, 1) & 0xfc;
		}
	}
	cfg_node_end(w);
}

static void publish_devices(struct tb_own *raw, bool with_edu)
{
	struct cfg_writer w;

	cfg_writer_init(&w, report_buf, sizeof(report_buf));
	cfg_node_begin(&w, "devices");
	for (unsigned dev = 0; dev < 32; dev++)
		for (unsigned fn = 0; fn < 8; fn++) {
			unsigned bdf = dev << 3 | fn;
			uint32_t id = raw_read(raw, bdf, 0, 4);
			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			bool is_edu = (id & 0xffff) == EDU_VENDOR && (id >> 16) == EDU_PRODUCT;
			if (is_edu && !with_edu)
				continue;
			describe(raw, bdf, &w);
			char n[8];
			uint32_t cls = raw_read(raw, bdf, 8, 4) >> 8;
			if (is_edu)
				memcpy(edu, bdf_name(bdf, n), 8);
			else if ((cls >> 8) == 0x0200)
				memcpy(e1000, bdf_name(bdf, n), 8);
			else if (cls == 0x010802)
				memcpy(nvme, bdf_name(bdf, n), 8);
			if (fn == 0 && !(raw_read(raw, bdf, 0x0e, 1) & 0x80))
				break;
		}
	cfg_node_begin(&w, "device");
	cfg_node_attr(&w, "name", "ps2");
	cfg_node_attr(&w, "type", "isa");
	cfg_node_begin(&w, "io"); cfg_node_attr(&w, "base", "0x60"); cfg_node_attr(&w, "size", "1");
	cfg_node_end(&w);
	cfg_node_begin(&w, "io"); cfg_node_attr(&w, "base", "0x64"); cfg_node_attr(&w, "size", "1");
	cfg_node_end(&w);
	cfg_node_begin(&w, "irq"); cfg_node_attr(&w, "type", "isa"); cfg_node_attr(&w, "irq", "1");
	cfg_node_attr(&w, "gsi", "1"); cfg_node_attr(&w, "trigger", "edge");
	cfg_node_attr(&w, "polarity", "high"); cfg_node_end(&w);
	cfg_node_end(&w);
	cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w));
	tb_report_submit(&devices_report, report_buf);
}

/* Is a VT-d unit at QEMU's address? Its version register answers. */
static bool vtd_present(void)
{
	struct dev_session_own { cptr_t cap; word_t id; } s;
	cptr_t ds;
	word_t at, v;

	if (parent_session(tb_env->parent, "IO_MEM", "probe", "base=0xfed90000, size=0x1000",
			   16384, 16, 0, &s.cap, &s.id) != RPC_OK)
		return false;
	CHECK_OK(io_mem_dataspace(s.cap, &ds, 0, 0));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	v = *(volatile uint32_t *)at;
	CHECK_OK(pd_detach(tb_env->pd, at));
	cap_slot_free(ds);
	parent_close(tb_env->parent, s.id);
	cap_slot_free(s.cap);
	return v != 0 && v != 0xffffffffu;
}

static void publish_acpi(struct tb_own *raw)
{
	struct cfg_writer w;
	char buf[24];

	cfg_writer_init(&w, report_buf, sizeof(report_buf));
	cfg_node_begin(&w, "acpi");
	if (q35) {
		uint64_t bar = raw_read(raw, 0, 0x60, 4) | (uint64_t)raw_read(raw, 0, 0x64, 4) << 32;
		if (bar & 1) {
			unsigned len = (bar >> 1) & 3;
			uint64_t base = bar & 0xff0000000ull, size = 256ull << 20;
			unsigned last = 255;
			if (len == 1) { size = 128ull << 20; last = 127; base = bar & 0xff8000000ull; }
			if (len == 2) { size = 64ull << 20; last = 63; base = bar & 0xffc000000ull; }
			cfg_node_begin(&w, "ecam");
			snprintf(buf, sizeof(buf), "0x%lx", (unsigned long)base);
			cfg_node_attr(&w, "base", buf);
			snprintf(buf, sizeof(buf), "0x%lx", (unsigned long)size);
			cfg_node_attr(&w, "size", buf);
			cfg_node_attr(&w, "segment", "0");
			cfg_node_attr(&w, "bus_first", "0");
			cfg_node_attr_u64(&w, "bus_last", last);
			cfg_node_end(&w);
		}
	}
	if (iommu) {
		cfg_node_begin(&w, "dmar");
		cfg_node_attr(&w, "base", "0xfed90000");
		cfg_node_attr(&w, "segment", "0");
		cfg_node_attr(&w, "include_all", "yes");
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w));
	tb_report_submit(&acpi_report, report_buf);
}

static void setup(void)
{
	struct tb_own raw;

	tb_signal_bits(&ntfn, bits);
	tb_route_hook = route;
	CHECK_OK(tb_start(&timer, "timer", "timer", 2 * MB, 512, PRIO, "<config/>"));
	CHECK(tb_wait_announce(timer, TIMER_SERVICE));
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 4 * MB, 512, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_report_open(&devices_report, rr, "test -> devices", "", REPORT_SESSION_RAM(16384)));
	CHECK_OK(tb_report_open(&acpi_report, rr, "test -> acpi", "", REPORT_SESSION_RAM(4096)));
	iommu = vtd_present();
	make_config(true);
	CHECK_OK(tb_start(&platform, "platform", "platform", PLATFORM_RAM, PLATFORM_CAPS, PRIO,
			  platform_config));
	CHECK(tb_wait_announce(platform, PLATFORM_SERVICE));
	open_platform(&raw, "raw", 0);
	q35 = raw_read(&raw, 0, 2, 2) == 0x29c0;
	log("machine: %s, VT-d %s", q35 ? "q35" : "pc", iommu ? "present" : "absent");
	publish_acpi(&raw);
	publish_devices(&raw, true);
	CHECK_OK(tb_close(&raw));
	CHECK(edu[0] && e1000[0] && nvme[0]);
}

/* ---- raw configuration space ---- */

TB_TEST(PLAT_0001, "raw configuration space: the host bridge at 00:00.0")
{
	struct tb_own o;

	open_platform(&o, "raw", 0);
	uint32_t id = raw_read(&o, 0, 0, 4);
	CHECK_EQ(id & 0xffff, 0x8086);
	CHECK_EQ(raw_read(&o, 0, 0, 2), 0x8086);
	CHECK_EQ(raw_read(&o, 0, 2, 2), id >> 16);
	CHECK_EQ(raw_read(&o, 0, 0x0a, 2), 0x0600);
	CHECK_EQ(raw_read(&o, PLATFORM_BDF(0, 31, 7), 0, 4), 0xffffffffu);
	uint32_t line = raw_read(&o, 0, 0x3c, 1);
	raw_write(&o, 0, 0x3c, 1, line);
	CHECK_EQ(raw_read(&o, 0, 0x3c, 1), line);
	/* extended configuration space with ECAM (q35), not without (pc) */
	word_t v = 0;
	CHECK_ST(platform_pci_config_read(o.cap, 0, 0x100, 4, &v),
		 q35 ? RPC_OK : RPC_E_INVALID_ARGUMENT);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0002, "raw configuration space only with pci_config=\"yes\"; no policy: no session")
{
	struct tb_own o;
	word_t v = 0;

	open_platform(&o, "noraw", 0);
	CHECK_ST(platform_pci_config_read(o.cap, 0, 0, 4, &v), RPC_E_DENIED);
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 1, 0), RPC_E_DENIED);
	CHECK_OK(tb_close(&o));
	CHECK_ST(tb_open(&o, platform, PLATFORM_SERVICE, "nobody", "", PLATFORM_SESSION_RAM,
			 PLATFORM_SESSION_CAPS), RPC_E_DENIED);
	/* a malformed policy is ignored, not taken as "everything" */
	CHECK_ST(tb_open(&o, platform, PLATFORM_SERVICE, "bad", "", PLATFORM_SESSION_RAM,
			 PLATFORM_SESSION_CAPS), RPC_E_DENIED);
	CHECK_ST(tb_open(&o, platform, PLATFORM_SERVICE, "raw", "", PLATFORM_SESSION_RAM - 1,
			 PLATFORM_SESSION_CAPS), RPC_E_NO_RAM_QUOTA);
}

TB_TEST(PLAT_0003, "raw configuration space: bad bdf, offset, width, value")
{
	struct tb_own o;
	word_t v = 0;
	static const word_t bad[][3] = {
		{ 0x10000, 0, 4 }, { ~0ul, 0, 4 }, { 0, 1, 4 }, { 0, 2, 4 }, { 0, 1, 2 },
		{ 0, 0, 3 }, { 0, 0, 0 }, { 0, 0, 8 }, { 0, 0x1000, 4 }, { 0, ~0ul, 1 },
		{ 0, 0, ~0ul },
	};

	open_platform(&o, "raw", 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_ST(platform_pci_config_read(o.cap, bad[i][0], bad[i][1], bad[i][2], &v),
			 RPC_E_INVALID_ARGUMENT);
		CHECK_ST(platform_pci_config_write(o.cap, bad[i][0], bad[i][1], bad[i][2], 0),
			 RPC_E_INVALID_ARGUMENT);
	}
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 1, 0x100), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 2, 0x10000), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 4, 1ul << 32), RPC_E_INVALID_ARGUMENT);
	struct rpc_msg m;
	rpc_init(&m, PLATFORM_PCI_CONFIG_READ);
	rpc_put(&m, 0);
	CHECK_ST(rpc_call(o.cap, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, 999);
	CHECK_ST(rpc_call(o.cap, &m), RPC_E_ILLEGAL_OPERATION);
	CHECK_EQ(raw_read(&o, 0, 0, 2), 0x8086);
	CHECK_OK(tb_close(&o));
}

/* ---- devices by policy ---- */

static void devices_text(struct tb_own *o, char *out, word_t max, word_t *version)
{
	cptr_t ds;
	word_t size, at;

	CHECK_OK(platform_devices(o->cap, &ds, &size, version));
	CHECK(size < max);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	memcpy(out, (void *)at, size);
	out[size] = 0;
	CHECK_OK(pd_detach(tb_env->pd, at));
	cap_slot_free(ds);
}

static unsigned count_of(const char *text, const char *what)
{
	unsigned n = 0;
	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

TB_TEST(PLAT_0010, "a session sees only its policy's devices")
{
	struct tb_own o;
	char text[4096], want[48];
	word_t version;

	open_platform(&o, "drv_edu", 0);
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 1);
	snprintf(want, sizeof(want), "name=\"%s\"", edu);
	CHECK(strstr(text, want));
	CHECK(strstr(text, "product=\"0x11e8\""));
	CHECK_OK(tb_close(&o));
	open_platform(&o, "drv_net", 0);
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 1);
	snprintf(want, sizeof(want), "name=\"%s\"", e1000);
	CHECK(strstr(text, want));
	CHECK_OK(tb_close(&o));
	open_platform(&o, "drv_isa", 0);
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 1);
	CHECK(strstr(text, "name=\"ps2\""));
	CHECK_OK(tb_close(&o));
	open_platform(&o, "raw", 0);
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 0);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0011, "acquire: own device; another device DENIED; a held one BUSY; release")
{
	struct tb_own a, b;
	word_t h = 0, h2 = 0;

	open_platform(&a, "drv_edu", 0);
	open_platform(&b, "drv_edu2", 0);
	CHECK_OK(platform_acquire(a.cap, edu, &h));
	CHECK(h != 0);
	CHECK_OK(platform_acquire(a.cap, edu, &h2));
	CHECK_EQ(h2, h);
	CHECK_ST(platform_acquire(a.cap, e1000, &h2), RPC_E_DENIED);
	CHECK_ST(platform_acquire(a.cap, "ps2", &h2), RPC_E_DENIED);
	CHECK_ST(platform_acquire(a.cap, "00:1f.7", &h2), RPC_E_DENIED);
	CHECK_ST(platform_acquire(a.cap, "", &h2), RPC_E_DENIED);
	CHECK_ST(platform_acquire(b.cap, edu, &h2), RPC_E_BUSY);
	CHECK_ST(platform_release(b.cap, h), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_release(a.cap, h + 1), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_release(a.cap, 0), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_release(a.cap, ~0ul), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(platform_release(a.cap, h));
	CHECK_ST(platform_release(a.cap, h), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(platform_acquire(b.cap, edu, &h2));
	/* closing the session releases it */
	CHECK_OK(tb_close(&b));
	CHECK_OK(platform_acquire(a.cap, edu, &h));
	CHECK_OK(tb_close(&a));
}

TB_TEST(PLAT_0012, "registers: the BAR as I/O memory, I/O ports, bad indexes and flags")
{
	struct tb_own o, n;
	struct bar_map m;
	word_t h, hn, size, offset, base;
	cptr_t cap;

	open_platform(&o, "drv_edu", 0);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_EQ(m.size, 1 * MB);
	CHECK_EQ(rd32(&m, 0) & 0xffff, 0x00ed);
	wr32(&m, 4, 0x5a5a1234);
	CHECK_EQ(rd32(&m, 4), ~0x5a5a1234u);
	for (word_t i = 1; i < 8; i++)
		CHECK_ST(platform_io_mem(o.cap, h, i, 0, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_io_mem(o.cap, h, ~0ul, 0, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_io_mem(o.cap, h, 0, 2, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_io_mem(o.cap, h + 5, 0, 0, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_io_port(o.cap, h, 0, &cap, &base, &size), RPC_E_INVALID_ARGUMENT);
	/* after release the mapping is gone: a new holder gets it afresh */
	unmap_bar(&m);
	CHECK_OK(platform_release(o.cap, h));
	CHECK_ST(platform_io_mem(o.cap, h, 0, 0, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(tb_close(&o));

	/* e1000: register I/O through its I/O BAR equals the memory BAR */
	open_platform(&n, "drv_net", 0);
	CHECK_OK(platform_acquire(n.cap, e1000, &hn));
	map_bar(&n, hn, 0, &m);
	word_t io_bar = 0, v = 0;
	while (io_bar < 6 && platform_io_port(n.cap, hn, io_bar, &cap, &base, &size) != RPC_OK)
		io_bar++;
	CHECK(io_bar < 6);
	CHECK(size >= 8);
	/* the port cap covers exactly the BAR (QEMU's e1000 does not implement
	 * its I/O window, so only the access itself is checked) */
	CHECK_EQ(ioport_in32(cap, base, &v), E_OK);
	CHECK_EQ(ioport_in32(cap, base + size - 4, &v), E_OK);
	CHECK(ioport_in32(cap, base + size, &v) != E_OK);
	cap_slot_free(cap);
	unmap_bar(&m);
	CHECK_OK(tb_close(&n));

	/* an ISA device: its <io> ranges by index, the PS/2 status port */
	open_platform(&n, "drv_isa", 0);
	CHECK_OK(platform_acquire(n.cap, "ps2", &hn));
	CHECK_OK(platform_io_port(n.cap, hn, 1, &cap, &base, &size));
	CHECK_EQ(base, 0x64);
	CHECK_EQ(size, 1);
	CHECK_EQ(ioport_in8(cap, 0x64, &v), E_OK);
	CHECK(ioport_in8(cap, 0x60, &v) != E_OK);
	cap_slot_free(cap);
	CHECK_ST(platform_io_port(n.cap, hn, 2, &cap, &base, &size), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_io_mem(n.cap, hn, 0, 0, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	word_t cv;
	CHECK_ST(platform_config_read(n.cap, hn, 0, 4, &cv), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(tb_close(&n));
}

TB_TEST(PLAT_0013, "configuration space of a held device: platform's registers DENIED")
{
	struct tb_own o, raw;
	word_t h, v = 0;

	open_platform(&o, "drv_edu", 0);
	open_platform(&raw, "raw", 0);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(platform_config_read(o.cap, h, 0, 4, &v));
	CHECK_EQ(v, EDU_VENDOR | EDU_PRODUCT << 16);
	CHECK_OK(platform_config_read(o.cap, h, 4, 2, &v));
	CHECK(v & 0x4);                                         /* bus master on */
	CHECK_ST(platform_config_write(o.cap, h, 4, 2, v & ~4ul), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, 4, 1, v & 0xfb), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, 4, 4, v & ~4ul), RPC_E_DENIED);
	CHECK_OK(platform_config_write(o.cap, h, 4, 2, v));      /* no change: fine */
	CHECK_ST(platform_config_write(o.cap, h, 0x10, 4, 0), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, 0x12, 2, 0), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, 0x24, 1, 0), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, 0x30, 4, 0), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, 0x34, 1, 0), RPC_E_DENIED);
	/* the MSI capability */
	unsigned p;
	word_t bdf = 0;
	for (unsigned i = 0; i < 32; i++) {
		char n[8];
		if (!strcmp(bdf_name(i << 3, n), edu))
			bdf = i << 3;
	}
	p = raw_read(&raw, bdf, 0x34, 1) & 0xfc;
	while (p && raw_read(&raw, bdf, p, 1) != 0x05)
		p = raw_read(&raw, bdf, p + 1, 1) & 0xfc;
	CHECK(p);
	CHECK_ST(platform_config_write(o.cap, h, p + 2, 2, 1), RPC_E_DENIED);
	CHECK_ST(platform_config_write(o.cap, h, p + 4, 4, 0xfee00000u), RPC_E_DENIED);
	/* a harmless register is the driver's */
	CHECK_OK(platform_config_write(o.cap, h, 0x3c, 1, 0x0b));
	CHECK_OK(platform_config_read(o.cap, h, 0x3c, 1, &v));
	CHECK_EQ(v, 0x0b);
	/* bad offsets, widths, values, handles */
	CHECK_ST(platform_config_read(o.cap, h, 0x1001, 1, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_config_read(o.cap, h, 2, 4, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_config_read(o.cap, h, 0, 3, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_config_read(o.cap, h + 1, 0, 4, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_config_write(o.cap, h, 0x3c, 1, 0x1ff), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_config_write(o.cap, 0, 0x3c, 1, 1), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(tb_close(&o));
	/* released: bus mastering and decoding off */
	CHECK_EQ(raw_read(&raw, bdf, 4, 2) & 7, 0);
	CHECK_OK(tb_close(&raw));
}

TB_TEST(PLAT_0014, "a new devices report is signalled; a held device that is gone is released")
{
	struct tb_own o, raw;
	char text[4096];
	word_t h, version, v2, kind;

	open_platform(&o, "drv_edu", 0);
	open_platform(&raw, "raw", 0);
	CHECK_OK(platform_devices_sigh(o.cap, bits[5]));
	devices_text(&o, text, sizeof(text), &version);
	while (poll_bit(5))
		;
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	publish_devices(&raw, false);
	wait_bit(5);
	devices_text(&o, text, sizeof(text), &v2);
	CHECK(v2 != version);
	CHECK_EQ(count_of(text, "<device "), 0);
	word_t v = 0;
	CHECK_ST(platform_config_read(o.cap, h, 0, 4, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_acquire(o.cap, edu, &h), RPC_E_DENIED);
	publish_devices(&raw, true);
	wait_bit(5);
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 1);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&raw));
}

/* ---- interrupts ---- */

static void edu_irq_rounds(struct tb_own *o, word_t h, struct bar_map *m, int bit)
{
	for (int i = 0; i < 3; i++) {
		uint32_t val = 0x10u << i;
		wr32(m, 0x60, val);
		wait_bit(bit);
		CHECK_EQ(rd32(m, 0x24) & val, val);
		wr32(m, 0x64, val);
		CHECK_OK(platform_irq_ack(o->cap, h, 0));
	}
}

TB_TEST(PLAT_0020, "MSI from edu")
{
	struct tb_own o;
	struct bar_map m;
	word_t h, kind = 9;

	open_platform(&o, "drv_edu", 0);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_ST(platform_irq(o.cap, h, 1, bits[1], &kind), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_irq(o.cap, h, 0, 0, &kind), RPC_E_INVALID_CAP);
	CHECK_ST(platform_irq(o.cap, h, 0, m.ds, &kind), RPC_E_INVALID_CAP);
	CHECK_ST(platform_irq(o.cap, h + 1, 0, bits[1], &kind), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	CHECK_EQ(kind, PLATFORM_IRQ_MSI);
	edu_irq_rounds(&o, h, &m, 1);
	CHECK_ST(platform_irq_ack(o.cap, h, 1), RPC_E_INVALID_ARGUMENT);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0021, "a routed legacy interrupt from e1000")
{
	struct tb_own o;
	struct bar_map m;
	word_t h, kind = 9;

	open_platform(&o, "drv_net", 0);
	CHECK_OK(platform_acquire(o.cap, e1000, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[2], &kind));
	CHECK_EQ(kind, PLATFORM_IRQ_LEGACY);
	(void)rd32(&m, 0xc0);                 /* ICR: clear what is pending */
	while (poll_bit(2))
		CHECK_OK(platform_irq_ack(o.cap, h, 0));
	wr32(&m, 0xd0, 0x4);                  /* IMS: link status change */
	for (int i = 0; i < 3; i++) {
		wr32(&m, 0xc8, 0x4);              /* ICS: cause it */
		wait_bit(2);
		CHECK(rd32(&m, 0xc0) & 0x4);      /* ICR: read clears, the line drops */
		CHECK_OK(platform_irq_ack(o.cap, h, 0));
	}
	wr32(&m, 0xd8, ~0u);                  /* IMC */
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0022, "MSI-X from nvme (an admin Identify command's completion)")
{
	struct tb_own o;
	struct bar_map m;
	struct dma sq, cq, id;
	word_t h, kind = 9, vendor = 0;

	open_platform(&o, "drv_nvme", 3 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, nvme, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[3], &kind));
	CHECK_EQ(kind, PLATFORM_IRQ_MSIX);
	CHECK_OK(platform_config_read(o.cap, h, 0, 2, &vendor));
	uint64_t cap = rd64(&m, 0);
	unsigned dstrd = (cap >> 32) & 0xf;
	wr32(&m, 0x14, 0);
	for (unsigned long i = 0; rd32(&m, 0x1c) & 1; i++)
		CHECK(i < 100000000ul);
	CHECK_OK(dma_get(&o, 4096, &sq));
	CHECK_OK(dma_get(&o, 4096, &cq));
	CHECK_OK(dma_get(&o, 4096, &id));
	wr32(&m, 0x24, 15u << 16 | 15u);
	wr64(&m, 0x28, sq.addr);
	wr64(&m, 0x30, cq.addr);
	wr32(&m, 0x14, 4u << 20 | 6u << 16 | 1);
	for (unsigned long i = 0; !(rd32(&m, 0x1c) & 1); i++)
		CHECK(i < 100000000ul);
	volatile uint32_t *cmd = (volatile uint32_t *)sq.va;
	cmd[0] = 0x06 | 1u << 16;             /* Identify, command id 1 */
	*(volatile uint64_t *)(sq.va + 24) = id.addr;
	cmd[10] = 1;                          /* CNS 1: the controller */
	wr32(&m, 0x1000, 1);                  /* admin submission queue tail */
	wait_bit(3);
	volatile uint32_t *cqe = (volatile uint32_t *)cq.va;
	CHECK_EQ(cqe[3] & 0xffff, 1);         /* command id */
	CHECK(cqe[3] & 0x10000);              /* phase */
	CHECK_EQ(cqe[3] >> 17, 0);            /* status: success */
	CHECK_EQ(*(volatile uint16_t *)id.va, vendor);
	wr32(&m, 0x1000 + (4u << dstrd), 1);  /* completion queue head */
	CHECK_OK(platform_irq_ack(o.cap, h, 0));
	wr32(&m, 0x14, 0);
	for (unsigned long i = 0; rd32(&m, 0x1c) & 1; i++)
		CHECK(i < 100000000ul);
	dma_put(&o, &sq);
	dma_put(&o, &cq);
	dma_put(&o, &id);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

/* ---- DMA ---- */

/* edu's DMA engine: count bytes between device address ram and its own
 * buffer at 0x40000, to RAM (to_ram) or from it; completion by MSI. */
/* QEMU 7.2's edu refuses (with a hardware error that stops QEMU) a
 * transfer that ends exactly at the end of its 4 KiB buffer: transfers are
 * EDU_LEN bytes. */
#define EDU_LEN 2048

static void edu_dma(struct tb_own *o, word_t h, struct bar_map *m, word_t ram, bool to_ram)
{
	wr64(m, 0x80, to_ram ? 0x40000 : ram);
	wr64(m, 0x88, to_ram ? ram : 0x40000);
	wr64(m, 0x90, EDU_LEN);
	wr64(m, 0x98, 1 | (to_ram ? 2 : 0) | 4);
	wait_bit(1);
	CHECK_EQ(rd64(m, 0x98) & 1, 0);
	CHECK(rd32(m, 0x24) & 0x100);
	wr32(m, 0x64, 0x100);
	CHECK_OK(platform_irq_ack(o->cap, h, 0));
}

/* A round trip through edu: A -> edu -> B; B must equal A. */
static void edu_roundtrip(struct tb_own *o, word_t h, struct bar_map *m, uint8_t seed)
{
	struct dma a, b;

	CHECK_OK(dma_get(o, 4096, &a));
	CHECK_OK(dma_get(o, 4096, &b));
	CHECK(a.addr != b.addr);
	for (int i = 0; i < 4096; i++)
		a.va[i] = (uint8_t)(seed + i * 7);
	edu_dma(o, h, m, a.addr, false);
	edu_dma(o, h, m, b.addr, true);
	for (int i = 0; i < EDU_LEN; i++)
		CHECK_EQ(b.va[i], (uint8_t)(seed + i * 7));
	for (int i = EDU_LEN; i < 4096; i++)
		CHECK_EQ(b.va[i], 0);
	dma_put(o, &a);
	dma_put(o, &b);
}

TB_TEST(PLAT_0030, "DMA: a buffer round trip through edu's DMA engine")
{
	struct tb_own o;
	struct bar_map m;
	word_t h, kind;

	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	edu_roundtrip(&o, h, &m, 3);
	edu_roundtrip(&o, h, &m, 77);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0031, "DMA: quota exhausted is NO_RAM_QUOTA; bad sizes, flags, addresses")
{
	struct tb_own o;
	struct dma d[32];
	cptr_t ds;
	word_t addr;
	int n = 0;

	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	rpc_status_t st;
	while (n < 32 && (st = dma_get(&o, 4096, &d[n])) == RPC_OK)
		n++;
	CHECK_ST(st, RPC_E_NO_RAM_QUOTA);
	CHECK(n >= 2);
	int before = n;
	CHECK_OK(tb_upgrade(&o, 2 * PLATFORM_DMA_COST(4096), 0));
	while (n < 32 && (st = dma_get(&o, 4096, &d[n])) == RPC_OK)
		n++;
	CHECK(n >= before + 2);
	/* the capabilities run out too: NO_CAP_QUOTA */
	if (st != RPC_E_NO_CAP_QUOTA) {
		CHECK_ST(st, RPC_E_NO_RAM_QUOTA);
		CHECK_OK(tb_upgrade(&o, 32 * PLATFORM_DMA_COST(4096), 0));
		while (n < 32 && (st = dma_get(&o, 4096, &d[n])) == RPC_OK)
			n++;
		CHECK_ST(st, RPC_E_NO_CAP_QUOTA);
	}
	CHECK_ST(platform_dma_alloc(o.cap, 0, 0, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_alloc(o.cap, ~0ul, 0, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_alloc(o.cap, 1ul << 40, 0, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_alloc(o.cap, 4096, 2, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_free(o.cap, d[0].addr + 4096 * 64), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_free(o.cap, d[0].addr + 1), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_free(o.cap, 0), RPC_E_INVALID_ARGUMENT);
	for (int i = 0; i < n; i++)
		dma_put(&o, &d[i]);
	CHECK_ST(platform_dma_free(o.cap, d[0].addr), RPC_E_INVALID_ARGUMENT);
	/* all of it is back: the same number fits again */
	int again = 0;
	while (again < 32 && dma_get(&o, 4096, &d[again]) == RPC_OK)
		again++;
	CHECK_EQ(again, n);
	CHECK_OK(tb_close(&o));   /* buffers go with the session */
}

TB_TEST(PLAT_0040, "stray DMA: edu writes outside its session's buffers")
{
	struct tb_own att, vic;
	struct bar_map m;
	struct dma a, v0, v1;
	word_t h, kind;
	char want[64];

	open_platform(&att, "drv_edu", PLATFORM_DMA_COST(4096));
	open_platform(&vic, "drv_edu2", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(att.cap, edu, &h));
	map_bar(&att, h, 0, &m);
	CHECK_OK(platform_irq(att.cap, h, 0, bits[1], &kind));
	CHECK_OK(dma_get(&att, 4096, &a));
	CHECK_OK(dma_get(&vic, 4096, &v0));
	CHECK_OK(dma_get(&vic, 4096, &v1));
	for (int i = 0; i < 4096; i++) {
		a.va[i] = 0xa5;
		v1.va[i] = 0x5a;
	}
	/* the attacker's buffer into edu, then edu's buffer to the victim's
	 * device address (the physical address without an IOMMU) */
	edu_dma(&att, h, &m, a.addr, false);
	CHECK(v1.addr < a.addr || v1.addr >= a.addr + 4096);
	edu_dma(&att, h, &m, v1.addr, true);
	unsigned changed = 0;
	for (int i = 0; i < 4096; i++)
		changed += v1.va[i] != 0x5a;
	fetch_rom("test -> platform", report_buf, sizeof(report_buf));
	if (iommu) {
		CHECK_EQ(changed, 0);
		snprintf(want, sizeof(want), "<fault device=\"%s\"", edu);
		CHECK(strstr(report_buf, want));
		snprintf(want, sizeof(want), "address=\"0x%lx\"", v1.addr);
		CHECK(strstr(report_buf, want));
		CHECK(strstr(report_buf, "iommu=\"yes\""));
		log("stray DMA to 0x%lx blocked by the IOMMU, fault reported", v1.addr);
	} else {
		CHECK_EQ(changed, EDU_LEN);
		CHECK(strstr(report_buf, "iommu=\"no\""));
		CHECK(strstr(report_buf, "dma=\"unprotected\""));
		log("no IOMMU: the stray DMA to 0x%lx landed (unprotected, as reported)", v1.addr);
	}
	for (int i = 0; i < 4096; i++)
		CHECK_EQ(a.va[i], 0xa5);
	dma_put(&att, &a);
	dma_put(&vic, &v0);
	dma_put(&vic, &v1);
	unmap_bar(&m);
	CHECK_OK(tb_close(&vic));
	CHECK_OK(tb_close(&att));
}

/* ---- drivers that exit or crash with the device in use ---- */

static word_t edu_bdf(void)
{
	unsigned b = 0, d = 0, f = 0;
	for (int i = 0; i < 2; i++)
		b = b * 16 + (unsigned)(edu[i] <= '9' ? edu[i] - '0' : edu[i] - 'a' + 10);
	for (int i = 3; i < 5; i++)
		d = d * 16 + (unsigned)(edu[i] <= '9' ? edu[i] - '0' : edu[i] - 'a' + 10);
	f = (unsigned)(edu[6] - '0');
	return PLATFORM_BDF(b, d, f);
}

static void driver_leaves(const char *mode)
{
	struct tb_child *drv;
	struct tb_own raw, o;
	struct bar_map m;
	char cfg[96], want[64];
	word_t h, kind;

	snprintf(cfg, sizeof(cfg), "<config device=\"%s\" mode=\"%s\"/>", edu, mode);
	CHECK_OK(tb_start(&drv, "driver", "platform_test_driver", 2 * MB, 256, PRIO, cfg));
	if (!strcmp(mode, "crash")) {
		while (!tb_faulted(drv, 0) && !drv->exited)
			tb_wait();
		CHECK(tb_faulted(drv, 0));
	} else {
		CHECK_EQ(tb_wait_exit(drv), 0);
	}
	fetch_rom("test -> platform", report_buf, sizeof(report_buf));
	snprintf(want, sizeof(want), "name=\"%s\" holder=\"driver\"", edu);
	CHECK(strstr(report_buf, want));
	tb_destroy(drv);
	/* the device is clean: no bus mastering, decoding or MSI */
	open_platform(&raw, "raw", 0);
	word_t bdf = edu_bdf();
	CHECK_EQ(raw_read(&raw, bdf, 4, 2) & 7, 0);
	unsigned p = raw_read(&raw, bdf, 0x34, 1) & 0xfc;
	while (p && raw_read(&raw, bdf, p, 1) != 0x05)
		p = raw_read(&raw, bdf, p + 1, 1) & 0xfc;
	CHECK(p);
	CHECK_EQ(raw_read(&raw, bdf, p + 2, 2) & 1, 0);
	CHECK_OK(tb_close(&raw));
	fetch_rom("test -> platform", report_buf, sizeof(report_buf));
	CHECK(!strstr(report_buf, want));
	/* and the next driver gets it working */
	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	/* edu has no reset: a transfer the old driver started may still run
	 * (its writes go nowhere with bus mastering off); wait for it */
	for (unsigned long i = 0; rd64(&m, 0x98) & 1; i++)
		CHECK(i < 1000000000ul);
	wr32(&m, 0x64, ~0u);                  /* what the old driver left pending */
	while (poll_bit(1))
		;
	edu_roundtrip(&o, h, &m, 11);
	edu_irq_rounds(&o, h, &m, 1);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0050, "a driver that exits with the device in use: released, the next one gets it clean")
{
	driver_leaves("exit");
}

TB_TEST(PLAT_0051, "a driver that crashes with the device in use: released, the next one gets it clean")
{
	driver_leaves("crash");
}

/* ---- policy changes and garbage ---- */

TB_TEST(PLAT_0060, "a policy that no longer names a device takes it away")
{
	struct tb_own o;
	word_t h, v;

	open_platform(&o, "drv_edu", 0);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	make_config(false);
	tb_set_config(platform, platform_config);
	tb_wait_config_seen(platform);
	CHECK_ST(platform_config_read(o.cap, h, 0, 4, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_acquire(o.cap, edu, &h), RPC_E_DENIED);
	make_config(true);
	tb_set_config(platform, platform_config);
	tb_wait_config_seen(platform);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0070, "garbage calls on every operation: errors, and platform survives")
{
	struct tb_own o;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0, err = 0;
	word_t h;

	open_platform(&o, "drv_edu", 4 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	for (int round = 0; round < 3000; round++) {
		struct rpc_msg m;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		rpc_init(&m, x % 17);
		unsigned words = (x >> 8) % 6;
		for (unsigned i = 0; i < words; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			word_t w = (x & 3) == 0 ? h : (x & 3) == 1 ? x >> 56 : x;
			rpc_put(&m, w);
		}
		if ((x >> 20) % 4 == 0)
			m.cap = bits[10];
		if (m.label == PLATFORM_DMA_ALLOC || m.label == PLATFORM_RELEASE)
			continue;   /* those with valid words only do what they should */
		rpc_status_t st = rpc_call(o.cap, &m);
		if (st == RPC_OK)
			ok++;
		else
			err++;
		if (m.cap_kind == RPC_CAP_PLACED)
			cap_slot_free(m.cap);
	}
	log("garbage: %u calls answered OK, %u with an error", ok, err);
	CHECK(err > 0);
	/* still serving, the device still works */
	struct tb_own raw;
	open_platform(&raw, "raw", 0);
	CHECK_EQ(raw_read(&raw, 0, 0, 2), 0x8086);
	CHECK_OK(tb_close(&raw));
	CHECK_OK(tb_close(&o));
	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	struct bar_map m;
	word_t kind;
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	while (poll_bit(1))
		;
	wr32(&m, 0x64, ~0u);
	edu_roundtrip(&o, h, &m, 5);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("platform_test", setup);
}
