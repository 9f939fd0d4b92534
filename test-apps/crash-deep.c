/* crash-deep: a fault three frames below main, built with -O2
 * -fomit-frame-pointer, so only call frame information can unwind it. The
 * report must name level_three, level_two, level_one and main. */
#include <stdio.h>

static volatile int *volatile target;

__attribute__((noinline)) static int level_three(int n)
{
	return *target + n; /* target is NULL */
}

__attribute__((noinline)) static int level_two(int n)
{
	return level_three(n * 3) + 1;
}

__attribute__((noinline)) static int level_one(int n)
{
	return level_two(n + 2) * 5;
}

int main(void)
{
	printf("reading through NULL three calls deep\n");
	fflush(stdout);
	int result = level_one(7);
	printf("still alive: %d\n", result);
	return 0;
}
