// sources: tools/configcheck.c base/src/config.c
// cflags: -DCONFIGCHECK_NO_MAIN
/*
 * Host unit tests of tools/configcheck.c (build/host/argil-config): good
 * and bad files, unreadable files, --print, the command line. The tool's
 * configcheck_main() runs in-process with its output in temporary files.
 */
#include "harness.h"

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
	char *path = ht_alloc(1, sizeof(dir) + strlen(name) + 2);
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
	char *good = MAKE_FILE("good.cfg", "<config>\n  <start name=\"a\" ram=\"1M\"/>\n</config>\n");
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

int main(int argc, char **argv)
{
	return ht_main(argc, argv);
}
