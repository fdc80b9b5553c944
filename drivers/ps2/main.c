/*
 * ps2: the i8042 PS/2 controller with keyboard (scan code set 2, LEDs for
 * caps, num and scroll lock) and mouse (relative motion, three buttons,
 * the wheel after the IntelliMouse sequence), on the ports and IRQs 1 and
 * 12 of the device "ps2" acquired through the Platform session, feeding
 * the Event session (event_session.h).
 *
 * Restart: a ps2 that was killed and started again must not replay a key
 * nor put one out of order. Whatever the old instance left in the
 * controller (a byte it never read, the rest of a sequence whose prefix
 * it had read) would be wrong to decode, so init disables both ports,
 * throws away what the controller's output buffer holds, and resets both
 * devices (their own buffers are emptied by the reset); keys pressed
 * during the restart are lost, never duplicated. A new instance has a new
 * Event session whose numbering starts at 0.
 *
 * Trusts its parent, core and the platform driver; the devices for
 * nothing (ps2_decode.c). Config: <config verbose="yes"/> logs the setup.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include <driver.h>
#include <event_session.h>
#include "i8042.h"
#include "ps2_decode.h"

#define POLLS 200000             /* status reads before a byte counts as lost */
#define FLUSH_MAX 256
#define DRAIN_MAX 256
#define RETRIES 3

static struct platform_connection plat;
static struct drv_device dev;
static struct drv_ports data_ports, ctl_ports;
static struct drv_irq kbd_irq, aux_irq;
static struct signal_handler kbd_sig, aux_sig;
static struct event_connection events;
static struct ps2_kbd_decoder kbd;
static struct ps2_mouse_decoder mouse;
static bool have_aux, verbose;
static uint8_t leds;

/* the LED update: 0xed, its ACK, the LED byte, its ACK */
enum led_state { LED_IDLE, LED_WAIT_CMD_ACK, LED_WAIT_VALUE_ACK };
static enum led_state led_state;
static bool led_dirty;
static unsigned led_resends;

static uint8_t status(void)
{
	return REG_READ(&ctl_ports.io, I8042_STATUS);
}

static bool wait_input_empty(void)
{
	for (int i = 0; i < POLLS; i++)
		if (!FIELD_GET(I8042_STATUS, IN_FULL, status()))
			return true;
	return false;
}

/* The next byte from the controller (aux: whether the mouse sent it). */
static bool read_byte(uint8_t *b, bool *aux)
{
	for (int i = 0; i < POLLS; i++) {
		uint8_t s = status();
		if (FIELD_GET(I8042_STATUS, OUT_FULL, s)) {
			if (aux)
				*aux = FIELD_GET(I8042_STATUS, AUX, s);
			*b = REG_READ(&data_ports.io, I8042_DATA);
			return true;
		}
	}
	return false;
}

static bool ctl_command(uint8_t cmd)
{
	if (!wait_input_empty())
		return false;
	REG_WRITE(&ctl_ports.io, I8042_COMMAND, cmd);
	return true;
}

static bool ctl_command_arg(uint8_t cmd, uint8_t arg)
{
	if (!ctl_command(cmd) || !wait_input_empty())
		return false;
	REG_WRITE(&data_ports.io, I8042_DATA, arg);
	return true;
}

static bool ctl_query(uint8_t cmd, uint8_t *answer)
{
	return ctl_command(cmd) && read_byte(answer, 0);
}

/* A byte to the keyboard or (aux) the mouse. */
static bool dev_write(bool aux, uint8_t b)
{
	if (aux && !ctl_command(I8042_WRITE_AUX))
		return false;
	if (!wait_input_empty())
		return false;
	REG_WRITE(&data_ports.io, I8042_DATA, b);
	return true;
}

/* The next byte from the device named (bytes of the other are dropped:
 * during setup nothing but answers is expected). */
static bool dev_read(bool aux, uint8_t *b)
{
	bool from_aux;

	for (int i = 0; i < FLUSH_MAX; i++) {
		if (!read_byte(b, &from_aux))
			return false;
		if (from_aux == aux)
			return true;
	}
	return false;
}

/* A command byte acknowledged, resent on RESEND. */
static bool dev_command(bool aux, uint8_t b)
{
	uint8_t r;

	for (int i = 0; i < RETRIES; i++) {
		if (!dev_write(aux, b) || !dev_read(aux, &r))
			return false;
		if (r == PS2_ACK)
			return true;
		if (r != PS2_RESEND)
			return false;
	}
	return false;
}

static void flush(void)
{
	uint8_t b;

	for (int i = 0; i < FLUSH_MAX && FIELD_GET(I8042_STATUS, OUT_FULL, status()); i++)
		b = REG_READ(&data_ports.io, I8042_DATA);
	(void)b;
}

