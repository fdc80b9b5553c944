/*
 * What core gives drivers about the machine: the ROM platform_info (ACPI
 * root tables, framebuffer, the kernel's features) and the firmware's
 * memory behind it through IO_MEM: the RSDP, the RSDT/XSDT and every ACPI
 * table they name, the boot framebuffer.
 */
#include "test.h"
#include <argil/config.h>

#define KB 1024ul
#define MAP_RAM (16 * KB)
#define MAP_CAPS 4
#define PG (1ul << OBJ_PAGE_BITS)

static char pi_text[PG + 1];
static char pi_arena[32 * KB];

/* platform_info parsed (the text stays in pi_text). */
static const struct cfg_node *platform_info(void)
{
	word_t id, size, a;
	cptr_t rom = session("ROM", "platform_info", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, &id), ds;
	struct cfg_error err;

	CHECK_OK(rom_dataspace(rom, &ds, &size));
	CHECK(size > 0 && size < sizeof(pi_text));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a));
	memcpy(pi_text, (void *)a, size);
	pi_text[size] = 0;
	CHECK_OK(pd_detach(tenv->pd, a));
	cap_slot_free(ds);
	close_session(id, rom);
	CHECK(cfg_arena_size(size) <= sizeof(pi_arena));
	const struct cfg_node *n = cfg_parse(pi_text, size, pi_arena, sizeof(pi_arena), &err);
	if (!n)
		test_fail(__FILE__, __LINE__, "platform_info %u:%u: %s", err.line, err.col, err.msg);
	CHECK(cfg_is(n, "platform_info"));
	return n;
}

static uint64_t attr(const struct cfg_node *n, const char *name)
{
	uint64_t v = 0;

	if (cfg_attr_u64(n, name, 0, &v) != 1)
		test_fail(__FILE__, __LINE__, "<%s %s> missing or not a number", n->type, name);
	return v;
}

/* Physical memory [pa, pa + len) mapped read-only through an IO_MEM
 * session of the pages it covers. */
struct phys_map {
	word_t id, va;
	cptr_t session, ds;
	const uint8_t *p;
};

static void phys_map(struct phys_map *m, word_t pa, word_t len)
{
	word_t base = pa & ~(PG - 1), end = (pa + len + PG - 1) & ~(PG - 1);
	char args[64];

	snprintf(args, sizeof(args), "base=0x%lx, size=0x%lx", base, end - base);
	m->session = session("IO_MEM", "acpi", args, MAP_RAM + (end - base) / 256, MAP_CAPS, &m->id);
	CHECK_OK(io_mem_dataspace(m->session, &m->ds, 0, 0));
	CHECK_OK(pd_attach(tenv->pd, m->ds, 0, 0, 0, 0, &m->va));
	m->p = (const uint8_t *)(m->va + (pa - base));
}

static void phys_unmap(struct phys_map *m)
{
	CHECK_OK(pd_detach(tenv->pd, m->va));
	cap_slot_free(m->ds);
	close_session(m->id, m->session);
}

static uint8_t sum(const uint8_t *p, word_t len)
{
	uint8_t s = 0;

	for (word_t i = 0; i < len; i++)
		s += p[i];
	return s;
}

/* The table at pa: its signature (4 bytes, with a NUL) and length; its
 * checksum checked unless it is the FACS (which has none). */
static word_t acpi_table(word_t pa, char sig[5])
{
	struct phys_map m;
	uint32_t len;

	phys_map(&m, pa, 36);
	memcpy(sig, m.p, 4);
	sig[4] = 0;
	len = *(const uint32_t *)(m.p + 4);
	phys_unmap(&m);
	CHECK(len >= (memcmp(sig, "FACS", 4) ? 36u : 64u) && len < (1u << 20));
	if (memcmp(sig, "FACS", 4)) {
		phys_map(&m, pa, len);
		if (sum(m.p, len))
			test_fail(__FILE__, __LINE__, "table %s at 0x%lx: bad checksum", sig, pa);
		phys_unmap(&m);
	}
	return len;
}

TEST(PLAT_0001, "platform_info: the ACPI root tables, the kernel's MSI/MSI-X, the CPUs")
{
	const struct cfg_node *pi = platform_info(), *acpi = cfg_child(pi, "acpi"),
			      *k = cfg_child(pi, "kernel");
	word_t cpus;

	printf("%s", pi_text);
	CHECK(acpi && k);
	CHECK(attr(acpi, "rsdt") || attr(acpi, "xsdt"));
	if (attr(acpi, "xsdt"))
		CHECK(attr(acpi, "revision") >= 2);
	CHECK(cfg_attr_is(k, "msi", "yes"));
	CHECK(cfg_attr_is(k, "msix", "yes"));
	CHECK(cfg_attr_is(k, "iommu", "yes") || cfg_attr_is(k, "iommu", "no"));
	CHECK_OK(cpu_info(tenv->cpu, 0, 0, 0, &cpus));
	CHECK_EQ(attr(k, "cpus"), cpus);
}

