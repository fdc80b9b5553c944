/*
 * ROM sessions: the boot modules, named by the first word of their command
 * line, the files of a boot archive, and core's own "platform_info".
 *
 * A boot archive (tools/mkimage.py packs every module after core into one,
 * so a scenario is not bound by the kernel's BOOTINFO_MAX_MODULES) is a
 * module named "boot_archive" in the format of archive.h; each of its
 * files becomes a ROM that shares the module's frames (no copy). An
 * archive that breaks the format is refused whole with a line saying why.
 */
#include "archive.h"
#include "core.h"
#include <argil/pd.h>
#include <argil/rom.h>

#define ROM_CAPS 3   /* session, its dataspace, a signal handler */

/* the boot modules, the archives' files and platform_info */
#define ROMS_MAX 512
static struct module modules[ROMS_MAX];
static word_t nmodules;

#define ARCHIVE_NAME "boot_archive"
static char platform_info[PAGE];

/* A framebuffer's pixel format named from the most significant bits down:
 * "x8r8g8b8" = 8 unused bits, then red, green and blue of 8 bits each. */
static void fb_format(const struct bootinfo_fb *fb, char *out, size_t size)
{
	struct { word_t pos, bits; char c; } f[3] = {
		{ fb->red_pos, fb->red_size, 'r' },
		{ fb->green_pos, fb->green_size, 'g' },
		{ fb->blue_pos, fb->blue_size, 'b' },
	};
	word_t top = fb->bpp;
	size_t n = 0;

	for (int i = 0; i < 3; i++)        /* highest position first */
		for (int j = i + 1; j < 3; j++)
			if (f[j].pos > f[i].pos) {
				typeof(f[0]) t = f[i];
				f[i] = f[j];
				f[j] = t;
			}
	out[0] = 0;
	for (int i = 0; i < 3 && n < size; i++) {
		if (f[i].pos + f[i].bits > top) {   /* overlapping or beyond bpp */
			snprintf(out, size, "unknown");
			return;
		}
		if (f[i].pos + f[i].bits < top)
			n += (size_t)snprintf(out + n, size - n, "x%lu", top - f[i].pos - f[i].bits);
		if (n < size)
			n += (size_t)snprintf(out + n, size - n, "%c%lu", f[i].c, f[i].bits);
		top = f[i].pos;
	}
	if (top && n < size)
		snprintf(out + n, size - n, "x%lu", top);
}

/* The text of platform_info (docs/devices.md); its length. */
static int platform_info_text(struct bootinfo *bi, char *buf, size_t size)
{
	size_t n = 0;
	char fmt[32];

#define PUT(...) \
	do { \
		if (n < size) \
			n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); \
	} while (0)
	PUT("<platform_info>\n");
	if (bi->acpi_rsdt || bi->acpi_xsdt)
		PUT("  <acpi rsdp=\"0x%lx\" revision=\"%lu\" rsdt=\"0x%lx\" xsdt=\"0x%lx\"/>\n",
		    bi->acpi_rsdp, bi->acpi_revision, bi->acpi_rsdt, bi->acpi_xsdt);
	if (bi->hpet_paddr)
		PUT("  <hpet base=\"0x%lx\"/>\n", bi->hpet_paddr);
	if (bi->fb.paddr) {
		fb_format(&bi->fb, fmt, sizeof(fmt));
		PUT("  <framebuffer address=\"0x%lx\" size=\"0x%lx\" width=\"%u\" height=\"%u\"\n"
		    "               pitch=\"%lu\" bpp=\"%u\" format=\"%s\"/>\n",
		    bi->fb.paddr, bi->fb.pitch * bi->fb.height, bi->fb.width, bi->fb.height,
		    bi->fb.pitch, bi->fb.bpp, fmt);
	}
	PUT("  <kernel msi=\"%s\" msix=\"%s\" iommu=\"%s\" cpus=\"%lu\" boot_tsc=\"0x%lx\"/>\n",
	    bi->features & BOOTINFO_F_MSI ? "yes" : "no", bi->features & BOOTINFO_F_MSIX ? "yes" : "no",
	    bi->features & BOOTINFO_F_IOMMU ? "yes" : "no", bi->num_cpus, bi->boot_tsc);
	PUT("</platform_info>\n");
#undef PUT
	return (int)n;
}

/* ROM "platform_info": what core knows of the machine that components
 * cannot find themselves (docs/devices.md): the ACPI root tables, the
 * HPET, the boot framebuffer and what the kernel offers. One frame of
 * core's own, written once. */
static void platform_info_init(struct bootinfo *bi)
{
	struct module *m = &modules[nmodules];
	struct ublock *blk;
	cptr_t frame;
	int n;

	if (rom_find("platform_info")) {
		printf("[core] a boot module is named 'platform_info': it replaces core's own\n");
		return;
	}
	n = platform_info_text(bi, platform_info, sizeof(platform_info));
	if (n <= 0 || (size_t)n >= sizeof(platform_info))
		core_panic("platform_info too long", n);
	m->frames = core_alloc(sizeof(cptr_t));
	if (!m->frames || kobj_frames(&core_acct, 0, ~0ul, &blk, &frame) != RPC_OK)
		core_panic("no memory for platform_info", 0);
	char *p = vm_scratch_map(frame, 0);
	if (!p)
		core_panic("scratch mapping for platform_info", 0);
	memset(p, 0, PAGE);
	memcpy(p, platform_info, (size_t)n);
	vm_scratch_unmap(frame);
	memcpy(m->name, "platform_info", sizeof("platform_info"));
	m->size = (word_t)n;
	m->pages = 1;
	m->frames[0] = frame;
	m->data = platform_info;
	nmodules++;
	printf("[core] ROM 'platform_info': %lu bytes%s%s%s\n", m->size,
	       bi->hpet_paddr ? ", with the HPET" : ", no HPET",
	       bi->acpi_rsdt || bi->acpi_xsdt ? "" : ", no ACPI", bi->fb.paddr ? ", a framebuffer" : "");
}

