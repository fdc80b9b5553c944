// sources: drivers/platform/model.c drivers/platform/session/pci_class.c base/src/config_parse.c base/src/config_query.c base/src/string.c
// cflags: -Ibase/arch/x86_64/include -Idrivers/platform -Idrivers/platform/session/include
/*
 * Host unit tests of the platform driver's model (drivers/platform/model.c):
 * <device> nodes of the devices report as platform takes them (every
 * malformed one refused), <policy> nodes of its config (every problem
 * found, with the node), and which devices a policy names.
 */
#include <harness.h>
#include "platform.h"

static const struct cfg_node *parse(const char *doc)
{
	struct cfg_error err;
	size_t len = strlen(doc), size = cfg_arena_size(len);
	void *arena = test_alloc(16, size);
	struct cfg_node *n = cfg_parse(doc, len, arena, size, &err);

	CHECK_MSG(n, "%s at %u:%u", err.msg, err.line, err.col);
	return n;
}

static struct pdev dev;

static const char *refused(const char *doc)
{
	const char *why = 0;

	CHECK(!device_parse(parse(doc), &dev, &why));
	CHECK(why);
	return why;
}

#define E1000 \
	"<device name=\"00:03.0\" type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" " \
	"vendor=\"0x8086\" product=\"0x100e\" class=\"0x020000\">"

TEST(PLATM_0001, "a PCI device: IDs, BARs, the routed line, MSI and MSI-X")
{
	const char *why = 0;

	CHECK(device_parse(parse(
		E1000
		"  <bar index=\"0\" address=\"0xfebc0000\" size=\"0x20000\" type=\"mem32\" prefetchable=\"no\"/>"
		"  <bar index=\"1\" address=\"0xc000\" size=\"0x40\" type=\"io\"/>"
		"  <bar index=\"2\" address=\"0x800000000\" size=\"0x4000\" type=\"mem64\" prefetchable=\"yes\"/>"
		"  <irq type=\"legacy\" pin=\"A\" gsi=\"11\" trigger=\"level\" polarity=\"low\"/>"
		"  <msi vectors=\"4\" address64=\"yes\"/>"
		"  <msix vectors=\"3\" table_bar=\"2\" table_offset=\"0x1000\" pba_bar=\"2\" pba_offset=\"0x2000\"/>"
		"</device>"), &dev, &why));
	CHECK(dev.pci);
	CHECK(!strcmp(dev.name, "00:03.0"));
	CHECK_EQ(dev.bdf, 3 << 3);
	CHECK_EQ(dev.vendor, 0x8086);
	CHECK_EQ(dev.product, 0x100e);
	CHECK_EQ(dev.class, 0x020000);
	CHECK_EQ(dev.bar[0].type, R_MEM32);
	CHECK_EQ(dev.bar[0].base, 0xfebc0000);
	CHECK_EQ(dev.bar[0].size, 0x20000);
	CHECK_EQ(dev.bar[1].type, R_IO);
	CHECK_EQ(dev.bar[2].type, R_MEM64);
	CHECK(dev.bar[2].prefetchable);
	CHECK_EQ(dev.bar[3].type, R_NONE);
	CHECK(dev.legacy.present);
	CHECK_EQ(dev.legacy.gsi, 11);
	CHECK(dev.legacy.level);
	CHECK(dev.legacy.low);
	CHECK_EQ(dev.msi_vectors, 4);
	CHECK_EQ(dev.msix_vectors, 3);
	CHECK_EQ(dev.msix_table_bar, 2);
	CHECK_EQ(dev.msix_table_offset, 0x1000);
}

TEST(PLATM_0002, "an MSI-X table outside a memory BAR is not used")
{
	const char *why = 0;

	CHECK(device_parse(parse(E1000
		"<bar index=\"1\" address=\"0xc000\" size=\"0x40\" type=\"io\"/>"
		"<msix vectors=\"3\" table_bar=\"1\" table_offset=\"0\" pba_bar=\"1\" pba_offset=\"0x20\"/>"
		"</device>"), &dev, &why));
	CHECK_EQ(dev.msix_vectors, 0);
	CHECK(device_parse(parse(E1000
		"<bar index=\"0\" address=\"0xfebc0000\" size=\"0x1000\" type=\"mem32\"/>"
		"<msix vectors=\"300\" table_bar=\"0\" table_offset=\"0\" pba_bar=\"0\" pba_offset=\"0x800\"/>"
		"</device>"), &dev, &why));
	CHECK_EQ(dev.msix_vectors, 0);
	CHECK(device_parse(parse(E1000
		"<msix vectors=\"3\" table_bar=\"4\" table_offset=\"0\" pba_bar=\"4\" pba_offset=\"0x800\"/>"
		"</device>"), &dev, &why));
	CHECK_EQ(dev.msix_vectors, 0);
}

