/* crash-abort: abort() from a function below main: SIGABRT, status 134. The
 * report must name give_up and main. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void give_up(void)
{
	printf("giving up\n");
	fflush(stdout);
	abort();
}

int main(void)
{
	give_up();
	return 0;
}
