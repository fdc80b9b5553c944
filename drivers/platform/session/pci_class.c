/*
 * PCI class names (pci_class.h): one table for everything that reads
 * platform policies and driver manifests.
 */
#include <argil/string.h>
#include <pci_class.h>

static const struct { const char *name; uint32_t value, mask; } classes[] = {
	{ "AHCI", 0x010601, 0xffffff }, { "NVME", 0x010802, 0xffffff },
	{ "IDE", 0x010100, 0xffff00 },  { "USB", 0x0c0300, 0xffff00 },
	{ "VGA", 0x030000, 0xffff00 },  { "DISPLAY", 0x030000, 0xff0000 },
	{ "ETHERNET", 0x020000, 0xffff00 }, { "AUDIO", 0x040300, 0xffff00 },
	{ "ISA_BRIDGE", 0x060100, 0xffff00 }, { "HOST_BRIDGE", 0x060000, 0xffff00 },
	{ "PCI_BRIDGE", 0x060400, 0xffff00 },
};

static unsigned hexdigit(char c)
{
	return c >= '0' && c <= '9' ? (unsigned)(c - '0')
	     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
	     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
}

bool pci_class_parse(const char *name, uint32_t *value, uint32_t *mask)
{
	uint32_t v = 0, m = 0;
	bool ok = false;

	for (unsigned i = 0; i < sizeof(classes) / sizeof(classes[0]) && !ok; i++)
		if (!strcmp(name, classes[i].name)) {
			v = classes[i].value;
			m = classes[i].mask;
			ok = true;
		}
	if (!ok && name[0] == '0' && name[1] == 'x') {
		size_t n = strlen(name + 2);
		ok = n == 2 || n == 4 || n == 6;
		for (size_t i = 0; ok && i < n; i++) {
			unsigned d = hexdigit(name[2 + i]);
			ok = d < 16;
			v = v << 4 | d;
		}
		if (ok) {
			v <<= 4 * (6 - n);
			m = (0xffffffu << 4 * (6 - n)) & 0xffffff;
		}
	}
	if (ok && value)
		*value = v;
	if (ok && mask)
		*mask = m;
	return ok;
}
