/* hello: the smallest differential test, one line on stdout and status 0. */
#include <stdio.h>

int main(void)
{
	printf("hello from sole\n");
	return 0;
}
