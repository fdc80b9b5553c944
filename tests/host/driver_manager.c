// sources: servers/driver_manager/dm.c drivers/platform/session/pci_class.c base/src/config_parse.c base/src/config_query.c base/src/config_write.c base/src/string.c
// cflags: -Iservers/driver_manager -Idrivers/platform/session/include
/*
 * Host unit tests of driver_manager's logic (servers/driver_manager/dm.c):
 * manifests and their errors, device claims by class, IDs and name, the
 * drivers init's config and platform's policies it writes, restarts seen
 * in the state report with back-off, and its report.
 */
#include <harness.h>
#include "dm.h"
#include <pci_class.h>

static struct cfg_node *parse(const char *doc)
{
	size_t len = strlen(doc), size = cfg_arena_size(len);
	void *arena = test_alloc(16, size);
	struct cfg_error err;
	struct cfg_node *n = cfg_parse(doc, len, arena, size, &err);
	if (!n)
		fprintf(stderr, "parse error %u:%u %s\n", err.line, err.col, err.msg);
	return n;
}

static const char devices_doc[] =
	"<devices>\n"
	"  <device name=\"00:02.0\" type=\"pci\" vendor=\"0x8086\" product=\"0x100e\" class=\"0x020000\"/>\n"
	"  <device name=\"00:03.0\" type=\"pci\" vendor=\"0x1af4\" product=\"0x1044\" class=\"0x00ff00\"/>\n"
	"  <device name=\"00:1f.2\" type=\"pci\" vendor=\"0x8086\" product=\"0x2922\" class=\"0x010601\"/>\n"
	"  <device name=\"01:00.0\" type=\"pci\" vendor=\"0x8086\" product=\"0x2922\" class=\"0x010601\"/>\n"
	"  <device name=\"00:1f.3\" type=\"pci\" vendor=\"0x8086\" product=\"0x2930\" class=\"0x0c0500\"/>\n"
	"  <device name=\"ps2\" type=\"isa\"/>\n"
	"  <device name=\"pit\" type=\"isa\"/>\n"
	"</devices>\n";

static const char *manifests[] = {
	"<manifest driver=\"rng\" binary=\"virtio_rng\" ram=\"2M\" caps=\"120\">\n"
	"  <pci vendor=\"0x1af4\" product=\"0x1044\"/>\n"
	"  <requires> <service name=\"Platform\"/> <service name=\"Event\"/> </requires>\n"
	"  <provides> <service name=\"Entropy\"/> </provides>\n"
	"  <heartbeat restart_after=\"3\"/>\n"
	"  <config verbose=\"yes\"/>\n"
	"</manifest>",
	"<manifest driver=\"ahci\" ram=\"4M\" caps=\"200\"> <pci class=\"AHCI\"/> </manifest>",
	"<manifest driver=\"ps2\" ram=\"1M\" caps=\"100\"> <device name=\"ps2\"/> "
	"<requires> <service name=\"Event\"/> <service name=\"Platform\"/> </requires> </manifest>",
	"<manifest driver=\"nvme\" ram=\"4M\" caps=\"200\"> <pci class=\"NVME\"/> </manifest>",
	"<manifest driver=\"nic\" ram=\"4M\" caps=\"200\"> <pci class=\"0x0200\"/> </manifest>",
};
#define NDRV 5

static struct dm_driver drv[NDRV];
static struct dm_settings set;
static const struct cfg_node *devices;

static void setup(void)
{
	struct dm_error err;
	memset(drv, 0, sizeof(drv));
	for (unsigned i = 0; i < NDRV; i++) {
		drv[i].valid = dm_manifest_read(&drv[i].m, parse(manifests[i]), &err);
		if (!drv[i].valid)
			fprintf(stderr, "manifest %u: %u:%u %s\n", i, err.line, err.col, err.msg);
	}
	set = (struct dm_settings){
		.subsystem = "drivers", .heartbeat_ms = 500, .backoff_ms = 10,
		.backoff_max_ms = 160, .stable_ms = 1000,
		.parent_provides = parse("<parent-provides> <service name=\"ROM\"/> "
					 "<service name=\"Platform\"/> </parent-provides>"),
		.platform = parse("<platform> <policy label=\"pci_decode\" pci_config=\"yes\"/> "
				  "</platform>"),
	};
	devices = parse(devices_doc);
}

