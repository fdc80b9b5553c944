/*
 * fs_bench: the file-system figures of `make bench` (bench/README.md,
 * issue 11): through a File_system session at ext2_fs, on ext2 on a
 * virtio-blk partition behind the block multiplexer, in busy guest
 * instructions (argil/busy.h: elapsed minus the time the CPU was halted)
 * under -icount shift=0:
 *
 *   fs_write_32m_sync   one new file of 32 MiB written in 1 MiB calls, then a sync
 *   fs_read_32m         the same file read back in 1 MiB calls (ext2 reads
 *                       file data from the disk, past its block cache)
 *   fs_create_1000      1,000 new files of 4 KiB in one directory, then a
 *                       sync (and the two parts: _files and _sync)
 *
 * Every byte read is checked against what was written. Ends with
 * "fs_bench: N passed, N failed". Trusts its parent.
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <fs_session.h>

#define MB (1024 * 1024)
#define BIG (32 * MB)
#define FILES 1000

static struct fs_conn fs;
static uint8_t buf[MB];
static unsigned passed, failed;

static void fill(uint8_t *p, size_t n, uint64_t off)
{
	uint64_t *w = (uint64_t *)p;

	for (size_t i = 0; i < n / 8; i++)
		w[i] = (off / 8 + i) * 0x9e3779b97f4a7c15ull;
}

static bool check(const uint8_t *p, size_t n, uint64_t off)
{
	const uint64_t *w = (const uint64_t *)p;

	for (size_t i = 0; i < n / 8; i++)
		if (w[i] != (off / 8 + i) * 0x9e3779b97f4a7c15ull)
			return false;
	return true;
}

static void result(const char *what, fs_err_t err)
{
	if (err == FS_OK) {
		passed++;
		return;
	}
	failed++;
	log("FAIL %s: %s", what, fs_err_name(err));
}

static fs_err_t write_big(void)
{
	struct busy_clock c;
	unsigned h;
	size_t n;
	fs_err_t err;

	busy_start(&c);
	err = fs_open(&fs, "/big", FS_OPEN_CREATE | FS_OPEN_EXCL, 0644, &h);
	for (uint64_t off = 0; off < BIG && err == FS_OK; off += MB) {
		fill(buf, MB, off);
		err = fs_write(&fs, h, off, buf, MB, &n);
	}
	if (err == FS_OK)
		err = fs_close(&fs, h);
	if (err == FS_OK)
		err = fs_sync(&fs);
	if (err == FS_OK)
		bench_line("fs_write_32m_sync", busy_instructions(&c, 0), "instructions");
	return err;
}

static fs_err_t read_big(void)
{
	struct busy_clock c;
	unsigned h;
	size_t n;
	fs_err_t err;
	bool same = true;

	busy_start(&c);
	err = fs_open(&fs, "/big", 0, 0, &h);
	for (uint64_t off = 0; off < BIG && err == FS_OK; off += MB) {
		err = fs_read(&fs, h, off, buf, MB, &n);
		if (err == FS_OK && n != MB)
			err = FS_E_IO;
		same = same && check(buf, MB, off);
	}
	if (err == FS_OK)
		err = fs_close(&fs, h);
	if (err == FS_OK && !same)
		err = FS_E_CORRUPT;
	if (err == FS_OK)
		bench_line("fs_read_32m", busy_instructions(&c, 0), "instructions");
	return err;
}

static fs_err_t create_many(void)
{
	struct busy_clock c;
	uint64_t files;
	char path[32];
	unsigned h;
	size_t n;
	fs_err_t err;

	fill(buf, 4096, 0);
	busy_start(&c);
	err = fs_mkdir(&fs, "/many", 0755);
	for (int i = 0; i < FILES && err == FS_OK; i++) {
		snprintf(path, sizeof(path), "/many/f%04d", i);
		err = fs_open(&fs, path, FS_OPEN_CREATE | FS_OPEN_EXCL, 0644, &h);
		if (err == FS_OK)
			err = fs_write(&fs, h, 0, buf, 4096, &n);
		if (err == FS_OK)
			err = fs_close(&fs, h);
	}
	files = busy_instructions(&c, 0);
	if (err == FS_OK)
		err = fs_sync(&fs);
	if (err == FS_OK) {
		uint64_t all = busy_instructions(&c, 0);

		bench_line("fs_create_1000", all, "instructions");
		bench_line("fs_create_1000_files", files, "instructions");
		bench_line("fs_create_1000_sync", all - files, "instructions");
	}
	return err;
}

void component_construct(struct component_env *env)
{
	fs_err_t err;

	(void)env;
	err = fs_connect(&fs, "bench", MB);
	result("connect", err);
	if (err == FS_OK) {
		result("fs_write_32m_sync", write_big());
		result("fs_read_32m", read_big());
		result("fs_create_1000", create_many());
		fs_disconnect(&fs);
	}
	printf("fs_bench: %u passed, %u failed\n", passed, failed);
	component_exit(failed ? 1 : 0);
}
