/*
 * platform_test: the platform driver (drivers/platform, docs/devices.md)
 * against real devices of the QEMU machine; the harness (platform_test.c) starts
 * platform and publishes the reports it reads.
 */
#include <argil/kernel.h>
#include "platform_test.h"

/* ---- raw configuration space ---- */

TEST(PLAT_0001, "raw configuration space: the host bridge at 00:00.0")
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

TEST(PLAT_0002, "raw configuration space only with pci_config=\"yes\"; no policy: no session")
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

TEST(PLAT_0003, "raw configuration space: bad bdf, offset, width, value")
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

void devices_text(struct tb_own *o, char *out, word_t max, word_t *version)
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

unsigned count_of(const char *text, const char *what)
{
	unsigned n = 0;
	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

TEST(PLAT_0010, "a session sees only its policy's devices")
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
	CHECK_EQ(count_of(text, "<device "), 2);
	snprintf(want, sizeof(want), "name=\"%s\"", e1000b);
	CHECK(strstr(text, want));
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

TEST(PLAT_0011, "acquire: own device; another device DENIED; a held one BUSY; release")
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

TEST(PLAT_0012, "registers: the BAR as I/O memory, I/O ports, bad indexes and flags")
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
	/* the BAR is uncached; asking for it write-combined now is BUSY */
	word_t dsize, dflags, dphys;
	CHECK_OK(ds_info(m.ds, &dsize, &dflags, &dphys));
	CHECK(dflags & DS_UNCACHED);
	CHECK_ST(platform_io_mem(o.cap, h, 0, PLATFORM_WC, &cap, &size, &offset), RPC_E_BUSY);
	/* after release the mapping is gone: a new holder gets it afresh */
	unmap_bar(&m);
	CHECK_OK(platform_release(o.cap, h));
	CHECK_ST(platform_io_mem(o.cap, h, 0, 0, &cap, &size, &offset), RPC_E_INVALID_ARGUMENT);
	/* write-combined, on a fresh acquire */
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(platform_io_mem(o.cap, h, 0, PLATFORM_WC, &cap, &size, &offset));
	CHECK_OK(ds_info(cap, &dsize, &dflags, &dphys));
	CHECK(dflags & DS_WRITE_COMBINED);
	cap_slot_free(cap);
	CHECK_OK(platform_release(o.cap, h));
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

TEST(PLAT_0013, "configuration space of a held device: platform's registers DENIED")
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

TEST(PLAT_0014, "a new devices report is signalled; a held device that is gone is released")
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
	devices_from(true);              /* our report, without edu */
	wait_bit(5);
	devices_text(&o, text, sizeof(text), &v2);
	CHECK(v2 != version);
	CHECK_EQ(count_of(text, "<device "), 0);
	word_t v = 0;
	CHECK_ST(platform_config_read(o.cap, h, 0, 4, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_acquire(o.cap, edu, &h), RPC_E_DENIED);
	devices_from(false);             /* pci_decode's again */
	wait_bit(5);
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 1);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&raw));
}

/* ---- interrupts ---- */

void edu_irq_rounds(struct tb_own *o, word_t h, struct bar_map *m, int bit)
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

TEST(PLAT_0020, "MSI from edu")
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

TEST(PLAT_0021, "a routed legacy interrupt from e1000")
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

