/*
 * driver_manager's portable part (no system calls; host-tested in
 * tests/host/driver_manager.c): driver manifests, which devices of the
 * devices report a driver claims, the config of the drivers subsystem (a
 * nested init) and the platform driver's policies it writes, what it
 * learns from that init's state report (exits, faults, heartbeat
 * restarts), the restart back-off, and its own report.
 *
 * Restarts: a driver's <start> has no restart policy of init's. When the
 * state report shows it exited or faulted, driver_manager waits a
 * back-off (backoff_ms, doubling with each failure in a row up to
 * backoff_max_ms; a driver that ran stable_ms counts as healthy again)
 * and then changes the start's version, which makes init start it anew.
 * A driver that stops answering heartbeats is restarted by init itself
 * (<heartbeat restart_after> of its manifest); driver_manager counts
 * those restarts from the report's `restarts`. Each driver's restart
 * count is the sum of both.
 */
#ifndef DM_H
#define DM_H

#include <stdbool.h>
#include <stdint.h>
#include <argil/config.h>

struct dm_error {
	unsigned line, col;
	const char *msg;
};

struct dm_manifest {
	const char *driver;           /* the <start> name */
	const char *binary;           /* binary=, default driver */
	uint64_t ram, caps;
	uint64_t restart_after;       /* 0: no heartbeat monitoring */
	const char *kind;             /* kind=: what it drives for the system ("display"), or NULL */
	const char *fallback_for;     /* fallback_for=: a kind it stands in for, or NULL */
	const struct cfg_node *node;  /* <manifest>, stays valid while used */
};

/* Check a parsed manifest and fill m; false with err on the first problem
 * (unknown node or attribute, missing driver/ram/caps, a <pci> without
 * class or vendor, an unknown class, a bad number). */
bool dm_manifest_read(struct dm_manifest *m, const struct cfg_node *n, struct dm_error *err);

/* Does the match node (<pci class|vendor [product]> or <device name>) of
 * a manifest name the <device> node of the devices report? */
bool dm_match(const struct cfg_node *match, const struct cfg_node *device);
bool dm_claims(const struct dm_manifest *m, const struct cfg_node *device);

enum dm_phase {
	DM_IDLE,        /* not needed: no device of its */
	DM_DEFERRED,    /* has devices, waits until a fallback it replaces is gone */
	DM_STARTING,    /* in the config, not yet seen running */
	DM_RUNNING,
	DM_WAITING,     /* down, its restart is due at restart_at_ms */
};

enum dm_event { DM_EV_NONE, DM_EV_UP, DM_EV_DOWN, DM_EV_HEARTBEAT_RESTART, DM_EV_REQUEST };

struct dm_driver {
	struct dm_manifest m;
	bool valid;                   /* the manifest was read */
	unsigned ndevices;            /* devices it claims */
	enum dm_phase phase;
	unsigned version;             /* of its <start>: bumped to restart it */
	unsigned restarts;            /* by driver_manager and by init */
	unsigned init_restarts;       /* the report's restarts last seen */
	unsigned in_a_row;            /* failures without a stable run between */
	uint64_t requested;           /* restart requests seen (ROM "restart") */
	uint64_t up_since_ms, restart_at_ms;
	const char *state;            /* init's word for it: running, exited, ... (static) */
	uint64_t exit_value;
	enum dm_event event;          /* of the last dm_observe (for the log) */
	uint64_t event_delay_ms;
};

struct dm_settings {
	const char *subsystem;        /* the drivers init's name at platform: "drivers" */
	uint64_t heartbeat_ms, backoff_ms, backoff_max_ms, stable_ms;
	const struct cfg_node *parent_provides;  /* copied into the drivers config */
	const struct cfg_node *platform;         /* static policies for platform */
};

/* Count the devices each valid driver claims (the first driver in order
 * whose manifest names a device gets it); a driver with devices that was
 * idle becomes DM_STARTING, one without becomes DM_IDLE. Returns how many
 * devices no driver claims. devices may be NULL (no report yet).
 *
 * Fallbacks: a driver with fallback_for="K" gets no device while a driver
 * of kind="K" has one (fb_boot, the boot framebuffer, stands in for the
 * display drivers). A fallback that was not idle is stopped (DM_IDLE) and
 * the drivers of its kind that get devices now wait in DM_DEFERRED until
 * the drivers init reports it gone (dm_undefer): both may drive the same
 * memory. */
unsigned dm_assign(struct dm_driver *d, unsigned n, const struct cfg_node *devices);
/* Deferred drivers whose fallback the state report (of the config
 * version written last) no longer lists become DM_STARTING; returns how
 * many (the config must be written anew). */
unsigned dm_undefer(struct dm_driver *d, unsigned n, const struct cfg_node *state,
		    unsigned version);
/* The driver that claims device (NULL: none). */
const struct dm_driver *dm_owner(const struct dm_driver *d, unsigned n,
				 const struct cfg_node *device);

/* The drivers init's config: one <start> per driver not idle. */
void dm_write_drivers_config(struct cfg_writer *w, const struct dm_driver *d, unsigned n,
			     const struct dm_settings *s, unsigned version);
/* Platform's config: the static policies, one policy per driver not idle. */
void dm_write_platform_config(struct cfg_writer *w, const struct dm_driver *d, unsigned n,
			      const struct dm_settings *s);

/* Take in the drivers init's state report. Only a report of the config
 * written last (version) says anything about the drivers in it. Sets each
 * driver's event; returns true if some driver went down (a restart is
 * due later: dm_due). */
bool dm_observe(struct dm_driver *d, unsigned n, const struct cfg_node *state, unsigned version,
		uint64_t now_ms, const struct dm_settings *s);
/* The back-off before the k-th restart in a row (k >= 1). */
uint64_t dm_backoff(const struct dm_settings *s, unsigned k);
/* Restarts due at now_ms: their version is bumped and they count one more
 * restart; returns how many (the config must be written anew). *next_ms:
 * the earliest restart still waiting (0: none). */
unsigned dm_due(struct dm_driver *d, unsigned n, uint64_t now_ms, uint64_t *next_ms);

/* Restart requests (ROM "restart": <restart> <driver name count/> ...
 * </restart>): a driver whose count rose above the one seen last is
 * restarted at once (its version bumped, one restart more, event
 * DM_EV_REQUEST); an idle one only has its count noted. With first (the
 * content driver_manager finds at its start) counts are only noted.
 * false with err if the request is malformed (nothing is done then);
 * *restarted: how many were restarted (the config must be written anew). */
bool dm_request(struct dm_driver *d, unsigned n, const struct cfg_node *req, bool first,
		unsigned *restarted, struct dm_error *err);

/* <driver_manager> <driver name state restarts devices/> ...
 * <unclaimed device class vendor product/> ... </driver_manager> */
void dm_write_report(struct cfg_writer *w, const struct dm_driver *d, unsigned n,
		     const struct cfg_node *devices);

#endif
