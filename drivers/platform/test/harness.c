/*
 * The harness of platform_test and platform_bench (harness.h): for the
 * platform driver (drivers/platform, docs/devices.md)
 * against real devices of the QEMU machine: edu (MSI, DMA), e1000 (legacy
 * INTx, I/O ports), nvme (MSI-X, DMA), the PS/2 controller (ISA). Started
 * by core as init; its children (testbed.h) are timer, report_rom,
 * platform and test drivers. The test plays pci_decode and acpi: through
 * a raw Platform session (pci_config="yes") it walks bus 0, sizes the
 * BARs, reads the MSI/MSI-X capabilities and writes the `devices` report
 * (legacy lines routed as QEMU routes them: on pc through the PIIX's
 * links, whose IRQ SeaBIOS writes into the interrupt line register; on
 * q35 slots 1..24 to PIRQ E..H by (slot + pin) % 4, GSI 20..23, as QEMU's
 * DSDT says), and the `acpi` report (ECAM
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
#include "harness.h"


struct tb_child *platform, *rr, *timer, *pci_decode;
struct tb_report devices_report, acpi_report;
cptr_t ntfn;
cptr_t bits[62];
bool q35, iommu;
char edu[8], e1000[8], e1000b[8], nvme[8];

static char rr_config[512];

void devices_from(bool test)
{
	snprintf(rr_config, sizeof(rr_config),
		 "<config>\n"
		 "  <policy label=\"platform -> devices\" report=\"%s -> devices\"/>\n"
		 "  <policy label=\"platform -> acpi\" report=\"test -> acpi\"/>\n"
		 "  <policy label=\"pci_decode -> acpi\" report=\"test -> acpi\"/>\n"
		 "  <policy label=\"test -> platform\" report=\"platform -> platform\"/>\n"
		 "</config>\n", test ? "test" : "pci_decode");
	if (rr)
		tb_set_config(rr, rr_config);
}

char platform_config[1024];

void make_config(bool edu_for_drv)
{
	snprintf(platform_config, sizeof(platform_config),
		 "<config verbose=\"yes\">\n"
		 "  <policy label=\"raw\" pci_config=\"yes\"/>\n"
		 "  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
		 "  <policy label=\"noraw\"/>\n"
		 "  <policy label_prefix=\"drv_edu\"> %s </policy>\n"
		 "  <policy label_prefix=\"drv_net\"> <pci class=\"ETHERNET\"/> </policy>\n"
		 "  <policy label=\"drv_nvme\"> <pci class=\"NVME\"/> </policy>\n"
		 "  <policy label=\"drv_isa\"> <device name=\"ps2\"/> </policy>\n"
		 "  <policy label=\"driver\"> <pci vendor=\"0x1234\" product=\"0x11e8\"/> </policy>\n"
		 "  <policy label=\"bad\"> <pci colour=\"red\"/> </policy>\n"
		 "</config>\n",
		 edu_for_drv ? "<pci vendor=\"0x1234\" product=\"0x11e8\"/>" : "");
}

/* ROM requests of platform go to report_rom, except its config; so does
 * pci_decode's ROM "acpi". */
static void route(struct tb_child *client, const char *service, const char *label,
		  struct tb_route *r)
{
	tb_route_default(client, service, label, r);
	if ((client == platform && !strcmp(service, "ROM") && strcmp(label, "config")) ||
	    (client == pci_decode && !strcmp(service, "ROM") && !strcmp(label, "acpi"))) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
}

/* ---- sessions and helpers ---- */

void open_platform(struct tb_own *o, const char *label, word_t extra)
{
	CHECK_OK(tb_open(o, platform, PLATFORM_SERVICE, label, "", PLATFORM_SESSION_RAM + extra,
			 PLATFORM_SESSION_CAPS));
}

uint32_t raw_read(struct tb_own *o, word_t bdf, word_t off, word_t width)
{
	word_t v = 0;

	CHECK_OK(platform_pci_config_read(o->cap, bdf, off, width, &v));
	return (uint32_t)v;
}

void raw_write(struct tb_own *o, word_t bdf, word_t off, word_t width, uint32_t v)
{
	CHECK_OK(platform_pci_config_write(o->cap, bdf, off, width, v));
}

const char *bdf_name(unsigned bdf, char *buf)
{
	snprintf(buf, 8, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 31, bdf & 7);
	return buf;
}


void map_bar(struct tb_own *o, word_t handle, word_t bar, struct bar_map *m)
{
	word_t offset;

	CHECK_OK(platform_io_mem(o->cap, handle, bar, 0, &m->ds, &m->size, &offset));
	CHECK_OK(pd_attach(tb_env->pd, m->ds, 0, 0, 0, ATTACH_WRITE, &m->at));
	m->regs = (volatile uint8_t *)(m->at + offset);
}

void unmap_bar(struct bar_map *m)
{
	CHECK_OK(pd_detach(tb_env->pd, m->at));
	cap_slot_free(m->ds);
}



rpc_status_t dma_get(struct tb_own *o, word_t size, struct dma *d)
{
	rpc_status_t st = platform_dma_alloc(o->cap, size, 0, &d->ds, &d->addr);

	if (st != RPC_OK)
		return st;
	CHECK_OK(pd_attach(tb_env->pd, d->ds, 0, 0, 0, ATTACH_WRITE, &d->at));
	d->va = (volatile uint8_t *)d->at;
	return RPC_OK;
}

