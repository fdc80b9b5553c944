/*
 * virtio_rng: QEMU's virtio-rng-pci (virtio device type 4) through the
 * driver kit's virtio transport, serving Entropy sessions
 * (entropy_session.h). Bytes come from the device's one queue in 4 KiB
 * requests; where the CPU has RDRAND each 8 bytes are XORed with one of
 * its values, so that the output is no weaker than the better of the two
 * sources. Bytes are handed out once: every session gets its own.
 *
 * Trusts its parent, core and the platform driver; the device only for
 * the bytes (the used ring is checked by the virtqueue code, a device that
 * breaks it ends the service with an error). Clients are trusted for
 * nothing: their counts are checked, each session has its own buffer.
 *
 * Config: <config bench="yes"/> measures msi_roundtrip (one request and
 * its completion interrupt) before serving.
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include <driver_cpu.h>
#include <entropy_session.h>
#include <virtio_pci.h>

#define REQUEST 4096u
#define QUEUE_MAX 16
#define PLATFORM_RAM (64 * 1024)
#define BENCH_WARMUP 20
#define BENCH_RUNS 201
#define BENCH_BYTES 64u

static const struct drv_id rng_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + 4 },  /* modern */
	{ VIRTIO_PCI_VENDOR, 0x1005 },                      /* transitional */
};
static const struct virtio_pci_want rng_want = { .kind = "virtio-rng", .ids = rng_ids, .nids = 2 };

struct session {
	struct server_session ss;
	struct ram_buf mem;      /* shared with the client */
	cptr_t ds;               /* mem.ds */
	uint8_t *buf;            /* mem.va */
	word_t served;
};

static struct component_env *env;
static struct platform_connection plat;
static struct drv_device dev;
static struct virtio_pci vio;
static struct virtio_queue rq;
static bool config_vector;
static struct dma_pool pool;
static uint8_t *req_buf;
static uint64_t req_dev;
static bool rdrand, broken;
static uint8_t bytes[REQUEST];
static word_t have, pos;
static word_t device_bytes;

/* One request of n bytes to the device, waiting for its interrupt;
 * the bytes written, 0 on failure. */
static uint32_t device_read(uint32_t n)
{
	struct vq_buf b = { req_dev, n, true };
	uint32_t got = 0;
	vq_error_t e = virtio_queue_call(&rq, &b, 1, &got);

	if (e != VQ_OK) {
		log("error: device: %s", vq_error_name(e));
		broken = true;
		return 0;
	}
	return got;
}

static bool refill(void)
{
	uint32_t got;

	if (broken)
		return false;
	got = device_read(REQUEST);
	if (!got)
		return false;
	memcpy(bytes, req_buf, got);
	/* the device wrote them: clear so that no byte can be handed out twice
	 * from the DMA buffer either */
	memset(req_buf, 0, got);
	device_bytes += got;
	for (uint32_t i = 0; rdrand && i + 8 <= got; i += 8) {
		uint64_t r, v;
		if (!cpu_random64(&r))
			break;
		memcpy(&v, bytes + i, 8);
		v ^= r;
		memcpy(bytes + i, &v, 8);
	}
	have = got;
	pos = 0;
	return true;
}

/* A configuration change (MSI-X vector 0): virtio-rng has no device
 * configuration, so one can only be the device asking for a reset. */
static void on_config(void *arg)
{
	(void)arg;
	if (virtio_pci_needs_reset(&vio))
		broken = true;
}

/* ---- Entropy sessions ---- */

static rpc_status_t do_dataspace(struct entropy_dataspace_call *c)
{
	struct session *s = c->obj;

	c->out.ds = s->ds;
	c->out.size = ENTROPY_MAX;
	return RPC_OK;
}

static rpc_status_t do_get(struct entropy_get_call *c)
{
	struct session *s = c->obj;
	word_t n = c->in.n, done = 0;

	if (!n || n > ENTROPY_MAX)
		return RPC_E_INVALID_ARGUMENT;
	while (done < n) {
		if (pos == have && !refill())
			return RPC_E_UNAVAILABLE;
		word_t k = have - pos < n - done ? have - pos : n - done;
		memcpy(s->buf + done, bytes + pos, k);
		memset(bytes + pos, 0, k);
		pos += k;
		done += k;
	}
	s->served += n;
	c->out.got = n;
	return RPC_OK;
}

RPC_SERVER(entropy, ENTROPY_RPC)

