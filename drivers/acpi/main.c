/*
 * acpi: ACPICA on Argil (docs/devices.md, "acpi"). Finds the tables
 * through the platform_info ROM, loads them, switches the machine to ACPI
 * mode, builds the namespace, selects APIC interrupt routing (\_PIC(1)),
 * publishes the "acpi" report (tables.c, routing.c) and then serves the
 * SCI: the power button starts a shutdown that ends in S5, a request
 * resets the machine (power.c). The OS services layer is osl.c.
 *
 * Config (optional): <config shutdown_timeout_ms=".."> <wait_for rom=".."/>
 * </config> (power.c). A config error exits with 1; no platform_info, no
 * tables or a failing ACPICA step with 2.
 */
#include <acpi/acpi.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <report_session.h>
#include <stdlib.h>
#include <string.h>
#include "osl.h"
#include "text.h"
#include "power.h"
#include "tables.h"

static struct config_rom config, platform_info;
static struct reporter report;

static void fail(const char *what, acpi_status st)
{
	acpi_log("error: %s: %s", what, acpi_format_exception(st));
	component_exit(2);
}

/* The RSDP from <platform_info> <acpi rsdp=".."/>. */
static uint64_t find_rsdp(void)
{
	const struct cfg_node *acpi;
	uint64_t rsdp = 0;

	if (config_rom_open(&platform_info, "platform_info", 0, 0, 0) != RPC_OK ||
	    !config_rom_update(&platform_info)) {
		acpi_log("error: no platform_info ROM");
		component_exit(2);
	}
	acpi = cfg_child(platform_info.node, "acpi");
	if (!acpi || cfg_attr_u64(acpi, "rsdp", 0, &rsdp) < 0 || !rsdp) {
		acpi_log("error: platform_info names no ACPI RSDP");
		component_exit(2);
	}
	return rsdp;
}

static void select_apic_routing(void)
{
	union acpi_object arg = { .integer = { ACPI_TYPE_INTEGER, 1 } };
	struct acpi_object_list args = { 1, &arg };
	acpi_status st = acpi_evaluate_object(0, "\\_PIC", &args, 0);

	if (ACPI_FAILURE(st) && st != AE_NOT_FOUND)
		acpi_log("error: \\_PIC(1): %s", acpi_format_exception(st));
}

static void publish_report(const struct sci_info *sci)
{
	struct text t = { 0 };
	rpc_status_t st;
	int routes;

	text_add(&t, "<acpi>\n");
	tables_report_head(&t, sci);
	routes = routing_report(&t);
	tables_report_tail(&t);
	text_add(&t, "</acpi>\n");
	if (t.failed) {
		acpi_log("error: out of heap for the report");
		component_exit(2);
	}
	if ((st = reporter_open(&report, "acpi", t.len)) != RPC_OK ||
	    (st = reporter_submit(&report, t.buf, t.len)) != RPC_OK) {
		acpi_log("error: Report session 'acpi': %s", rpc_status_name(st));
		component_exit(2);
	}
	acpi_log("report: %lu bytes, %d routing entries%s", (unsigned long)t.len, routes < 0 ? 0 : routes,
	    routes < 0 ? " (some _PRT entries failed, see above)" : "");
	text_free(&t);
}

void component_construct(struct component_env *env)
{
	struct sci_info sci;
	acpi_status st;

	if (config_rom_open(&config, "config", 0, 0, 0) == RPC_OK && config_rom_update(&config)) {
		if (!cfg_is(config.node, "config")) {
			acpi_log("config:%u:%u: expected <config>", config.node->line, config.node->col);
			component_exit(1);
		}
	} else if (config.err.msg) {
		acpi_log("config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		component_exit(1);
	}
	if (!power_config(&env->ep, config.node))
		component_exit(1);
	if (!osl_init(&env->ep, find_rsdp()))
		component_exit(2);
	pci_init();

	if (ACPI_FAILURE(st = acpi_initialize_subsystem()))
		fail("initialising ACPICA", st);
	if (ACPI_FAILURE(st = acpi_initialize_tables(0, 16, FALSE)))
		fail("finding the tables", st);
	osl_allow_fadt_ports();
	tables_sci(&sci);
	osl_set_sci_mode(sci.level, sci.low);
	if (ACPI_FAILURE(st = acpi_load_tables()))
		fail("loading the tables", st);
	if (ACPI_FAILURE(st = acpi_enable_subsystem(ACPI_FULL_INITIALIZATION)))
		fail("enabling ACPI mode", st);
	if (ACPI_FAILURE(st = acpi_initialize_objects(ACPI_FULL_INITIALIZATION)))
		fail("initialising the namespace", st);
	select_apic_routing();
	if (ACPI_FAILURE(st = acpi_update_all_gpes()))
		acpi_log("error: enabling the GPEs: %s", acpi_format_exception(st));
	acpi_log("ACPI mode, SCI at GSI %u (%s, active %s)", sci.gsi, sci.level ? "level" : "edge",
	    sci.low ? "low" : "high");

	publish_report(&sci);
	if (!power_start())
		component_exit(2);
	osl_run_deferred();
}
