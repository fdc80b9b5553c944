/* Busy time: elapsed TSC minus the time the CPUs spent halted (argil/busy.h). */
#include <argil/busy.h>
#include <arch/syscall.h>

/* Halted ticks of all CPUs and the TSC; the number of CPUs. */
static unsigned halted_all(uint64_t *halted, uint64_t *tsc)
{
	uint64_t h = 0, t = 0;
	unsigned n = 0;

	*halted = 0;
	*tsc = 0;
	while (sys_halted_time(n, &h, &t) == E_OK) {
		*halted += h;
		if (!n)
			*tsc = t;
		n++;
	}
	return n;
}

void busy_start(struct busy_clock *c)
{
	c->cpus = halted_all(&c->halted, &c->tsc);
}

uint64_t busy_instructions(const struct busy_clock *c, uint64_t *elapsed)
{
	uint64_t halted, tsc, el;

	halted_all(&halted, &tsc);
	el = (tsc - c->tsc) * c->cpus;
	if (elapsed)
		*elapsed = el;
	halted -= c->halted;
	return halted < el ? el - halted : 0;
}
