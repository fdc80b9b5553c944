// sources: drivers/pci_decode/walk.c drivers/pci_decode/route.c drivers/pci_decode/report.c base/src/config_parse.c base/src/config_query.c base/src/config_write.c base/src/string.c
// cflags: -Idrivers/pci_decode
/*
 * Host unit tests of pci_decode's portable part (drivers/pci_decode):
 * the walk over a model of PCI configuration space (functions with BARs
 * that decode only their writable bits, bridges, capability lists), BAR
 * sizing with decoding off and everything restored, interrupt routing
 * through the acpi report with swizzling across bridges, the ISA devices
 * and the devices report.
 */
#include <harness.h>
#include "pci_walk.h"

/* ---- a model of configuration space ---- */

#define MAX_MODEL 32

struct mfunc {
	uint16_t bdf;
	uint8_t cfg[256];
	uint32_t bar_mask[6];    /* writable bits of each BAR register */
};

static struct model {
	struct mfunc f[MAX_MODEL];
	unsigned n;
	unsigned decode_violations;   /* BAR writes while decoding was on */
	unsigned writes;
	int fail_at_read;             /* n-th read fails (0: never) */
	unsigned reads;
} m;

static struct mfunc *mf(uint16_t bdf)
{
	for (unsigned i = 0; i < m.n; i++)
		if (m.f[i].bdf == bdf)
			return &m.f[i];
	return 0;
}

static void put(uint8_t *c, unsigned off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++)
		c[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get(const uint8_t *c, unsigned off, unsigned width)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)c[off + i] << (8 * i);
	return v;
}

static int m_read(void *ctx, uint16_t bdf, unsigned off, unsigned width, uint32_t *val)
{
	(void)ctx;
	if (m.fail_at_read && ++m.reads == (unsigned)m.fail_at_read)
		return -1;
	if (off + width > 256 || (width != 1 && width != 2 && width != 4) || off % width)
		return -2;
	struct mfunc *f = mf(bdf);
	*val = f ? get(f->cfg, off, width) : (width == 4 ? ~0u : (1u << (8 * width)) - 1);
	return 0;
}

static int m_write(void *ctx, uint16_t bdf, unsigned off, unsigned width, uint32_t v)
{
	(void)ctx;
	if (off + width > 256 || (width != 1 && width != 2 && width != 4) || off % width)
		return -2;
	struct mfunc *f = mf(bdf);
	if (!f)
		return 0;
	m.writes++;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24) {
		unsigned i = (off - PCI_BAR0) / 4;
		if (width != 4)
			return -3;
		if (get(f->cfg, PCI_COMMAND, 2) & (PCI_COMMAND_IO | PCI_COMMAND_MEM))
			m.decode_violations++;
		uint32_t old = get(f->cfg, off, 4);
		put(f->cfg, off, 4, (v & f->bar_mask[i]) | (old & ~f->bar_mask[i]));
		return 0;
	}
	if (off == PCI_COMMAND && width == 2) {
		put(f->cfg, off, 2, v);
		return 0;
	}
	return -4;   /* the walk writes nothing else */
}

static const struct pci_access acc = { 0, m_read, m_write };

static struct mfunc *add(unsigned bus, unsigned dev, unsigned fn, uint16_t vendor,
			 uint16_t product, uint32_t class_code, uint8_t header)
{
	struct mfunc *f = &m.f[m.n++];
	f->bdf = PCI_BDF(bus, dev, fn);
	put(f->cfg, PCI_VENDOR, 2, vendor);
	put(f->cfg, PCI_DEVICE, 2, product);
	put(f->cfg, PCI_REVISION, 4, class_code << 8 | 0x03);
	f->cfg[PCI_HEADER_TYPE] = header;
	put(f->cfg, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEM | 4);
	return f;
}

/* a memory BAR of size at address; flags: bit 3 prefetchable, 0x4 64-bit */
static void bar_mem(struct mfunc *f, unsigned i, uint64_t addr, uint64_t size, uint32_t flags)
{
	uint64_t mask = ~(size - 1);
	put(f->cfg, PCI_BAR0 + 4 * i, 4, (uint32_t)addr | flags);
	f->bar_mask[i] = (uint32_t)mask & ~0xfu;
	if (flags & 4) {
		put(f->cfg, PCI_BAR0 + 4 * i + 4, 4, (uint32_t)(addr >> 32));
		f->bar_mask[i + 1] = (uint32_t)(mask >> 32);
	}
}

