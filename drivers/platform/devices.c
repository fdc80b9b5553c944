/*
 * The devices platform knows (platform.h): read from the `devices` report
 * (ROM "devices", docs/devices.md) whenever it changes, and the `acpi`
 * report (ROM "acpi") for ECAM, the DMAR unit and its reserved regions.
 * Both ROMs are optional: without "devices" no device is visible, without
 * "acpi" configuration space stays on mechanism #1 and there is no IOMMU.
 *
 * A device keeps its entry (and so its holder's pointers) across reports;
 * a held device that a new report no longer lists is released. Also the
 * "platform" report: devices and their holders, the IOMMU, its faults.
 */
#include <argil/args.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>
#include "pci.h"
#include "platform.h"

struct pdev devices[MAX_DEVICES];
unsigned ndevices;
word_t devices_version = 1;

static struct config_rom devices_rom, acpi_rom;
static bool have_devices_rom, have_acpi_rom;
static struct reporter report;
static bool report_open, report_failed;
static struct entrypoint *ep_of_devices;

struct pdev *device_by_name(const char *name)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].present && !strcmp(devices[i].name, name))
			return &devices[i];
	return 0;
}

struct pdev *device_by_bdf(unsigned bdf)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].present && devices[i].pci && devices[i].bdf == bdf)
			return &devices[i];
	return 0;
}

/* ---- reading the report (device_parse: model.c) ---- */

const struct cfg_node *device_node(const struct pdev *d)
{
	if (!devices_rom.node)
		return 0;
	for (const struct cfg_node *n = cfg_child(devices_rom.node, "device"); n;
	     n = cfg_next(n, "device"))
		if (cfg_attr_is(n, "name", d->name))
			return n;
	return 0;
}

static void devices_changed(void *arg)
{
	(void)arg;
	config_rom_update(&devices_rom);
	const struct cfg_node *top = devices_rom.node;
	if (!top && devices_rom.err.msg)
		log("error: devices report:%u:%u: %s", devices_rom.err.line, devices_rom.err.col,
		    devices_rom.err.msg);
	if (top && !cfg_is(top, "devices")) {
		log("error: devices report: expected <devices>");
		top = 0;
	}
	for (unsigned i = 0; i < ndevices; i++)
		devices[i].present = false;
	unsigned count = 0;
	for (const struct cfg_node *n = cfg_child(top, "device"); n; n = cfg_next(n, "device")) {
		static struct pdev nd;
		const char *why = 0;
		if (!device_parse(n, &nd, &why)) {
			log("error: devices report:%u:%u: <device> ignored (%s)", n->line, n->col, why);
			continue;
		}
		struct pdev *d = 0, *free_slot = 0;
		for (unsigned i = 0; i < ndevices && !d; i++) {
			if (!strcmp(devices[i].name, nd.name) && (devices[i].holder ||
								  devices[i].hp_port ||
								  !devices[i].present))
				d = &devices[i];
			else if (!devices[i].present && !devices[i].holder && !devices[i].hp_port &&
				 !free_slot)
				free_slot = &devices[i];
		}
		if (d && d->present)
			continue;   /* a duplicate name */
		if (d && d->hp_port) {
			/* a hot-plug port platform drives keeps its interrupt */
			if (d->pci == nd.pci && d->bdf == nd.bdf && d->vendor == nd.vendor &&
			    d->product == nd.product) {
				d->present = true;
				count++;
				continue;
			}
			log("error: hot-plug port %s changed in the devices report: ignored", d->name);
			continue;
		}
		if (d && d->holder) {
			/* held: it keeps what it is until released */
			if (d->pci != nd.pci || d->bdf != nd.bdf || d->vendor != nd.vendor ||
			    d->product != nd.product) {
				log("device %s changed under its holder: released", d->name);
				device_release(d);
			} else {
				d->present = true;
				count++;
				continue;
			}
		}
		if (!d)
			d = free_slot;
		if (!d && ndevices < MAX_DEVICES)
			d = &devices[ndevices++];
		if (!d) {
			log("error: more than %u devices: %s ignored", MAX_DEVICES, nd.name);
			continue;
		}
		*d = nd;
		d->irq_kind = -1;
		d->present = true;
		count++;
	}
	for (unsigned i = 0; i < ndevices; i++)
		if (!devices[i].present && devices[i].holder) {
			log("device %s is gone: released", devices[i].name);
			device_release(&devices[i]);
		}
	devices_version++;
	if (verbose)
		log("devices report: %u devices", count);
	hotplug_scan();
	sessions_changed();
	platform_report();
}

static bool u64_attr(const struct cfg_node *n, const char *name, uint64_t max, uint64_t *v)
{
	return cfg_attr_u64(n, name, 0, v) == 1 && *v <= max;
}