TEST(PLATM_0003, "malformed PCI devices are refused")
{
	static const char *const bad[] = {
		"<device type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" vendor=\"1\" product=\"1\" class=\"1\"/>",
		"<device name=\"this-name-is-far-too-long\" type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" vendor=\"1\" product=\"1\" class=\"1\"/>",
		"<device name=\"x\" type=\"usb\"/>",
		"<device name=\"x\" type=\"pci\" bus=\"256\" device=\"3\" function=\"0\" vendor=\"1\" product=\"1\" class=\"1\"/>",
		"<device name=\"x\" type=\"pci\" bus=\"0\" device=\"32\" function=\"0\" vendor=\"1\" product=\"1\" class=\"1\"/>",
		"<device name=\"x\" type=\"pci\" bus=\"0\" device=\"3\" function=\"8\" vendor=\"1\" product=\"1\" class=\"1\"/>",
		"<device name=\"x\" type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" product=\"1\" class=\"1\"/>",
		"<device name=\"x\" type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" vendor=\"0x10000\" product=\"1\" class=\"1\"/>",
		"<device name=\"x\" type=\"pci\" bus=\"0\" device=\"3\" function=\"0\" vendor=\"1\" product=\"1\" class=\"0x1000000\"/>",
		E1000 "<bar index=\"6\" address=\"0x1000\" size=\"0x1000\" type=\"mem32\"/></device>",
		E1000 "<bar index=\"0\" address=\"0x1000\" size=\"0x1000\" type=\"mem32\"/>"
		      "<bar index=\"0\" address=\"0x2000\" size=\"0x1000\" type=\"mem32\"/></device>",
		E1000 "<bar index=\"0\" address=\"0x1000\" size=\"0x3000\" type=\"mem32\"/></device>",
		E1000 "<bar index=\"0\" address=\"0x1000\" size=\"0x2000\" type=\"mem32\"/></device>",
		E1000 "<bar index=\"0\" address=\"0x1000\" size=\"0\" type=\"mem32\"/></device>",
		E1000 "<bar index=\"0\" address=\"0xfffffffffffff000\" size=\"0x2000\" type=\"mem64\"/></device>",
		E1000 "<bar index=\"0\" address=\"0x1000\" size=\"0x1000\" type=\"rom\"/></device>",
		E1000 "<bar index=\"0\" address=\"0x1000\" size=\"0x1000\"/></device>",
		E1000 "<irq type=\"legacy\" pin=\"A\" gsi=\"11\" trigger=\"both\" polarity=\"low\"/></device>",
		E1000 "<irq type=\"legacy\" pin=\"A\" gsi=\"11\" trigger=\"level\" polarity=\"up\"/></device>",
		E1000 "<irq type=\"legacy\" pin=\"A\" gsi=\"256\" trigger=\"level\" polarity=\"low\"/></device>",
		E1000 "<msi vectors=\"0\"/></device>",
		E1000 "<msi vectors=\"64\"/></device>",
		E1000 "<msix vectors=\"3\" table_bar=\"7\" table_offset=\"0\" pba_bar=\"0\"/></device>",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_MSG(refused(bad[i]), "case %u", i);
}

TEST(PLATM_0004, "an ISA device: its <io>, <mem> and <irq> nodes by index; bad ones refused")
{
	const char *why = 0;

	CHECK(device_parse(parse(
		"<device name=\"ps2\" type=\"isa\">"
		"  <io base=\"0x60\" size=\"1\"/> <io base=\"0x64\" size=\"1\"/>"
		"  <irq type=\"isa\" irq=\"1\" gsi=\"1\" trigger=\"edge\" polarity=\"high\"/>"
		"  <irq type=\"isa\" irq=\"12\" gsi=\"12\" trigger=\"edge\" polarity=\"high\"/>"
		"</device>"), &dev, &why));
	CHECK(!dev.pci);
	CHECK_EQ(dev.io[0].base, 0x60);
	CHECK_EQ(dev.io[1].base, 0x64);
	CHECK_EQ(dev.io[1].type, R_IO);
	CHECK_EQ(dev.io[2].type, R_NONE);
	CHECK(dev.isa_irq[1].present);
	CHECK_EQ(dev.isa_irq[1].gsi, 12);
	CHECK(!dev.isa_irq[1].level);
	CHECK(device_parse(parse("<device name=\"hpet\" type=\"isa\"><mem base=\"0xfed00000\" size=\"0x400\"/></device>"),
			   &dev, &why));
	CHECK_EQ(dev.bar[0].type, R_MEM32);
	CHECK_EQ(dev.bar[0].base, 0xfed00000);
	/* the boot framebuffer (pci_decode's type boot) is taken as an ISA device */
	CHECK(device_parse(parse("<device name=\"framebuffer\" type=\"boot\"><mem base=\"0xfd000000\" "
				 "size=\"0x300000\"/></device>"), &dev, &why));
	CHECK(!dev.pci);
	CHECK_EQ(dev.bar[0].type, R_MEM32);
	CHECK_EQ(dev.bar[0].size, 0x300000);
	refused("<device name=\"x\" type=\"vga\"/>");
	refused("<device name=\"x\" type=\"isa\"><io base=\"0xffff\" size=\"2\"/></device>");
	refused("<device name=\"x\" type=\"isa\"><io base=\"0x60\" size=\"0\"/></device>");
	refused("<device name=\"x\" type=\"isa\"><io base=\"0x60\" size=\"1\"/><io base=\"0x61\" size=\"1\"/>"
		"<io base=\"0x62\" size=\"1\"/><io base=\"0x63\" size=\"1\"/><io base=\"0x64\" size=\"1\"/></device>");
	refused("<device name=\"x\" type=\"isa\"><irq type=\"isa\" irq=\"1\" trigger=\"edge\" polarity=\"high\"/></device>");
}

TEST(PLATM_0005, "policies: every problem found, with the node it is in")
{
	const struct cfg_node *at;
	static const char *const good[] = {
		"<policy label=\"acpi\" pci_config=\"yes\"/>",
		"<policy label_prefix=\"drivers -> \" label_suffix=\"ahci\"> <pci class=\"AHCI\"/> </policy>",
		"<policy label_last=\"nic\"> <pci class=\"0x02\"/> <pci class=\"0x0200\"/> <pci class=\"0x020000\"/> </policy>",
		"<policy> <pci vendor=\"0x1af4\"/> <pci vendor=\"0x1af4\" product=\"0x1044\"/> <device name=\"ps2\"/> </policy>",
	};
	static const char *const bad[] = {
		"<policy labl=\"x\"/>",
		"<policy pci_config=\"maybe\"/>",
		"<policy> <device/> </policy>",
		"<policy> <device name=\"ps2\" kind=\"isa\"/> </policy>",
		"<policy> <pci/> </policy>",
		"<policy> <pci product=\"0x1\"/> </policy>",
		"<policy> <pci vendor=\"0x10000\"/> </policy>",
		"<policy> <pci vendor=\"0x1af4\" product=\"x\"/> </policy>",
		"<policy> <pci class=\"SCANNER\"/> </policy>",
		"<policy> <pci class=\"0x123\"/> </policy>",
		"<policy> <pci class=\"0xzz\"/> </policy>",
		"<policy> <pci class=\"AHCI\" colour=\"red\"/> </policy>",
		"<policy> <usb/> </policy>",
	};
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK_MSG(!policy_problem(parse(good[i]), &at), "good %u", i);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct cfg_node *p = parse(bad[i]);
		CHECK_MSG(policy_problem(p, &at), "bad %u", i);
		CHECK_MSG(at == p || at->parent == p, "bad %u: the node", i);
	}
	const struct cfg_node *p = parse("<policy>\n <device name=\"a\"/>\n <pci colour=\"x\"/>\n</policy>");
	CHECK(policy_problem(p, &at));
	CHECK_EQ(at->line, 3);
}