static void bar_io(struct mfunc *f, unsigned i, uint32_t addr, uint32_t size)
{
	put(f->cfg, PCI_BAR0 + 4 * i, 4, addr | 1);
	f->bar_mask[i] = ~(size - 1) & 0xfffcu;   /* 16-bit decode */
}

static void cap(struct mfunc *f, unsigned at, unsigned id, unsigned next)
{
	put(f->cfg, PCI_STATUS, 2, PCI_STATUS_CAPS);
	if (!f->cfg[PCI_CAP_PTR])
		f->cfg[PCI_CAP_PTR] = (uint8_t)at;
	f->cfg[at] = (uint8_t)id;
	f->cfg[at + 1] = (uint8_t)next;
}

static void bridge(struct mfunc *f, unsigned secondary, unsigned subordinate)
{
	f->cfg[PCI_BRIDGE_SECONDARY] = (uint8_t)secondary;
	f->cfg[PCI_BRIDGE_SUBORDINATE] = (uint8_t)subordinate;
}

/* the shape of QEMU's pc machine with e1000 and virtio-blk, and a chain
 * of two bridges with a device behind them */
static void model_pc(void)
{
	struct mfunc *f;

	memset(&m, 0, sizeof(m));
	add(0, 0, 0, 0x8086, 0x1237, 0x060000, 0);
	add(0, 1, 0, 0x8086, 0x7000, 0x060100, 0x80);
	f = add(0, 1, 1, 0x8086, 0x7010, 0x010180, 0);
	bar_io(f, 4, 0xc040, 16);
	add(0, 1, 3, 0x8086, 0x7113, 0x068000, 0)->cfg[PCI_INT_PIN] = 1;
	f = add(0, 3, 0, 0x8086, 0x100e, 0x020000, 0);
	bar_mem(f, 0, 0xfebc0000, 0x20000, 0);
	bar_io(f, 1, 0xc000, 0x40);
	put(f->cfg, PCI_SUBSYS_VENDOR, 2, 0x1af4);
	put(f->cfg, PCI_SUBSYS, 2, 0x1100);
	f->cfg[PCI_INT_PIN] = 1;
	f = add(0, 4, 0, 0x1af4, 0x1001, 0x010000, 0);
	bar_io(f, 0, 0xc080, 0x80);
	bar_mem(f, 1, 0xfebd1000, 0x1000, 0);
	bar_mem(f, 4, 0xfe000000, 0x4000, 0xc);   /* 64-bit prefetchable */
	f->cfg[PCI_INT_PIN] = 1;
	cap(f, 0x98, PCI_CAP_MSIX, 0x84);
	put(f->cfg, 0x98 + PCI_MSIX_CTRL, 2, 1);           /* 2 vectors */
	put(f->cfg, 0x98 + PCI_MSIX_TABLE, 4, 0x0 | 1);
	put(f->cfg, 0x98 + PCI_MSIX_PBA, 4, 0x800 | 1);
	cap(f, 0x84, 0x09, 0);                              /* vendor specific */
	f = add(0, 5, 0, 0x1b36, 0x0001, 0x060400, 1);
	bridge(f, 1, 2);
	f->cfg[PCI_INT_PIN] = 1;
	f = add(1, 0, 0, 0x1b36, 0x0001, 0x060400, 1);
	bridge(f, 2, 2);
	f = add(2, 3, 0, 0x8086, 0x2922, 0x010601, 0);
	bar_mem(f, 5, 0xfe800000, 0x1000, 0);
	f->cfg[PCI_INT_PIN] = 1;
	cap(f, 0x80, PCI_CAP_MSI, 0);
	put(f->cfg, 0x80 + PCI_MSI_CTRL, 2, 0x80 | (2 << 1));   /* 4 vectors, 64-bit */
}

static struct pci_func funcs[64];
static struct pci_walk walk;

static void do_walk(void)
{
	walk = (struct pci_walk){ funcs, 64, 0, 0, 0, 0 };
	memset(funcs, 0, sizeof(funcs));
	CHECK_EQ(pci_walk_all(&walk, &acc), 0);
}

