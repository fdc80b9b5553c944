/*
 * argil-config: checks config files with Argil's own parser, the one in
 * base/src/config.c (not a second implementation). Built by `make
 * configcheck` into build/host/argil-config; tools/config-check builds and
 * runs it.
 *
 *     argil-config [--print] FILE...        (FILE "-" is standard input)
 *
 * A file that does not parse gets one line on standard error,
 *     FILE:LINE:COL: error: MESSAGE
 * (a file that cannot be read: FILE: error: cannot read: REASON). --print
 * writes the canonical form of every good file to standard output.
 * Exit status: 0 if every file is good, 1 if one does not parse, 2 if one
 * cannot be read or the command line is wrong.
 */
#include <argil/config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads all of f into a fresh buffer; 0 or an errno value. */
static int read_all(FILE *f, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return ENOMEM;
	for (;;) {
		if (n == cap) {
			char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(buf);
				return e;
			}
			break;
		}
	}
	*data = buf;
	*len = n;
	return 0;
}

/* Checks one file: 0 good, 1 does not parse, 2 cannot be read. */
static int check_file(const char *name, bool print, FILE *out, FILE *err)
{
	bool is_stdin = !strcmp(name, "-");
	FILE *f = is_stdin ? stdin : fopen(name, "rb");
	char *data = NULL;
	size_t len = 0;
	int e = f ? read_all(f, &data, &len) : errno;

	if (f && !is_stdin)
		fclose(f);
	if (e) {
		fprintf(err, "%s: error: cannot read: %s\n", name, strerror(e));
		return 2;
	}
	size_t arena_size = cfg_arena_size(len);
	void *arena = arena_size == SIZE_MAX ? NULL : malloc(arena_size);
	if (!arena) {
		fprintf(err, "%s: error: cannot read: %s\n", name, strerror(ENOMEM));
		free(data);
		return 2;
	}
	struct cfg_error perr;
	struct cfg_node *root = cfg_parse(data, len, arena, arena_size, &perr);
	int status = 0;
	if (!root) {
		fprintf(err, "%s:%u:%u: error: %s\n", name, perr.line, perr.col, perr.msg);
		status = 1;
	} else if (print) {
		size_t need = cfg_print(root, NULL, 0);
		char *text = malloc(need + 1);
		if (!text) {
			fprintf(err, "%s: error: cannot print: %s\n", name, strerror(ENOMEM));
			status = 2;
		} else {
			cfg_print(root, text, need + 1);
			fwrite(text, 1, need, out);
			free(text);
		}
	}
	free(arena);
	free(data);
	return status;
}

int configcheck_main(int argc, char **argv, FILE *out, FILE *err)
{
	bool print = false;
	int first = 1, status = 0;

	if (argc > 1 && !strcmp(argv[1], "--print")) {
		print = true;
		first = 2;
	}
	if (first >= argc || (argv[first][0] == '-' && argv[first][1] && strcmp(argv[first], "--"))) {
		fprintf(err, "usage: argil-config [--print] FILE...  (FILE - is standard input)\n");
		return 2;
	}
	if (!strcmp(argv[first], "--") && ++first >= argc) {
		fprintf(err, "usage: argil-config [--print] FILE...  (FILE - is standard input)\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		int s = check_file(argv[i], print, out, err);
		if (s > status)
			status = s;
	}
	return status;
}

#ifndef CONFIGCHECK_NO_MAIN
int main(int argc, char **argv)
{
	return configcheck_main(argc, argv, stdout, stderr);
}
#endif
