#include <argil/component.h>
#include <argil/printf.h>
#include <argil/pd.h>

void component_construct(struct component_env *env)
{
	struct pd_quota q;
	printf("hello from %s\n", env->info->label);
	pd_quota(env->pd, &q);
	printf("quota ram %lu used %lu caps %lu used %lu\n", q.ram_quota, q.ram_used, q.cap_quota, q.cap_used);
	component_exit(0);
}
