/*
 * virtio_gpu: QEMU's virtio-gpu-pci (virtio device type 16, OASIS virtio
 * v1.1, 5.7 "GPU Device"), 2D only, through the driver kit's virtio
 * transport; each active scanout is one screen, a Capture client of the
 * GUI server of its own (capture_session.h, docs/gui.md).
 *
 * Per screen: a 2D resource (B8G8R8X8, which is our 0x00RRGGBB in
 * memory) backed by one DMA buffer, set as the scanout. On the GUI
 * server's signal the driver asks for the changed rectangle, copies it
 * from the screen buffer into the backing, and tells the device
 * TRANSFER_TO_HOST_2D and RESOURCE_FLUSH of that rectangle. Commands go
 * one at a time over the control queue, the driver waiting for each
 * answer.
 *
 * Modes: GET_DISPLAY_INFO gives each scanout's preferred size and whether
 * it is enabled (a QEMU window, `-device virtio-gpu-pci,xres=,yres=`); on
 * the configuration interrupt with VIRTIO_GPU_EVENT_DISPLAY (the window
 * resized) the driver asks again and sets the new modes. The config may
 * set a scanout's mode (and so enable a scanout the device reports off)
 * or turn it off:
 *
 *   <config> <scanout id="0" width="800" height="600"/>
 *            <scanout id="1" enabled="no"/> </config>
 *
 * and is re-read when it changes. A mode change announces the new size
 * to the GUI server (CAPTURE_SCREEN), which then gives the whole screen
 * as changed. The backing is kept when the new mode fits it (DMA buffers
 * are single contiguous blocks of at most 16 MiB: modes up to that).
 *
 * Trusts its parent, core, the platform driver and the GUI server's sizes
 * as far as capture_set_screen checks them; the device for nothing: a
 * response of the wrong type or length, an error code, sizes beyond
 * CAPTURE_MAX_SIDE or a scanout count beyond the protocol's 16 are
 * logged as errors; the screen concerned is given up, the driver goes on.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <capture_session.h>
#include <driver.h>
#include <virtio_pci.h>

#define SCANOUTS_MAX 16          /* VIRTIO_GPU_MAX_SCANOUTS */
#define QUEUE_MAX 16
#define PLATFORM_RAM (64 * 1024)
#define MIN_SIDE 16
#define BACKING_MAX (16ul * 1024 * 1024)   /* one contiguous DMA buffer */
#define CMD_OFF 0                /* in the command buffer: the request */
#define RESP_OFF 2048            /* and the response */
#define CMD_BUF 4096

/* the device configuration (5.7.4) */
REG(GPU_EVENTS_READ, 0, 32);
REG(GPU_EVENTS_CLEAR, 4, 32);
REG(GPU_NUM_SCANOUTS, 8, 32);
#define GPU_EVENT_DISPLAY 1

enum gpu_cmd {
	GPU_CMD_GET_DISPLAY_INFO = 0x0100,
	GPU_CMD_RESOURCE_CREATE_2D = 0x0101,
	GPU_CMD_RESOURCE_UNREF = 0x0102,
	GPU_CMD_SET_SCANOUT = 0x0103,
	GPU_CMD_RESOURCE_FLUSH = 0x0104,
	GPU_CMD_TRANSFER_TO_HOST_2D = 0x0105,
	GPU_CMD_RESOURCE_ATTACH_BACKING = 0x0106,
	GPU_CMD_RESOURCE_DETACH_BACKING = 0x0107,
	GPU_RESP_OK_NODATA = 0x1100,
	GPU_RESP_OK_DISPLAY_INFO = 0x1101,
	GPU_RESP_ERR_UNSPEC = 0x1200,
};
#define GPU_FORMAT_B8G8R8X8 2

struct gpu_hdr {
	uint32_t type, flags;
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx, pad[3];
};

struct gpu_rect {
	uint32_t x, y, width, height;
};

struct gpu_display_info {
	struct gpu_hdr hdr;
	struct {
		struct gpu_rect r;
		uint32_t enabled, flags;
	} pmodes[SCANOUTS_MAX];
};

struct gpu_create_2d {
	struct gpu_hdr hdr;
	uint32_t resource_id, format, width, height;
};

struct gpu_unref {
	struct gpu_hdr hdr;
	uint32_t resource_id, pad;
};

struct gpu_set_scanout {
	struct gpu_hdr hdr;
	struct gpu_rect r;
	uint32_t scanout_id, resource_id;
};

struct gpu_flush {
	struct gpu_hdr hdr;
	struct gpu_rect r;
	uint32_t resource_id, pad;
};

