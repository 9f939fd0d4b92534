/* crash-stack-overflow: unbounded recursion until the 8 MiB stack runs out
 * (SIGSEGV, 139). The report must name descend, many times over. */
#include <stdio.h>
#include <sys/resource.h>

static volatile int bottom_reached; /* never set: keeps gcc from calling this infinite */

__attribute__((noinline)) static int descend(int depth)
{
	volatile char scratch[64];
	if (bottom_reached)
		return 0;
	scratch[depth % 64] = (char)depth;
	return descend(depth + 1) + scratch[0]; /* not a tail call */
}

int main(void)
{
	/* the same limit natively as sole's stack, whatever the shell set */
	struct rlimit limit = {8 << 20, 8 << 20};
	setrlimit(RLIMIT_STACK, &limit);
	printf("recursing without end\n");
	fflush(stdout);
	return descend(0);
}