/* ---- setup ---- */

static const char *setup_keyboard(void)
{
	uint8_t r;

	if (!dev_command(false, PS2_CMD_RESET))
		return "keyboard reset not acknowledged";
	if (!dev_read(false, &r) || r != PS2_SELF_TEST_OK)
		return "keyboard self test failed";
	if (!dev_command(false, PS2_CMD_SCAN_SET) || !dev_command(false, 2))
		return "keyboard refused scan code set 2";
	if (!dev_command(false, PS2_CMD_LEDS) || !dev_command(false, leds))
		return "keyboard refused its LEDs";
	if (!dev_command(false, PS2_CMD_ENABLE))
		return "keyboard refused to scan";
	return 0;
}

static const char *setup_mouse(bool *wheel)
{
	static const uint8_t intellimouse[] = { 200, 100, 80 };
	uint8_t r;

	*wheel = false;
	if (!dev_command(true, PS2_CMD_RESET))
		return "mouse reset not acknowledged";
	if (!dev_read(true, &r) || r != PS2_SELF_TEST_OK || !dev_read(true, &r))
		return "mouse self test failed";
	/* the IntelliMouse sequence: sample rates 200, 100, 80 switch a
	 * wheel mouse to ID 3 and 4-byte packets */
	for (unsigned i = 0; i < sizeof(intellimouse); i++)
		if (!dev_command(true, PS2_CMD_SAMPLE_RATE) || !dev_command(true, intellimouse[i]))
			return "mouse refused a sample rate";
	if (!dev_command(true, PS2_CMD_GET_ID) || !dev_read(true, &r))
		return "mouse did not tell its ID";
	*wheel = r == PS2_MOUSE_ID_WHEEL;
	if (!dev_command(true, PS2_CMD_ENABLE))
		return "mouse refused to report";
	return 0;
}

/* The controller from any state: ports off, buffer emptied, checked,
 * devices reset, interrupts on. */
static const char *setup(bool *wheel)
{
	uint8_t cfg, r;
	const char *err;

	if (!ctl_command(I8042_KBD_DISABLE) || !ctl_command(I8042_AUX_DISABLE))
		return "controller does not take commands";
	flush();
	if (!ctl_query(I8042_SELF_TEST, &r) || r != I8042_SELF_TEST_OK)
		return "controller self test failed";
	/* the self test may reset the configuration: read it after */
	if (!ctl_query(I8042_READ_CFG, &cfg))
		return "configuration byte unreadable";
	cfg = FIELD_INSERT(I8042_CFG, KBD_IRQ, cfg, 0);
	cfg = FIELD_INSERT(I8042_CFG, AUX_IRQ, cfg, 0);
	cfg = FIELD_INSERT(I8042_CFG, TRANSLATE, cfg, 0);
	if (!ctl_command_arg(I8042_WRITE_CFG, cfg))
		return "configuration byte not written";
	if (!ctl_query(I8042_KBD_TEST, &r) || r != 0)
		return "keyboard port test failed";
	have_aux = ctl_query(I8042_AUX_TEST, &r) && r == 0;
	if (!ctl_command(I8042_KBD_ENABLE))
		return "keyboard port not enabled";
	if ((err = setup_keyboard()))
		return err;
	*wheel = false;
	if (have_aux) {
		if (!ctl_command(I8042_AUX_ENABLE))
			return "mouse port not enabled";
		if ((err = setup_mouse(wheel))) {
			log("%s: no mouse", err);
			have_aux = false;
			ctl_command(I8042_AUX_DISABLE);
		}
	}
	flush();
	cfg = FIELD_INSERT(I8042_CFG, KBD_IRQ, cfg, 1);
	cfg = FIELD_INSERT(I8042_CFG, AUX_IRQ, cfg, have_aux);
	cfg = FIELD_INSERT(I8042_CFG, KBD_CLOCK_OFF, cfg, 0);
	cfg = FIELD_INSERT(I8042_CFG, AUX_CLOCK_OFF, cfg, !have_aux);
	if (!ctl_command_arg(I8042_WRITE_CFG, cfg))
		return "configuration byte not written";
	return 0;
}

/* ---- running ---- */

static void led_start(void)
{
	if (led_state != LED_IDLE) {
		led_dirty = true;
		return;
	}
	led_dirty = false;
	led_resends = 0;
	if (dev_write(false, PS2_CMD_LEDS))
		led_state = LED_WAIT_CMD_ACK;
}

/* ACK and RESEND while an LED update is under way */
static void led_answer(uint8_t b)
{
	if (b == PS2_RESEND && led_resends++ < RETRIES) {
		dev_write(false, led_state == LED_WAIT_CMD_ACK ? PS2_CMD_LEDS : leds);
		return;
	}
	if (b == PS2_ACK && led_state == LED_WAIT_CMD_ACK) {
		led_state = dev_write(false, leds) ? LED_WAIT_VALUE_ACK : LED_IDLE;
		return;
	}
	led_state = LED_IDLE;
	if (led_dirty)
		led_start();
}