void dma_put(struct tb_own *o, struct dma *d)
{
	CHECK_OK(pd_detach(tb_env->pd, d->at));
	CHECK_OK(platform_dma_free(o->cap, d->addr));
	cap_slot_free(d->ds);
}

/* Wait for signal bit b (other bits that arrive meanwhile are kept). */
word_t pending_bits;
void wait_bit(int b)
{
	while (!(pending_bits & (1ull << b)))
		pending_bits |= sys_wait(ntfn);
	pending_bits &= ~(1ull << b);
}

bool poll_bit(int b)
{
	pending_bits |= sys_poll(ntfn);
	bool set = pending_bits & (1ull << b);
	pending_bits &= ~(1ull << b);
	return set;
}

/* The text of a ROM of report_rom (the platform report). */
void fetch_rom(const char *label, char *out, word_t max)
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

char report_buf[16384];

void await_report(const char *what)
{
	struct tb_own o;
	struct rpc_msg m;
	word_t addr, len;

	CHECK_OK(tb_open(&o, rr, "ROM", "test -> platform", "", ROM_SESSION_RAM + 64 * KB,
			 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(o.cap, bits[6]));
	for (;;) {
		rpc_init(&m, ROM_DATASPACE);
		CHECK_OK(rpc_call_expect(o.cap, &m, 2, true));
		len = m.w[0];
		CHECK_OK(pd_attach(tb_env->pd, m.cap, 0, 0, 0, 0, &addr));
		word_t n = len < sizeof(report_buf) - 1 ? len : sizeof(report_buf) - 1;
		memcpy(report_buf, (void *)addr, n);
		report_buf[n] = 0;
		CHECK_OK(pd_detach(tb_env->pd, addr));
		cap_slot_free(m.cap);
		if (strstr(report_buf, what))
			break;
		wait_bit(6);
	}
	CHECK_OK(tb_close(&o));
}

const char *strstr(const char *hay, const char *needle)
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
			unsigned gsi = q35 ? 20 + (((bdf >> 3) & 31) + pin - 1) % 4
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

void publish_devices(struct tb_own *raw, bool with_edu)
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
			else if ((cls >> 8) == 0x0200 && !e1000[0])
				memcpy(e1000, bdf_name(bdf, n), 8);
			else if ((cls >> 8) == 0x0200)
				memcpy(e1000b, bdf_name(bdf, n), 8);
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

void publish_acpi(struct tb_own *raw)
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
	/* the legacy routing of bus 0 as QEMU wires it (see the top) */
	for (unsigned dev = 1; dev < 32; dev++) {
		uint32_t id = raw_read(raw, dev << 3, 0, 4);
		if ((id & 0xffff) == 0xffff)
			continue;
		for (unsigned pin = 1; pin <= 4; pin++) {
			unsigned own = raw_read(raw, dev << 3, 0x3d, 1);
			if (!q35 && pin != own)
				continue;   /* pc: only the pin whose link SeaBIOS programmed */
			unsigned gsi = q35 ? 20 + (dev + pin - 1) % 4 : raw_read(raw, dev << 3, 0x3c, 1);
			char p[2] = { (char)('A' + pin - 1), 0 };
			cfg_node_begin(&w, "routing");
			cfg_node_attr(&w, "bus", "0");
			cfg_node_attr_u64(&w, "device", dev);
			cfg_node_attr(&w, "pin", p);
			cfg_node_attr_u64(&w, "gsi", gsi);
			cfg_node_attr(&w, "trigger", "level");
			cfg_node_attr(&w, "polarity", "high");
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

void setup(void)
{
	struct tb_own raw;

	tb_signal_bits(&ntfn, bits);
	tb_route_hook = route;
	CHECK_OK(tb_start(&timer, "timer", "timer", 2 * MB, 512, PRIO, "<config/>"));
	CHECK(tb_wait_announce(timer, TIMER_SERVICE));
	devices_from(false);
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
	publish_devices(&raw, true);     /* ours, for PLAT_0014; and the names */
	CHECK_OK(tb_close(&raw));
	CHECK(edu[0] && e1000[0] && e1000b[0] && nvme[0]);
	/* the devices report platform reads is pci_decode's */
	CHECK_OK(tb_start(&pci_decode, "pci_decode", "pci_decode", 2 * MB, 256, PRIO,
			  "<config/>"));
	await_devices(edu);
}

void await_devices(const char *name)
{
	struct tb_own o;
	char want[24];
	cptr_t ds;
	word_t size, version, at;

	snprintf(want, sizeof(want), "name=\"%s\"", name);
	open_platform(&o, "drv_edu", 0);
	CHECK_OK(platform_devices_sigh(o.cap, bits[7]));
	for (;;) {
		CHECK_OK(platform_devices(o.cap, &ds, &size, &version));
		CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
		bool found = size < sizeof(report_buf);
		if (found) {
			memcpy(report_buf, (void *)at, size);
			report_buf[size] = 0;
			found = strstr(report_buf, want);
		}
		CHECK_OK(pd_detach(tb_env->pd, at));
		cap_slot_free(ds);
		if (found)
			break;
		wait_bit(7);
	}
	CHECK_OK(tb_close(&o));
}

