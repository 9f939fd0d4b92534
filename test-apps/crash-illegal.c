/* crash-illegal: an undefined instruction (ud2): SIGILL, status 132. The
 * report must name run_invalid_instruction and main. */
#include <stdio.h>

__attribute__((noinline)) static void run_invalid_instruction(void)
{
	__asm__ volatile("ud2");
}

int main(void)
{
	printf("running ud2\n");
	fflush(stdout);
	run_invalid_instruction();
	printf("still alive\n");
	return 0;
}
