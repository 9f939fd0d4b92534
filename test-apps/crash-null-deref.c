/* crash-null-deref: a store through NULL two calls below main. The crash
 * report must name store_answer and main; the status is 139 (SIGSEGV). */
#include <stdio.h>

__attribute__((noinline)) static void store_answer(volatile int *where)
{
	*where = 42;
}

int main(void)
{
	printf("storing the answer through NULL\n");
	fflush(stdout);
	store_answer(NULL);
	printf("still alive\n");
	return 0;
}
