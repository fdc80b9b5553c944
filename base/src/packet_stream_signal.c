/*
 * The packet stream's signals in components (argil/packet_stream.h): one
 * notification capability per condition, signalled with a non-blocking
 * send (a notification never blocks its sender, so a sink cannot stall a
 * source this way, nor the other way round).
 */
#include <argil/abi.h>
#include <argil/packet_stream.h>
#include <arch/syscall.h>

void ps_signal_caps(void *arg, enum ps_cond cond)
{
	struct ps_caps *c = arg;

	if ((unsigned)cond < PS_CONDS && c->cap[cond])
		sys_signal((cptr_t)c->cap[cond]);
}