TEST(DM_0001, "manifests are read: driver, binary, quota, heartbeat")
{
	setup();
	for (unsigned i = 0; i < NDRV; i++)
		CHECK(drv[i].valid);
	CHECK(!strcmp(drv[0].m.binary, "virtio_rng"));
	CHECK(!strcmp(drv[1].m.binary, "ahci"));
	CHECK_EQ(drv[0].m.ram, 2 << 20);
	CHECK_EQ(drv[0].m.caps, 120);
	CHECK_EQ(drv[0].m.restart_after, 3);
	CHECK_EQ(drv[1].m.restart_after, 0);
}

TEST(DM_0002, "bad manifests are refused with line, column and reason")
{
	static const struct { const char *doc; unsigned line; const char *msg; } bad[] = {
		{ "<manifes driver=\"x\" ram=\"1M\" caps=\"1\"/>", 1, "expected <manifest>" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\" colour=\"red\"><device name=\"a\"/></manifest>", 1, "unknown attribute" },
		{ "<manifest ram=\"1M\" caps=\"1\"><device name=\"a\"/></manifest>", 1, "driver= must name the driver (no ' -> ')" },
		{ "<manifest driver=\"a -> b\" ram=\"1M\" caps=\"1\"><device name=\"a\"/></manifest>", 1, "driver= must name the driver (no ' -> ')" },
		{ "<manifest driver=\"x\" caps=\"1\"><device name=\"a\"/></manifest>", 1, "ram= must be a size above 0" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"z\"><device name=\"a\"/></manifest>", 1, "caps= must be a number above 0" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\">\n<pci/></manifest>", 2, "<pci> needs class or vendor" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\">\n<pci class=\"SOUND\"/></manifest>", 2, "unknown class" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\">\n<pci vendor=\"0x10000\"/></manifest>", 2, "vendor and product are numbers up to 0xffff" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\">\n<pci class=\"AHCI\" product=\"0x1\"/></manifest>", 2, "<pci product> needs vendor" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\"/>", 1, "the manifest names no device (<pci> or <device>)" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\"><device name=\"a\"/>\n<heartbeat restart_after=\"0\"/></manifest>", 2, "restart_after must be a number above 0" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\"><device name=\"a\"/>\n<requires><service/></requires></manifest>", 2, "<service> needs a name" },
		{ "<manifest driver=\"x\" ram=\"1M\" caps=\"1\"><device name=\"a\"/>\n<quota/></manifest>", 2, "unknown node (pci, device, requires, provides, heartbeat, config)" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dm_manifest m;
		struct dm_error err = { 0 };
		CHECK(!dm_manifest_read(&m, parse(bad[i].doc), &err));
		CHECK_EQ(err.line, bad[i].line);
		if (strcmp(err.msg, bad[i].msg))
			fprintf(stderr, "case %u: '%s'\n", i, err.msg);
		CHECK(!strcmp(err.msg, bad[i].msg));
	}
}

TEST(DM_0003, "devices are claimed by IDs, class name, class number and ISA name")
{
	setup();
	unsigned unclaimed = dm_assign(drv, NDRV, devices);
	CHECK_EQ(drv[0].ndevices, 1);   /* rng: 1af4:1044 */
	CHECK_EQ(drv[1].ndevices, 2);   /* ahci: both AHCI functions */
	CHECK_EQ(drv[2].ndevices, 1);   /* ps2 */
	CHECK_EQ(drv[3].ndevices, 0);   /* no NVMe */
	CHECK_EQ(drv[4].ndevices, 1);   /* 0x0200 = ethernet */
	CHECK_EQ(unclaimed, 2);         /* SMBus, pit */
	CHECK_EQ(drv[3].phase, DM_IDLE);
	CHECK_EQ(drv[0].phase, DM_STARTING);
}

TEST(DM_0004, "the drivers init's config: a start per needed driver, services, heartbeat")
{
	static char buf[8192];
	struct cfg_writer w;

	setup();
	dm_assign(drv, NDRV, devices);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_drivers_config(&w, drv, NDRV, &set, 7);
	CHECK(cfg_writer_ok(&w));
	const struct cfg_node *c = parse(buf);
	CHECK(c != 0);
	CHECK(cfg_attr_is(c, "version", "7"));
	CHECK_EQ(cfg_child_count(c, "start"), 4);
	/* ROM, Platform (given), Event (rng's) once though ps2 wants it too */
	CHECK_EQ(cfg_child_count(cfg_child(c, "parent-provides"), "service"), 3);
	CHECK(strstr(buf, "<start name=\"rng\" ram=\"2097152\" caps=\"120\" version=\"0\">\n"
			  "    <binary name=\"virtio_rng\"/>\n    <config verbose=\"yes\"/>\n"
			  "    <provides>\n      <service name=\"Entropy\"/>\n    </provides>\n"
			  "    <heartbeat restart_after=\"3\"/>\n  </start>") != 0);
	CHECK(strstr(buf, "<heartbeat rate_ms=\"500\"/>") != 0);
	CHECK(!strstr(buf, "name=\"nvme\""));
	CHECK(!strstr(buf, "restart="));    /* restarts are driver_manager's */
}

TEST(DM_0005, "platform's config: the static policies and one per needed driver")
{
	static char buf[8192];
	struct cfg_writer w;

	setup();
	dm_assign(drv, NDRV, devices);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_platform_config(&w, drv, NDRV, &set);
	CHECK(cfg_writer_ok(&w));
	CHECK(strstr(buf, "<policy label=\"pci_decode\" pci_config=\"yes\"/>") != 0);
	CHECK(strstr(buf, "<policy label=\"drivers -&gt; ahci\">\n    <pci class=\"AHCI\"/>\n  </policy>") != 0);
	CHECK(strstr(buf, "<policy label=\"drivers -&gt; ps2\">\n    <device name=\"ps2\"/>\n  </policy>") != 0);
	CHECK(!strstr(buf, "nvme"));
	CHECK_EQ(cfg_child_count(parse(buf), "policy"), 5);
}

static const struct cfg_node *state(unsigned version, const char *rng, unsigned restarts)
{
	static char doc[512];
	snprintf(doc, sizeof(doc), "<state version=\"%u\"> <child name=\"rng\" binary=\"virtio_rng\" "
		 "%s restarts=\"%u\"/> <child name=\"ahci\" state=\"running\"/> </state>",
		 version, rng, restarts);
	return parse(doc);
}

TEST(DM_0006, "a driver that exits or faults is restarted after a doubling back-off")
{
	uint64_t next;

	setup();
	dm_assign(drv, NDRV, devices);
	CHECK(!dm_observe(drv, NDRV, state(1, "state=\"running\"", 0), 1, 0, &set));
	CHECK_EQ(drv[0].phase, DM_RUNNING);
	CHECK_EQ(drv[0].event, DM_EV_UP);
	uint64_t now = 5000;
	for (unsigned k = 1; k <= 8; k++) {
		CHECK(dm_observe(drv, NDRV, state(k, k & 1 ? "state=\"faulted\" reason=\"page fault\""
						  : "state=\"exited\" exit=\"3\"", 0), k, now, &set));
		CHECK_EQ(drv[0].event, DM_EV_DOWN);
		uint64_t want = 10u << (k - 1) < 160 ? 10u << (k - 1) : 160;
		CHECK_EQ(drv[0].event_delay_ms, want);
		CHECK_EQ(dm_due(drv, NDRV, now + want - 1, &next), 0);
		CHECK_EQ(next, now + want);
		/* a repeated report of the same state changes nothing */
		CHECK(!dm_observe(drv, NDRV, state(k, "state=\"exited\"", 0), k, now + 1, &set));
		CHECK_EQ(dm_due(drv, NDRV, now + want, &next), 1);
		CHECK_EQ(drv[0].version, k);
		CHECK_EQ(drv[0].restarts, k);
		now += want;
		CHECK(!dm_observe(drv, NDRV, state(k + 1, "state=\"running\"", 0), k + 1, now, &set));
		CHECK_EQ(drv[0].phase, DM_RUNNING);
	}
	/* after a stable run the back-off starts small again */
	now += set.stable_ms;
	CHECK(dm_observe(drv, NDRV, state(9, "state=\"exited\"", 0), 9, now, &set));
	CHECK_EQ(drv[0].event_delay_ms, 10);
}

TEST(DM_0007, "reports of an older config say nothing; init's heartbeat restarts are counted")
{
	setup();
	dm_assign(drv, NDRV, devices);
	CHECK(!dm_observe(drv, NDRV, state(3, "state=\"faulted\"", 0), 4, 0, &set));
	CHECK_EQ(drv[0].phase, DM_STARTING);
	dm_observe(drv, NDRV, state(4, "state=\"running\"", 0), 4, 0, &set);
	dm_observe(drv, NDRV, state(4, "state=\"running\"", 2), 4, 10, &set);
	CHECK_EQ(drv[0].event, DM_EV_HEARTBEAT_RESTART);
	CHECK_EQ(drv[0].restarts, 2);
	dm_observe(drv, NDRV, state(4, "state=\"running\"", 3), 4, 20, &set);
	CHECK_EQ(drv[0].restarts, 3);
	dm_observe(drv, NDRV, state(4, "state=\"running\"", 3), 4, 30, &set);
	CHECK_EQ(drv[0].restarts, 3);
	CHECK_EQ(drv[0].event, DM_EV_NONE);
}

TEST(DM_0008, "the report: drivers with state, devices and restarts; unclaimed devices")
{
	static char buf[8192];
	struct cfg_writer w;
	uint64_t next;

	setup();
	dm_assign(drv, NDRV, devices);
	dm_observe(drv, NDRV, state(1, "state=\"running\"", 0), 1, 0, &set);
	dm_observe(drv, NDRV, state(1, "state=\"faulted\"", 0), 1, 5, &set);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_report(&w, drv, NDRV, devices);
	CHECK(cfg_writer_ok(&w));
	CHECK(strstr(buf, "<driver name=\"rng\" state=\"restarting\" devices=\"1\" restarts=\"0\"/>") != 0);
	CHECK(strstr(buf, "<driver name=\"ahci\" state=\"running\" devices=\"2\" restarts=\"0\"/>") != 0);
	CHECK(strstr(buf, "<driver name=\"nvme\" state=\"idle\" devices=\"0\" restarts=\"0\"/>") != 0);
	CHECK(strstr(buf, "<unclaimed device=\"00:1f.3\" class=\"0x0c0500\" vendor=\"0x8086\" product=\"0x2930\"/>") != 0);
	CHECK(strstr(buf, "<unclaimed device=\"pit\"/>") != 0);
	dm_due(drv, NDRV, 100, &next);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_report(&w, drv, NDRV, devices);
	CHECK(strstr(buf, "<driver name=\"rng\" state=\"faulted\" devices=\"1\" restarts=\"1\"/>") != 0);
}

TEST(DM_0009, "a device gone makes its driver idle and drops its start")
{
	static char buf[8192];
	struct cfg_writer w;

	setup();
	dm_assign(drv, NDRV, devices);
	CHECK_EQ(drv[0].phase, DM_STARTING);
	dm_assign(drv, NDRV, parse("<devices> <device name=\"ps2\" type=\"isa\"/> </devices>"));
	CHECK_EQ(drv[0].phase, DM_IDLE);
	CHECK_EQ(drv[2].phase, DM_STARTING);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_drivers_config(&w, drv, NDRV, &set, 2);
	CHECK_EQ(cfg_child_count(parse(buf), "start"), 1);
	CHECK_EQ(dm_assign(drv, NDRV, 0), 0);
	CHECK_EQ(drv[2].phase, DM_IDLE);
}

TEST(DM_0010, "class names and numbers")
{
	uint32_t v, m;
	CHECK(pci_class_parse("USB", &v, &m) && v == 0x0c0300 && m == 0xffff00);
	CHECK(pci_class_parse("0x03", &v, &m) && v == 0x030000 && m == 0xff0000);
	CHECK(pci_class_parse("0x010802", &v, &m) && v == 0x010802 && m == 0xffffff);
	CHECK(!pci_class_parse("0x123", 0, 0));
	CHECK(!pci_class_parse("0xzz", 0, 0));
	CHECK(!pci_class_parse("usb", 0, 0));
}

/* the manifests of the drivers in the tree pass driver_manager's checks */
static const char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return 0;
	buf = test_alloc(16, 65536);
	n = fread(buf, 1, 65535, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

TEST(DM_0011, "the manifests of drivers/ps2, virtio_rng and the display drivers are accepted")
{
	static const char *const paths[] = { "drivers/ps2/manifest", "drivers/virtio_rng/manifest",
					     "drivers/fb_bochs/manifest", "drivers/virtio_gpu/manifest",
					     "drivers/fb_boot/manifest" };
	for (unsigned i = 0; i < 5; i++) {
		const char *doc = read_file(paths[i]);
		struct dm_manifest m;
		struct dm_error err = { 0 };
		CHECK(doc != 0);
		bool ok = dm_manifest_read(&m, parse(doc), &err);
		if (!ok)
			fprintf(stderr, "%s:%u:%u: %s\n", paths[i], err.line, err.col, err.msg);
		CHECK(ok);
	}
	const struct cfg_node *d = parse("<device name=\"01:03.0\" type=\"pci\" vendor=\"0x1af4\" "
					 "product=\"0x1005\" class=\"0x00ff00\"/>");
	struct dm_manifest m;
	struct dm_error err;
	CHECK(dm_manifest_read(&m, parse(read_file("drivers/virtio_rng/manifest")), &err));
	CHECK(dm_claims(&m, d));
}

int main(int argc, char **argv) { return test_main(argc, argv); }

TEST(DM_0012, "restart requests: a rising count restarts a driver at once, the first content only counts")
{
	struct dm_error err;
	unsigned n;

	setup();
	dm_assign(drv, NDRV, devices);
	dm_observe(drv, NDRV, state(1, "state=\"running\"", 0), 1, 0, &set);
	CHECK_EQ(drv[0].phase, DM_RUNNING);
	/* what is there at start restarts nothing */
	CHECK(dm_request(drv, NDRV, parse("<restart> <driver name=\"rng\" count=\"3\"/> </restart>"),
			 true, &n, &err));
	CHECK_EQ(n, 0);
	CHECK_EQ(drv[0].version, 0);
	/* the same count again: nothing; one more: restarted */
	CHECK(dm_request(drv, NDRV, parse("<restart> <driver name=\"rng\" count=\"3\"/> </restart>"),
			 false, &n, &err));
	CHECK_EQ(n, 0);
	CHECK(dm_request(drv, NDRV, parse("<restart> <driver name=\"rng\" count=\"4\"/> "
					  "<driver name=\"nvme\" count=\"9\"/> "
					  "<driver name=\"nosuch\" count=\"1\"/> </restart>"),
			 false, &n, &err));
	CHECK_EQ(n, 1);   /* nvme is idle: noted, not started */
	CHECK_EQ(drv[0].event, DM_EV_REQUEST);
	CHECK_EQ(drv[0].phase, DM_STARTING);
	CHECK_EQ(drv[0].version, 1);
	CHECK_EQ(drv[0].restarts, 1);
	CHECK_EQ(drv[3].phase, DM_IDLE);
	CHECK_EQ(drv[3].requested, 9);
	/* running again under the new config */
	dm_observe(drv, NDRV, state(2, "state=\"running\"", 0), 2, 10, &set);
	CHECK_EQ(drv[0].phase, DM_RUNNING);
	/* malformed requests do nothing */
	CHECK(!dm_request(drv, NDRV, parse("<restart> <driver name=\"rng\"/> </restart>"), false, &n,
			  &err));
	CHECK(!dm_request(drv, NDRV, parse("<restart> <driver name=\"rng\" count=\"9\"/> <x/> "
					   "</restart>"), false, &n, &err));
	CHECK(!dm_request(drv, NDRV, parse("<restrat/>"), false, &n, &err));
	CHECK_EQ(drv[0].version, 1);
	CHECK_EQ(drv[0].requested, 4);
}

TEST(DM_0013, "a display fallback: held back while a display driver has a device, stopped before one starts")
{
	static const char *const docs[] = {
		"<manifest driver=\"fb_boot\" ram=\"2M\" caps=\"200\" fallback_for=\"display\">"
		" <device name=\"framebuffer\"/> </manifest>",
		"<manifest driver=\"fb_bochs\" ram=\"2M\" caps=\"200\" kind=\"display\">"
		" <pci vendor=\"0x1234\" product=\"0x1111\"/> </manifest>",
		"<manifest driver=\"virtio_gpu\" ram=\"2M\" caps=\"200\" kind=\"display\">"
		" <pci vendor=\"0x1af4\" product=\"0x1050\"/> </manifest>",
	};
	static const char fb_only[] =
		"<devices> <device name=\"framebuffer\" type=\"boot\"/> </devices>";
	static const char with_vga[] =
		"<devices> <device name=\"00:02.0\" type=\"pci\" vendor=\"0x1234\" product=\"0x1111\""
		" class=\"0x030000\"/> <device name=\"framebuffer\" type=\"boot\"/> </devices>";
	struct dm_driver d[3];
	struct dm_error err;
	struct dm_manifest m;
	char buf[4096];
	struct cfg_writer w;

	setup();
	memset(d, 0, sizeof(d));
	for (unsigned i = 0; i < 3; i++)
		CHECK(d[i].valid = dm_manifest_read(&d[i].m, parse(docs[i]), &err));
	CHECK(!dm_manifest_read(&m, parse("<manifest driver=\"x\" ram=\"1M\" caps=\"1\" kind=\"a\""
					  " fallback_for=\"a\"> <device name=\"y\"/> </manifest>"),
				&err));
	CHECK(!dm_manifest_read(&m, parse("<manifest driver=\"x\" ram=\"1M\" caps=\"1\" kind=\"\">"
					  " <device name=\"y\"/> </manifest>"), &err));
	/* both present at once: the display driver, never the fallback */
	CHECK_EQ(dm_assign(d, 3, parse(with_vga)), 0);
	CHECK_EQ(d[0].phase, DM_IDLE);
	CHECK_EQ(d[0].ndevices, 0);
	CHECK_EQ(d[1].phase, DM_STARTING);
	CHECK_EQ(d[2].phase, DM_IDLE);
	/* only the framebuffer: the fallback */
	memset(d, 0, sizeof(d));
	for (unsigned i = 0; i < 3; i++)
		d[i].valid = dm_manifest_read(&d[i].m, parse(docs[i]), &err);
	dm_assign(d, 3, parse(fb_only));
	CHECK_EQ(d[0].phase, DM_STARTING);
	CHECK_EQ(d[1].phase, DM_IDLE);
	CHECK(!dm_observe(d, 3, parse("<state version=\"1\"> <child name=\"fb_boot\" "
				      "state=\"running\"/> </state>"), 1, 0, &set));
	CHECK_EQ(d[0].phase, DM_RUNNING);
	/* a display appears: the fallback stops, the driver waits for it */
	dm_assign(d, 3, parse(with_vga));
	CHECK_EQ(d[0].phase, DM_IDLE);
	CHECK_EQ(d[1].phase, DM_DEFERRED);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_drivers_config(&w, d, 3, &set, 2);
	CHECK(cfg_writer_ok(&w));
	CHECK_EQ(cfg_child_count(parse(buf), "start"), 0);
	/* an older report, or one still listing fb_boot: still waiting */
	CHECK_EQ(dm_undefer(d, 3, parse("<state version=\"1\"/>"), 2), 0);
	CHECK_EQ(dm_undefer(d, 3, parse("<state version=\"2\"> <child name=\"fb_boot\" "
					"state=\"running\"/> </state>"), 2), 0);
	CHECK_EQ(d[1].phase, DM_DEFERRED);
	CHECK_EQ(dm_undefer(d, 3, parse("<state version=\"2\"/>"), 2), 1);
	CHECK_EQ(d[1].phase, DM_STARTING);
	cfg_writer_init(&w, buf, sizeof(buf));
	dm_write_drivers_config(&w, d, 3, &set, 3);
	CHECK(cfg_writer_ok(&w));
	CHECK_EQ(cfg_child_count(parse(buf), "start"), 1);
	CHECK(cfg_attr_is(cfg_child(parse(buf), "start"), "name", "fb_bochs"));
	/* the display gone again: the fallback comes back */
	dm_assign(d, 3, parse(fb_only));
	CHECK_EQ(d[0].phase, DM_STARTING);
	CHECK_EQ(d[1].phase, DM_IDLE);
}