static const struct pci_func *find(unsigned bus, unsigned dev, unsigned fn)
{
	for (unsigned i = 0; i < walk.n; i++)
		if (funcs[i].bus == bus && funcs[i].dev == dev && funcs[i].fn == fn)
			return &funcs[i];
	return 0;
}

TEST(PCIDEC_0001, "every function of the pc model is found, behind both bridges too")
{
	model_pc();
	do_walk();
	CHECK_EQ(walk.n, 9);
	CHECK_EQ(walk.skipped, 0);
	CHECK(find(0, 1, 1) && find(0, 1, 3));
	CHECK(!find(0, 1, 2));
	const struct pci_func *f = find(2, 3, 0);
	CHECK(f != 0);
	CHECK_EQ(f->class_code, 0x010601);
	CHECK_EQ(funcs[f->upstream].bus, 1);
	CHECK_EQ(funcs[funcs[f->upstream].upstream].dev, 5);
	CHECK(find(0, 5, 0)->bridge);
	CHECK_EQ(find(0, 5, 0)->secondary, 1);
	CHECK_EQ(find(0, 5, 0)->subordinate, 2);
}

TEST(PCIDEC_0002, "BARs are sized: io, mem32, 64-bit prefetchable; unimplemented ones skipped")
{
	model_pc();
	do_walk();
	const struct pci_func *e = find(0, 3, 0);
	CHECK_EQ(e->nbars, 2);
	CHECK_EQ(e->bars[0].type, PCI_BAR_MEM32);
	CHECK_EQ(e->bars[0].address, 0xfebc0000);
	CHECK_EQ(e->bars[0].size, 0x20000);
	CHECK_EQ(e->bars[1].type, PCI_BAR_IO);
	CHECK_EQ(e->bars[1].address, 0xc000);
	CHECK_EQ(e->bars[1].size, 0x40);
	const struct pci_func *v = find(0, 4, 0);
	CHECK_EQ(v->nbars, 3);
	CHECK_EQ(v->bars[2].index, 4);
	CHECK_EQ(v->bars[2].type, PCI_BAR_MEM64);
	CHECK(v->bars[2].prefetchable);
	CHECK_EQ(v->bars[2].address, 0xfe000000);
	CHECK_EQ(v->bars[2].size, 0x4000);
	CHECK_EQ(find(0, 1, 1)->bars[0].index, 4);
	CHECK_EQ(find(0, 1, 1)->bars[0].size, 16);
}

TEST(PCIDEC_0003, "sizing happens with decoding off and leaves config space as it was")
{
	model_pc();
	struct model before = m;
	do_walk();
	CHECK(m.writes > 0);
	CHECK_EQ(m.decode_violations, 0);
	for (unsigned i = 0; i < m.n; i++)
		CHECK(!memcmp(m.f[i].cfg, before.f[i].cfg, 256));
}

TEST(PCIDEC_0004, "a 64-bit BAR above 4 GiB")
{
	model_pc();
	bar_mem(mf(PCI_BDF(0, 3, 0)), 2, 0x800000000ull, 0x100000000ull, 0xc);
	do_walk();
	const struct pci_func *e = find(0, 3, 0);
	CHECK_EQ(e->nbars, 3);
	CHECK_EQ(e->bars[2].address, 0x800000000ull);
	CHECK_EQ(e->bars[2].size, 0x100000000ull);
}

TEST(PCIDEC_0005, "MSI and MSI-X capabilities")
{
	model_pc();
	do_walk();
	const struct pci_func *v = find(0, 4, 0);
	CHECK(v->msix && !v->msi);
	CHECK_EQ(v->msix_vectors, 2);
	CHECK_EQ(v->msix_table_bar, 1);
	CHECK_EQ(v->msix_table_offset, 0);
	CHECK_EQ(v->msix_pba_bar, 1);
	CHECK_EQ(v->msix_pba_offset, 0x800);
	const struct pci_func *a = find(2, 3, 0);
	CHECK(a->msi && !a->msix);
	CHECK_EQ(a->msi_vectors, 4);
	CHECK(a->msi64);
}