static const struct entropy_server ops = {
	.entropy_dataspace = do_dataspace,
	.entropy_get = do_get,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	entropy_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static void session_free(struct session *s)
{
	ram_buf_free(&s->mem);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct session *s = (struct session *)ss;
	rpc_status_t st;

	(void)srv;
	(void)args;
	if (!budget_take(&ss->budget, ENTROPY_SESSION_RAM, ENTROPY_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	st = ram_buf_alloc(&s->mem, ENTROPY_MAX);
	if (st != RPC_OK)
		return st;
	s->ds = s->mem.ds;
	s->buf = s->mem.va;
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	session_free((struct session *)ss);
}

static struct session_server server = {
	.service = ENTROPY_SERVICE,
	.size = sizeof(struct session),
	.ram = ENTROPY_SESSION_RAM,
	.caps = ENTROPY_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

/* ---- start ---- */

/* msi_roundtrip: a request of 64 bytes, the device's completion
 * interrupt (MSI-X: one a request, so each wait is this request's), the
 * used element taken, the vector acknowledged. The CPU halts while QEMU
 * completes the request: the figure is busy instructions (argil/busy.h),
 * the elapsed ones are logged beside it. */
static void bench(void)
{
	static uint64_t t[BENCH_RUNS], el[BENCH_RUNS];
	struct vq_buf b = { req_dev, BENCH_BYTES, true };

	for (int i = 0; i < BENCH_WARMUP + BENCH_RUNS; i++) {
		void *cookie = 0;
		uint32_t got = 0;
		uint64_t elapsed;
		struct busy_clock clock;
		busy_start(&clock);
		vq_error_t e = vq_add(&rq.vq, &b, 1, req_buf);
		if (e == VQ_OK) {
			virtio_queue_notify(&rq);
			drv_irq_wait(&rq.irq);
			e = vq_get_used(&rq.vq, &cookie, &got);
			virtio_queue_irq_ack(&rq);
		}
		uint64_t busy = busy_instructions(&clock, &elapsed);
		if (e != VQ_OK || cookie != req_buf || got != BENCH_BYTES) {
			log("FAIL virtio_rng bench: request %d: %s, %u bytes", i, vq_error_name(e), got);
			return;
		}
		if (i >= BENCH_WARMUP) {
			t[i - BENCH_WARMUP] = busy;
			el[i - BENCH_WARMUP] = elapsed;
		}
	}
	bench_sort(t, BENCH_RUNS);
	bench_sort(el, BENCH_RUNS);
	log("msi_roundtrip: busy median %lu min %lu max %lu, elapsed median %lu (%d runs, %s)",
	    t[BENCH_RUNS / 2], t[0], t[BENCH_RUNS - 1], el[BENCH_RUNS / 2], BENCH_RUNS,
	    vio.msix ? "MSI-X" : "legacy line");
	bench_line("msi_roundtrip", t[BENCH_RUNS / 2], "instructions");
}

void component_construct(struct component_env *e)
{
	struct config_rom cfg;
	char name[PLATFORM_NAME_MAX];
	bool do_bench = false;
	rpc_status_t st;

	env = e;
	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		if (cfg.node && cfg_attr_bool(cfg.node, "bench", false, &do_bench) < 0)
			log("error: config: bench must be yes or no");
		config_rom_close(&cfg, 0);
	}
	virtio_pci_open(&vio, &dev, &plat, PLATFORM_RAM, &rng_want, name);
	st = virtio_queue_setup(&vio, &rq, 0, QUEUE_MAX, 0);
	/* configuration changes on vector 0, when the queue got MSI-X */
	if (st == RPC_OK)
		st = virtio_pci_on_config(&vio, &env->ep, on_config, 0);
	config_vector = st == RPC_OK && vio.msix;
	if (st == RPC_OK)
		st = dma_pool_init(&pool, &plat, 4 * REQUEST, 512, 0);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "virtio setup", st);
	req_buf = dma_pool_alloc(&pool, REQUEST, &req_dev);
	if (!req_buf)
		virtio_pci_exit(&vio, "no DMA memory in the pool", RPC_E_NO_RAM_QUOTA);
	virtio_pci_ready(&vio);
	rdrand = cpu_has_random();
	log("%s: virtio-rng, features 0x%lx%s, %s, queue of %u; RDRAND %s", name,
	    (unsigned long)vio.features,
	    (vio.features & VIRTIO_F_ACCESS_PLATFORM) ? " (ACCESS_PLATFORM)" : "",
	    !vio.msix ? "legacy interrupt" : config_vector ? "MSI-X (config + 1 queue)" : "MSI-X",
	    rq.vq.size, rdrand ? "mixed in" : "absent");
	if (do_bench)
		bench();
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "cannot serve", st);
}
