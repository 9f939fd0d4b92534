/* sole-init: the pid 1 that `sole run --init` puts before the app, as
 * docker's --init puts tini. It starts the app as pid 2, passes on the
 * signals a container's init receives (the app would ignore them as pid 1
 * only if it asked), reaps every orphan that the VM's processes leave, and
 * ends with the app's status (128+N for a signal, as a shell reports it).
 * A static musl program, so the VM needs nothing else for it. Its
 * arguments: the app's path in the VM, then the app's own argv. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t app;

static void pass_on(int sig)
{
	if (app > 0)
		kill(app, sig);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "sole-init: usage: sole-init PATH ARGV0 [ARGS...]\n");
		return 125;
	}
	static const int forwarded[] = {SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
	                                SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP, SIGALRM};
	struct sigaction forward = {.sa_handler = pass_on, .sa_flags = SA_RESTART};
	sigemptyset(&forward.sa_mask);
	for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
		sigaction(forwarded[i], &forward, NULL);
	app = fork();
	if (app < 0) {
		fprintf(stderr, "sole-init: fork: %s\n", strerror(errno));
		return 125;
	}
	if (app == 0) {
		struct sigaction defaults = {.sa_handler = SIG_DFL};
		for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
			sigaction(forwarded[i], &defaults, NULL);
		execv(argv[1], argv + 2); /* argv[0] as the user typed it */
		fprintf(stderr, "sole-init: %s: %s\n", argv[1], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	for (;;) {
		int status;
		pid_t ended = wait(&status);
		if (ended < 0 && errno == EINTR)
			continue;
		if (ended < 0)
			return 125; /* no child left, yet the app's end was never seen */
		if (ended != app)
			continue; /* an orphan, reaped */
		return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	}
}
