/* Core dumps (core(5)): when a "core" signal ends a process, WCOREDUMP and
 * waitid's CLD_DUMPED tell whether a core file was written. Run plainly, it
 * checks what holds on any host whatever its core_pattern (a pipe to
 * systemd-coredump or apport included): no core with RLIMIT_CORE 0 or when
 * the process is not dumpable. With the argument "sole" (inside sole only,
 * where core_pattern starts as "core") it checks the files themselves: an
 * ELF ET_CORE with PT_NOTE and PT_LOAD headers, one NT_PRSTATUS per thread,
 * the size bound, the name patterns and a target that cannot be made. */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "common.h"

static int failures;
static volatile uintptr_t nowhere = 16; /* an address never mapped, that the compiler cannot see */

static void check(int ok, const char *what)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

static void set_core_limit(rlim_t soft)
{
	struct rlimit r;
	getrlimit(RLIMIT_CORE, &r);
	r.rlim_cur = soft;
	if (r.rlim_max != RLIM_INFINITY && r.rlim_max < soft)
		r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_CORE, &r);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

enum how { BY_RAISE, BY_FAULT, BY_PARENT, WITH_THREAD };

/* A child with RLIMIT_CORE soft, dumpable or not, ended by sig; returns
 * its wait status and the waitid code in *code. */
static int child_dies(rlim_t soft, int dumpable, int sig, enum how how, int *code)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		set_core_limit(soft);
		prctl(PR_SET_DUMPABLE, dumpable);
		if (how == WITH_THREAD) {
			pthread_t t;
			pthread_create(&t, NULL, sleeper, NULL);
		}
		if (how == BY_FAULT)
			*(volatile int *)nowhere = 1;
		if (how == BY_PARENT)
			for (;;)
				pause();
		raise(sig);
		_exit(99);
	}
	if (how == BY_PARENT) {
		usleep(100000);
		kill(pid, sig);
	}
	siginfo_t info;
	memset(&info, 0, sizeof info);
	waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT);
	*code = info.si_code;
	int status;
	waitpid(pid, &status, 0);
	return status;
}

static void report_death(const char *what, int status, int code)
{
	printf("%s: signalled %d sig %d core %d code %s\n", what, WIFSIGNALED(status), WTERMSIG(status),
	       WCOREDUMP(status) ? 1 : 0,
	       code == CLD_DUMPED ? "CLD_DUMPED" : code == CLD_KILLED ? "CLD_KILLED" : "other");
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void portable_checks(void)
{
	int code;
	int status = child_dies(0, 1, SIGQUIT, BY_RAISE, &code);
	report_death("SIGQUIT, RLIMIT_CORE 0", status, code);
	status = child_dies(0, 1, SIGQUIT, BY_PARENT, &code);
	report_death("SIGQUIT from the parent, RLIMIT_CORE 0", status, code);
	status = child_dies(0, 1, SIGSEGV, BY_FAULT, &code);
	report_death("a fault, RLIMIT_CORE 0", status, code);
	status = child_dies(RLIM_INFINITY, 0, SIGABRT, BY_RAISE, &code);
	report_death("SIGABRT, not dumpable", status, code);
	status = child_dies(RLIM_INFINITY, 1, SIGTERM, BY_RAISE, &code);
	report_death("SIGTERM, no core signal", status, code);
	printf("core files left: %s\n", exists("core") ? "yes" : "no");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int changed = setuid(65534);
		printf("dumpable after setuid: %d (setuid %d)\n", prctl(PR_GET_DUMPABLE), changed);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		printf("write %s: %s\n", path, errno_name(errno));
	if (fd >= 0)
		close(fd);
}

static void read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
}

/* The core file's headers and notes: how many NT_PRSTATUS notes, and
 * whether the others are there. */
