/* sole-oci's commands, see oci_commands.h. The process model is runc's:
 * `create` forks the container's process, which waits on exec.fifo in the
 * state folder until `start` opens it, then runs the VM through `sole run
 * --rootfs`'s own code (run_command) and exits with the app's status; its
 * pid, in the pid file, is the container's from the engine's view. */
#define _GNU_SOURCE
#include "oci_commands.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oci_config.h"
#include "oci_console.h"
#include "oci_log.h"
#include "oci_network.h"
#include "oci_state.h"
#include "paths.h"
#include "run.h"
#include "xalloc.h"

#define DEFAULT_SEARCH_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define START_TIMEOUT_MS 10000
#define STOP_WAIT_MS 3000

/* The command's flags (each "--name" takes a value unless it is in
 * switches) and its operands. */
struct command_line {
	const char *values[8][2]; /* name, value */
	size_t value_count;
	const char *switches[8];
	size_t switch_count;
	const char *operands[4];
	size_t operand_count;
};

static int parse_command_line(int argc, char **argv, const char *const *takes_value, struct command_line *line)
{
	*line = (struct command_line){0};
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (arg[0] != '-' || !arg[1]) {
			if (line->operand_count < 4)
				line->operands[line->operand_count++] = arg;
			continue;
		}
		const char *name = arg + (arg[1] == '-' ? 2 : 1);
		size_t name_length = strcspn(name, "=");
		bool valued = false;
		for (const char *const *t = takes_value; *t; t++)
			valued |= strlen(*t) == name_length && !strncmp(*t, name, name_length);
		if (!valued) {
			if (line->switch_count < 8)
				line->switches[line->switch_count++] = name;
			continue;
		}
		const char *value = name[name_length] == '=' ? name + name_length + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!value) {
			oci_error("flag %s needs a value", arg);
			return -1;
		}
		if (line->value_count < 8) {
			line->values[line->value_count][0] = name;
			line->values[line->value_count++][1] = value;
		}
	}
	return 0;
}

static const char *value_of(const struct command_line *line, const char *name)
{
	for (size_t i = 0; i < line->value_count; i++)
		if (!strncmp(line->values[i][0], name, strlen(name)) && strchr("=", line->values[i][0][strlen(name)]))
			return line->values[i][1];
	return NULL;
}

static bool has_switch(const struct command_line *line, const char *a, const char *b)
{
	for (size_t i = 0; i < line->switch_count; i++)
		if (!strcmp(line->switches[i], a) || (b && !strcmp(line->switches[i], b)))
			return true;
	return false;
}

static const char *container_id(const struct command_line *line)
{
	if (line->operand_count == 0) {
		oci_error("container id cannot be empty");
		return NULL;
	}
	const char *id = line->operands[0];
	if (strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, "..")) {
		oci_error("invalid container id format: %s", id);
		return NULL;
	}
	return id;
}

/* Reads the state of the command line's container; 0, or 1 after the error. */
static int load_container(const struct oci_globals *globals, const struct command_line *line,
                          struct oci_state *state, bool quiet_if_missing)
{
	const char *id = container_id(line);
	if (!id)
		return 1;
	char *folder = oci_state_folder(globals->root, id);
	int status = oci_state_read(folder, state);
	free(folder);
	if (status == 0)
		return 0;
	if (!quiet_if_missing)
		oci_error("container %s does not exist", id);
	return 1;
}

static void now_rfc3339(char *out, size_t size)
{
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", gmtime_r(&now.tv_sec, &tm));
	snprintf(out + n, size - n, ".%09ldZ", now.tv_nsec);
}

/* The container's process: enters the container's network namespace, says
 * on ready whether that worked, waits for `start` on the fifo (meanwhile
 * the engine's CNI may set the namespace up), wires the tap there, then
 * becomes the VM's runner. Never returns. */
