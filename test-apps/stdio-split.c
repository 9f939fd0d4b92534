/* stdio-split: interleaves lines on stdout and stderr. Only stdout is compared,
 * so stderr output must never leak into sole's stdout. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < 20; i++) {
		printf("out %d\n", i);
		fprintf(stderr, "err %d\n", i);
	}
	/* Raw writes too, past stdio. */
	static const char out[] = "raw stdout line\n";
	static const char err[] = "raw stderr line\n";
	if (write(1, out, sizeof(out) - 1) != (ssize_t)(sizeof(out) - 1))
		return 1;
	if (write(2, err, sizeof(err) - 1) != (ssize_t)(sizeof(err) - 1))
		return 1;
	printf("done\n");
	return 0;
}