struct gpu_transfer_2d {
	struct gpu_hdr hdr;
	struct gpu_rect r;
	uint64_t offset;
	uint32_t resource_id, pad;
};

struct gpu_attach_backing {
	struct gpu_hdr hdr;
	uint32_t resource_id, nr_entries;
	struct {
		uint64_t addr;
		uint32_t length, pad;
	} entry[1];
};

_Static_assert(sizeof(struct gpu_hdr) == 24, "virtio_gpu_ctrl_hdr");
_Static_assert(sizeof(struct gpu_display_info) == 24 + 16 * 24, "resp_display_info");
_Static_assert(sizeof(struct gpu_transfer_2d) == 56, "transfer_to_host_2d");
_Static_assert(sizeof(struct gpu_attach_backing) == 48, "attach_backing + 1 entry");
_Static_assert(sizeof(struct gpu_display_info) <= CMD_BUF - RESP_OFF, "response fits");

struct screen {
	unsigned id;
	bool active;                 /* a resource set as the scanout */
	word_t width, height;
	uint32_t resource;           /* 0: none */
	struct dma_buf backing;      /* kept across modes that fit it */
	struct capture_connection cap;
	struct signal_handler sig;
};

static const struct drv_id gpu_ids[] = { { VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + 16 } };
static const struct virtio_pci_want gpu_want = {
	.kind = "virtio-gpu", .ids = gpu_ids, .nids = 1, .config_min = 16,
};

static struct component_env *env;
static struct platform_connection plat;
static struct drv_device dev;
static struct virtio_pci vio;
static struct virtio_queue ctrlq;
static struct dma_buf cmd;
static struct config_rom cfg;
static struct screen screens[SCANOUTS_MAX];
static unsigned nscanouts;
static uint32_t next_resource = 1;
static bool dead;                /* the control queue broke: nothing more */
static bool config_irq;          /* MSI-X for configuration changes, else polled */

static const char *cmd_name(uint32_t type)
{
	switch (type) {
	case GPU_CMD_GET_DISPLAY_INFO: return "GET_DISPLAY_INFO";
	case GPU_CMD_RESOURCE_CREATE_2D: return "RESOURCE_CREATE_2D";
	case GPU_CMD_RESOURCE_UNREF: return "RESOURCE_UNREF";
	case GPU_CMD_SET_SCANOUT: return "SET_SCANOUT";
	case GPU_CMD_RESOURCE_FLUSH: return "RESOURCE_FLUSH";
	case GPU_CMD_TRANSFER_TO_HOST_2D: return "TRANSFER_TO_HOST_2D";
	case GPU_CMD_RESOURCE_ATTACH_BACKING: return "RESOURCE_ATTACH_BACKING";
	case GPU_CMD_RESOURCE_DETACH_BACKING: return "RESOURCE_DETACH_BACKING";
	}
	return "?";
}

static const char *resp_name(uint32_t type)
{
	static const char *const err[] = { "unspecified error", "out of memory",
					   "invalid scanout", "invalid resource",
					   "invalid context", "invalid parameter" };

	if (type >= GPU_RESP_ERR_UNSPEC && type < GPU_RESP_ERR_UNSPEC + 6)
		return err[type - GPU_RESP_ERR_UNSPEC];
	return "an unknown response";
}

/* Send the request (len bytes at CMD_OFF, its header filled here) and
 * wait for the device's answer of resp_type and at least resp_len bytes
 * at RESP_OFF. RPC_E_UNAVAILABLE (logged) for anything else. */
static rpc_status_t command(uint32_t type, size_t len, uint32_t resp_type, size_t resp_len)
{
	struct gpu_hdr *h = (struct gpu_hdr *)(cmd.virt + CMD_OFF);
	struct gpu_hdr *r = (struct gpu_hdr *)(cmd.virt + RESP_OFF);
	struct vq_buf b[2] = {
		{ cmd.dev + CMD_OFF, (uint32_t)len, false },
		{ cmd.dev + RESP_OFF, (uint32_t)(CMD_BUF - RESP_OFF), true },
	};
	uint32_t written = 0;
	vq_error_t e;

	if (dead)
		return RPC_E_UNAVAILABLE;
	memset(h, 0, sizeof(*h));
	h->type = type;
	memset(r, 0, CMD_BUF - RESP_OFF);
	e = virtio_queue_call(&ctrlq, b, 2, &written);
	if (e != VQ_OK) {
		log("error: %s: the control queue broke: %s", cmd_name(type), vq_error_name(e));
		dead = true;
		virtio_pci_fail(&vio);
		return RPC_E_UNAVAILABLE;
	}
	if (written < sizeof(*r) || r->type != resp_type || written < resp_len) {
		log("error: %s: the device answered 0x%x (%s) with %u bytes", cmd_name(type), r->type,
		    r->type == resp_type ? "too short" : resp_name(r->type), written);
		return RPC_E_UNAVAILABLE;
	}
	return RPC_OK;
}