TEST(PCIDEC_0006, "a capability list that loops or points into the header is cut and counted")
{
	model_pc();
	struct mfunc *f = mf(PCI_BDF(0, 4, 0));
	f->cfg[0x84 + 1] = 0x98;        /* 0x98 -> 0x84 -> 0x98 ... */
	do_walk();
	CHECK_EQ(walk.skipped, 1);
	CHECK(find(0, 4, 0)->msix);
	model_pc();
	mf(PCI_BDF(2, 3, 0))->cfg[PCI_CAP_PTR] = 0x10;
	do_walk();
	CHECK_EQ(walk.skipped, 1);
	CHECK(!find(2, 3, 0)->msi);
}

TEST(PCIDEC_0007, "a bridge loop and an unassigned bridge are walked once")
{
	model_pc();
	bridge(mf(PCI_BDF(1, 0, 0)), 1, 2);    /* back to its own bus */
	do_walk();
	CHECK_EQ(walk.n, 8);
	CHECK_EQ(walk.skipped, 1);
	model_pc();
	bridge(mf(PCI_BDF(0, 5, 0)), 0, 0);    /* firmware gave it no bus */
	do_walk();
	CHECK_EQ(walk.n, 7);
	CHECK_EQ(walk.skipped, 0);
}

TEST(PCIDEC_0008, "a config access error stops the walk and names the function")
{
	for (int at = 1; at < 200; at += 7) {
		model_pc();
		m.fail_at_read = at;
		walk = (struct pci_walk){ funcs, 64, 0, 0, 0, 0 };
		CHECK_EQ(pci_walk_all(&walk, &acc), -1);
		CHECK(walk.error != 0);
	}
}

TEST(PCIDEC_0009, "more functions than room: the rest is counted, not written")
{
	model_pc();
	walk = (struct pci_walk){ funcs, 4, 0, 0, 0, 0 };
	CHECK_EQ(pci_walk_all(&walk, &acc), 0);
	CHECK_EQ(walk.n, 4);
	CHECK_EQ(walk.skipped, 5);   /* bus 1 and 2 behind the bridge not kept counted too */
}

static struct cfg_node *parse(const char *doc)
{
	size_t len = strlen(doc), size = cfg_arena_size(len);
	void *arena = test_alloc(16, size);
	struct cfg_error err;
	struct cfg_node *n = cfg_parse(doc, len, arena, size, &err);
	if (!n)
		fprintf(stderr, "parse error %u:%u %s\n", err.line, err.col, err.msg);
	return n;
}

static struct acpi_route routes[16];
static struct acpi_info acpi;

static void read_acpi(const char *doc)
{
	acpi = (struct acpi_info){ .routes = routes, .max_routes = 16 };
	acpi_info_read(&acpi, doc ? parse(doc) : 0);
}

static const char acpi_doc[] =
	"<acpi>\n"
	"  <ioapic id=\"0\" base=\"0xfec00000\" gsi_base=\"0\"/>\n"
	"  <override irq=\"0\" gsi=\"2\" trigger=\"edge\" polarity=\"high\"/>\n"
	"  <override irq=\"9\" gsi=\"9\" trigger=\"level\" polarity=\"high\"/>\n"
	"  <routing bus=\"0\" device=\"3\" pin=\"A\" gsi=\"11\" trigger=\"level\" polarity=\"low\"/>\n"
	"  <routing bus=\"0\" device=\"4\" pin=\"A\" gsi=\"10\" trigger=\"level\" polarity=\"low\"/>\n"
	"  <routing bus=\"0\" device=\"5\" pin=\"A\" gsi=\"16\" trigger=\"level\" polarity=\"low\"/>\n"
	"  <routing bus=\"0\" device=\"5\" pin=\"D\" gsi=\"19\" trigger=\"level\" polarity=\"low\"/>\n"
	"  <routing bus=\"0\" device=\"1\" pin=\"A\" gsi=\"9\" trigger=\"level\" polarity=\"high\"/>\n"
	"  <hpet base=\"0xfed00000\"/>\n"
	"</acpi>\n";