static word_t bdf_of(const char *name)
{
	unsigned v[3] = { 0, 0, 0 };
	for (int i = 0, k = 0; name[i]; i++) {
		char c = name[i];
		if (c == ':' || c == '.')
			k++;
		else
			v[k] = v[k] * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return PLATFORM_BDF(v[0], v[1], v[2]);
}

TEST(PLAT_0023, "a shared legacy line: every holder signalled, unmasked when all acked")
{
	struct tb_own a, b, raw;
	struct bar_map ma, mb;
	word_t ha, hb, kind;

	/* both e1000s route to the same line (the scenario places them so) */
	open_platform(&raw, "raw", 0);
	word_t ba = bdf_of(e1000), bb = bdf_of(e1000b);
	unsigned la = raw_read(&raw, ba, 0x3c, 1), lb = raw_read(&raw, bb, 0x3c, 1);
	log("e1000s %s (INT%c, line %u) and %s (INT%c, line %u)", e1000,
	    'A' - 1 + raw_read(&raw, ba, 0x3d, 1), la, e1000b, 'A' - 1 + raw_read(&raw, bb, 0x3d, 1), lb);
	if (!q35)
		CHECK_EQ(la, lb);
	CHECK_OK(tb_close(&raw));
	open_platform(&a, "drv_net", 0);
	open_platform(&b, "drv_net2", 0);
	CHECK_OK(platform_acquire(a.cap, e1000, &ha));
	CHECK_OK(platform_acquire(b.cap, e1000b, &hb));
	CHECK_ST(platform_acquire(b.cap, e1000, &ha), RPC_E_BUSY);
	map_bar(&a, ha, 0, &ma);
	map_bar(&b, hb, 0, &mb);
	(void)rd32(&ma, 0xc0);
	(void)rd32(&mb, 0xc0);
	CHECK_OK(platform_irq(a.cap, ha, 0, bits[2], &kind));
	CHECK_EQ(kind, PLATFORM_IRQ_LEGACY);
	CHECK_OK(platform_irq(b.cap, hb, 0, bits[4], &kind));
	CHECK_EQ(kind, PLATFORM_IRQ_LEGACY);
	while (poll_bit(2))
		CHECK_OK(platform_irq_ack(a.cap, ha, 0));
	while (poll_bit(4))
		CHECK_OK(platform_irq_ack(b.cap, hb, 0));
	wr32(&ma, 0xd0, 0x4);
	wr32(&mb, 0xd0, 0x4);
	for (int i = 0; i < 3; i++) {
		/* A interrupts: both holders hear it */
		wr32(&ma, 0xc8, 0x4);
		wait_bit(2);
		wait_bit(4);
		CHECK(rd32(&ma, 0xc0) & 0x4);
		CHECK_EQ(rd32(&mb, 0xc0) & 0x4, 0);  /* not B's */
		CHECK_OK(platform_irq_ack(a.cap, ha, 0));
		/* B has not acked: the line stays masked, B's own interrupt waits */
		wr32(&mb, 0xc8, 0x4);
		CHECK(!poll_bit(2));
		CHECK(!poll_bit(4));
		CHECK_OK(platform_irq_ack(b.cap, hb, 0));
		/* now unmasked: B's interrupt reaches both */
		wait_bit(2);
		wait_bit(4);
		CHECK_EQ(rd32(&ma, 0xc0) & 0x4, 0);
		CHECK(rd32(&mb, 0xc0) & 0x4);
		CHECK_OK(platform_irq_ack(a.cap, ha, 0));
		CHECK_OK(platform_irq_ack(b.cap, hb, 0));
	}
	/* a holder that goes away while the line waits for its ack */
	wr32(&ma, 0xc8, 0x4);
	wait_bit(2);
	wait_bit(4);
	CHECK(rd32(&ma, 0xc0) & 0x4);
	CHECK_OK(platform_irq_ack(a.cap, ha, 0));
	wr32(&mb, 0xd8, ~0u);
	unmap_bar(&mb);
	CHECK_OK(tb_close(&b));
	wr32(&ma, 0xc8, 0x4);
	wait_bit(2);
	CHECK(rd32(&ma, 0xc0) & 0x4);
	CHECK_OK(platform_irq_ack(a.cap, ha, 0));
	wr32(&ma, 0xd8, ~0u);
	unmap_bar(&ma);
	CHECK_OK(tb_close(&a));
}

TEST(PLAT_0015, "release resets a device with FLR where it has one (nvme on PCIe)")
{
	struct tb_own o, raw;
	struct bar_map m;
	word_t h;

	open_platform(&raw, "raw", 0);
	word_t bdf = bdf_of(nvme);
	unsigned p = raw_read(&raw, bdf, 0x34, 1) & 0xfc;
	while (p && raw_read(&raw, bdf, p, 1) != 0x10)
		p = raw_read(&raw, bdf, p + 1, 1) & 0xfc;
	bool flr = p && (raw_read(&raw, bdf, p + 4, 4) & (1u << 28));
	uint32_t bar0 = raw_read(&raw, bdf, 0x10, 4);
	open_platform(&o, "drv_nvme", 3 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, nvme, &h));
	map_bar(&o, h, 0, &m);
	struct dma sq, cq;
	CHECK_OK(dma_get(&o, 4096, &sq));
	CHECK_OK(dma_get(&o, 4096, &cq));
	wr32(&m, 0x14, 0);
	for (unsigned long i = 0; rd32(&m, 0x1c) & 1; i++)
		CHECK(i < 100000000ul);
	wr32(&m, 0x24, 15u << 16 | 15u);
	wr64(&m, 0x28, sq.addr);
	wr64(&m, 0x30, cq.addr);
	wr32(&m, 0x14, 4u << 20 | 6u << 16 | 1);
	for (unsigned long i = 0; !(rd32(&m, 0x1c) & 1); i++)
		CHECK(i < 100000000ul);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));              /* left enabled: platform resets it */
	CHECK_EQ(raw_read(&raw, bdf, 0x10, 4), bar0);   /* the header is back */
	open_platform(&o, "drv_nvme", 0);
	CHECK_OK(platform_acquire(o.cap, nvme, &h));
	map_bar(&o, h, 0, &m);
	if (flr) {
		CHECK_EQ(rd32(&m, 0x1c) & 1, 0);   /* CSTS.RDY: reset */
		CHECK_EQ(rd32(&m, 0x14) & 1, 0);
		log("%s: FLR on release (controller reset)", nvme);
	} else {
		log("%s: no FLR (conventional PCI): released without a reset", nvme);
		wr32(&m, 0x14, 0);
	}
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&raw));
}

TEST(PLAT_0022, "MSI-X from nvme (an admin Identify command's completion)")
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