#define REQ(T) ((T *)(cmd.virt + CMD_OFF))

static rpc_status_t set_scanout(unsigned id, uint32_t resource, word_t w, word_t h)
{
	struct gpu_set_scanout *s = REQ(struct gpu_set_scanout);

	memset(s, 0, sizeof(*s));
	s->r = (struct gpu_rect){ 0, 0, (uint32_t)w, (uint32_t)h };
	s->scanout_id = id;
	s->resource_id = resource;
	return command(GPU_CMD_SET_SCANOUT, sizeof(*s), GPU_RESP_OK_NODATA, sizeof(struct gpu_hdr));
}

static void unref(uint32_t resource)
{
	struct gpu_unref *u = REQ(struct gpu_unref);

	memset(u, 0, sizeof(*u));
	u->resource_id = resource;
	/* unref also detaches the backing (5.7.6.8) */
	(void)command(GPU_CMD_RESOURCE_UNREF, sizeof(*u), GPU_RESP_OK_NODATA,
		      sizeof(struct gpu_hdr));
}

/* Tell the device about the rectangle (already in the backing). */
static void flush(struct screen *s, word_t x, word_t y, word_t w, word_t h)
{
	struct gpu_transfer_2d *t = REQ(struct gpu_transfer_2d);
	struct gpu_flush *f = REQ(struct gpu_flush);

	memset(t, 0, sizeof(*t));
	t->r = (struct gpu_rect){ (uint32_t)x, (uint32_t)y, (uint32_t)w, (uint32_t)h };
	t->offset = (y * s->width + x) * 4;
	t->resource_id = s->resource;
	if (command(GPU_CMD_TRANSFER_TO_HOST_2D, sizeof(*t), GPU_RESP_OK_NODATA,
		    sizeof(struct gpu_hdr)) != RPC_OK)
		return;
	memset(f, 0, sizeof(*f));
	f->r = (struct gpu_rect){ (uint32_t)x, (uint32_t)y, (uint32_t)w, (uint32_t)h };
	f->resource_id = s->resource;
	(void)command(GPU_CMD_RESOURCE_FLUSH, sizeof(*f), GPU_RESP_OK_NODATA, sizeof(struct gpu_hdr));
}

/* Copy what the GUI server changed on screen s to the device. */
static void on_capture(void *arg)
{
	struct screen *s = arg;
	word_t x, y, w, h;
	uint32_t *dst;

	if (!s->active || !s->cap.pixels)
		return;
	if (capture_changed(s->cap.session, &x, &y, &w, &h) != RPC_OK || !w || !h)
		return;
	if (x >= s->width || y >= s->height || w > s->width - x || h > s->height - y) {
		log("error: screen %u: changed rectangle %lu,%lu %lux%lu beyond the screen", s->id,
		    x, y, w, h);
		return;
	}
	dst = (uint32_t *)s->backing.virt;
	for (word_t row = y; row < y + h; row++)
		memcpy(&dst[row * s->width + x], &s->cap.pixels[row * s->width + x], w * 4);
	flush(s, x, y, w, h);
}

/* The scanout shows nothing, its resource freed (the backing is kept
 * for a later mode). */
static void resource_drop(struct screen *s)
{
	if (!s->resource)
		return;
	if (s->active)
		(void)set_scanout(s->id, 0, 0, 0);
	unref(s->resource);
	s->resource = 0;
	s->active = false;
}

/* Scanout s off: no resource, the Capture session closed. */
static void screen_off(struct screen *s)
{
	if (s->active)
		log("screen %u off", s->id);
	resource_drop(s);
	if (s->cap.session)
		capture_disconnect(&s->cap);
	s->width = s->height = 0;
}

/* Show a w x h mode on scanout s: a new resource with its backing, the
 * scanout set, the GUI server told (CAPTURE_SCREEN on the session the
 * screen has, or a new one). False (logged) when that fails; the screen
 * is then off. */
