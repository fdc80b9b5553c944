/*
 * The server's log (gui.h: log is gui_log here) and the C library's
 * assertion failure (stb_truetype's asserts, through lib/gui): a line on
 * the LOG session, and for a failed assertion the end of the component.
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <stdarg.h>
#include "gui.h"
#undef log   /* the member of struct component_env */

void gui_log(const char *fmt, ...)
{
	char buf[LOG_WRITE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	log_write(component_env()->log, buf, (word_t)n);
}

void __assert_fail(const char *expr, const char *file, int line, const char *func);
void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	gui_log("error: assertion '%s' failed in %s (%s:%d)", expr, func, file, line);
	component_exit(3);
}
