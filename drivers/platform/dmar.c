/*
 * The DMAR unit straight from the ACPI tables, for as long as no acpi
 * report names one (docs/devices.md): the RSDT/XSDT from the
 * platform_info ROM, the table with signature "DMAR", its first DRHD of
 * segment 0 that covers all devices (INCLUDE_PCI_ALL), or the only DRHD
 * when there is just one (QEMU's lists its devices), and its RMRRs. The
 * tables' memory is read through IO_MEM sessions that are closed at once
 * (acpi wants the same pages). Formats: ACPI 6.x 5.2 (RSDT, XSDT) and the
 * VT-d specification 8 (DMAR).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/io.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "pci.h"
#include "platform.h"

#define TABLE_MAX (64 * 1024)

/* Copy physical bytes [addr, addr + len) into buf. */
static bool phys_read(uint64_t addr, void *buf, size_t len)
{
	struct parent_conn s;
	char args[64];
	cptr_t ds;
	word_t at;
	uint64_t base = addr & ~0xfffull, end = (addr + len + 0xfff) & ~0xfffull;

	if (!len || addr + len < addr || end - base > TABLE_MAX + 4096)
		return false;
	snprintf(args, sizeof(args), "base=0x%lx, size=0x%lx", (unsigned long)base,
		 (unsigned long)(end - base));
	rpc_status_t st = parent_conn_open(&s, "IO_MEM", "acpi tables", args, 32768,
					   16 + (end - base) / 4096);
	if (st != RPC_OK) {
		log("ACPI tables: IO_MEM %s: %s", args, rpc_status_name(st));
		return false;
	}
	bool ok = io_mem_dataspace(s.cap, &ds, 0, 0) == RPC_OK;
	if (ok) {
		ok = pd_attach(COMPONENT_PD, ds, 0, 0, 0, 0, &at) == RPC_OK;
		if (ok) {
			memcpy(buf, (const void *)(at + (addr - base)), len);
			pd_detach(COMPONENT_PD, at);
		}
		cap_slot_free(ds);
	}
	dev_session_close(&s);
	return ok;
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static bool checksum_ok(const uint8_t *t, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += t[i];
	return sum == 0;
}

/* The table at addr with a valid header and checksum into buf (len). */
static bool read_table(uint64_t addr, uint8_t *buf, size_t max, uint32_t *len)
{
	if (!phys_read(addr, buf, 36))
		return false;
	*len = le32(buf + 4);
	if (*len < 36 || *len > max || !phys_read(addr, buf, *len))
		return false;
	return checksum_ok(buf, *len);
}

/* The bus:dev.fn a device scope path leads to (bridges followed through
 * their secondary bus numbers); -1 if it does not lead anywhere. */
static int scope_bdf(unsigned bus, const uint8_t *path, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned dev = path[2 * i], fn = path[2 * i + 1];
		if (dev > 31 || fn > 7)
			return -1;
		unsigned bdf = bus << 8 | dev << 3 | fn;
		if (i + 1 == n)
			return (int)bdf;
		if ((pci_rd(bdf, PCI_HEADER_TYPE, 1) & 0x7f) != 1)
			return -1;
		bus = pci_rd(bdf, 0x19, 1);
	}
	return -1;
}

static uint8_t table[TABLE_MAX];

void dmar_from_tables(struct entrypoint *ep)
{
	struct config_rom info;
	uint64_t rsdt = 0, xsdt = 0, dmar = 0;
	uint32_t len;

	if (config_rom_open(&info, "platform_info", 0, 0, 0) != RPC_OK) {
		log("no platform_info ROM: no ACPI tables read");
		return;
	}
	const struct cfg_node *a = cfg_child(info.node, "acpi");
	cfg_attr_u64(a, "rsdt", 0, &rsdt);
	cfg_attr_u64(a, "xsdt", 0, &xsdt);
	config_rom_close(&info, 0);
	bool wide = xsdt != 0;
	if (!rsdt && !xsdt)
		return;
	if (!read_table(wide ? xsdt : rsdt, table, sizeof(table), &len) ||
	    memcmp(table, wide ? "XSDT" : "RSDT", 4)) {
		log("ACPI tables: no valid %s at 0x%lx", wide ? "XSDT" : "RSDT",
		    (unsigned long)(wide ? xsdt : rsdt));
		return;
	}
	unsigned entry = wide ? 8 : 4, n = (len - 36) / entry;
	static uint64_t tables[512];
	if (n > 512)
		n = 512;
	for (unsigned i = 0; i < n; i++)
		tables[i] = wide ? le64(table + 36 + 8 * i) : le32(table + 36 + 4 * i);
	for (unsigned i = 0; i < n && !dmar; i++) {
		uint8_t sig[4];
		if (phys_read(tables[i], sig, 4) && !memcmp(sig, "DMAR", 4))
			dmar = tables[i];
	}
	if (!dmar)
		return;
	if (!read_table(dmar, table, sizeof(table), &len) || len < 48) {
		log("error: ACPI DMAR table at 0x%lx unreadable or bad checksum", (unsigned long)dmar);
		return;
	}
	uint64_t unit = 0, scoped = 0;
	unsigned units = 0, scoped_units = 0;
	for (uint32_t off = 48; off + 4 <= len;) {
		unsigned type = le16(table + off), l = le16(table + off + 2);
		if (l < 4 || off + l > len)
			break;
		const uint8_t *s = table + off;
		if (type == 0 && l >= 16) {            /* DRHD */
			units++;
			if ((s[4] & 1) && le16(s + 6) == 0 && !unit)
				unit = le64(s + 8);
			else if (le16(s + 6) == 0) {
				scoped_units++;
				scoped = le64(s + 8);
			}
		} else if (type == 1 && l >= 24 && le16(s + 6) == 0) {   /* RMRR */
			uint64_t base = le64(s + 8), limit = le64(s + 16);
			for (unsigned p = 24; p + 6 <= l;) {
				unsigned sl = s[p + 1];
				if (sl < 6 || p + sl > l)
					break;
				int bdf = scope_bdf(s[p + 5], s + p + 6, (sl - 6) / 2);
				if (s[p] == 1 && bdf >= 0 && limit > base)
					iommu_reserved(base & ~0xfffull,
						       ((limit | 0xfff) + 1) - (base & ~0xfffull),
						       (unsigned)bdf);
				p += sl;
			}
		}
		off += l;
	}
	/* a single unit that lists its devices (QEMU's) is taken as the one */
	if (!unit && units == 1 && scoped_units == 1)
		unit = scoped;
	if (!unit) {
		log("ACPI DMAR table: no unit for all devices of segment 0: DMA unprotected");
		return;
	}
	if (units > 1)
		log("ACPI DMAR table: %u units, only the one for all devices (0x%lx) is used", units,
		    (unsigned long)unit);
	log("ACPI DMAR table: VT-d unit at 0x%lx", (unsigned long)unit);
	iommu_init(ep, unit);
}
