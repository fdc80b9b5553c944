/*
 * fb_boot: the framebuffer the boot loader set up (GRUB: VBE on BIOS, GOP
 * on UEFI), as core's platform_info ROM describes it
 * (<framebuffer address size width height pitch bpp format>, docs/
 * devices.md), mapped write-combined; a Capture client of the GUI server (capture_session.h, docs/
 * gui.md) that copies each changed rectangle to it. The mode is the boot
 * loader's: 32 bits a pixel, format x8r8g8b8, others are refused. A new
 * instance (a restart) gets the whole screen as changed.
 *
 * The memory comes from the platform driver: pci_decode reports
 * platform_info's framebuffer as the device "framebuffer" (type "boot",
 * one <mem>), which fb_boot acquires through its Platform session, so
 * the memory has one owner. It is often a PCI display's BAR too:
 * driver_manager starts fb_boot only as the fallback when no display
 * driver claims a device, and stops it before such a driver starts
 * (fb_boot's manifest, docs/gui.md).
 *
 * Trusts its parent, core (the ROM) and the platform driver; the GUI
 * server's sizes only as far as capture_set_screen checks them.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <capture_session.h>
#include <driver.h>

static struct platform_connection plat;
static struct drv_device dev;
static struct drv_mmio mem;
static volatile uint8_t *fb;
static uint64_t width, height, pitch;
static struct capture_connection cap;
static struct signal_handler cap_sig;

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(1);
}

static void on_capture(void *arg)
{
	word_t x, y, w, h;

	(void)arg;
	if (capture_changed(cap.session, &x, &y, &w, &h) != RPC_OK || !w || !h)
		return;
	if (x >= width || y >= height || w > width - x || h > height - y) {
		log("error: changed rectangle %lu,%lu %lux%lu beyond the screen", x, y, w, h);
		return;
	}
	for (word_t row = y; row < y + h; row++)
		memcpy((void *)(fb + row * pitch + x * 4), &cap.pixels[row * width + x], w * 4);
}

/* The framebuffer node of platform_info, checked, into the statics. */
static bool read_info(uint64_t *addr, uint64_t *size)
{
	struct config_rom info;
	const struct cfg_node *n;
	uint64_t bpp = 0;
	const char *format;
	bool ok = false;

	if (config_rom_open(&info, "platform_info", 0, 0, 0) != RPC_OK || !info.node) {
		log("error: no platform_info ROM");
		return false;
	}
	n = cfg_child(info.node, "framebuffer");
	if (!n) {
		log("error: no framebuffer: the machine booted in text mode");
	} else if (cfg_attr_u64(n, "address", 0, addr) < 0 || cfg_attr_u64(n, "size", 0, size) < 0 ||
		   cfg_attr_u64(n, "width", 0, &width) < 0 || cfg_attr_u64(n, "height", 0, &height) < 0 ||
		   cfg_attr_u64(n, "pitch", 0, &pitch) < 0 || cfg_attr_u64(n, "bpp", 0, &bpp) < 0) {
		log("error: platform_info: a framebuffer attribute is not a number");
	} else if (bpp != 32 || !(format = cfg_attr(n, "format")) || strcmp(format, "x8r8g8b8")) {
		log("error: framebuffer of %lu bits a pixel, format %s: only 32, x8r8g8b8",
		    (unsigned long)bpp, cfg_attr(n, "format") ? cfg_attr(n, "format") : "(none)");
	} else if (!width || !height || width > CAPTURE_MAX_SIDE || height > CAPTURE_MAX_SIDE ||
		   pitch < width * 4 || (*addr & 0xfff) || pitch * height > *size) {
		log("error: framebuffer %lux%lu, pitch %lu, %lu bytes at 0x%lx does not add up",
		    (unsigned long)width, (unsigned long)height, (unsigned long)pitch,
		    (unsigned long)*size, (unsigned long)*addr);
	} else {
		ok = true;
	}
	config_rom_close(&info, 0);
	return ok;
}

void component_construct(struct component_env *env)
{
	uint64_t addr, size;
	rpc_status_t st;

	if (!read_info(&addr, &size))
		component_exit(1);
	st = platform_connect(&plat, "", PLATFORM_SESSION_RAM);
	if (st != RPC_OK)
		fail("no Platform session", st);
	st = drv_device_wait_named(&plat, "framebuffer");
	if (st == RPC_OK)
		st = drv_device_acquire(&dev, &plat, "framebuffer");
	if (st != RPC_OK)
		fail("cannot acquire the device 'framebuffer'", st);
	st = drv_mmio_map(&dev, 0, PLATFORM_WC, &mem);
	if (st == RPC_OK && mem.size < pitch * height)
		st = RPC_E_INVALID_CAP;
	if (st != RPC_OK)
		fail("cannot map the framebuffer", st);
	fb = (volatile uint8_t *)mem.io.mmio;
	st = signal_handler_init(&env->ep, &cap_sig, on_capture, 0);
	if (st == RPC_OK)
		st = capture_connect(&cap, "", cap_sig.cap);
	if (st != RPC_OK)
		fail("no Capture session", st);
	st = capture_set_screen(&cap, width, height);
	if (st != RPC_OK)
		fail("no screen buffer from the GUI server", st);
	log("boot framebuffer %lux%lu at 0x%lx, pitch %lu", (unsigned long)width,
	    (unsigned long)height, (unsigned long)addr, (unsigned long)pitch);
	on_capture(0);
}
