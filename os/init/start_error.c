/*
 * Why a child could not be started, in words: the sentence init logs
 * (with the position of the child's <binary> node) and the reason the
 * state report shows. child_start says which of its steps failed and
 * with what status; trusts it.
 */
#include "runtime.h"

#include <argil/printf.h>

const char *rt_start_error(const struct child *c, rpc_status_t st, const char *binary, char *buf, size_t size)
{
	const char *word = rpc_status_text(st);

	switch (c->step) {
	case CHILD_STEP_BINARY:
		if (st == RPC_E_NOT_FOUND) {
			snprintf(buf, size, "no ROM module '%s'", binary);
			return "no ROM module";
		}
		if (st == RPC_E_INVALID_ARGUMENT && c->elf_error != ELF_OK) {
			snprintf(buf, size, "ROM module '%s' cannot be loaded: %s", binary,
				 elf_error_name(c->elf_error));
			return "invalid ELF image";
		}
		snprintf(buf, size, "ROM module '%s': %s", binary, word);
		return word;
	case CHILD_STEP_PD:
		snprintf(buf, size, "its PD session: %s", word);
		return word;
	case CHILD_STEP_CPU:
		snprintf(buf, size, "its CPU session: %s", word);
		return word;
	case CHILD_STEP_SETUP:
		break;
	}
	snprintf(buf, size, "setting up its main thread: %s", word);
	return word;
}
