/*
 * gui_bench (run/gui_bench, bench/README.md): a Gui client that init
 * starts below the priority of everything else (gui, fb_bochs, ps2,
 * event_filter), so that it runs only when they all wait:
 *
 *   gui_refresh_full   the instructions from before a GUI_REFRESH of its
 *                      full-screen 1024x768 view to the moment it runs
 *                      again: the GUI's composition of the rectangle and
 *                      fb_bochs's flush (its CAPTURE_CHANGED and the copy
 *                      to the video memory), which runs before the client
 *                      because fb_bochs's priority is higher
 *   gui_refresh_small  the same for a 16x16 rectangle
 *   input_latency      the instructions the machine executes from the
 *                      bench's wait for input to its handler's getting a
 *                      key press (busy.h: elapsed minus the halted time),
 *                      while the host types one key at a time into an
 *                      otherwise idle machine: the key interrupt in the
 *                      kernel, ps2's decoding and batch, event_filter,
 *                      the GUI's routing to the focused client (this
 *                      one: the host clicks on its view first) and the
 *                      signal that wakes it
 *
 * 20 warm-up and 201 timed refreshes (the median), 3 warm-up and 21 timed
 * key presses (the median). Ends with "gui_bench: done".
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <arch/syscall.h>
#include <gui_session.h>

#define W 1024
#define H 768
#define WARM 20
#define RUNS 201
#define KEYS_WARM 3
#define KEYS 21

static struct gui_connection g;
static struct signal_handler mode_sig, input_sig;
static struct busy_clock clock;
static uint64_t samples[RUNS];
static unsigned presses;
static bool refreshed;

static void fail(const char *what, rpc_status_t st)
{
	log("FAIL gui_bench: %s: %s", what, rpc_status_name(st));
	component_exit(1);
}

static void refresh_bench(const char *name, word_t w, word_t h)
{
	rpc_status_t st;

	for (unsigned i = 0; i < WARM + RUNS; i++) {
		/* something new to show each time */
		for (word_t y = 0; y < h; y++)
			g.pixels[y * W] = (uint32_t)(i * 0x010203u);
		uint64_t t0 = rdtsc();
		st = gui_refresh(g.session, 0, 0, w, h);
		uint64_t t1 = rdtsc();
		if (st != RPC_OK)
			fail("GUI_REFRESH", st);
		if (i >= WARM)
			samples[i - WARM] = t1 - t0;
	}
	bench_sort(samples, RUNS);
	log("gui_bench: %s: median %lu min %lu max %lu (%u runs, %lux%lu)", name,
	    (unsigned long)samples[RUNS / 2], (unsigned long)samples[0],
	    (unsigned long)samples[RUNS - 1], RUNS, w, h);
	bench_line(name, samples[RUNS / 2], "instructions");
}

static void on_mode(void *arg)
{
	word_t w, h;
	rpc_status_t st;

	(void)arg;
	if (refreshed)
		return;
	st = gui_mode(g.session, &w, &h);
	if (st != RPC_OK)
		fail("GUI_MODE", st);
	if (w != W || h != H)
		return;     /* no screen yet, or not the one this bench is for */
	refreshed = true;
	refresh_bench("gui_refresh_full", W, H);
	refresh_bench("gui_refresh_small", 16, 16);
	log("gui_bench: type now");
	busy_start(&clock);
}

static void on_input(void *arg)
{
	struct input_event e;
	uint64_t busy = busy_instructions(&clock, 0);
	bool press = false;

	(void)arg;
	while (gui_input_next(&g, &e))
		press |= e.type == INPUT_PRESS && e.code < KEY_BTN_LEFT;
	if (press && refreshed && presses < KEYS_WARM + KEYS) {
		if (presses >= KEYS_WARM)
			samples[presses - KEYS_WARM] = busy;
		if (++presses == KEYS_WARM + KEYS) {
			bench_sort(samples, KEYS);
			log("gui_bench: input_latency: median %lu min %lu max %lu (%u key presses)",
			    (unsigned long)samples[KEYS / 2], (unsigned long)samples[0],
			    (unsigned long)samples[KEYS - 1], KEYS);
			bench_line("input_latency", samples[KEYS / 2], "instructions");
			log("gui_bench: done");
		}
	}
	busy_start(&clock);
}

void component_construct(struct component_env *env)
{
	word_t view;
	rpc_status_t st;

	st = gui_connect(&g, "bench", W, H);
	if (st == RPC_OK)
		st = gui_set_buffer(&g, W, H);
	if (st != RPC_OK)
		fail("Gui session", st);
	for (word_t i = 0; i < W * H; i++)
		g.pixels[i] = 0x305070;
	if ((st = gui_view_create(g.session, &view)) != RPC_OK ||
	    (st = gui_view_geometry(g.session, view, 0, 0, W, H)) != RPC_OK)
		fail("view", st);
	if ((st = signal_handler_init(&env->ep, &input_sig, on_input, 0)) != RPC_OK ||
	    (st = gui_input_attach(&g, input_sig.cap)) != RPC_OK)
		fail("input", st);
	if ((st = signal_handler_init(&env->ep, &mode_sig, on_mode, 0)) != RPC_OK ||
	    (st = gui_mode_sigh(g.session, mode_sig.cap)) != RPC_OK)
		fail("mode signal", st);
	on_mode(0);
}
