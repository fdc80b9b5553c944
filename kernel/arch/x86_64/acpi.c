/*
 * ACPI table discovery: RSDP -> RSDT/XSDT -> MADT (CPUs, IOAPICs, ISA
 * overrides), HPET and whether there is a DMAR. Every length is bounded
 * and every checksum checked; without usable tables we assume one CPU and
 * the standard APIC addresses. The loader gives a copy of the RSDP; where
 * the firmware's own is (for user space's ACPI interpreter) is found by
 * looking for the same bytes where the firmware keeps it.
 */
#include <types.h>
#include <kprintf.h>
#include <arch/mm.h>
#include <arch/platform.h>

struct platform platform;

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static bool checksum_ok(const void *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static const struct sdt_header *table_at(uint64_t pa)
{
	if (!pa || pa >= (4ull << 30))
		return NULL;
	const struct sdt_header *h = phys_to_virt(pa);
	if (h->length < sizeof(*h) || h->length > (1u << 20) || !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static uint32_t boot_apic_id(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return b >> 24;
}

static void parse_madt(const struct sdt_header *h)
{
	const uint8_t *p = (const uint8_t *)h;
	uint32_t len = h->length;
	if (len < 44)
		return;
	platform.lapic_paddr = *(const uint32_t *)(p + 36);
	uint32_t bsp = boot_apic_id();
	unsigned n = 1;
	bool bsp_seen = false;
	platform.apic_id[0] = bsp;
	for (uint32_t off = 44; off + 2 <= len;) {
		uint8_t type = p[off], elen = p[off + 1];
		if (elen < 2 || off + elen > len)
			break;
		const uint8_t *e = p + off;
		if (type == 0 && elen >= 8) {
			uint32_t flags = *(const uint32_t *)(e + 4);
			uint8_t id = e[3];
			if (flags & 1) {
				if (id == bsp)
					bsp_seen = true;
				else if (n < ABI_MAX_CPUS)
					platform.apic_id[n++] = id;
			}
		} else if (type == 1 && elen >= 12 && platform.nioapic < MAX_IOAPICS) {
			struct ioapic_info *io = &platform.ioapic[platform.nioapic++];
			io->id = e[2];
			io->paddr = *(const uint32_t *)(e + 4);
			io->gsi_base = *(const uint32_t *)(e + 8);
		} else if (type == 2 && elen >= 10 && platform.niso < MAX_ISO) {
			struct irq_override *o = &platform.iso[platform.niso++];
			uint16_t fl = *(const uint16_t *)(e + 8);
			o->isa_irq = e[3];
			o->gsi = *(const uint32_t *)(e + 4);
			o->active_low = (fl & 3) == 3;
			o->level = ((fl >> 2) & 3) == 3;
		} else if (type == 5 && elen >= 12) {
			platform.lapic_paddr = *(const uint64_t *)(e + 4);
		}
		off += elen;
	}
	(void)bsp_seen;
	platform.ncpus = n;
}

/* An RSDP at physical pa (below 4 GiB, in the direct map) with the same
 * len bytes as the loader's copy. */
static bool same_rsdp(uint64_t pa, const uint8_t *copy, uint32_t len)
{
	return pa && pa < (4ull << 30) - len && !memcmp(phys_to_virt(pa), copy, len);
}

/* The EFI system table's configuration tables: the ACPI 2.0 or 1.0 entry. */
static uint64_t efi_rsdp(uint64_t systab, const uint8_t *copy, uint32_t len)
{
	static const uint8_t acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
					    0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
	static const uint8_t acpi10[16] = { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
					    0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
	if (!systab || systab >= (4ull << 30) - 120)
		return 0;
	const uint8_t *st = phys_to_virt(systab);
	if (*(const uint64_t *)st != 0x5453595320494249ull)   /* "IBI SYST" */
		return 0;
	uint64_t n = *(const uint64_t *)(st + 104), tab = *(const uint64_t *)(st + 112);
	if (n > 1024 || !tab || tab >= (4ull << 30) - n * 24)
		return 0;
	const uint8_t *ct = phys_to_virt(tab);
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *e = ct + i * 24;
		uint64_t pa = *(const uint64_t *)(e + 16);
		if ((!memcmp(e, acpi20, 16) || !memcmp(e, acpi10, 16)) && same_rsdp(pa, copy, len))
			return pa;
	}
	return 0;
}

/* BIOS: the first KiB of the EBDA and 0xe0000..0xfffff, on 16-byte
 * boundaries (ACPI 5.2.5.1). */
static uint64_t bios_rsdp(const uint8_t *copy, uint32_t len)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		for (uint64_t pa = ebda; pa < ebda + 1024; pa += 16)
			if (same_rsdp(pa, copy, len))
				return pa;
	for (uint64_t pa = 0xe0000; pa < 0x100000; pa += 16)
		if (same_rsdp(pa, copy, len))
			return pa;
	return 0;
}

int acpi_init(uint64_t rsdp_paddr, uint64_t efi_systab)
{
	platform.ncpus = 1;
	platform.lapic_paddr = 0xfee00000;
	const uint8_t *rsdp = rsdp_paddr ? phys_to_virt(rsdp_paddr) : NULL;
	if (!rsdp || memcmp(rsdp, "RSD PTR ", 8) || !checksum_ok(rsdp, 20))
		goto defaults;
	uint8_t rev = rsdp[15];
	uint64_t root;
	bool xsdt = false;
	uint32_t xlen = *(const uint32_t *)(rsdp + 20);
	if (rev >= 2 && xlen >= 36 && xlen <= 64 && checksum_ok(rsdp, xlen) && *(const uint64_t *)(rsdp + 24)) {
		root = *(const uint64_t *)(rsdp + 24);
		xsdt = true;
	} else {
		root = *(const uint32_t *)(rsdp + 16);
	}
	const struct sdt_header *rt = table_at(root);
	if (!rt)
		goto defaults;
	platform.acpi_revision = rev;
	if (xsdt)
		platform.xsdt_paddr = root;
	if (table_at(*(const uint32_t *)(rsdp + 16)))
		platform.rsdt_paddr = *(const uint32_t *)(rsdp + 16);
	uint32_t rlen = xsdt ? xlen : 20;
	platform.rsdp_paddr = efi_systab ? efi_rsdp(efi_systab, rsdp, rlen) : bios_rsdp(rsdp, rlen);
	unsigned esize = xsdt ? 8 : 4;
	unsigned count = (rt->length - sizeof(*rt)) / esize;
	const uint8_t *ents = (const uint8_t *)rt + sizeof(*rt);
	for (unsigned i = 0; i < count; i++) {
		uint64_t pa = xsdt ? *(const uint64_t *)(ents + i * 8) : *(const uint32_t *)(ents + i * 4);
		const struct sdt_header *h = table_at(pa);
		if (!h)
			continue;
		if (!memcmp(h->sig, "APIC", 4))
			parse_madt(h);
		else if (!memcmp(h->sig, "HPET", 4) && h->length >= 56)
			platform.hpet_paddr = *(const uint64_t *)((const uint8_t *)h + 44);
		else if (!memcmp(h->sig, "DMAR", 4))
			platform.dmar = true;
	}
	if (!platform.nioapic)
		goto defaults;
	kprintf("acpi: %u CPU%s, %u IOAPIC%s, %s%s\n", platform.ncpus, platform.ncpus > 1 ? "s" : "",
		platform.nioapic, platform.nioapic > 1 ? "s" : "", platform.hpet_paddr ? "HPET" : "no HPET",
		platform.dmar ? ", DMAR" : "");
	return 0;
defaults:
	kprintf("acpi: no usable tables, assuming 1 CPU and standard APIC addresses\n");
	platform.ncpus = 1;
	platform.apic_id[0] = boot_apic_id();
	platform.nioapic = 1;
	platform.ioapic[0].paddr = 0xfec00000;
	platform.ioapic[0].gsi_base = 0;
	return -1;
}

uint32_t platform_isa_to_gsi(unsigned isa_irq, int *level, int *active_low)
{
	for (unsigned i = 0; i < platform.niso; i++) {
		if (platform.iso[i].isa_irq == isa_irq) {
			*level = platform.iso[i].level;
			*active_low = platform.iso[i].active_low;
			return platform.iso[i].gsi;
		}
	}
	*level = 0;
	*active_low = 0;
	return isa_irq;
}
