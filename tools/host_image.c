/*
 * The host renderers' files (host_image.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include "host_image.h"

void *host_load(const char *tool, const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *data = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(data = malloc((size_t)n)) || fread(data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read %s\n", tool, path);
		exit(1);
	}
	fclose(f);
	*size = (size_t)n;
	return data;
}

int host_write_ppm(const char *tool, const char *path, const uint32_t *px, int w, int h)
{
	FILE *out = fopen(path, "wb");
	int ok;

	if (!out) {
		fprintf(stderr, "%s: cannot write %s\n", tool, path);
		return 1;
	}
	ok = fprintf(out, "P6\n%d %d\n255\n", w, h) > 0;
	for (long i = 0; ok && i < (long)w * h; i++) {
		unsigned char rgb[3] = { (unsigned char)(px[i] >> 16), (unsigned char)(px[i] >> 8),
		                         (unsigned char)px[i] };
		ok = fwrite(rgb, 1, 3, out) == 3;
	}
	if (fclose(out) != 0 || !ok) {
		fprintf(stderr, "%s: cannot write %s\n", tool, path);
		return 1;
	}
	return 0;
}
