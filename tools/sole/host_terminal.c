/* The host's terminal under `sole run -t` (see host_terminal.h). */
#define _GNU_SOURCE
#include "host_terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"

/* The terminal as it was, while it is raw; the watcher's pipe and pid. */
static struct termios saved_mode;
static volatile sig_atomic_t raw_mode_on;
static int watcher_pipe = -1;
static pid_t watcher_pid;
static volatile sig_atomic_t resized;

/* The first of stdin, stdout and stderr that is a terminal and knows its size. */
static bool terminal_size(unsigned *rows, unsigned *columns)
{
	for (int fd = 0; fd < 3; fd++) {
		struct winsize size;
		if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row && size.ws_col) {
			*rows = size.ws_row;
			*columns = size.ws_col;
			return true;
		}
	}
	return false;
}

int host_terminal_describe(bool tty, bool interactive, struct host_terminal *terminal)
{
	*terminal = (struct host_terminal){.console_tty = tty};
	if (!tty)
		return 0;
	if (interactive && !isatty(STDIN_FILENO)) {
		sole_error("the input device is not a TTY: -it needs sole's stdin to be a terminal; "
		           "drop -t to pipe stdin to the app, or run sole from a terminal");
		return EXIT_SOLE_ERROR;
	}
	terminal_size(&terminal->rows, &terminal->columns);
	return 0;
}

/* The watcher: a child that outlives sole by a moment. When the pipe from
 * sole ends without the "restored" byte (sole was killed), it restores the
 * terminal; sole's own exit path restores it and says so first. */
static void watch_for_sole_death(int pipe_from_sole)
{
	char said = 0;
	setsid(); /* out of the terminal's groups: no SIGTTOU, no SIGINT */
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while (read(pipe_from_sole, &said, 1) < 0 && errno == EINTR)
		;
	if (said != 'r')
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_mode);
	_exit(0);
}

static int start_watcher(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		watch_for_sole_death(fds[0]);
	}
	close(fds[0]);
	watcher_pipe = fds[1];
	watcher_pid = pid;
	return 0;
}

static void on_resize(int signal_number)
{
	(void)signal_number;
	resized = 1;
}

static int enter_raw_mode(void)
{
	struct termios raw;
	if (tcgetattr(STDIN_FILENO, &saved_mode) != 0) {
		sole_error("-it: cannot read the terminal's settings: %s", strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	if (start_watcher() != 0) {
		sole_error("-it: cannot start the process that restores the terminal: %s", strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	raw = saved_mode;
	cfmakeraw(&raw);
	raw_mode_on = 1;
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) != 0) {
		sole_error("-it: cannot put the terminal in raw mode: %s", strerror(errno));
		host_terminal_restore();
		return EXIT_SOLE_ERROR;
	}
	return 0;
}

int host_terminal_start(const struct host_terminal *terminal, bool interactive)
{
	if (!terminal->console_tty)
		return 0;
	struct sigaction action = {.sa_handler = on_resize}; /* no SA_RESTART: poll() returns */
	sigaction(SIGWINCH, &action, NULL);
	return interactive ? enter_raw_mode() : 0;
}

void host_terminal_restore(void)
{
	if (!raw_mode_on)
		return;
	raw_mode_on = 0;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_mode);
	if (watcher_pipe >= 0) {
		(void)!write(watcher_pipe, "r", 1);
		close(watcher_pipe);
		watcher_pipe = -1;
		while (waitpid(watcher_pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

bool host_terminal_take_resize(unsigned *rows, unsigned *columns)
{
	if (!resized)
		return false;
	resized = 0;
	return terminal_size(rows, columns);
}