static bool screen_mode(struct screen *s, word_t w, word_t h)
{
	struct gpu_create_2d *c = REQ(struct gpu_create_2d);
	struct gpu_attach_backing *a = REQ(struct gpu_attach_backing);
	char label[16] = "screen";
	size_t need = w * h * 4;
	rpc_status_t st;

	resource_drop(s);
	if (need > BACKING_MAX) {
		screen_off(s);
		log("error: screen %u: mode %lux%lu is beyond %lu MiB of DMA memory", s->id, w, h,
		    BACKING_MAX >> 20);
		return false;
	}
	if (s->backing.virt && s->backing.size < need)
		dma_buf_free(&plat, &s->backing);
	if (!s->backing.virt) {
		st = dma_buf_alloc(&plat, need, 0, &s->backing);
		if (st != RPC_OK) {
			log("error: screen %u: no DMA buffer for %lux%lu: %s", s->id, w, h,
			    rpc_status_name(st));
			screen_off(s);
			return false;
		}
	}
	s->resource = next_resource++;
	if (!next_resource)
		next_resource = 1;
	memset(c, 0, sizeof(*c));
	c->resource_id = s->resource;
	c->format = GPU_FORMAT_B8G8R8X8;
	c->width = (uint32_t)w;
	c->height = (uint32_t)h;
	if (command(GPU_CMD_RESOURCE_CREATE_2D, sizeof(*c), GPU_RESP_OK_NODATA,
		    sizeof(struct gpu_hdr)) != RPC_OK) {
		s->resource = 0;
		screen_off(s);
		return false;
	}
	memset(a, 0, sizeof(*a));
	a->resource_id = s->resource;
	a->nr_entries = 1;
	a->entry[0].addr = s->backing.dev;
	a->entry[0].length = (uint32_t)need;
	if (command(GPU_CMD_RESOURCE_ATTACH_BACKING, sizeof(*a), GPU_RESP_OK_NODATA,
		    sizeof(struct gpu_hdr)) != RPC_OK ||
	    set_scanout(s->id, s->resource, w, h) != RPC_OK) {
		unref(s->resource);
		s->resource = 0;
		screen_off(s);
		return false;
	}
	s->active = true;
	s->width = w;
	s->height = h;
	label[6] = (char)('0' + s->id / 10);
	label[7] = (char)('0' + s->id % 10);
	st = s->cap.session ? RPC_OK : capture_connect(&s->cap, label, s->sig.cap);
	if (st == RPC_OK)
		st = capture_set_screen(&s->cap, w, h);
	if (st != RPC_OK) {
		log("error: screen %u: no screen from the GUI server: %s", s->id, rpc_status_name(st));
		screen_off(s);
		return false;
	}
	log("screen %u: mode %lux%lu", s->id, w, h);
	on_capture(s);
	return true;
}

/* The config's word on scanout id: *set (a mode given), *off. */
static void config_scanout(unsigned id, bool *set, bool *off, word_t *w, word_t *h)
{
	*set = *off = false;
	if (!cfg.node)
		return;
	for (const struct cfg_node *n = cfg_child(cfg.node, "scanout"); n; n = cfg_next(n, "scanout")) {
		uint64_t nid = 0, cw = 0, ch = 0;
		bool en = true;
		if (cfg_attr_u64(n, "id", 0, &nid) <= 0 || nid != id)
			continue;
		(void)cfg_attr_bool(n, "enabled", true, &en);
		(void)cfg_attr_u64(n, "width", 0, &cw);
		(void)cfg_attr_u64(n, "height", 0, &ch);
		if (!en) {
			*off = true;
		} else if (cw && ch) {
			*set = true;
			*w = cw;
			*h = ch;
		}
	}
}

/* Check the config (errors logged with line and column); false: ignore it. */
static bool config_valid(void)
{
	if (!cfg.node)
		return true;
	if (cfg.node->attrs) {
		log("error: config: unknown attribute '%s'", cfg.node->attrs->name);
		return false;
	}
	for (const struct cfg_node *n = cfg.node->child; n; n = n->next) {
		uint64_t id, w = 0, h = 0;
		bool en = true;
		if (strcmp(n->type, "scanout")) {
			log("error: config %u:%u: unknown node <%s>", n->line, n->col, n->type);
			return false;
		}
		for (const struct cfg_attr *a = n->attrs; a; a = a->next)
			if (strcmp(a->name, "id") && strcmp(a->name, "width") &&
			    strcmp(a->name, "height") && strcmp(a->name, "enabled")) {
				log("error: config %u:%u: unknown attribute '%s'", n->line, n->col,
				    a->name);
				return false;
			}
		if (cfg_attr_u64(n, "id", 0, &id) <= 0 || id >= SCANOUTS_MAX ||
		    cfg_attr_bool(n, "enabled", true, &en) < 0 ||
		    cfg_attr_u64(n, "width", 0, &w) < 0 || cfg_attr_u64(n, "height", 0, &h) < 0 ||
		    (en && (w < MIN_SIDE || h < MIN_SIDE || w > CAPTURE_MAX_SIDE ||
			    h > CAPTURE_MAX_SIDE)) || (!en && (w || h))) {
			log("error: config %u:%u: <scanout> needs id 0..%u and width and height "
			    "%u..%lu, or enabled=\"no\" alone", n->line, n->col, SCANOUTS_MAX - 1,
			    MIN_SIDE, CAPTURE_MAX_SIDE);
			return false;
		}
	}
	return true;
}