static void check_core_file(const char *path, int threads)
{
	int fd = open(path, O_RDONLY);
	check(fd >= 0, "the core file is there");
	if (fd < 0)
		return;
	struct stat st;
	fstat(fd, &st);
	check((st.st_mode & 0777) == 0600 && st.st_uid == getuid(), "mode 0600, owned by the dumper");
	static char buf[1 << 20];
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	check(n >= (ssize_t)sizeof *eh && !memcmp(eh->e_ident, ELFMAG, SELFMAG), "ELF magic");
	check(eh->e_type == ET_CORE && eh->e_machine == EM_X86_64, "ET_CORE for x86_64");
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff);
	check(eh->e_phnum > 1 && ph[0].p_type == PT_NOTE, "a PT_NOTE first");
	int loads = 0;
	for (int i = 1; i < eh->e_phnum; i++)
		loads += ph[i].p_type == PT_LOAD;
	check(loads == eh->e_phnum - 1, "PT_LOAD for every area");
	int status = 0, psinfo = 0, auxv = 0, file = 0;
	for (size_t at = ph[0].p_offset; at + sizeof(Elf64_Nhdr) <= ph[0].p_offset + ph[0].p_filesz;) {
		Elf64_Nhdr *nh = (Elf64_Nhdr *)(buf + at);
		status += nh->n_type == NT_PRSTATUS;
		psinfo += nh->n_type == NT_PRPSINFO;
		auxv += nh->n_type == NT_AUXV;
		file += nh->n_type == NT_FILE;
		at += sizeof *nh + ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
	}
	printf("NT_PRSTATUS notes: %d (threads %d)\n", status, threads);
	check(psinfo == 1 && auxv == 1 && file == 1, "NT_PRPSINFO, NT_AUXV and NT_FILE");
	unlink(path);
}

static void sole_checks(void)
{
	char pattern[256];
	read_text("/proc/sys/kernel/core_pattern", pattern, sizeof pattern);
	printf("core_pattern: %s", pattern);
	int code;
	int status = child_dies(RLIM_INFINITY, 1, SIGABRT, BY_RAISE, &code);
	report_death("SIGABRT, RLIMIT_CORE unlimited", status, code);
	check_core_file("core", 1);
	status = child_dies(RLIM_INFINITY, 1, SIGSEGV, BY_FAULT, &code);
	report_death("a fault, RLIMIT_CORE unlimited", status, code);
	check_core_file("core", 1);
	status = child_dies(RLIM_INFINITY, 1, SIGQUIT, WITH_THREAD, &code);
	report_death("SIGQUIT with two threads", status, code);
	check_core_file("core", 2);
	status = child_dies(RLIM_INFINITY, 1, SIGQUIT, BY_PARENT, &code);
	report_death("SIGQUIT from the parent", status, code);
	check_core_file("core", 1);

	status = child_dies(1000, 1, SIGQUIT, BY_RAISE, &code);
	report_death("RLIMIT_CORE under a page", status, code);
	check(!exists("core"), "no core file under a page");
	status = child_dies(8192, 1, SIGQUIT, BY_RAISE, &code);
	report_death("RLIMIT_CORE 8192", status, code);
	struct stat st;
	check(stat("core", &st) == 0 && st.st_size > 0 && st.st_size <= 8192, "cut at RLIMIT_CORE");
	unlink("core");

	mkdir("core", 0755);
	status = child_dies(RLIM_INFINITY, 1, SIGQUIT, BY_RAISE, &code);
	report_death("core is a directory", status, code);
	rmdir("core");

	write_text("/proc/sys/kernel/core_uses_pid", "1\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		set_core_limit(RLIM_INFINITY);
		abort();
	}
	waitpid(pid, &status, 0);
	char name[64];
	snprintf(name, sizeof name, "core.%d", pid);
	check(exists(name), "core_uses_pid names core.PID");
	unlink(name);
	write_text("/proc/sys/kernel/core_uses_pid", "0\n");

	write_text("/proc/sys/kernel/core_pattern", "dump-%p-%s\n");
	read_text("/proc/sys/kernel/core_pattern", pattern, sizeof pattern);
	printf("core_pattern now: %s", pattern);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		set_core_limit(RLIM_INFINITY);
		raise(SIGQUIT);
	}
	waitpid(pid, &status, 0);
	snprintf(name, sizeof name, "dump-%d-%d", pid, SIGQUIT);
	check(exists(name), "core_pattern dump-%p-%s");
	unlink(name);
	write_text("/proc/sys/kernel/core_pattern", "core\n");
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/core-dump-XXXXXX";
	if (!mkdtemp(dir) || chdir(dir)) {
		printf("no temporary directory: %s\n", errno_name(errno));
		return 1;
	}
	portable_checks();
	if (argc > 1 && !strcmp(argv[1], "sole"))
		sole_checks();
	if (chdir("/") || rmdir(dir))
		printf("the temporary directory stays: %s\n", errno_name(errno));
	return failures ? 1 : 0;
}
