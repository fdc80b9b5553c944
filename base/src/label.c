/*
 * Session labels (argil/rom.h): "<client> -> ... -> <name>". Kept apart from
 * the ROM client so that core and root tasks link it without the component
 * runtime.
 */
#include <argil/rom.h>

/* The last element of a session label (after the last " -> "). */
const char *label_last(const char *label)
{
	const char *last = label;

	for (const char *p = label; *p; p++)
		if (p[0] == ' ' && p[1] == '-' && p[2] == '>' && p[3] == ' ')
			last = p + 4;
	return last;
}
