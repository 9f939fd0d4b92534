/* crash-null: stores through a NULL pointer. Natively this dies by SIGSEGV
 * (status 139); inside sole the fault must become the same status. */
#include <stdio.h>

int main(void)
{
	/* Both volatiles are needed: with a plain int pointee gcc 12 -O2 drops the
	 * store, and with a constant NULL it emits a trap instruction instead. */
	volatile int *volatile pointer = NULL;
	printf("about to write through NULL\n");
	fflush(stdout);
	*pointer = 42;
	printf("still alive\n");
	return 0;
}