static void acpi_changed(void *arg)
{
	(void)arg;
	config_rom_update(&acpi_rom);
	const struct cfg_node *top = acpi_rom.node;
	if (!top || !cfg_is(top, "acpi"))
		return;
	const struct cfg_node *e = cfg_child(top, "ecam");
	uint64_t base, size, seg = 0, first = 0, last = 255;
	if (e && u64_attr(e, "base", ~0ull, &base) && u64_attr(e, "size", ~0ull, &size) &&
	    cfg_attr_u64(e, "segment", 0, &seg) >= 0 && seg == 0 &&
	    cfg_attr_u64(e, "bus_first", 0, &first) >= 0 &&
	    cfg_attr_u64(e, "bus_last", 255, &last) >= 0 && first <= last && last <= 255 &&
	    size >= ((last - first + 1) << 20) && !pci_has_ecam()) {
		pci_set_ecam(base, (unsigned)first, (unsigned)last);
		if (pci_has_ecam())
			log("PCI configuration: ECAM at 0x%lx, buses %lu..%lu", (unsigned long)base,
			    (unsigned long)first, (unsigned long)last);
	}
	/* reserved regions (RMRR) count whenever they come */
	for (const struct cfg_node *r = cfg_child(top, "reserved"); r; r = cfg_next(r, "reserved")) {
		const char *dev = cfg_attr(r, "device");
		char tmp[8];
		uint64_t b = 256, dv = 32, f = 8;
		if (!u64_attr(r, "base", ~0ull, &base) || cfg_attr_u64(r, "size", 0, &size) != 1 ||
		    !dev || strlen(dev) != 7 || dev[2] != ':' || dev[5] != '.') {
			log("error: acpi report:%u:%u: <reserved> ignored", r->line, r->col);
			continue;
		}
		memcpy(tmp, "0x", 2);
		memcpy(tmp + 2, dev, 2);
		tmp[4] = 0;
		if (!args_parse_u64(tmp, &b))
			b = 256;
		memcpy(tmp + 2, dev + 3, 2);
		if (!args_parse_u64(tmp, &dv))
			dv = 32;
		f = (uint64_t)(dev[6] - '0');
		if (b < 256 && dv < 32 && f < 8)
			iommu_reserved(base, size, (unsigned)(b << 8 | dv << 3 | f));
		else
			log("error: acpi report:%u:%u: <reserved> device ignored", r->line, r->col);
	}
	const struct cfg_node *dm = cfg_child(top, "dmar");
	if (dm && u64_attr(dm, "base", ~0ull, &base) && !iommu_present())
		iommu_init(ep_of_devices, base);
	platform_report();
}

void devices_init(struct entrypoint *ep)
{
	ep_of_devices = ep;
	have_devices_rom = config_rom_open(&devices_rom, "devices", ep, devices_changed, 0) ==
			   RPC_OK;
	if (!have_devices_rom)
		log("no devices ROM: no devices");
	have_acpi_rom = config_rom_open(&acpi_rom, "acpi", ep, acpi_changed, 0) == RPC_OK;
	if (!have_acpi_rom)
		log("no acpi ROM: mechanism #1 only, no IOMMU");
	if (have_acpi_rom)
		acpi_changed(0);
	if (have_devices_rom)
		devices_changed(0);
}

/* ---- what a session sees ---- */

size_t devices_print(const struct cfg_node *policy, char *buf, size_t size)
{
	size_t len = 0;
	int n;

	n = snprintf(buf, size, "<devices>\n");
	len += (size_t)n;
	for (unsigned i = 0; i < ndevices; i++) {
		const struct pdev *d = &devices[i];
		const struct cfg_node *node;
		if (!d->present || !policy_permits(policy, d) || !(node = device_node(d)))
			continue;
		len += cfg_print(node, len < size ? buf + len : 0, len < size ? size - len : 0);
	}
	n = snprintf(len < size ? buf + len : 0, len < size ? size - len : 0, "</devices>\n");
	return len + (size_t)n;
}

/* ---- the platform report ---- */

#define REPORT_SIZE (16 * 1024)

void platform_report(void)
{
	static char buf[REPORT_SIZE];
	struct cfg_writer w;

	if (report_failed)
		return;
	if (!report_open) {
		rpc_status_t st = reporter_open(&report, "platform", REPORT_SIZE);
		if (st != RPC_OK) {
			log("no platform report (%s)", rpc_status_name(st));
			report_failed = true;
			return;
		}
		report_open = true;
	}
	cfg_writer_init(&w, buf, sizeof(buf));
	cfg_node_begin(&w, "platform");
	cfg_node_attr(&w, "iommu", iommu_present() ? "yes" : "no");
	cfg_node_attr(&w, "ecam", pci_has_ecam() ? "yes" : "no");
	if (!iommu_present())
		cfg_node_attr(&w, "dma", "unprotected");
	for (unsigned i = 0; i < ndevices; i++) {
		const struct pdev *d = &devices[i];
		if (!d->present)
			continue;
		cfg_node_begin(&w, "device");
		cfg_node_attr(&w, "name", d->name);
		if (d->holder)
			cfg_node_attr(&w, "holder", d->holder->ss.label);
		if (d->irq_kind >= 0)
			cfg_node_attr(&w, "irq", d->irq_kind == PLATFORM_IRQ_MSIX ? "msix"
					   : d->irq_kind == PLATFORM_IRQ_MSI ? "msi" : "legacy");
		if (d->faults)
			cfg_node_attr_u64(&w, "faults", d->faults);
		cfg_node_end(&w);
	}
	iommu_report(&w);
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w))
		return;
	size_t len = w.len;
	reporter_submit(&report, buf, len);
}
