/*
 * lib/fs's small shared pieces (fs.h): error names, name checks, the log
 * and clock of a back end's environment.
 */
#include <fs.h>
#if __STDC_HOSTED__
#include <stdio.h>
#else
#include <argil/printf.h>
#endif

const char *fs_err_name(fs_err_t e)
{
	switch (e) {
	case FS_OK: return "ok";
	case FS_E_NOENT: return "no such file or directory";
	case FS_E_EXIST: return "exists";
	case FS_E_NOTDIR: return "not a directory";
	case FS_E_ISDIR: return "is a directory";
	case FS_E_NOTEMPTY: return "directory not empty";
	case FS_E_NOSPC: return "no space left";
	case FS_E_IO: return "I/O error";
	case FS_E_CORRUPT: return "file system corrupt";
	case FS_E_ROFS: return "read-only file system";
	case FS_E_NAMETOOLONG: return "name too long";
	case FS_E_INVAL: return "invalid argument";
	case FS_E_NOMEM: return "out of memory";
	case FS_E_UNSUPPORTED: return "not supported";
	case FS_E_LOOP: return "loop";
	case FS_E_FBIG: return "file too large";
	case FS_E_MLINK: return "too many links";
	case FS_E_STALE: return "stale inode";
	case FS_E_PERM: return "not permitted";
	}
	return "unknown error";
}

void fs_log(const struct fs_env *env, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!env || !env->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	env->log(env->arg, line);
}

int64_t fs_now(const struct fs_env *env)
{
	return env && env->now ? env->now(env->arg) : 0;
}

fs_err_t fs_check_name(const char *name, size_t len, bool dots_ok)
{
	if (!len)
		return FS_E_INVAL;
	if (len > FS_NAME_MAX)
		return FS_E_NAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || !name[i])
			return FS_E_INVAL;
	if (!dots_ok && name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return FS_E_INVAL;
	return FS_OK;
}
