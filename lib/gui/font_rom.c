/*
 * A font from a ROM (gui/font.h): the one way components open theirs.
 * Component-only (the ROM session); the rest of lib/gui is portable.
 */
#include <argil/log.h>
#include <argil/rom.h>
#include <gui/font.h>

struct gui_font *gui_font_open_rom(const char *rom, unsigned px, size_t cache_bytes,
				   struct attached_rom *keep)
{
	const char *err = "";
	struct gui_font *f;
	rpc_status_t st = attached_rom_open(keep, rom);

	if (st != RPC_OK || !keep->data) {
		log("error: font ROM '%s': %s", rom,
		    st != RPC_OK ? rpc_status_name(st) : "empty");
		return 0;
	}
	f = gui_font_new(keep->data, keep->size, (int)px, cache_bytes, &err);
	if (!f)
		log("error: font ROM '%s': %s", rom, err);
	return f;
}