TEST(PCIDEC_0010, "pins are routed by _PRT, behind bridges by swizzling to the slot on bus 0")
{
	model_pc();
	do_walk();
	read_acpi(acpi_doc);
	CHECK_EQ(acpi.bad, 0);
	CHECK_EQ(acpi.nroutes, 5);
	CHECK_EQ(acpi.hpet_base, 0xfed00000);
	pci_route_irqs(&walk, &acpi);
	const struct pci_func *e = find(0, 3, 0);
	CHECK(e->irq.routed && e->irq.gsi == 11 && e->irq.level && e->irq.active_low);
	/* 02:03.0 INTA -> 01:00.0 INTD ((1-1+3) mod 4 + 1) -> 00:05.0 INTD ((4-1+0) mod 4 + 1) */
	const struct pci_func *a = find(2, 3, 0);
	CHECK(a->irq.routed);
	CHECK_EQ(a->irq.gsi, 19);
	CHECK_EQ(find(0, 5, 0)->irq.gsi, 16);
	CHECK(!find(0, 1, 1)->irq.routed);   /* no pin */
	CHECK(find(0, 1, 3)->irq.routed);
	CHECK_EQ(find(0, 1, 3)->irq.gsi, 9);
	CHECK(!find(0, 1, 3)->irq.active_low);
}

TEST(PCIDEC_0011, "a bridge's own _PRT entry wins over swizzling; no entry leaves a pin unrouted")
{
	model_pc();
	do_walk();
	read_acpi("<acpi> <routing bus=\"2\" device=\"3\" pin=\"A\" gsi=\"22\"/> </acpi>");
	pci_route_irqs(&walk, &acpi);
	CHECK_EQ(find(2, 3, 0)->irq.gsi, 22);
	CHECK(find(2, 3, 0)->irq.level && find(2, 3, 0)->irq.active_low);
	CHECK(!find(0, 3, 0)->irq.routed);
	read_acpi(0);
	pci_route_irqs(&walk, &acpi);
	CHECK(!find(2, 3, 0)->irq.routed);
}

TEST(PCIDEC_0012, "malformed acpi nodes are skipped and the first is named")
{
	read_acpi("<acpi>\n <routing bus=\"0\" device=\"32\" pin=\"A\" gsi=\"1\"/>\n"
		  " <routing bus=\"0\" device=\"1\" pin=\"E\" gsi=\"1\"/>\n"
		  " <routing bus=\"0\" device=\"1\" pin=\"A\" gsi=\"1\" trigger=\"fast\"/>\n"
		  " <override irq=\"16\" gsi=\"1\"/>\n <hpet base=\"0x123\"/>\n"
		  " <routing bus=\"0\" device=\"1\" pin=\"B\" gsi=\"5\"/>\n</acpi>");
	CHECK_EQ(acpi.bad, 5);
	CHECK_EQ(acpi.bad_line, 2);
	CHECK_EQ(acpi.nroutes, 1);
	CHECK_EQ(acpi.routes[0].pin, 2);
	read_acpi("<devices/>");
	CHECK_EQ(acpi.bad, 1);
}

TEST(PCIDEC_0013, "ISA devices: IRQs through the overrides, probed ones only when present")
{
	struct isa_device isa[8];
	read_acpi(acpi_doc);
	unsigned n = isa_devices(isa, ISA_PS2 | ISA_COM3, acpi.hpet_base);
	CHECK_EQ(n, 5);
	CHECK(!strcmp(isa[0].name, "ps2") && !strcmp(isa[1].name, "pit"));
	CHECK(!strcmp(isa[3].name, "serial2") && isa[3].io_base[0] == 0x3e8);
	CHECK(!strcmp(isa[4].name, "hpet") && isa[4].mem_base == 0xfed00000);
	struct pci_irq_route r = isa_irq_route(&acpi, 0);
	CHECK(r.gsi == 2 && !r.level && !r.active_low);
	r = isa_irq_route(&acpi, 9);
	CHECK(r.gsi == 9 && r.level);
	r = isa_irq_route(&acpi, 12);
	CHECK(r.gsi == 12 && !r.level);
	CHECK_EQ(isa_devices(isa, 0, 0), 2);
}

