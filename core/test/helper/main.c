#include <argil/component.h>
#include <argil/printf.h>

void component_construct(struct component_env *env)
{
	printf("helper %s\n", env->info->label);
	component_exit(0);
}