/* The files of a boot archive as ROMs; false (nothing added) if the
 * archive is malformed. */
static bool archive_add(const struct module *a)
{
	const unsigned char *d = a->data;
	word_t room = ROMS_MAX - 1 - nmodules;   /* one left for platform_info */
	uint64_t count, bad;

	switch (archive_check(d, a->size, a->pages * PAGE, room, &count, &bad)) {
	case ARCHIVE_OK:
		break;
	case ARCHIVE_E_MAGIC:
		printf("[core] boot archive: no 'ARGILROM' header: refused\n");
		return false;
	case ARCHIVE_E_VERSION:
		printf("[core] boot archive: version is not 1: refused\n");
		return false;
	case ARCHIVE_E_COUNT:
		printf("[core] boot archive: its files do not fit (%lu ROMs at most) or its "
		       "header is cut: refused\n", room);
		return false;
	case ARCHIVE_E_ENTRY:
		printf("[core] boot archive: file %lu: bad name, offset or size: refused\n",
		       (word_t)bad);
		return false;
	}
	for (uint64_t i = 0; i < count; i++) {
		struct module *m = &modules[nmodules++];
		struct archive_file f;

		archive_file(d, i, &f);
		memcpy(m->name, f.name, 64);
		m->size = f.size;
		m->pages = f.size ? (f.size + PAGE - 1) / PAGE : 1;
		m->frames = a->frames + f.offset / PAGE;
		m->data = d + f.offset;
		printf("[core] ROM '%s': %lu bytes\n", m->name, m->size);
	}
	return true;
}

void rom_init(struct bootinfo *bi)
{
	for (word_t i = 0; i < bi->num_modules && i < BOOTINFO_MAX_MODULES; i++) {
		const struct bootinfo_module *bm = &bi->modules[i];
		struct module *m = &modules[nmodules];
		word_t n = 0;
		/* the name: the first word of the command line */
		while (n < sizeof(m->name) - 1 && n < sizeof(bm->name) && bm->name[n] && bm->name[n] != ' ')
			n++;
		if (n == 0) {
			printf("[core] module %lu has no name (empty command line): not a ROM\n", i + 1);
			continue;
		}
		memcpy(m->name, bm->name, n);
		m->name[n] = 0;
		m->size = bm->size;
		m->pages = bm->frames.end - bm->frames.start;
		m->frames = core_alloc(m->pages * sizeof(cptr_t));
		if (!m->frames)
			core_panic("no memory for the module table", (long)i);
		for (word_t p = 0; p < m->pages; p++)
			m->frames[p] = bm->frames.start + p;
		m->data = vm_map_module(bm);
		if (!strcmp(m->name, ARCHIVE_NAME)) {
			struct module a = *m;   /* its slot goes to its first file */
			if (archive_add(&a))
				continue;
			/* a refused archive stays a plain ROM, for inspection */
		}
		nmodules++;
		printf("[core] ROM '%s': %lu bytes\n", m->name, m->size);
	}
	platform_info_init(bi);
}

struct module *rom_find(const char *name)
{
	for (word_t i = 0; i < nmodules; i++)
		if (!strcmp(modules[i].name, name))
			return &modules[i];
	return 0;
}

struct rom_session {
	struct session s;
	struct module *mod;
	struct ds *ds;
	cptr_t sigh;
};

static void rom_destroy(struct session *s)
{
	struct rom_session *r = (struct rom_session *)s;

	if (r->ds)
		ds_destroy(r->ds);
	acct_drop_cap(&s->acct, &r->sigh);
}

rpc_status_t rom_session_create(struct pd *payer, const char *label, word_t ram, word_t caps,
				struct session **out)
{
	struct module *mod = rom_find(label_last(label));
	struct session *s;
	rpc_status_t st;

	if (!mod)
		return RPC_E_NOT_FOUND;
	st = session_new(sizeof(struct rom_session), payer, ram, caps, K_ROM, label, &s);
	if (st != RPC_OK)
		return st;
	struct rom_session *r = (struct rom_session *)s;
	s->destroy = rom_destroy;
	r->mod = mod;
	st = ds_new_shared(&s->acct, DS_T_ROM, mod->pages, mod->frames, DS_ROM, 0, &r->ds);
	if (st != RPC_OK) {
		session_close(s);
		return st;
	}
	*out = s;
	return RPC_OK;
}

static rpc_status_t do_dataspace(struct rom_dataspace_call *c)
{
	struct rom_session *r = c->obj;
	rpc_status_t st = obj_cap(&r->ds->obj, &r->s.acct, &c->out.ds);

	c->out.size = r->mod->size;
	return st;
}

static rpc_status_t do_sigh(struct rom_sigh_call *c)
{
	struct rom_session *r = c->obj;

	acct_drop_cap(&r->s.acct, &r->sigh);
	return acct_keep_sigh(&r->s.acct, c->in.ntfn, &r->sigh);
}

static rpc_status_t do_update(struct rom_update_call *c)
{
	(void)c;
	return RPC_OK;   /* boot modules never change: updated 0 */
}

RPC_SERVER(rom, ROM_RPC)

static const struct rom_server rom_ops = {
	.rom_dataspace = do_dataspace,
	.rom_sigh = do_sigh,
	.rom_update = do_update,
};

rpc_status_t rom_serve(struct session *s, struct request *q)
{
	rom_dispatch(&rom_ops, s, q->msg, q->reply, RPC_E_ILLEGAL_OPERATION);
	return q->reply->label;
}