TEST(PCIDEC_0014, "the devices report: the contract's format, parsable, every function")
{
	static char buf[16384];
	struct cfg_writer w;
	struct isa_device isa[9];

	model_pc();
	do_walk();
	read_acpi(acpi_doc);
	pci_route_irqs(&walk, &acpi);
	unsigned nisa = isa_devices(isa, ISA_PS2, acpi.hpet_base);
	/* the boot framebuffer: a device of type boot (none without a size) */
	CHECK_EQ(boot_framebuffer(isa, nisa, 0xfd000000, 0), nisa);
	nisa = boot_framebuffer(isa, nisa, 0xfd000000, 0x300000);
	cfg_writer_init(&w, buf, sizeof(buf));
	devices_report_write(&w, &walk, isa, nisa, &acpi);
	CHECK(cfg_writer_ok(&w));
	CHECK(strstr(buf, "<device name=\"00:03.0\" type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" "
			  "vendor=\"0x8086\" product=\"0x100e\" class=\"0x020000\" revision=\"0x03\" "
			  "subsystem_vendor=\"0x1af4\" subsystem=\"0x1100\" bridge=\"no\">") != 0);
	CHECK(strstr(buf, "<bar index=\"0\" address=\"0xfebc0000\" size=\"0x20000\" type=\"mem32\" "
			  "prefetchable=\"no\"/>") != 0);
	CHECK(strstr(buf, "<bar index=\"1\" address=\"0xc000\" size=\"0x40\" type=\"io\"/>") != 0);
	CHECK(strstr(buf, "<irq type=\"legacy\" pin=\"A\" gsi=\"11\" trigger=\"level\" "
			  "polarity=\"low\"/>") != 0);
	CHECK(strstr(buf, "<msix vectors=\"2\" table_bar=\"1\" table_offset=\"0x0\" pba_bar=\"1\" "
			  "pba_offset=\"0x800\"/>") != 0);
	CHECK(strstr(buf, "<msi vectors=\"4\" address64=\"yes\"/>") != 0);
	CHECK(strstr(buf, "name=\"00:05.0\"") && strstr(buf, "bridge=\"yes\" secondary=\"1\" "
							  "subordinate=\"2\""));
	CHECK(strstr(buf, "<bar index=\"4\" address=\"0xfe000000\" size=\"0x4000\" type=\"mem64\" "
			  "prefetchable=\"yes\"/>") != 0);
	CHECK(strstr(buf, "<device name=\"ps2\" type=\"isa\">") != 0);
	CHECK(strstr(buf, "<irq type=\"isa\" irq=\"0\" gsi=\"2\" trigger=\"edge\" "
			  "polarity=\"high\"/>") != 0);
	CHECK(strstr(buf, "<mem base=\"0xfed00000\" size=\"0x400\"/>") != 0);
	CHECK(strstr(buf, "<device name=\"framebuffer\" type=\"boot\">") != 0);
	CHECK(strstr(buf, "<mem base=\"0xfd000000\" size=\"0x300000\"/>") != 0);
	struct cfg_node *root = parse(buf);
	CHECK(root != 0);
	CHECK_EQ(cfg_child_count(root, "device"), 9 + nisa);
	/* an unrouted pin says only its pin */
	read_acpi(0);
	pci_route_irqs(&walk, &acpi);
	cfg_writer_init(&w, buf, sizeof(buf));
	devices_report_write(&w, &walk, isa, nisa, &acpi);
	CHECK(strstr(buf, "<irq type=\"legacy\" pin=\"A\"/>") != 0);
}

TEST(PCIDEC_0015, "a re-walk takes known BARs without touching the device; changed ones are sized")
{
	static struct pci_func prev_funcs[64];
	struct pci_walk prev;

	model_pc();
	do_walk();
	memcpy(prev_funcs, funcs, sizeof(funcs));
	prev = walk;
	prev.funcs = prev_funcs;
	m.writes = 0;
	walk = (struct pci_walk){ funcs, 64, 0, 0, 0, 0 };
	CHECK_EQ(pci_walk_again(&walk, &acc, &prev), 0);
	CHECK_EQ(m.writes, 0);
	CHECK_EQ(find(0, 4, 0)->bars[2].size, 0x4000);
	/* the firmware (or hot-plug) moved a BAR: that function is sized again */
	bar_mem(mf(PCI_BDF(0, 3, 0)), 0, 0xfea00000, 0x40000, 0);
	walk = (struct pci_walk){ funcs, 64, 0, 0, 0, 0 };
	CHECK_EQ(pci_walk_again(&walk, &acc, &prev), 0);
	CHECK(m.writes > 0);
	CHECK_EQ(find(0, 3, 0)->bars[0].size, 0x40000);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
