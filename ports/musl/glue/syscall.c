/*
 * The system calls of the musl port (0001-syscalls-to-argil.patch): musl
 * asks its kernel through __syscallN(), which the patch sends here. The
 * parts of musl built (ports/musl/rules.mk) need only these:
 *   write, writev   to fd 1 and 2: the component's LOG session, through
 *                   base's printf_output (each call one piece, or pieces
 *                   of OUT_BUF bytes; the LOG server adds a newline if a
 *                   piece lacks one); EIO without printf_output
 *   ioctl TIOCGWINSZ on fd 0-2 succeeds, so stdout is line-buffered
 *   read            fd 0 is at its end
 *   exit_group, exit  component_exit()
 *   tkill, tgkill   (raise, abort) the component exits with 128 + signal
 * Anything else fails with ENOSYS, as a Linux kernel without it would
 * answer; a later POSIX runtime implements more behind this function.
 * Compiled with musl's internal headers, so base's headers are not at
 * hand: the two base functions used are declared here.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include "syscall.h"

extern void (*printf_output)(const char *s, size_t n);   /* base: argil/printf.h */
void component_exit(int value) __attribute__((noreturn)); /* base: argil/component.h */

#define OUT_BUF 512

/* One piece of output from the iovecs; long ones in OUT_BUF pieces. */
static long out(const struct iovec *iov, long cnt)
{
	char buf[OUT_BUF];
	size_t n = 0;
	long total = 0;

	if (cnt < 0)
		return -EINVAL;
	if (!printf_output)   /* a program without the component runtime */
		return -EIO;
	for (long i = 0; i < cnt; i++) {
		const char *p = iov[i].iov_base;
		size_t len = iov[i].iov_len;

		total += (long)len;
		while (len) {
			size_t k = len < OUT_BUF - n ? len : OUT_BUF - n;
			memcpy(buf + n, p, k);
			n += k;
			p += k;
			len -= k;
			if (n == OUT_BUF) {
				printf_output(buf, n);
				n = 0;
			}
		}
	}
	if (n)
		printf_output(buf, n);
	return total;
}

static int is_std(long fd)
{
	return fd >= 0 && fd <= 2;
}

long __argil_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	struct iovec one;

	(void)a4, (void)a5, (void)a6;
	switch (n) {
	case SYS_write:
		if (a1 != 1 && a1 != 2)
			return -EBADF;
		one.iov_base = (void *)a2;
		one.iov_len = (size_t)a3;
		return out(&one, 1);
	case SYS_writev:
		if (a1 != 1 && a1 != 2)
			return -EBADF;
		return out((const struct iovec *)a2, a3);
	case SYS_read:
		return a1 == 0 ? 0 : -EBADF;
	case SYS_ioctl:
		if (!is_std(a1))
			return -EBADF;
		if ((unsigned long)a2 != TIOCGWINSZ)
			return -ENOTTY;
		memset((void *)a3, 0, sizeof(struct winsize));
		return 0;
	case SYS_close:
		return is_std(a1) ? 0 : -EBADF;
	case SYS_lseek:
		return is_std(a1) ? -ESPIPE : -EBADF;
	case SYS_exit:
	case SYS_exit_group:
		component_exit((int)a1);
	case SYS_tkill:
		component_exit(128 + (int)a2);
	case SYS_tgkill:
		component_exit(128 + (int)a3);
	case SYS_gettid:
	case SYS_getpid:
		return 1;
	case SYS_rt_sigprocmask:
		return 0;
	default:
		return -ENOSYS;
	}
}