TEST(PLATM_0006, "which devices a policy names: by name, class (name or number), vendor and product")
{
	struct pdev ahci = { .name = "00:1f.2", .pci = true, .vendor = 0x8086, .product = 0x2922, .class = 0x010601 };
	struct pdev ide = { .name = "00:01.1", .pci = true, .vendor = 0x8086, .product = 0x7010, .class = 0x010180 };
	struct pdev rng = { .name = "00:04.0", .pci = true, .vendor = 0x1af4, .product = 0x1044, .class = 0x00ff00 };
	struct pdev blk = { .name = "00:05.0", .pci = true, .vendor = 0x1af4, .product = 0x1042, .class = 0x010000 };
	struct pdev ps2 = { .name = "ps2", .pci = false };

	const struct cfg_node *p = parse("<policy> <pci class=\"AHCI\"/> </policy>");
	CHECK(policy_permits(p, &ahci));
	CHECK(!policy_permits(p, &ide));
	p = parse("<policy> <pci class=\"0x01\"/> </policy>");
	CHECK(policy_permits(p, &ahci));
	CHECK(policy_permits(p, &ide));
	CHECK(policy_permits(p, &blk));
	CHECK(!policy_permits(p, &rng));
	CHECK(!policy_permits(p, &ps2));
	p = parse("<policy> <pci class=\"IDE\"/> </policy>");
	CHECK(policy_permits(p, &ide));
	CHECK(!policy_permits(p, &ahci));
	p = parse("<policy> <pci vendor=\"0x1af4\" product=\"0x1044\"/> </policy>");
	CHECK(policy_permits(p, &rng));
	CHECK(!policy_permits(p, &blk));
	p = parse("<policy> <pci vendor=\"0x1af4\"/> </policy>");
	CHECK(policy_permits(p, &rng));
	CHECK(policy_permits(p, &blk));
	CHECK(!policy_permits(p, &ahci));
	p = parse("<policy> <device name=\"ps2\"/> <device name=\"00:1f.2\"/> </policy>");
	CHECK(policy_permits(p, &ps2));
	CHECK(policy_permits(p, &ahci));
	CHECK(!policy_permits(p, &ide));
	p = parse("<policy label=\"raw\" pci_config=\"yes\"/>");
	CHECK(!policy_permits(p, &ahci));
	CHECK(!policy_permits(p, &ps2));
	CHECK(!policy_permits(0, &ahci));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
