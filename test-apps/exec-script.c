/* exec-script: execve of #! scripts written to a fresh folder in /tmp, run
 * through fork + execv: a /bin/sh script with arguments, an interpreter
 * argument ("#!/bin/sh -e"), a script whose interpreter is itself a script,
 * and the errors Linux gives: a missing interpreter (ENOENT), a file without
 * execute permission (EACCES), garbage (ENOEXEC), "#!" alone (ENOEXEC), a
 * directory (EACCES) and a script that names itself as interpreter (ELOOP). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static char dir[64];

static const char *path_of(const char *name)
{
	static char path[4][128];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	return p;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	const char *path = path_of(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	require(fd >= 0, "create a script");
	require(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write a script");
	close(fd);
	require(chmod(path, mode) == 0, "chmod");
}

/* fork + execv; a failed exec comes back as exit code 200 + errno. */
static void run(const char *label, const char *name, char *arg)
{
	char *argv[] = {(char *)path_of(name), arg, NULL};
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(errno < 50 ? 200 + errno : 255);
	}
	int status = -1;
	require(waitpid(pid, &status, 0) == pid, "waitpid");
	if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
	else if (WEXITSTATUS(status) >= 200 && WEXITSTATUS(status) < 255)
		printf("%s: execv failed: %s\n", label, errno_name(WEXITSTATUS(status) - 200));
	else
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
}

int main(void)
{
	strcpy(dir, "/tmp/exec-script-XXXXXX");
	require(mkdtemp(dir) != NULL, "mkdtemp");

	write_file("hello", "#!/bin/sh\necho \"script says: ${1##*/}, $# argument\"\nexit 5\n", 0755);
	run("sh script", "hello", "first");

	write_file("strict", "#!/bin/sh -e\necho before false\nfalse\necho not reached\n", 0755);
	run("sh -e script", "strict", NULL);

	write_file("spaces", "#!  /bin/sh   -e  \necho spaces around the interpreter\n", 0755);
	run("spaces in the #! line", "spaces", NULL);

	char text[256];
	/* A script as interpreter: Linux runs the inner script with the outer as argument. */
	snprintf(text, sizeof text, "#!%s\nthis line is never read\n", path_of("hello"));
	write_file("nested", text, 0755);
	run("script as interpreter", "nested", NULL);

	write_file("missing", "#!/no/such/interpreter\necho nothing\n", 0755);
	run("missing interpreter", "missing", NULL);

	write_file("not-executable", "#!/bin/sh\necho nothing\n", 0644);
	run("no execute permission", "not-executable", NULL);

	write_file("garbage", "\x01\x02\x03 this is not a program\n", 0755);
	run("garbage", "garbage", NULL);

	write_file("empty-interpreter", "#!\necho nothing\n", 0755);
	run("#! alone", "empty-interpreter", NULL);

	require(mkdir(path_of("a-directory"), 0755) == 0, "mkdir");
	run("directory", "a-directory", NULL);

	snprintf(text, sizeof text, "#!%s\n", path_of("loop"));
	write_file("loop", text, 0755);
	run("script naming itself", "loop", NULL);

	run("missing script", "no-such-script", NULL);

	const char *names[] = {
	    "hello", "strict", "spaces", "nested", "missing", "not-executable", "garbage", "empty-interpreter", "loop"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(path_of(names[i]));
	rmdir(path_of("a-directory"));
	report("remove the folder", rmdir(dir));
	return 0;
}