static void lock_key(unsigned key)
{
	if (key == KEY_CAPSLOCK)
		leds ^= FIELD_SET(KBD_LEDS, CAPS, 1);
	else if (key == KEY_NUMLOCK)
		leds ^= FIELD_SET(KBD_LEDS, NUM, 1);
	else if (key == KEY_SCROLLLOCK)
		leds ^= FIELD_SET(KBD_LEDS, SCROLL, 1);
	else
		return;
	led_start();
}

static void keyboard_byte(uint8_t b)
{
	struct input_event e;

	if (led_state != LED_IDLE && (b == PS2_ACK || b == PS2_RESEND)) {
		led_answer(b);
		return;
	}
	if (!ps2_kbd_feed(&kbd, b, &e))
		return;
	event_put(&events, &e);
	if (e.type == INPUT_PRESS)
		lock_key(e.code);
}

static void mouse_byte(uint8_t b)
{
	struct input_event e[2 + PS2_MOUSE_BUTTONS];
	unsigned n = ps2_mouse_feed(&mouse, b, e);

	for (unsigned i = 0; i < n; i++)
		event_put(&events, &e[i]);
}

/* Everything the controller holds, in the order it came, as one batch. */
static void drain(void)
{
	rpc_status_t st;

	for (int i = 0; i < DRAIN_MAX; i++) {
		uint8_t s = status();
		if (!FIELD_GET(I8042_STATUS, OUT_FULL, s))
			break;
		uint8_t b = REG_READ(&data_ports.io, I8042_DATA);
		if (FIELD_GET(I8042_STATUS, AUX, s))
			mouse_byte(b);
		else
			keyboard_byte(b);
	}
	st = event_flush(&events);
	if (st != RPC_OK)
		log("error: events not taken: %s", rpc_status_name(st));
}

/*
 * IRQs 1 and 12 are edge-triggered, and the kernel masks a line from its
 * interrupt until the ack: an edge in between is lost. So the line is
 * acknowledged first and the controller drained after; a byte that comes
 * after the drain's last look raises an interrupt on an open line.
 */
static void on_kbd_irq(void *arg)
{
	(void)arg;
	drv_irq_ack(&kbd_irq);
	drain();
}

static void on_aux_irq(void *arg)
{
	(void)arg;
	drv_irq_ack(&aux_irq);
	drain();
}

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(1);
}

void component_construct(struct component_env *env)
{
	struct config_rom cfg;
	const char *err;
	bool wheel;
	rpc_status_t st;

	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		if (cfg.node && cfg_attr_bool(cfg.node, "verbose", false, &verbose) < 0)
			log("error: config: verbose must be yes or no");
		config_rom_close(&cfg, 0);
	}
	st = platform_connect(&plat, "", 0);
	if (st != RPC_OK)
		fail("no Platform session", st);
	st = drv_device_wait_named(&plat, "ps2");
	if (st == RPC_OK)
		st = drv_device_acquire(&dev, &plat, "ps2");
	if (st != RPC_OK)
		fail("cannot acquire the device ps2", st);
	st = drv_ports_get(&dev, 0, &data_ports);
	if (st == RPC_OK)
		st = drv_ports_get(&dev, 1, &ctl_ports);
	if (st != RPC_OK)
		fail("no I/O ports", st);
	st = event_connect(&events, "input");
	if (st != RPC_OK)
		fail("no Event session", st);
	/* interrupts first: an edge during setup is then not lost */
	st = signal_handler_init(&env->ep, &kbd_sig, on_kbd_irq, 0);
	if (st == RPC_OK)
		st = signal_handler_init(&env->ep, &aux_sig, on_aux_irq, 0);
	if (st == RPC_OK)
		st = drv_irq_open(&kbd_irq, &dev, 0, kbd_sig.cap);
	if (st == RPC_OK)
		st = drv_irq_open(&aux_irq, &dev, 1, aux_sig.cap);
	if (st != RPC_OK)
		fail("no interrupts", st);
	if ((err = setup(&wheel))) {
		log("error: %s", err);
		component_exit(2);
	}
	ps2_mouse_init(&mouse, wheel);
	log("keyboard: scan code set 2%s%s", have_aux ? "; mouse: " : "; no mouse",
	    have_aux ? (wheel ? "IntelliMouse with wheel" : "3 buttons, no wheel") : "");
	/* anything that came between setup and now (lines open first) */
	drv_irq_ack(&kbd_irq);
	drv_irq_ack(&aux_irq);
	drain();
}