static void run_container(const char *folder, struct oci_config *config, const char *console_socket, int ready)
{
	struct string_list argv = {0};
	int status = oci_network_enter(config->netns, config->netns_path);
	if (status == 0 && config->terminal)
		status = oci_console_attach(console_socket);
	if (write(ready, status == 0 ? "0" : "1", 1) != 1 || status != 0)
		_exit(1);
	close(ready);
	char *fifo = xasprintf("%s/%s", folder, OCI_FIFO);
	int fd = open(fifo, O_WRONLY | O_CLOEXEC); /* blocks until start opens it */
	free(fifo);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(1);
	close(fd);
	int tap = oci_network_attach(config->netns, config->dns, &argv);
	if (tap < 0)
		_exit(1);
	for (size_t i = 0; i < config->run_args.count; i++)
		string_list_append(&argv, config->run_args.items[i]);
	status = run_command((int)argv.count, argv.items);
	if (tap)
		oci_network_release();
	_exit(status);
}

/* Whether the container's process got its network ready (see run_container). */
static bool child_ready(int ready, pid_t pid)
{
	char answer = '1';
	ssize_t got;
	while ((got = read(ready, &answer, 1)) < 0 && errno == EINTR)
		;
	close(ready);
	if (got == 1 && answer == '0')
		return true;
	waitpid(pid, NULL, 0);
	return false;
}

/* The program the container runs must be in its image, or create fails
 * as runc's does. */
static int check_binary(const struct oci_config *config)
{
	struct app_binary binary;
	const char *search = config->search_path ? config->search_path : DEFAULT_SEARCH_PATH;
	if (app_binary_resolve_in_root(config->rootfs, config->binary, search, config->cwd, &binary) == 0) {
		app_binary_free(&binary);
		return 0;
	}
	if (strchr(config->binary, '/'))
		oci_error("exec: \"%s\": stat %s: no such file or directory", config->binary, config->binary);
	else
		oci_error("exec: \"%s\": executable file not found in $PATH", config->binary);
	return 1;
}

static int write_pid_file(const char *path, pid_t pid)
{
	char text[32];
	snprintf(text, sizeof text, "%d", (int)pid);
	if (oci_write_atomically(path, text) == 0)
		return 0;
	oci_error("cannot write the pid file %s: %s", path, strerror(errno));
	return 1;
}

static void remove_state_folder(const char *folder)
{
	static const char *const files[] = {OCI_STATE_FILE, OCI_FIFO, NULL};
	for (const char *const *f = files; *f; f++) {
		char *path = xasprintf("%s/%s", folder, *f);
		unlink(path);
		free(path);
	}
	rmdir(folder);
}

/* mkdir -p: the engines name a --root whose parents may not exist yet. */
static void make_folders(const char *path)
{
	char *copy = xstrdup(path);
	for (char *slash = copy + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(copy, 0711);
		*slash = '/';
	}
	mkdir(copy, 0711);
	free(copy);
}

static int create_container(const struct oci_globals *globals, const char *id, const char *bundle,
                            const char *pid_file, const char *console_socket, struct oci_config *config)
{
	char *folder = oci_state_folder(globals->root, id);
	char *fifo = xasprintf("%s/%s", folder, OCI_FIFO);
	int status = 1;
	make_folders(globals->root);
	if (mkdir(folder, 0711) != 0) {
		if (errno == EEXIST)
			oci_error("container with id exists: %s", id);
		else
			oci_error("cannot make the state folder %s: %s", folder, strerror(errno));
		goto out;
	}
	if (mkfifo(fifo, 0600) != 0) {
		oci_error("cannot make %s: %s", fifo, strerror(errno));
		remove_state_folder(folder);
		goto out;
	}
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) != 0) {
		oci_error("pipe: %s", strerror(errno));
		remove_state_folder(folder);
		goto out;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		setsid(); /* its own group: kill SIGKILL reaches QEMU too */
		close(ready[0]);
		run_container(folder, config, console_socket, ready[1]);
	}
	close(ready[1]);
	if (pid < 0 || !child_ready(ready[0], pid)) {
		if (pid < 0) {
			oci_error("fork: %s", strerror(errno));
			close(ready[0]);
		}
		remove_state_folder(folder);
		goto out;
	}
	char created[64];
	struct passwd *user = getpwuid(getuid());
	now_rfc3339(created, sizeof created);
	struct oci_state state = {
	    .folder = folder,
	    .id = (char *)id,
	    .bundle = (char *)bundle,
	    .rootfs = config->rootfs,
	    .created = created,
	    .owner = user ? user->pw_name : "",
	    .pid = pid,
	    .start_time = oci_process_start_time(pid),
	    .annotations = (struct json_value *)config->annotations,
	};
	if (oci_state_write(&state) != 0) {
		oci_error("cannot write %s/%s: %s", folder, OCI_STATE_FILE, strerror(errno));
		kill(pid, SIGKILL);
		remove_state_folder(folder);
		goto out;
	}
	status = pid_file ? write_pid_file(pid_file, pid) : 0;
