/*
 * Power button, shutdown and reboot (docs/devices.md, "acpi").
 *
 * The "system" report says what the system is doing: <system
 * state="running"/>, then "shutdown" after a power-button press (or a
 * request). Components that must finish first (file systems) watch it as a
 * ROM and answer with their own report <system state="shutdown_done"/>,
 * which reaches acpi as one of the ROMs its config names:
 *
 *   <config shutdown_timeout_ms="5000">
 *     <wait_for rom="fs_state"/> ...
 *   </config>
 *
 * Once each has answered, or after the timeout, ACPICA enters S5. A ROM
 * "system_request" (optional) with <system state="reboot"/> resets the
 * machine through the FADT's reset register, state="shutdown" shuts down
 * as the power button does.
 */
#include <acpi/acpi.h>
#include <argil/config_rom.h>
#include <report_session.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <timer_session.h>
#include "osl.h"
#include "text.h"
#include "power.h"

#define MAX_WAIT 16

struct participant {
	struct config_rom rom;
	const char *name;
	bool done;
};

static struct entrypoint *ep;
static struct reporter system_report;
static bool reporting;
static struct participant waits[MAX_WAIT];
static unsigned nwaits;
static uint64_t timeout_ms = 5000;
static struct timer_connection timeout;
static struct signal_handler timeout_sig;
static struct config_rom request;
static bool shutting_down;

static void publish(const char *state)
{
	char doc[64];
	int n = snprintf(doc, sizeof(doc), "<system state=\"%s\"/>\n", state);

	if (reporting && reporter_submit(&system_report, doc, (word_t)n) != RPC_OK)
		acpi_log("error: system report not submitted");
}

static void power_off(const char *why)
{
	acpi_status st;

	acpi_log("shutdown: %s, entering S5", why);
	st = acpi_enter_sleep_state_prep(ACPI_STATE_S5);
	if (ACPI_SUCCESS(st))
		st = acpi_enter_sleep_state(ACPI_STATE_S5);
	acpi_log("error: S5 did not switch the machine off: %s", acpi_format_exception(st));
}

static void check_done(void)
{
	for (unsigned i = 0; i < nwaits; i++)
		if (!waits[i].done)
			return;
	power_off(nwaits ? "every component finished" : "nothing to wait for");
}

static void participant_changed(void *arg)
{
	struct participant *p = arg;
	const char *state;

	if (!config_rom_update(&p->rom) || !cfg_is(p->rom.node, "system"))
		return;
	state = cfg_attr(p->rom.node, "state");
	if (!shutting_down || p->done || !state || strcmp(state, "shutdown_done"))
		return;
	p->done = true;
	acpi_log("shutdown: %s finished", p->name);
	check_done();
}

static void on_timeout(void *arg)
{
	(void)arg;
	if (!shutting_down)
		return;
	for (unsigned i = 0; i < nwaits; i++)
		if (!waits[i].done)
			acpi_log("shutdown: %s did not finish within %lu ms", waits[i].name,
			    (unsigned long)timeout_ms);
	power_off("timeout");
}

static void shutdown(void *why)
{
	if (shutting_down)
		return;
	shutting_down = true;
	acpi_log("%s: system state shutdown", (const char *)why);
	publish("shutdown");
	if (nwaits && timer_trigger_once(timeout.session, timeout_ms * 1000) != RPC_OK)
		acpi_log("error: no shutdown timeout");
	for (unsigned i = 0; i < nwaits; i++)
		participant_changed(&waits[i]);   /* one may have answered already */
	check_done();
}

/* ACPICA's fixed-event handler, called from its SCI handler: the work is
 * done once the SCI is handled. */
static u32 power_button(void *context)
{
	(void)context;
	acpi_os_execute(OSL_NOTIFY_HANDLER, shutdown, "power button");
	return ACPI_INTERRUPT_HANDLED;
}

static void request_changed(void *arg)
{
	const char *state;

	(void)arg;
	if (!config_rom_update(&request) || !cfg_is(request.node, "system"))
		return;
	state = cfg_attr(request.node, "state");
	if (state && !strcmp(state, "reboot")) {
		acpi_log("reboot: writing the reset register");
		/* the platform driver gives the PCI configuration ports (among
		 * them 0xcf9 on PIIX and ICH) back once it uses ECAM: a reboot
		 * asked for at boot may have to wait a moment for that */
		acpi_status st = acpi_reset();
		for (int i = 0; i < 50 && ACPI_FAILURE(st); i++) {
			acpi_os_sleep(20);
			st = acpi_reset();
		}
		acpi_log("error: the reset register did not reset the machine: %s",
		    acpi_format_exception(st));
	} else if (state && !strcmp(state, "shutdown")) {
		shutdown("request");
	}
}

bool power_config(struct entrypoint *e, const struct cfg_node *config)
{
	ep = e;
	if (!config)
		return true;
	if (cfg_attr_u64(config, "shutdown_timeout_ms", 5000, &timeout_ms) < 0 || !timeout_ms) {
		acpi_log("config:%u:%u: shutdown_timeout_ms must be a positive number", config->line,
		    config->col);
		return false;
	}
	for (const struct cfg_node *n = cfg_child(config, "wait_for"); n; n = cfg_next(n, "wait_for")) {
		const char *rom = cfg_attr(n, "rom");
		if (!rom || !rom[0]) {
			acpi_log("config:%u:%u: wait_for needs a rom", n->line, n->col);
			return false;
		}
		if (nwaits == MAX_WAIT) {
			acpi_log("config:%u:%u: more than %u wait_for", n->line, n->col, MAX_WAIT);
			return false;
		}
		waits[nwaits++].name = rom;
	}
	return true;
}

bool power_start(void)
{
	rpc_status_t st;
	acpi_status ast;

	if ((st = reporter_open(&system_report, "system", 4096)) != RPC_OK) {
		acpi_log("error: Report session 'system': %s", rpc_status_name(st));
		return false;
	}
	reporting = true;
	publish("running");
	for (unsigned i = 0; i < nwaits; i++) {
		st = config_rom_open(&waits[i].rom, waits[i].name, ep, participant_changed, &waits[i]);
		if (st != RPC_OK) {
			acpi_log("error: ROM '%s': %s", waits[i].name, rpc_status_name(st));
			return false;
		}
	}
	if (nwaits) {
		if ((st = timer_connect(&timeout, "acpi shutdown")) != RPC_OK ||
		    (st = signal_handler_init(ep, &timeout_sig, on_timeout, 0)) != RPC_OK ||
		    (st = timer_connection_sigh(&timeout, timeout_sig.cap)) != RPC_OK) {
			acpi_log("error: shutdown timer: %s", rpc_status_name(st));
			return false;
		}
	}
	ast = acpi_install_fixed_event_handler(ACPI_EVENT_POWER_BUTTON, power_button, 0);
	if (ACPI_SUCCESS(ast))
		ast = acpi_enable_event(ACPI_EVENT_POWER_BUTTON, 0);
	if (ACPI_FAILURE(ast)) {
		acpi_log("error: power button: %s", acpi_format_exception(ast));
		return false;
	}
	/* the request ROM is optional */
	if (config_rom_open(&request, "system_request", ep, request_changed, 0) == RPC_OK)
		request_changed(0);
	return true;
}
