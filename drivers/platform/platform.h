/*
 * The platform driver's shared state (docs/devices.md, "The Platform
 * session"): its sessions, their policies and what they hold.
 */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include <argil/config.h>
#include <argil/session_server.h>
#include <platform_session.h>
#include <stdint.h>

struct session {
	struct server_session ss;    /* label, donation, id, RPC object */
};

/* The session's policy in the config in effect, NULL if none matches. */
const struct cfg_node *policy_of(const char *label);
/* Does the policy grant raw configuration space (pci_config="yes")? */
bool policy_pci_config(const struct cfg_node *policy);

extern bool verbose;

#endif

/* Class names of policies and manifests (docs/devices.md): true if name
 * is one (or a number 0xBB, 0xBBSS, 0xBBSSPP), with the class code's
 * value and the mask of the part that counts. */
bool pci_class_of(const char *name, uint32_t *value, uint32_t *mask);
/* The config changed: sessions whose policy no longer names a device they
 * hold release it, and every session's device list is brought up to date. */
void sessions_policy_changed(void);
