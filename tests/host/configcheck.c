// sources: tools/configcheck.c base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/malloc_mem.c
// cflags: -DCONFIGCHECK_NO_MAIN -Ios/init
/*
 * Host unit tests of tools/configcheck.c (build/host/argil-config): good
 * and bad files, unreadable files, --print, the command line, and what
 * init would reject in an init config (init's own model build), nested
 * inits included. The tool's configcheck_main() runs in-process with its
 * output in temporary files.
 */
#include <harness.h>
#include <unistd.h>

#include <stdbool.h>

int configcheck_main(int argc, char **argv, FILE *out, FILE *err);

static char dir[] = "/tmp/argil-configcheck-XXXXXX";
static char out_text[4096], err_text[4096];

/* Writes a file into the case's temporary directory; returns its path. */
static char *make_file(const char *name, const char *data, size_t len)
{
	static bool made;
	/* A flag, not the template's last letter: mkdtemp may pick an 'X'. */
	if (!made) {
		CHECK(mkdtemp(dir) != NULL);
		made = true;
	}
	char *path = test_alloc(1, sizeof(dir) + strlen(name) + 2);
	sprintf(path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK_EQ(fwrite(data, 1, len, f), len);
	CHECK(fclose(f) == 0);
	return path;
}
#define MAKE_FILE(name, lit) make_file(name, lit, sizeof(lit) - 1)

static void slurp(FILE *f, char *buf, size_t size)
{
	rewind(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Runs the tool with argv (NULL-terminated); output in out_text/err_text. */
static int run(char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	FILE *out = tmpfile(), *err = tmpfile();
	CHECK(out && err);
	int status = configcheck_main(argc, argv, out, err);
	slurp(out, out_text, sizeof(out_text));
	slurp(err, err_text, sizeof(err_text));
	return status;
}

static void cleanup(char **paths)
{
	for (; *paths; paths++)
		unlink(*paths);
	rmdir(dir);
}

TEST(CCHK_0001, "a good file: status 0, no output")
{
	char *good = MAKE_FILE("good.cfg", "<config>\n  <start name=\"a\" ram=\"1M\" caps=\"10\"> <binary name=\"a\"/> </start>\n</config>\n");
	char *argv[] = { "argil-config", good, NULL };
	CHECK_EQ(run(argv), 0);
	CHECK(out_text[0] == 0 && err_text[0] == 0);
	cleanup((char *[]){ good, NULL });
}

TEST(CCHK_0002, "a bad file: FILE:LINE:COL: error: MSG and status 1; good files around it are quiet")
{
	char *good = MAKE_FILE("good.cfg", "<a/>");
	char *bad = MAKE_FILE("bad.cfg", "<config>\n  <start name=\"a\" name=\"b\"/>\n</config>\n");
	char *argv[] = { "argil-config", good, bad, good, NULL };
	CHECK_EQ(run(argv), 1);
	char want[512];
	snprintf(want, sizeof(want), "%s:2:19: error: duplicate attribute\n", bad);
	CHECK_MSG(!strcmp(err_text, want), "got: %.200s", err_text);
	CHECK(out_text[0] == 0);
	cleanup((char *[]){ good, bad, NULL });
}

TEST(CCHK_0003, "each bad file gets its line; empty and NUL-padded files are bad")
{
	char *empty = MAKE_FILE("empty.cfg", "");
	char *padded = MAKE_FILE("padded.cfg", "<a/>\n\0\0\0");
	char *argv[] = { "argil-config", empty, padded, NULL };
	CHECK_EQ(run(argv), 1);
	char want[512];
	snprintf(want, sizeof(want), "%s:1:1: error: no top-level node\n%s:2:1: error: NUL byte\n", empty, padded);
	CHECK_MSG(!strcmp(err_text, want), "got: %.200s", err_text);
	cleanup((char *[]){ empty, padded, NULL });
}

TEST(CCHK_0004, "a file that cannot be read: status 2 and the reason, other files still checked")
{
	char *bad = MAKE_FILE("bad.cfg", "<a>");
	char missing[sizeof(dir) + 16];
	snprintf(missing, sizeof(missing), "%s/missing.cfg", dir);
	char *argv[] = { "argil-config", missing, bad, NULL };
	CHECK_EQ(run(argv), 2);
	char want[512];
	snprintf(want, sizeof(want), "%s: error: cannot read: No such file or directory\n%s:1:1: error: unclosed node\n",
		 missing, bad);
	CHECK_MSG(!strcmp(err_text, want), "got: %.200s", err_text);
	cleanup((char *[]){ bad, NULL });
}

TEST(CCHK_0005, "--print writes the canonical form of good files")
{
	char *good = MAKE_FILE("good.cfg", "<!-- c --><a x='1'><b>t&amp;</b></a>");
	char *argv[] = { "argil-config", "--print", good, NULL };
	CHECK_EQ(run(argv), 0);
	CHECK_MSG(!strcmp(out_text, "<a x=\"1\">\n  <b>t&amp;</b>\n</a>\n"), "got: %.200s", out_text);
	CHECK(err_text[0] == 0);
	cleanup((char *[]){ good, NULL });
}

TEST(CCHK_0006, "usage errors: no file, unknown option: status 2")
{
	char *a1[] = { "argil-config", NULL };
	CHECK_EQ(run(a1), 2);
	CHECK(strstr(err_text, "usage:") != NULL);
	char *a2[] = { "argil-config", "--print", NULL };
	CHECK_EQ(run(a2), 2);
	char *a3[] = { "argil-config", "-x", "f", NULL };
	CHECK_EQ(run(a3), 2);
	CHECK(strstr(err_text, "usage:") != NULL);
}

/* An init config: the head every case shares, then its <start> nodes. */
#define HEAD "<config>\n" \
	"  <parent-provides> <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/> <service name=\"CPU\"/> </parent-provides>\n" \
	"  <default caps=\"100\" ram=\"1M\"/>\n" \
	"  <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>\n"

/* Runs the tool on one file with options; err_text must equal want
 * (a format with %s for each mention of the file's path). */
static void expect_errors(const char *name, const char *data, const char *opt1, const char *opt2,
                          int status, const char *want_fmt)
{
	char *path = make_file(name, data, strlen(data));
	char *argv[] = { "argil-config", (char *)opt1, (char *)opt2, path, NULL };
	char want[2048];
	/* options NULL: left out */
	if (!opt1) {
		argv[1] = path;
		argv[2] = NULL;
	} else if (!opt2) {
		argv[2] = path;
		argv[3] = NULL;
	}
	snprintf(want, sizeof(want), want_fmt, path, path, path, path);
	CHECK_EQ(run(argv), status);
	if (strcmp(err_text, want))
		printf("  got:\n%s  want:\n%s", err_text, want);
	CHECK_MSG(!strcmp(err_text, want), "errors of %.100s differ", name);
	unlink(path);   /* the directory stays for the next call of the case */
}

TEST(CCHK_0007, "an init config: unknown route targets and services, duplicate names, with line, column and consequence")
{
	expect_errors("init.cfg", HEAD
	    "  <start name=\"a\"> <binary name=\"a\"/> </start>\n"
	    "  <start name=\"a\"> <binary name=\"b\"/> </start>\n"
	    "  <start name=\"c\">\n"
	    "    <binary name=\"c\"/>\n"
	    "    <route> <service name=\"Timer\"> <parent/> </service>\n"
	    "            <service name=\"Hello\"> <child name=\"nobody\"/> </service> </route>\n"
	    "  </start>\n"
	    "  <start name=\"d\"> <binary name=\"d\"/> <route> <service name=\"LOG\"> <child name=\"a\"/> </service> </route> </start>\n"
	    "</config>\n", NULL, NULL, 1,
	    "%s:6:3: error: duplicate child name \"a\" (first <start> at line 5) (the <start> node is ignored)\n"
	    "%s:9:36: error: route target <parent> does not provide 'Timer' (not in <parent-provides>) (the child is not started)\n"
	    "%s:10:36: error: route target child 'nobody' does not exist (the child is not started)\n"
	    "%s:12:68: error: route target child 'a' does not provide 'LOG' (the child is not started)\n");
}

TEST(CCHK_0008, "--ram and --caps: quota beyond what init has for its children; without them no limit")
{
	static const char text[] = HEAD
	    "  <start name=\"a\" ram=\"3M\"> <binary name=\"a\"/> </start>\n"
	    "  <start name=\"b\" ram=\"2M\" caps=\"300\"> <binary name=\"b\"/> </start>\n"
	    "</config>\n";
	expect_errors("q.cfg", text, NULL, NULL, 0, "");
	expect_errors("q.cfg", text, "--ram", "5M", 0, "");
	expect_errors("q.cfg", text, "--ram", "4M", 1,
	    "%s:6:3: error: RAM quota of child 'b' (2097152 bytes) exceeds what init has left (1048576 of 4194304 bytes) (the child is not started)\n");
	expect_errors("q.cfg", text, "--caps", "399", 1,
	    "%s:6:3: error: cap quota of child 'b' (300) exceeds what init has left (299 of 399) (the child is not started)\n");
}

TEST(CCHK_0009, "a nested init's embedded config is checked with the quota of its <start> less init's reserve")
{
	expect_errors("nested.cfg", HEAD
	    "  <start name=\"sub\" ram=\"3M\" caps=\"300\">\n"
	    "    <binary name=\"init\"/>\n"
	    "    <config>\n"
	    "      <parent-provides> <service name=\"LOG\"/> </parent-provides>\n"
	    "      <start name=\"x\" ram=\"2M\" caps=\"100\"> <binary name=\"x\"/> <route> <service name=\"ROM\"> <parent/> </service> </route> </start>\n"
	    "      <start name=\"y\" ram=\"1K\" caps=\"101\"> <binary name=\"y\"/> </start>\n"
	    "    </config>\n"
	    "  </start>\n"
	    "</config>\n", NULL, NULL, 1,
	    "%s:9:92: error: init 'sub': route target <parent> does not provide 'ROM' (not in <parent-provides>) (the child is not started)\n"
	    "%s:10:7: error: init 'sub': cap quota of child 'y' (101) exceeds what init has left (100 of 100) (the child is not started)\n");
	/* reserve_ram of the nested config counts; the binary's name makes it an init */
	expect_errors("nested.cfg", HEAD
	    "  <start name=\"sub\" ram=\"3M\" caps=\"400\">\n"
	    "    <binary name=\"init\"/>\n"
	    "    <config reserve_ram=\"128K\">\n"
	    "      <parent-provides> <service name=\"LOG\"/> </parent-provides>\n"
	    "      <start name=\"x\" ram=\"2M\" caps=\"100\"> <binary name=\"x\"/> </start>\n"
	    "      <start name=\"y\" ram=\"1M\" caps=\"100\"> <binary name=\"y\"/> </start>\n"
	    "    </config>\n"
	    "  </start>\n"
	    "  <start name=\"other\" ram=\"1M\">\n"
	    "    <binary name=\"not_init\"/>\n"
	    "    <config> <start name=\"z\" bogus=\"1\"/> </config>\n"
	    "  </start>\n"
	    "</config>\n", NULL, NULL, 1,
	    "%s:10:7: error: init 'sub': RAM quota of child 'y' (1048576 bytes) exceeds what init has left (917504 of 3014656 bytes) (the child is not started)\n");
	/* a <start> init ignores (a duplicate name) is not checked as a nested init */
	expect_errors("nested.cfg", HEAD
	    "  <start name=\"sub\"> <binary name=\"init\"/> <config> <default caps=\"1\" ram=\"64K\"/> </config> </start>\n"
	    "  <start name=\"sub\"> <binary name=\"init\"/> <config> <start name=\"z\" bogus=\"1\"/> </config> </start>\n"
	    "</config>\n", NULL, NULL, 1,
	    "%s:6:3: error: duplicate child name \"sub\" (first <start> at line 5) (the <start> node is ignored)\n");
}

TEST(CCHK_0010, "which files are init configs: detected, --init, --syntax; a rejected config")
{
	/* a component's config: syntax only */
	expect_errors("timer.cfg", "<config> <policy label=\"x\"/> </config>\n", NULL, NULL, 0, "");
	expect_errors("timer.cfg", "<config> <policy label=\"x\"/> </config>\n", "--init", NULL, 1,
	    "%s:1:10: error: unknown node <policy> in <config> (the new config is ignored)\n");
	expect_errors("typo.cfg", HEAD "  <strat name=\"a\"/>\n</config>\n", NULL, NULL, 1,
	    "%s:5:3: error: unknown node <strat> in <config> (the new config is ignored)\n");
	expect_errors("typo.cfg", HEAD "  <strat name=\"a\"/>\n</config>\n", "--syntax", NULL, 0, "");
}

TEST(CCHK_0011, "bad option values: status 2 and a message")
{
	char *a1[] = { "argil-config", "--ram", "12Q", "f", NULL };
	CHECK_EQ(run(a1), 2);
	CHECK(strstr(err_text, "bad value \"12Q\" of --ram") != NULL);
	char *a2[] = { "argil-config", "f", "--caps", NULL };
	CHECK_EQ(run(a2), 2);
	CHECK(strstr(err_text, "bad value of --caps") != NULL);
	char *a3[] = { "argil-config", "--caps", "1K", "f", NULL };
	CHECK_EQ(run(a3), 2);
	CHECK(strstr(err_text, "(expected a number)") != NULL);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
