/*
 * The harness of run/platform_test and run/platform_bench (platform_test.c):
 * timer, report_rom and platform as children of the test, the devices and
 * acpi reports it publishes, sessions, BARs, DMA buffers and signals.
 */
#ifndef PLATFORM_TEST_H
#define PLATFORM_TEST_H

#include <argil/config.h>
#include <argil/io.h>
#include <argil/rom.h>
#include <platform_session.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define PLATFORM_RAM (8 * MB)
#define PLATFORM_CAPS 4096
#define PRIO 200

#define EDU_VENDOR 0x1234
#define EDU_PRODUCT 0x11e8
#define VTD_BASE 0xfed90000ul      /* QEMU's intel-iommu registers */

extern struct tb_child *platform, *rr, *timer, *pci_decode;
extern struct tb_report devices_report, acpi_report;
extern cptr_t ntfn;
extern cptr_t bits[62];
extern bool q35, iommu;
extern char edu[8], e1000[8], e1000b[8], nvme[8];
extern char platform_config[1024];
extern char report_buf[16384];
/* a reserved region (RMRR) of edu that publish_acpi adds when size != 0 */
extern uint64_t reserved_base, reserved_size;

struct bar_map {
	cptr_t ds;
	word_t at;
	volatile uint8_t *regs;
	word_t size;
};

struct dma {
	cptr_t ds;
	word_t at;
	word_t addr;
	volatile uint8_t *va;
};

static inline uint32_t rd32(struct bar_map *m, word_t off)
{
	return *(volatile uint32_t *)(m->regs + off);
}

static inline void wr32(struct bar_map *m, word_t off, uint32_t v)
{
	*(volatile uint32_t *)(m->regs + off) = v;
}

static inline void wr64(struct bar_map *m, word_t off, uint64_t v)
{
	*(volatile uint64_t *)(m->regs + off) = v;
}

static inline uint64_t rd64(struct bar_map *m, word_t off)
{
	return *(volatile uint64_t *)(m->regs + off);
}

const char *strstr(const char *hay, const char *needle);
void make_config(bool edu_for_drv);
void setup(void);
void open_platform(struct tb_own *o, const char *label, word_t extra);
uint32_t raw_read(struct tb_own *o, word_t bdf, word_t off, word_t width);
void raw_write(struct tb_own *o, word_t bdf, word_t off, word_t width, uint32_t v);
const char *bdf_name(unsigned bdf, char *buf);
void map_bar(struct tb_own *o, word_t handle, word_t bar, struct bar_map *m);
void unmap_bar(struct bar_map *m);
rpc_status_t dma_get(struct tb_own *o, word_t size, struct dma *d);
void dma_put(struct tb_own *o, struct dma *d);
void wait_bit(int b);
bool poll_bit(int b);
void fetch_rom(const char *label, char *out, word_t max);
/* Wait until the platform report contains what (it is signalled when it
 * changes); its text is then in report_buf. */
void await_report(const char *what);
void publish_devices(struct tb_own *raw, bool with_edu);
void publish_acpi(struct tb_own *raw);
/* platform reads the test's own devices report (test) or pci_decode's */
void devices_from(bool test);
/* Wait until platform lists the device (policy drv_edu's view). */
void await_devices(const char *name);

/* Shared by the cases of main.c and dma.c. */
void devices_text(struct tb_own *o, char *out, word_t max, word_t *version);
unsigned count_of(const char *text, const char *what);
void edu_irq_rounds(struct tb_own *o, word_t h, struct bar_map *m, int bit);

#endif