/* Ask the device for its displays and bring every scanout to the mode it
 * should have (the config's, else the device's preferred one while it
 * says the scanout is enabled). */
static void update_modes(void)
{
	struct gpu_display_info *di = (struct gpu_display_info *)(cmd.virt + RESP_OFF);
	struct gpu_display_info info;
	bool have_info;

	have_info = command(GPU_CMD_GET_DISPLAY_INFO, sizeof(struct gpu_hdr),
			    GPU_RESP_OK_DISPLAY_INFO, sizeof(*di)) == RPC_OK;
	if (have_info)
		memcpy(&info, di, sizeof(info));
	for (unsigned i = 0; i < nscanouts; i++) {
		struct screen *s = &screens[i];
		word_t w = 0, h = 0;
		bool set, off, on = false;

		config_scanout(i, &set, &off, &w, &h);
		if (off) {
			on = false;
		} else if (set) {
			on = true;
		} else if (have_info && info.pmodes[i].enabled) {
			w = info.pmodes[i].r.width;
			h = info.pmodes[i].r.height;
			on = true;
			if (w < MIN_SIDE || h < MIN_SIDE || w > CAPTURE_MAX_SIDE || h > CAPTURE_MAX_SIDE) {
				log("error: scanout %u: the device reports the mode %lux%lu (allowed: "
				    "%u..%lu a side)", i, w, h, MIN_SIDE, CAPTURE_MAX_SIDE);
				on = false;
			}
		} else if (!have_info && s->active) {
			continue;        /* no word from the device: keep what is shown */
		}
		if (!on)
			screen_off(s);
		else if (!s->active || s->width != w || s->height != h)
			(void)screen_mode(s, w, h);
	}
}

/* The device's configuration changed: a display event? */
static void check_events(void *arg)
{
	uint32_t ev = REG_READ(&vio.device, GPU_EVENTS_READ);

	(void)arg;
	if (!(ev & GPU_EVENT_DISPLAY))
		return;
	REG_WRITE(&vio.device, GPU_EVENTS_CLEAR, GPU_EVENT_DISPLAY);
	log("display information changed");
	update_modes();
}

static void on_config(void *arg)
{
	(void)arg;
	config_rom_update(&cfg);
	if (config_valid())
		update_modes();
}

void component_construct(struct component_env *e)
{
	char name[PLATFORM_NAME_MAX];
	rpc_status_t st;

	env = e;
	st = config_rom_open(&cfg, "config", &env->ep, on_config, 0);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "no config", st);
	if (!config_valid())
		component_exit(1);
	virtio_pci_open(&vio, &dev, &plat, PLATFORM_RAM, &gpu_want, name);
	nscanouts = REG_READ(&vio.device, GPU_NUM_SCANOUTS);
	if (!nscanouts || nscanouts > SCANOUTS_MAX) {
		log("error: the device reports %u scanouts (1..%u allowed)", nscanouts, SCANOUTS_MAX);
		virtio_pci_fail(&vio);
		component_exit(1);
	}
	st = virtio_queue_setup(&vio, &ctrlq, 0, QUEUE_MAX, 0);
	if (st == RPC_OK)
		st = dma_buf_alloc(&plat, CMD_BUF, 0, &cmd);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "control queue", st);
	/* the cursor queue (1) is not used */
	config_irq = vio.msix && virtio_pci_on_config(&vio, &env->ep, check_events, 0) == RPC_OK;
	if (!config_irq)
		log("no MSI-X: display changes are seen only with the next config change");
	for (unsigned i = 0; i < nscanouts; i++) {
		screens[i].id = i;
		st = signal_handler_init(&env->ep, &screens[i].sig, on_capture, &screens[i]);
		if (st != RPC_OK)
			virtio_pci_exit(&vio, "signal handler", st);
	}
	virtio_pci_ready(&vio);
	log("%s: virtio-gpu, %u scanout%s, %s", name, nscanouts, nscanouts == 1 ? "" : "s",
	    vio.msix ? "MSI-X" : "legacy interrupt");
	/* an event pending from before: cleared, the display info is read anyway */
	REG_WRITE(&vio.device, GPU_EVENTS_CLEAR, REG_READ(&vio.device, GPU_EVENTS_READ));
	update_modes();
}