out:
	free(fifo);
	free(folder);
	return status;
}

int oci_create(const struct oci_globals *globals, int argc, char **argv)
{
	static const char *const valued[] = {"bundle", "b", "pid-file", "console-socket", "preserve-fds", NULL};
	struct command_line line;
	if (parse_command_line(argc, argv, valued, &line) != 0)
		return 1;
	const char *id = container_id(&line);
	if (!id)
		return 1;
	const char *given = value_of(&line, "bundle") ? value_of(&line, "bundle") : value_of(&line, "b");
	char *bundle = realpath(given ? given : ".", NULL);
	if (!bundle) {
		oci_error("bundle %s: %s", given ? given : ".", strerror(errno));
		return 1;
	}
	struct oci_config config;
	int status = oci_config_load(bundle, &config) == 0 ? check_binary(&config) : 1;
	const char *console_socket = value_of(&line, "console-socket");
	if (status == 0 && config.terminal && !console_socket) {
		oci_error("cannot allocate tty if runc will detach without setting console socket");
		status = 1;
	}
	if (status == 0)
		status = create_container(globals, id, bundle, value_of(&line, "pid-file"), console_socket, &config);
	oci_config_free(&config);
	free(bundle);
	return status;
}

int oci_start(const struct oci_globals *globals, int argc, char **argv)
{
	struct command_line line;
	struct oci_state state;
	static const char *const valued[] = {NULL};
	if (parse_command_line(argc, argv, valued, &line) != 0 || load_container(globals, &line, &state, false))
		return 1;
	int status = 1;
	enum oci_status now = oci_state_status(&state);
	if (now != OCI_CREATED) {
		oci_error(now == OCI_RUNNING ? "cannot start an already running container"
		                             : "cannot start a container that has stopped");
		goto out;
	}
	char *fifo = xasprintf("%s/%s", state.folder, OCI_FIFO);
	int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct pollfd ready = {.fd = fd, .events = POLLIN};
	char byte;
	if (fd >= 0 && poll(&ready, 1, START_TIMEOUT_MS) == 1 && read(fd, &byte, 1) == 1) {
		unlink(fifo);
		status = 0;
	} else {
		oci_error("the container's process did not take the start");
	}
	if (fd >= 0)
		close(fd);
	free(fifo);
out:
	oci_state_free(&state);
	return status;
}

int oci_state(const struct oci_globals *globals, int argc, char **argv)
{
	struct command_line line;
	struct oci_state state;
	static const char *const valued[] = {NULL};
	if (parse_command_line(argc, argv, valued, &line) != 0 || load_container(globals, &line, &state, false))
		return 1;
	oci_state_print(stdout, &state);
	oci_state_free(&state);
	return 0;
}

static const struct {
	const char *name;
	int number;
} signal_names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},     {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT},   {"BUS", SIGBUS},   {"FPE", SIGFPE},     {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE},   {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},   {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO}, {"PWR", SIGPWR},
    {"SYS", SIGSYS},
};

/* "9", "KILL", "SIGKILL" (any case); 0 when unknown. */
static int parse_signal(const char *text)
{
	char *end;
	long number = strtol(text, &end, 10);
	if (*text && !*end)
		return number > 0 && number < NSIG ? (int)number : 0;
	if (!strncasecmp(text, "SIG", 3))
		text += 3;
	for (size_t i = 0; i < sizeof(signal_names) / sizeof(*signal_names); i++)
		if (!strcasecmp(text, signal_names[i].name))
			return signal_names[i].number;
	return 0;
}