TEST(PLAT_0002, "IO_MEM maps the RSDP, the RSDT/XSDT and every ACPI table: signatures, checksums; iommu = a DMAR")
{
	const struct cfg_node *pi = platform_info(), *acpi = cfg_child(pi, "acpi");
	word_t rsdp = attr(acpi, "rsdp"), rsdt = attr(acpi, "rsdt"), xsdt = attr(acpi, "xsdt");
	struct phys_map m;
	char sig[5];
	int dmar = 0, facp = 0;

	if (rsdp) {   /* the firmware's own RSDP names the same tables */
		phys_map(&m, rsdp, 36);
		CHECK_EQ(memcmp(m.p, "RSD PTR ", 8), 0);
		CHECK_EQ(sum(m.p, 20), 0);
		CHECK_EQ(m.p[15], attr(acpi, "revision"));
		CHECK_EQ(*(const uint32_t *)(m.p + 16), rsdt);
		if (m.p[15] >= 2)
			CHECK_EQ(*(const uint64_t *)(m.p + 24), xsdt);
		phys_unmap(&m);
	}
	/* the root table: the XSDT where there is one, both checked */
	word_t root = xsdt ? xsdt : rsdt, esize = xsdt ? 8 : 4;
	if (rsdt) {
		acpi_table(rsdt, sig);
		CHECK_EQ(memcmp(sig, "RSDT", 4), 0);
	}
	word_t len = acpi_table(root, sig);
	CHECK_EQ(memcmp(sig, xsdt ? "XSDT" : "RSDT", 4), 0);
	word_t n = (len - 36) / esize;
	word_t tables[32];
	CHECK(n > 0 && n <= 32);
	phys_map(&m, root, len);
	for (word_t i = 0; i < n; i++)
		tables[i] = esize == 8 ? *(const uint64_t *)(m.p + 36 + 8 * i)
				       : *(const uint32_t *)(m.p + 36 + 4 * i);
	phys_unmap(&m);
	for (word_t i = 0; i < n; i++) {
		word_t tl = acpi_table(tables[i], sig);
		dmar += !memcmp(sig, "DMAR", 4);
		if (memcmp(sig, "FACP", 4))
			continue;
		/* the FADT's DSDT and FACS (32-bit fields; 64-bit ones from ACPI 2.0) */
		word_t dsdt, facs;
		facp++;
		phys_map(&m, tables[i], tl);
		facs = *(const uint32_t *)(m.p + 36);
		dsdt = *(const uint32_t *)(m.p + 40);
		if (tl >= 148 && *(const uint64_t *)(m.p + 140))
			dsdt = *(const uint64_t *)(m.p + 140);
		if (tl >= 140 && *(const uint64_t *)(m.p + 132))
			facs = *(const uint64_t *)(m.p + 132);
		phys_unmap(&m);
		acpi_table(dsdt, sig);
		CHECK_EQ(memcmp(sig, "DSDT", 4), 0);
		if (facs) {
			acpi_table(facs, sig);
			CHECK_EQ(memcmp(sig, "FACS", 4), 0);
		}
	}
	CHECK_EQ(facp, 1);
	CHECK(cfg_attr_is(cfg_child(pi, "kernel"), "iommu", dmar ? "yes" : "no"));
}

TEST(PLAT_0003, "the boot framebuffer: consistent figures, a pixel written through IO_MEM reads back")
{
	const struct cfg_node *pi = platform_info(), *fb = cfg_child(pi, "framebuffer");
	char args[64];
	word_t id, va;
	cptr_t s, ds;

	if (!fb) {   /* run/core_test boots with a display: the scenario expects one */
		printf("no framebuffer in platform_info\n");
		return;
	}
	word_t addr = attr(fb, "address"), size = attr(fb, "size"), pitch = attr(fb, "pitch");
	word_t w = attr(fb, "width"), h = attr(fb, "height"), bpp = attr(fb, "bpp");
	CHECK(addr && addr % PG == 0);
	CHECK(w && h && bpp >= 8 && pitch >= w * bpp / 8);
	CHECK_EQ(size, pitch * h);
	if (bpp == 32)
		CHECK(cfg_attr_is(fb, "format", "x8r8g8b8"));
	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000, wc=yes", addr);
	s = session("IO_MEM", "fb", args, MAP_RAM, MAP_CAPS, &id);
	CHECK_OK(io_mem_dataspace(s, &ds, 0, 0));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &va));
	volatile uint32_t *px = (volatile uint32_t *)va;
	px[1] = 0x00a5c3e1;
	CHECK_EQ(px[1], 0x00a5c3e1);
	CHECK_OK(pd_detach(tenv->pd, va));
	cap_slot_free(ds);
	close_session(id, s);
}
