/*
 * platform_test: the platform driver (drivers/platform, docs/devices.md)
 * against the real devices of the QEMU machine. Started by core as init;
 * platform is its child (testbed.h), configured by the test through its
 * dynamic config ROM; the test opens Platform sessions under the labels
 * the policies name.
 */
#include <argil/kernel.h>
#include <platform_session.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define PLATFORM_RAM (8 * MB)
#define PLATFORM_CAPS 2048
#define PLATFORM_PRIO 200

static struct tb_child *platform;

static const char *const base_config =
	"<config>\n"
	"  <policy label=\"raw\" pci_config=\"yes\"/>\n"
	"  <policy label=\"noraw\"/>\n"
	"</config>\n";

static void setup(void)
{
	CHECK_OK(tb_start(&platform, "platform", "platform", PLATFORM_RAM, PLATFORM_CAPS,
			  PLATFORM_PRIO, base_config));
	CHECK(tb_wait_announce(platform, PLATFORM_SERVICE));
}

static void open_platform(struct tb_own *o, const char *label)
{
	CHECK_OK(tb_open(o, platform, PLATFORM_SERVICE, label, "", PLATFORM_SESSION_RAM,
			 PLATFORM_SESSION_CAPS));
}

static uint32_t raw_read(struct tb_own *o, word_t bdf, word_t off, word_t width)
{
	word_t v = 0;

	CHECK_OK(platform_pci_config_read(o->cap, bdf, off, width, &v));
	return (uint32_t)v;
}

TB_TEST(PLAT_0001, "raw configuration space: the host bridge at 00:00.0")
{
	struct tb_own o;

	open_platform(&o, "raw");
	uint32_t id = raw_read(&o, 0, 0, 4);
	CHECK_EQ(id & 0xffff, 0x8086);
	CHECK_EQ(raw_read(&o, 0, 0, 2), 0x8086);
	CHECK_EQ(raw_read(&o, 0, 2, 2), id >> 16);
	CHECK_EQ(raw_read(&o, 0, 1, 1), 0x80);
	/* class: host bridge 06 00 */
	CHECK_EQ(raw_read(&o, 0, 0x0a, 2), 0x0600);
	/* an absent function reads all ones */
	CHECK_EQ(raw_read(&o, PLATFORM_BDF(0, 31, 7), 0, 4), 0xffffffffu);
	/* a write that does nothing harmful and reads back: the interrupt line
	 * of the host bridge (scratch in QEMU's emulation of config space) */
	uint32_t line = raw_read(&o, 0, 0x3c, 1);
	CHECK_OK(platform_pci_config_write(o.cap, 0, 0x3c, 1, line));
	CHECK_EQ(raw_read(&o, 0, 0x3c, 1), line);
	CHECK_OK(tb_close(&o));
}

TB_TEST(PLAT_0002, "raw configuration space only with pci_config=\"yes\"; no policy: no session")
{
	struct tb_own o;
	word_t v = 0;

	open_platform(&o, "noraw");
	CHECK_ST(platform_pci_config_read(o.cap, 0, 0, 4, &v), RPC_E_DENIED);
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 1, 0), RPC_E_DENIED);
	CHECK_OK(tb_close(&o));
	CHECK_ST(tb_open(&o, platform, PLATFORM_SERVICE, "nobody", "", PLATFORM_SESSION_RAM,
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

	open_platform(&o, "raw");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_ST(platform_pci_config_read(o.cap, bad[i][0], bad[i][1], bad[i][2], &v),
			 RPC_E_INVALID_ARGUMENT);
		CHECK_ST(platform_pci_config_write(o.cap, bad[i][0], bad[i][1], bad[i][2], 0),
			 RPC_E_INVALID_ARGUMENT);
	}
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 1, 0x100), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 2, 0x10000), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_pci_config_write(o.cap, 0, 0x3c, 4, 1ul << 32), RPC_E_INVALID_ARGUMENT);
	/* missing words, unknown opcodes */
	struct rpc_msg m;
	rpc_init(&m, PLATFORM_PCI_CONFIG_READ);
	rpc_put(&m, 0);
	CHECK_ST(rpc_call(o.cap, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, 999);
	CHECK_ST(rpc_call(o.cap, &m), RPC_E_ILLEGAL_OPERATION);
	/* still serving */
	CHECK_EQ(raw_read(&o, 0, 0, 2), 0x8086);
	CHECK_OK(tb_close(&o));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("platform_test", setup);
}