/* SIGKILL takes the whole group (the runner and its QEMU); every other
 * signal goes to the runner, which passes it on (tools/sole/cleanup.c). */
static void signal_container(const struct oci_state *state, int signal_number)
{
	if (signal_number == SIGKILL)
		kill(-state->pid, SIGKILL);
	kill(state->pid, signal_number);
}

int oci_kill(const struct oci_globals *globals, int argc, char **argv)
{
	struct command_line line;
	struct oci_state state;
	static const char *const valued[] = {NULL};
	if (parse_command_line(argc, argv, valued, &line) != 0 || load_container(globals, &line, &state, false))
		return 1;
	const char *name = line.operand_count > 1 ? line.operands[1] : "SIGTERM";
	int signal_number = parse_signal(name), status = 1;
	if (!signal_number)
		oci_error("unknown signal \"%s\"", name);
	else if (oci_state_status(&state) == OCI_STOPPED)
		oci_error("container not running");
	else {
		signal_container(&state, signal_number);
		status = 0;
	}
	oci_state_free(&state);
	return status;
}

int oci_delete(const struct oci_globals *globals, int argc, char **argv)
{
	struct command_line line;
	struct oci_state state;
	static const char *const valued[] = {NULL};
	if (parse_command_line(argc, argv, valued, &line) != 0)
		return 1;
	bool force = has_switch(&line, "force", "f");
	if (load_container(globals, &line, &state, force))
		return force && container_id(&line) ? 0 : 1;
	enum oci_status now = oci_state_status(&state);
	if (now == OCI_RUNNING && !force) {
		oci_error("cannot delete container %s that is not stopped: running", state.id);
		oci_state_free(&state);
		return 1;
	}
	if (now != OCI_STOPPED) {
		signal_container(&state, SIGKILL);
		for (int waited = 0; waited < STOP_WAIT_MS && oci_state_status(&state) != OCI_STOPPED; waited += 10)
			usleep(10000);
	}
	/* a runner killed with SIGKILL left its tap behind */
	char *netns = oci_config_network_namespace(state.bundle);
	if (netns)
		oci_network_release_in(netns);
	free(netns);
	remove_state_folder(state.folder);
	oci_state_free(&state);
	return 0;
}

int oci_features(const struct oci_globals *globals, int argc, char **argv)
{
	(void)globals, (void)argc, (void)argv;
	fputs("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" OCI_VERSION "\",\"hooks\":[],"
	      "\"mountOptions\":[\"bind\",\"rbind\",\"ro\",\"rw\"],"
	      "\"linux\":{\"namespaces\":[\"mount\",\"network\",\"pid\",\"ipc\",\"uts\"],\"capabilities\":[],"
	      "\"cgroup\":{\"v1\":false,\"v2\":false,\"systemd\":false,\"systemdUser\":false},"
	      "\"seccomp\":{\"enabled\":false},\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false}},"
	      "\"annotations\":{\"org.sole.memory\":\"the VM's memory, as sole run -m reads it\","
	      "\"org.sole.cpus\":\"the VM's CPUs, as sole run --cpus reads it\"}}\n",
	      stdout);
	return 0;
}

int oci_ps(const struct oci_globals *globals, int argc, char **argv)
{
	struct command_line line;
	struct oci_state state;
	static const char *const valued[] = {"format", "f", NULL};
	if (parse_command_line(argc, argv, valued, &line) != 0 || load_container(globals, &line, &state, false))
		return 1;
	const char *format = value_of(&line, "format") ? value_of(&line, "format") : value_of(&line, "f");
	bool running = oci_state_status(&state) != OCI_STOPPED;
	if (format && !strcmp(format, "json"))
		printf(running ? "[%d]\n" : "[]\n", (int)state.pid);
	else
		printf(running ? "PID\n%d\n" : "PID\n", (int)state.pid);
	oci_state_free(&state);
	return 0;
}
