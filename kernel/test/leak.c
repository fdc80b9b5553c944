/*
 * Runs last (IDs sort after every other area): after all cases have been
 * cleaned up, every untyped the tests used must retype again as one piece,
 * i.e. no case left an object or capability behind in the kernel.
 */
#include "test.h"

TEST(ZLEAK_0001, "after all cases every test untyped retypes whole again (nothing leaked)")
{
	cptr_t s = mk_slot(env);

	for (int i = 0; i < env->n_ut; i++) {
		abi_error_t err = untyped_retype(env->ut[i].cap, OBJ_UNTYPED, env->ut[i].bits, R, 0, 0, s, 1);
		if (err != E_OK)
			test_fail(__FILE__, __LINE__, "untyped %lu (2^%u): %s, %lu bytes free",
				  env->ut[i].cap, env->ut[i].bits, error_name(err), kernel_last_detail(0));
		CHECK_OK(cnode_revoke(R, env->ut[i].cap, 64));
		CHECK_EQ(cap_type(s), 0);
	}
}
