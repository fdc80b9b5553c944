/*
 * acpi_test (run/acpi_test, run/acpi_reset_test): the client side of the
 * acpi component.
 *  - Prints every node of the "acpi" report ROM as a line "report: <...>"
 *    (the host script of the scenario compares them with QEMU's tables)
 *    and checks what must hold on any machine (ACPI_0001..): then
 *    "acpi_test: N passed, N failed".
 *  - Watches the "system" ROM: on state="shutdown" it logs that it
 *    finishes and reports <system state="shutdown_done"/> ("state").
 *  - With <config reboot="yes"/> it then asks for a reboot through its
 *    "system_request" report; otherwise it logs "ready for the power
 *    button". With answer="no" it never answers the shutdown (acpi's
 *    timeout must end it: run/acpi_shutdown_timeout).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>

static struct config_rom config, acpi, sys;
static struct reporter state, request;
static bool reboot, answer = true, done;
static unsigned passed, failed;

static void check(bool ok, const char *id, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		log("FAIL %s: %s", id, what);
	}
}

static void print_node(const struct cfg_node *n)
{
	char line[256];
	size_t len = (size_t)snprintf(line, sizeof(line), "report: <%s", n->type);

	for (const struct cfg_attr *a = n->attrs; a && len < sizeof(line); a = a->next)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s=\"%s\"", a->name, a->value);
	log("%s/>", line);
}

static uint64_t num(const struct cfg_node *n, const char *name)
{
	uint64_t v = ~0ull;

	cfg_attr_u64(n, name, ~0ull, &v);
	return v;
}

/* a GSI that one of the report's IOAPICs serves (24 inputs each: QEMU's) */
static bool gsi_served(const struct cfg_node *top, uint64_t gsi)
{
	for (const struct cfg_node *a = cfg_child(top, "ioapic"); a; a = cfg_next(a, "ioapic"))
		if (gsi >= num(a, "gsi_base") && gsi < num(a, "gsi_base") + 24)
			return true;
	return false;
}

static void checks(const struct cfg_node *top)
{
	unsigned routes = 0, dup = 0, bad = 0;
	static unsigned char seen[256][32];

	check(cfg_child_count(top, "ioapic") >= 1, "ACPI_0001", "the MADT names an IOAPIC");
	const struct cfg_node *sci = cfg_child(top, "sci");
	check(sci && gsi_served(top, num(sci, "gsi")), "ACPI_0002", "the SCI is on an IOAPIC input");
	memset(seen, 0, sizeof(seen));
	for (const struct cfg_node *r = cfg_child(top, "routing"); r; r = cfg_next(r, "routing")) {
		uint64_t bus = num(r, "bus"), dev = num(r, "device");
		const char *pin = cfg_attr(r, "pin");
		routes++;
		if (bus > 255 || dev > 31 || !pin || pin[0] < 'A' || pin[0] > 'D' || pin[1] ||
		    !gsi_served(top, num(r, "gsi"))) {
			bad++;
			continue;
		}
		unsigned bit = 1u << (pin[0] - 'A');
		if (seen[bus][dev] & bit)
			dup++;
		seen[bus][dev] |= bit;
	}
	check(routes >= 4, "ACPI_0003", "_PRT gives routing entries");
	check(!bad, "ACPI_0004", "every routing entry names a slot, pin A..D and an IOAPIC input");
	check(!dup, "ACPI_0005", "no slot and pin is routed twice");
	bool s5 = false;
	for (const struct cfg_node *s = cfg_child(top, "sleep"); s; s = cfg_next(s, "sleep"))
		s5 |= num(s, "state") == 5;
	check(s5, "ACPI_0006", "\\_S5 gives the values for power-off");
	/* pc's FADT (revision 1) has no reset register, q35's has */
	const struct cfg_node *reset = cfg_child(top, "reset");
	const char *space = reset ? cfg_attr(reset, "space") : 0;
	check(!reset || (space && (!strcmp(space, "io") || !strcmp(space, "memory") ||
				   !strcmp(space, "pci"))), "ACPI_0007",
	      "a reset register is in I/O, memory or PCI configuration space");
	log("acpi_test: %u routing entries", routes);
}

static void acpi_changed(void *arg)
{
	(void)arg;
	if (done || !config_rom_update(&acpi) || !cfg_is(acpi.node, "acpi"))
		return;
	done = true;
	for (const struct cfg_node *n = acpi.node->child; n; n = n->next)
		print_node(n);
	checks(acpi.node);
	log("acpi_test: %u passed, %u failed", passed, failed);
	if (reboot) {
		static const char doc[] = "<system state=\"reboot\"/>\n";
		log("requesting a reboot");
		if (reporter_submit(&request, doc, sizeof(doc) - 1) != RPC_OK)
			log("error: system_request not submitted");
	} else {
		log("ready for the power button");
	}
}

static void system_changed(void *arg)
{
	static const char doc[] = "<system state=\"shutdown_done\"/>\n";
	const char *s;

	(void)arg;
	if (!config_rom_update(&sys) || !cfg_is(sys.node, "system"))
		return;
	s = cfg_attr(sys.node, "state");
	if (!s || strcmp(s, "shutdown"))
		return;
	if (!answer) {
		log("system shutdown: not answering");
		return;
	}
	log("system shutdown: finishing");
	if (reporter_submit(&state, doc, sizeof(doc) - 1) != RPC_OK)
		log("error: state report not submitted");
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	if (config_rom_open(&config, "config", 0, 0, 0) == RPC_OK && config_rom_update(&config) &&
	    (cfg_attr_bool(config.node, "reboot", false, &reboot) < 0 ||
	     cfg_attr_bool(config.node, "answer", true, &answer) < 0)) {
		log("config: reboot and answer must be yes or no");
		component_exit(1);
	}
	if ((st = reporter_open(&state, "state", 4096)) != RPC_OK ||
	    (reboot && (st = reporter_open(&request, "system_request", 4096)) != RPC_OK) ||
	    (st = config_rom_open(&sys, "system", &env->ep, system_changed, 0)) != RPC_OK ||
	    (st = config_rom_open(&acpi, "acpi", &env->ep, acpi_changed, 0)) != RPC_OK) {
		log("error: sessions: %s", rpc_status_name(st));
		component_exit(2);
	}
	system_changed(0);
	acpi_changed(0);
}
