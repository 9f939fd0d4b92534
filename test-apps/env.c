/* env: prints argc, each argument and the sorted environment, to check that the
 * initial stack (argv, envp) is built as Linux builds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	/* argv[0] is where the binary lives, which is sole's choice;
	 * only its last component is compared. */
	const char *slash = strrchr(argv[0], '/');
	printf("argc=%d\n", argc);
	printf("argv[0] basename=[%s]\n", slash ? slash + 1 : argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "not NULL");

	size_t n = 0;
	while (environ[n])
		n++;
	char **sorted = malloc((n + 1) * sizeof(*sorted));
	if (!sorted)
		return 1;
	memcpy(sorted, environ, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), compare_strings);
	printf("envc=%zu\n", n);
	for (size_t i = 0; i < n; i++)
		printf("env[%zu]=[%s]\n", i, sorted[i]);
	free(sorted);

	printf("getenv(HOME)=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
	return 0;
}
