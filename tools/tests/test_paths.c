/* Tests guest path normalisation and finding the app binary like a shell. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "exit_codes.h"
#include "paths.h"

static void check_normalised(const char *path, const char *expected)
{
	char *normalised = path_normalise_in_guest(path);
	CHECK_STRING(normalised, expected);
	free(normalised);
}

static void check_resolution(void)
{
	char directory[] = "/tmp/sole-test-paths-XXXXXX";
	CHECK(mkdtemp(directory) != NULL);
	char *program = path_join(directory, "prog");
	char *plain = path_join(directory, "plain");
	FILE *file = fopen(program, "w");
	fclose(file);
	chmod(program, 0755);
	file = fopen(plain, "w");
	fclose(file);
	chmod(plain, 0644);

	struct app_binary binary;
	char *search = malloc(strlen(directory) + 32);
	sprintf(search, "/nonexistent::%s", directory);
	CHECK(app_binary_resolve("prog", search, &binary) == 0);
	CHECK_STRING(binary.host_path, program);
	CHECK_STRING(binary.guest_path, program);
	CHECK_STRING(binary.as_typed, "prog");
	app_binary_free(&binary);

	CHECK(app_binary_resolve("plain", search, &binary) == EXIT_NOT_FOUND);
	app_binary_free(&binary);
	CHECK(app_binary_resolve("missing", search, &binary) == EXIT_NOT_FOUND);
	app_binary_free(&binary);
	CHECK(app_binary_resolve(plain, search, &binary) == 0);
	CHECK(app_binary_check_executable(&binary) == EXIT_NOT_RUNNABLE);
	app_binary_free(&binary);
	CHECK(app_binary_resolve(directory, search, &binary) == EXIT_NOT_RUNNABLE);
	app_binary_free(&binary);
	CHECK(app_binary_resolve("/nonexistent/prog", search, &binary) == EXIT_NOT_FOUND);
	app_binary_free(&binary);

	/* a relative path goes under / in the guest, as typed */
	CHECK(chdir(directory) == 0);
	CHECK(app_binary_resolve("./prog", search, &binary) == 0);
	CHECK_STRING(binary.guest_path, "/prog");
	CHECK_STRING(binary.host_path, "./prog");
	app_binary_free(&binary);

	unlink(program);
	unlink(plain);
	rmdir(directory);
	free(program);
	free(plain);
	free(search);
}

int main(void)
{
	check_normalised("build/test-apps/hello", "/build/test-apps/hello");
	check_normalised("./hello", "/hello");
	check_normalised("../hello", "/hello");
	check_normalised("/a//b/./c/../d/", "/a/b/d");
	check_normalised("/", "/");
	check_normalised("", "/");
	check_normalised("a/..", "/");
	check_normalised("/..", "/");
	check_normalised("...", "/...");

	char *joined = path_join("/a/", "b");
	CHECK_STRING(joined, "/a/b");
	free(joined);
	joined = path_join("/a", "b");
	CHECK_STRING(joined, "/a/b");
	free(joined);

	check_resolution();
	return check_summary("paths");
}
