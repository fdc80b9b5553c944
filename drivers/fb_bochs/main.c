/*
 * fb_bochs: the display of QEMU's `-device VGA` and `bochs-display`
 * (PCI 1234:1111), a Capture client of the GUI server (capture_session.h,
 * docs/gui.md). The mode (32 bits a pixel) is set through the DISPI
 * registers in BAR 2 (MMIO, uncached) from the config
 * (<config width="1024" height="768"/>, the default) and set again when
 * the config changes; the framebuffer is BAR 0, mapped write-combined.
 * The GUI server composes into the screen buffer of the Capture session;
 * on its signal the driver asks for the changed rectangle and copies it
 * to the framebuffer. A new instance (a restart) announces its screen
 * and gets the whole screen as changed.
 *
 * The device's largest mode (DISPI GETCAPS, VGA only: bochs-display has
 * no GETCAPS and reads back its current mode, which is 0x0 on a card
 * hot-plugged after the firmware ran) bounds the config's, as does the
 * video memory.
 *
 * BAR 2 layout (QEMU's docs/specs/standard-vga.rst): 0x400-0x41f the VGA
 * ports 0x3c0-0x3df (VGA only), 0x500 the DISPI registers, 16 bits each.
 *
 * Trusts its parent, core, the platform driver and the GUI server's
 * sizes only as far as capture_set_screen checks them.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <capture_session.h>
#include <driver.h>

REG(DISPI_ID, 0x500, 16);
REG(DISPI_XRES, 0x502, 16);
REG(DISPI_YRES, 0x504, 16);
REG(DISPI_BPP, 0x506, 16);
REG(DISPI_ENABLE, 0x508, 16);
FIELD(DISPI_ENABLE, ENABLED, 0, 1);
FIELD(DISPI_ENABLE, GETCAPS, 1, 1);   /* XRES, YRES, BPP read the maximums */
FIELD(DISPI_ENABLE, LFB, 6, 1);
REG(DISPI_VIRT_WIDTH, 0x50c, 16);
REG(DISPI_VIRT_HEIGHT, 0x50e, 16);
REG(DISPI_X_OFFSET, 0x510, 16);
REG(DISPI_Y_OFFSET, 0x512, 16);
REG(VGA_ATTR_INDEX, 0x400, 8);   /* port 0x3c0 */
FIELD(VGA_ATTR_INDEX, PALETTE_ON, 5, 1);
REG(VGA_INPUT_STATUS, 0x41a, 8); /* port 0x3da: resets the attribute flip-flop */

#define DISPI_ID_MIN 0xb0c0
#define DISPI_ID_MAX 0xb0cf
#define PCI_CLASS 0x0a           /* subclass, class: 16 bits */
#define PCI_CLASS_VGA 0x0300
#define MIN_SIDE 64

static const struct drv_id ids[] = { { 0x1234, 0x1111 } };

static struct component_env *env;
static struct platform_connection plat;
static struct drv_device dev;
static struct drv_mmio regs, fb;
static struct capture_connection cap;
static struct signal_handler cap_sig;
static struct config_rom cfg;
static bool vga;
static word_t width, height;
static word_t max_w, max_h;    /* the device's largest mode (GETCAPS) */

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(1);
}

/* The mode of the config; false (logged) if it is wrong. */
static bool config_mode(word_t *w, word_t *h)
{
	uint64_t cw = 1024, ch = 768;

	if (!cfg.node)
		return true;
	for (const struct cfg_attr *a = cfg.node->attrs; a; a = a->next)
		if (strcmp(a->name, "width") && strcmp(a->name, "height")) {
			log("error: config: unknown attribute '%s'", a->name);
			return false;
		}
	if (cfg_attr_u64(cfg.node, "width", 1024, &cw) < 0 ||
	    cfg_attr_u64(cfg.node, "height", 768, &ch) < 0 || cw < MIN_SIDE || ch < MIN_SIDE ||
	    cw > CAPTURE_MAX_SIDE || ch > CAPTURE_MAX_SIDE || cw > max_w || ch > max_h ||
	    cw * ch * 4 > fb.size) {
		log("error: config: width must be %u..%lu, height %u..%lu, and the mode fit %lu bytes of video memory",
		    MIN_SIDE, max_w < CAPTURE_MAX_SIDE ? max_w : CAPTURE_MAX_SIDE, MIN_SIDE,
		    max_h < CAPTURE_MAX_SIDE ? max_h : CAPTURE_MAX_SIDE, (unsigned long)fb.size);
		return false;
	}
	*w = cw;
	*h = ch;
	return true;
}

