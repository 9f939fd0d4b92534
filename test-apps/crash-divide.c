/* crash-divide: an integer division by zero: SIGFPE, status 136. The
 * report must name divide and main. */
#include <stdio.h>

static volatile int zero;

__attribute__((noinline)) static int divide(int numerator, int denominator)
{
	return numerator / denominator;
}

int main(void)
{
	printf("dividing by zero\n");
	fflush(stdout);
	int result = divide(42, zero);
	printf("still alive: %d\n", result);
	return 0;
}
