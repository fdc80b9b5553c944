/*
 * PCI device classes by name, as platform policies and driver manifests
 * write them (docs/devices.md, "The devices report"): AHCI, NVME, IDE,
 * USB, VGA, DISPLAY, ETHERNET, AUDIO, ISA_BRIDGE, HOST_BRIDGE, PCI_BRIDGE,
 * or a number 0xCC, 0xCCSS or 0xCCSSPP (class, subclass, prog-if) that
 * matches that many leading bytes. Part of the library platform_session.
 */
#ifndef PCI_CLASS_H
#define PCI_CLASS_H

#include <stdbool.h>
#include <stdint.h>

/* name -> the 24-bit class code value and mask a device's class must match
 * ((class & mask) == value); false for an unknown name or bad number. */
bool pci_class_parse(const char *name, uint32_t *value, uint32_t *mask);

#endif