static void set_mode(word_t w, word_t h)
{
	rpc_status_t st;

	REG_WRITE(&regs.io, DISPI_ENABLE, 0);
	REG_WRITE(&regs.io, DISPI_XRES, w);
	REG_WRITE(&regs.io, DISPI_YRES, h);
	REG_WRITE(&regs.io, DISPI_BPP, 32);
	REG_WRITE(&regs.io, DISPI_VIRT_WIDTH, w);
	REG_WRITE(&regs.io, DISPI_VIRT_HEIGHT, h);
	REG_WRITE(&regs.io, DISPI_X_OFFSET, 0);
	REG_WRITE(&regs.io, DISPI_Y_OFFSET, 0);
	REG_WRITE(&regs.io, DISPI_ENABLE,
		  FIELD_SET(DISPI_ENABLE, ENABLED, 1) | FIELD_SET(DISPI_ENABLE, LFB, 1));
	if (vga) {
		(void)REG_READ(&regs.io, VGA_INPUT_STATUS);
		REG_WRITE(&regs.io, VGA_ATTR_INDEX, FIELD_SET(VGA_ATTR_INDEX, PALETTE_ON, 1));
	}
	if (REG_READ(&regs.io, DISPI_XRES) != w || REG_READ(&regs.io, DISPI_YRES) != h) {
		log("error: the device refused mode %lux%lu", w, h);
		component_exit(1);
	}
	width = w;
	height = h;
	st = capture_set_screen(&cap, w, h);
	if (st != RPC_OK)
		fail("no screen buffer from the GUI server", st);
	log("mode %lux%lu", w, h);
}

/* Copy what the GUI server changed to the framebuffer. */
static void on_capture(void *arg)
{
	word_t x, y, w, h;
	volatile uint32_t *dst = (volatile uint32_t *)(fb.io.mmio);

	(void)arg;
	if (capture_changed(cap.session, &x, &y, &w, &h) != RPC_OK || !w || !h)
		return;
	if (x >= width || y >= height || w > width - x || h > height - y) {
		log("error: changed rectangle %lu,%lu %lux%lu beyond the screen", x, y, w, h);
		return;
	}
	for (word_t row = y; row < y + h; row++)
		memcpy((void *)&dst[row * width + x], &cap.pixels[row * width + x], w * 4);
}

static void on_config(void *arg)
{
	word_t w = width, h = height;

	(void)arg;
	config_rom_update(&cfg);
	if (config_mode(&w, &h) && (w != width || h != height)) {
		set_mode(w, h);
		on_capture(0);
	}
}

void component_construct(struct component_env *e)
{
	char name[PLATFORM_NAME_MAX];
	uint16_t id;
	word_t w = 1024, h = 768;
	rpc_status_t st;

	env = e;
	st = platform_connect(&plat, "", PLATFORM_SESSION_RAM);
	if (st != RPC_OK)
		fail("no Platform session", st);
	st = drv_device_find_wait(&plat, ids, 1, name, sizeof(name));
	if (st != RPC_OK)
		fail("no Bochs display", st);
	st = drv_device_acquire(&dev, &plat, name);
	if (st != RPC_OK)
		fail("cannot acquire the device", st);
	vga = drv_config_read(&dev, PCI_CLASS, 2) == PCI_CLASS_VGA;
	st = drv_mmio_map(&dev, 2, 0, &regs);
	if (st != RPC_OK)
		fail("no register BAR 2", st);
	st = drv_mmio_map(&dev, 0, PLATFORM_WC, &fb);
	if (st != RPC_OK)
		fail("no framebuffer BAR 0", st);
	id = REG_READ(&regs.io, DISPI_ID);
	if (id < DISPI_ID_MIN || id > DISPI_ID_MAX)
		fail("no DISPI interface", RPC_E_UNAVAILABLE);
	if (vga) {
		REG_WRITE(&regs.io, DISPI_ENABLE, FIELD_SET(DISPI_ENABLE, GETCAPS, 1));
		max_w = REG_READ(&regs.io, DISPI_XRES);
		max_h = REG_READ(&regs.io, DISPI_YRES);
		REG_WRITE(&regs.io, DISPI_ENABLE, 0);
	} else {
		max_w = max_h = CAPTURE_MAX_SIDE;   /* and the video memory */
	}
	st = config_rom_open(&cfg, "config", &env->ep, on_config, 0);
	if (st != RPC_OK)
		fail("no config", st);
	if (!config_mode(&w, &h))
		component_exit(1);
	st = signal_handler_init(&env->ep, &cap_sig, on_capture, 0);
	if (st == RPC_OK)
		st = capture_connect(&cap, "", cap_sig.cap);
	if (st != RPC_OK)
		fail("no Capture session", st);
	log("%s: %s, DISPI 0x%x, %lu KiB video memory, modes up to %lux%lu", name,
	    vga ? "VGA" : "bochs-display", id, (unsigned long)(fb.size / 1024), max_w, max_h);
	set_mode(w, h);
	on_capture(0);
}
