/* pty: pseudo-terminals and the line discipline. A pair from
 * posix_openpt/grantpt/unlockpt/ptsname; canonical input with erase, kill,
 * werase, EOF, lnext and reprint, and its echo; input and output
 * translations; raw reads by VMIN and VTIME; flow control; job control in
 * a session the pty controls (^C, ^Z, SIGWINCH, tcsetpgrp, SIGTTIN and
 * SIGTTOU, /dev/tty, hangup when the master closes or the controlling
 * process exits); TIOCGPTPEER; and the errors. Linux delivers what the
 * master writes to the slave a moment later, so every read that follows a
 * write waits for the bytes it expects. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "common.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Prints bytes with control characters escaped. */
static void show_bytes(const char *label, const char *buf, long n)
{
	printf("%s: ", label);
	if (n < 0) {
		printf("%s\n", errno_name(errno));
		return;
	}
	printf("\"");
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\r')
			printf("\\r");
		else if (c == '\n')
			printf("\\n");
		else if (c == '\b')
			printf("\\b");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			printf("%c", c);
	}
	printf("\" (%ld)\n", n);
}

/* Reads until want bytes came, or two seconds passed without more. */
static long read_wanted(int fd, char *buf, long want)
{
	long got = 0;
	while (got < want) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 2000) <= 0)
			break;
		long n = read(fd, buf + got, (size_t)(want - got));
		if (n <= 0)
			return got ? got : n;
		got += n;
	}
	return got;
}

/* The master must show exactly expect (the echo, the slave's output). */
static void expect_master(int master, const char *label, const char *expect)
{
	char buf[256];
	long n = read_wanted(master, buf, (long)strlen(expect));
	show_bytes(label, buf, n);
}

static void type(int master, const char *keys)
{
	require(write(master, keys, strlen(keys)) == (long)strlen(keys), "write master");
}

/* One canonical read by the slave. */
static void slave_line(int slave, const char *label, size_t size)
{
	char buf[256];
	show_bytes(label, buf, read(slave, buf, size));
}

static int open_pair(int *slave_out, char *name, size_t size)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	require(master >= 0, "posix_openpt");
	require(grantpt(master) == 0, "grantpt");
	require(unlockpt(master) == 0, "unlockpt");
	require(ptsname_r(master, name, size) == 0, "ptsname_r");
	if (slave_out) {
		*slave_out = open(name, O_RDWR | O_NOCTTY);
		require(*slave_out >= 0, "open slave");
	}
	return master;
}

static void set_lflag(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;
	require(tcgetattr(fd, &t) == 0, "tcgetattr");
	t.c_lflag = (t.c_lflag | on) & ~off;
	require(tcsetattr(fd, TCSANOW, &t) == 0, "tcsetattr");
}

static void pair_basics(void)
{
	char name[64];
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	require(master >= 0, "posix_openpt");
	int locked = -1, number = -1;
	report_value("TIOCGPTLCK new", ioctl(master, TIOCGPTLCK, &locked) < 0 ? -1 : locked);
	require(ptsname_r(master, name, sizeof name) == 0, "ptsname_r");
	printf("ptsname under /dev/pts: %d\n", strncmp(name, "/dev/pts/", 9) == 0);
	require(ioctl(master, TIOCGPTN, &number) == 0, "TIOCGPTN");
	printf("TIOCGPTN matches the name: %d\n", atoi(name + 9) == number);
	report("open locked slave", open(name, O_RDWR | O_NOCTTY));
	report("TIOCGPTPEER locked", ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	require(grantpt(master) == 0 && unlockpt(master) == 0, "unlock");
	report_value("TIOCGPTLCK unlocked", ioctl(master, TIOCGPTLCK, &locked) < 0 ? -1 : locked);
	struct stat st;
	require(stat(name, &st) == 0, "stat slave");
	printf("slave: char device %d, major %u\n", S_ISCHR(st.st_mode), major(st.st_rdev));
	printf("isatty master %d\n", isatty(master));
	int slave = open(name, O_RDWR | O_NOCTTY);
	require(slave >= 0, "open slave");
	char tname[64];
	printf("ttyname is ptsname: %d\n", ttyname_r(slave, tname, sizeof tname) == 0 && strcmp(tname, name) == 0);
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	struct stat peer_st;
	printf("TIOCGPTPEER is the slave: %d\n",
	       peer >= 0 && fstat(peer, &peer_st) == 0 && peer_st.st_rdev == st.st_rdev);
	struct winsize ws;
	require(ioctl(slave, TIOCGWINSZ, &ws) == 0, "TIOCGWINSZ");
	printf("new window %dx%d\n", ws.ws_row, ws.ws_col);
	struct termios t;
	require(tcgetattr(slave, &t) == 0, "tcgetattr");
	printf("default termios: iflag %o oflag %o lflag %o VERASE %d VKILL %d VEOF %d VMIN %d\n", t.c_iflag, t.c_oflag,
	       t.c_lflag, t.c_cc[VERASE], t.c_cc[VKILL], t.c_cc[VEOF], t.c_cc[VMIN]);
	close(peer);
	close(slave);
	close(master);
}

static void canonical(void)
{
	char name[64];
	int slave, master = open_pair(&slave, name, sizeof name);
	type(master, "abc\177d\n");
	expect_master(master, "echo erase", "abc\b \bd\r\n");
	slave_line(slave, "read erase", 64);
	type(master, "xyz\x15ok\n");
	expect_master(master, "echo kill", "xyz\b \b\b \b\b \bok\r\n");
	slave_line(slave, "read kill", 64);
	type(master, "one two\x17three\n");
	expect_master(master, "echo werase", "one two\b \b\b \b\b \bthree\r\n");
	slave_line(slave, "read werase", 64);
	type(master, "a\t\x7f\n");
	expect_master(master, "echo tab erase", "a\t\b\b\b\b\b\b\b\r\n");
	slave_line(slave, "read tab erase", 64);
	type(master, "\x01\x7f\x02\n");
	expect_master(master, "echo control erase", "^A\b \b\b \b^B\r\n");
	slave_line(slave, "read control", 64);
	type(master, "\x16\x03\n");
	expect_master(master, "echo lnext", "^\b^C\r\n");
	slave_line(slave, "read lnext", 64);
	type(master, "ab\022c\n");
	expect_master(master, "echo reprint", "ab^R\r\nabc\r\n");
	slave_line(slave, "read reprint", 64);
	type(master, "end\x04");
	expect_master(master, "echo eof", "end");
	slave_line(slave, "read before eof", 64);
	type(master, "\x04");
	slave_line(slave, "read eof", 64);
	type(master, "long line\n");
	expect_master(master, "echo long", "long line\r\n");
	int n = -1;
	report_value("FIONREAD", ioctl(slave, FIONREAD, &n) < 0 ? -1 : n);
	slave_line(slave, "read part", 4);
	slave_line(slave, "read rest", 64);
	type(master, "two\nlines\n");
	expect_master(master, "echo two lines", "two\r\nlines\r\n");
	slave_line(slave, "read first line", 64);
	slave_line(slave, "read second line", 64);

	set_lflag(slave, ECHONL, ECHO);
	type(master, "secret\n");
	expect_master(master, "echo with ECHONL only", "\r\n");
	slave_line(slave, "read secret", 64);
	set_lflag(slave, ECHO, ECHONL);

	struct termios t;
	require(tcgetattr(slave, &t) == 0, "tcgetattr");
	struct termios saved = t;
	t.c_iflag |= ISTRIP | INLCR;
	t.c_iflag &= ~ICRNL;
	t.c_lflag &= ~ECHO;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	type(master, "\xe1\n\x04");
	slave_line(slave, "ISTRIP INLCR", 64);
	t.c_iflag = IGNCR;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	type(master, "i\rg\n");
	slave_line(slave, "IGNCR", 64);
	require(tcsetattr(slave, TCSANOW, &saved) == 0, "tcsetattr");
	type(master, "cr\r");
	expect_master(master, "echo ICRNL", "cr\r\n");
	slave_line(slave, "ICRNL", 64);

	require(write(slave, "x\ny", 3) == 3, "write slave");
	expect_master(master, "ONLCR", "x\r\ny");
	t = saved;
	t.c_oflag |= OCRNL;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	require(write(slave, "a\rb", 3) == 3, "write slave");
	expect_master(master, "OCRNL", "a\nb");
	t.c_oflag &= ~OPOST;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	require(write(slave, "c\nd", 3) == 3, "write slave");
	expect_master(master, "no OPOST", "c\nd");
	close(slave);
	close(master);
}

static void raw_mode(void)
{
	char name[64], buf[64];
	int slave, master = open_pair(&slave, name, sizeof name);
	struct termios t;
	require(tcgetattr(slave, &t) == 0, "tcgetattr");
	cfmakeraw(&t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	show_bytes("VMIN 0 VTIME 0 empty", buf, read(slave, buf, sizeof buf));
	t.c_cc[VTIME] = 1;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	show_bytes("VMIN 0 VTIME 1 empty", buf, read(slave, buf, sizeof buf));
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	type(master, "abc");
	show_bytes("VMIN 3", buf, read(slave, buf, 5));
	t.c_cc[VMIN] = 1;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	type(master, "\x03\n\r");
	show_bytes("VMIN 1 no translation", buf, read_wanted(slave, buf, 3));
	t.c_cc[VMIN] = 5;
	t.c_cc[VTIME] = 2;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	type(master, "xy");
	show_bytes("VMIN 5 VTIME 2 gap", buf, read(slave, buf, sizeof buf));
	int flags = fcntl(slave, F_GETFL);
	fcntl(slave, F_SETFL, flags | O_NONBLOCK);
	show_bytes("nonblocking empty", buf, read(slave, buf, sizeof buf));
	fcntl(slave, F_SETFL, flags);
	int n = 0;
	report_value("FIONREAD raw", ioctl(slave, FIONREAD, &n) < 0 ? -1 : n);
	require(write(slave, "\n", 1) == 1, "write slave");
	expect_master(master, "raw output", "\n");
	close(slave);
	close(master);
}

/* Writes fill bytes until the other side's queue is full (EAGAIN without
 * blocking), then reads everything back (each byte became expansion bytes
 * on the way); then the writer may write again. A first lone byte leaves
 * an odd room at the end, where a newline's two bytes do not fit. The sizes
 * are the kernel's own, so only their outcome is printed. */
static void fill_and_drain(const char *label, int writer, int reader, char fill, long expansion)
{
	static char buf[4096];
	memset(buf, fill, sizeof buf);
	int flags = fcntl(writer, F_GETFL);
	fcntl(writer, F_SETFL, flags | O_NONBLOCK);
	long total = 0, n;
	require(write(writer, "x", 1) == 1, "write");
	while ((n = write(writer, buf, sizeof buf)) > 0 && total < (1 << 24))
		total += n;
	printf("%s: writes end with %s after some bytes: %d\n", label, n < 0 ? errno_name(errno) : "no error",
	       total > 0);
	long want = 1 + total * expansion, got = 0;
	while (got < want &&
	       (n = read_wanted(reader, buf, want - got < (long)sizeof buf ? want - got : (long)sizeof buf)) > 0)
		got += n;
	printf("%s: the reader got them all: %d\n", label, got == want);
	struct pollfd p = {.fd = writer, .events = POLLOUT};
	printf("%s: writable again: %d\n", label, poll(&p, 1, 2000));
	fcntl(writer, F_SETFL, flags);
}

/* epoll sees both ends: the master readable once the slave wrote, the
 * slave readable once the master typed a line, edge-triggered. */
static void epoll_both_ends(void)
{
	char name[64], buf[16];
	int slave, master = open_pair(&slave, name, sizeof name);
	int ep = epoll_create1(0);
	require(ep >= 0, "epoll_create1");
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = master};
	require(epoll_ctl(ep, EPOLL_CTL_ADD, master, &ev) == 0, "epoll_ctl master");
	ev.data.fd = slave;
	require(epoll_ctl(ep, EPOLL_CTL_ADD, slave, &ev) == 0, "epoll_ctl slave");
	struct epoll_event got[2];
	printf("epoll idle: %d\n", epoll_wait(ep, got, 2, 0));
	require(write(slave, "e", 1) == 1, "write slave");
	int n = epoll_wait(ep, got, 2, 2000);
	printf("epoll after the slave wrote: %d, master %d\n", n, n == 1 && got[0].data.fd == master);
	show_bytes("master reads", buf, read(master, buf, sizeof buf));
	set_lflag(slave, 0, ECHO);
	type(master, "line\n");
	n = epoll_wait(ep, got, 2, 2000);
	printf("epoll after a typed line: %d, slave %d\n", n, n == 1 && got[0].data.fd == slave);
	show_bytes("slave reads", buf, read(slave, buf, sizeof buf));
	printf("epoll drained: %d\n", epoll_wait(ep, got, 2, 0));
	close(ep);
	close(slave);
	close(master);
}

static void full_queues(void)
{
	char name[64];
	int slave, master = open_pair(&slave, name, sizeof name);
	struct termios t;
	require(tcgetattr(slave, &t) == 0, "tcgetattr");
	cfmakeraw(&t);
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	fill_and_drain("master to slave", master, slave, 'x', 1);
	fill_and_drain("slave to master", slave, master, 'x', 1);
	t.c_oflag |= OPOST | ONLCR;
	require(tcsetattr(slave, TCSANOW, &t) == 0, "tcsetattr");
	fill_and_drain("slave's newlines to master", slave, master, '\n', 2);
	close(slave);
	close(master);
}

static void flow_control(void)
{
	char name[64];
	int slave, master = open_pair(&slave, name, sizeof name);
	int flags = fcntl(slave, F_GETFL);
	fcntl(slave, F_SETFL, flags | O_NONBLOCK);
	struct pollfd p = {.fd = slave, .events = POLLOUT};
	type(master, "\x13"); /* ^S stops output */
	for (int i = 0; i < 200 && poll(&p, 1, 0) == 1; i++)
		usleep(10000);
	printf("POLLOUT after ^S: %d\n", poll(&p, 1, 0));
	report("write while stopped", write(slave, "s", 1));
	type(master, "\x11"); /* ^Q restarts it */
	printf("POLLOUT after ^Q: %d\n", poll(&p, 1, 2000));
	report("write after ^Q", write(slave, "s", 1));
	expect_master(master, "output after ^Q", "s");
	report("TCOOFF", tcflow(slave, TCOOFF));
	printf("POLLOUT after TCOOFF: %d\n", poll(&p, 1, 0));
	type(master, "\x11"); /* ^Q does not undo TCOOFF */
	printf("POLLOUT after TCOOFF and ^Q: %d\n", poll(&p, 1, 200));
	report("TCOON", tcflow(slave, TCOON));
	report("write after TCOON", write(slave, "t", 1));
	expect_master(master, "output after TCOON", "t");
	report("TCIOFF", tcflow(slave, TCIOFF));
	expect_master(master, "TCIOFF sends", "\x13");
	fcntl(slave, F_SETFL, flags);
	type(master, "gone\n");
	expect_master(master, "echo before flush", "gone\r\n");
	report("TCIFLUSH", tcflush(slave, TCIFLUSH));
	int n = -1;
	report_value("FIONREAD after flush", ioctl(slave, FIONREAD, &n) < 0 ? -1 : n);
	close(slave);
	close(master);
}

/* Job control: the child leads a session the slave controls; a grandchild
 * is its foreground job. Every event is reported on a pipe to the parent,
 * which prints it, so the order of the lines is the order of the events. */
static int report_fd;
static volatile sig_atomic_t got_signal;

static void say(const char *line)
{
	char buf[128];
	size_t n = strlen(line);
	memcpy(buf, line, n);
	buf[n] = '\n';
	if (write(report_fd, buf, n + 1) < 0)
		_exit(90);
}

static volatile sig_atomic_t got_hangup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hangup = 1;
	else
		got_signal = sig;
}

static void catch (int sig)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(sig, &sa, NULL);
}

static void wait_for_signal(void)
{
	while (!got_signal)
		pause();
}

/* A line from the report pipe, read by the parent byte by byte so that no
 * buffering takes more than one line. */
static void hear_line(int from)
{
	char line[256];
	size_t n = 0;
	while (n < sizeof line - 1 && read(from, line + n, 1) == 1 && line[n] != '\n')
		n++;
	line[n] = 0;
	printf("  %s\n", line);
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGHUP:
		return "SIGHUP";
	case SIGINT:
		return "SIGINT";
	case SIGKILL:
		return "SIGKILL";
	case SIGTSTP:
		return "SIGTSTP";
	case SIGTTIN:
		return "SIGTTIN";
	case SIGTTOU:
		return "SIGTTOU";
	default:
		return "another signal";
	}
}

static const char *stop_or_end(int status)
{
	static char buf[64];
	if (WIFSTOPPED(status))
		snprintf(buf, sizeof buf, "stopped by %s", signal_name(WSTOPSIG(status)));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof buf, "killed by %s", signal_name(WTERMSIG(status)));
	else
		snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(status));
	return buf;
}

/* The foreground job: answers ^C, a resize and ^Z, reads its input, then
 * waits for SIGHUP. It tells the leader it is ready on done. */
static void foreground_job(int slave, int go, int done)
{
	char c;
	catch (SIGINT);
	catch (SIGWINCH);
	if (write(done, "r", 1) != 1)
		_exit(93);
	wait_for_signal();
	int sig = got_signal;
	got_signal = 0;
	say(sig == SIGINT ? "job: SIGINT" : "job: other signal");
	wait_for_signal();
	say(got_signal == SIGWINCH ? "job: SIGWINCH" : "job: other signal");
	if (read(go, &c, 1) != 1) /* after the ^Z and SIGCONT */
		_exit(91);
	say("job: continued");
	char buf[16];
	long n = read(slave, buf, sizeof buf);
	say(n == 6 && memcmp(buf, "input\n", 6) == 0 ? "job: foreground read ok" : "job: foreground read failed");
	catch (SIGHUP);
	say("job: waiting for hangup");
	if (write(done, "w", 1) != 1)
		_exit(93);
	while (!got_hangup)
		pause();
	say("job: SIGHUP");
	_exit(0);
}

/* A background job of the session: its read stops it with SIGTTIN. */
static void background_job(int slave)
{
	char c;
	say("bg: reading");
	if (read(slave, &c, 1) < 0)
		say("bg: read failed");
	_exit(0);
}

/* /proc/self/stat's tty_nr and tpgid. */
static void stat_tty(unsigned *tty_nr, int *tpgid)
{
	char buf[512];
	FILE *f = fopen("/proc/self/stat", "r");
	require(f && fgets(buf, sizeof buf, f), "/proc/self/stat");
	fclose(f);
	require(sscanf(strrchr(buf, ')') + 2, "%*c %*d %*d %*d %u %d", tty_nr, tpgid) == 2, "parse stat");
}

static void session_leader(const char *name)
{
	char line[128];
	require(setsid() > 0, "setsid");
	int slave = open(name, O_RDWR | O_NOCTTY);
	require(slave >= 0, "open slave");
	snprintf(line, sizeof line, "leader: TIOCGPGRP before TIOCSCTTY: %s",
	         tcgetpgrp(slave) < 0 ? errno_name(errno) : "OK");
	say(line);
	snprintf(line, sizeof line, "leader: /dev/tty before: %s",
	         open("/dev/tty", O_RDWR) < 0 ? errno_name(errno) : "OK");
	say(line);
	snprintf(line, sizeof line, "leader: TIOCSCTTY: %s", ioctl(slave, TIOCSCTTY, 0) < 0 ? errno_name(errno) : "OK");
	say(line);
	snprintf(line, sizeof line, "leader: foreground is own group: %d, sid is own: %d", tcgetpgrp(slave) == getpid(),
	         tcgetsid(slave) == getpid());
	say(line);
	unsigned tty_nr;
	int tpgid;
	struct stat st;
	stat_tty(&tty_nr, &tpgid);
	require(fstat(slave, &st) == 0, "fstat slave");
	snprintf(line, sizeof line, "leader: stat's tty_nr is the slave: %d, tpgid is own group: %d",
	         tty_nr == (unsigned)st.st_rdev, tpgid == getpid());
	say(line);
	int tty = open("/dev/tty", O_RDWR);
	snprintf(line, sizeof line, "leader: /dev/tty: %s", tty < 0 ? errno_name(errno) : "OK");
	say(line);
	if (tty >= 0 && write(tty, "via /dev/tty\n", 13) != 13)
		say("leader: write /dev/tty failed");
	snprintf(line, sizeof line, "leader: tcsetpgrp(-1): %s", tcsetpgrp(slave, -1) < 0 ? errno_name(errno) : "OK");
	say(line);
	snprintf(line, sizeof line, "leader: tcsetpgrp(other session): %s",
	         tcsetpgrp(slave, getpgid(getppid())) < 0 ? errno_name(errno) : "OK");
	say(line);

	int job_go[2], job_done[2];
	require(pipe(job_go) == 0 && pipe(job_done) == 0, "pipe");
	pid_t job = fork();
	require(job >= 0, "fork");
	if (job == 0) {
		setpgid(0, 0);
		close(job_go[1]);
		foreground_job(slave, job_go[0], job_done[1]);
	}
	setpgid(job, job);
	close(job_go[0]);
	char c;
	require(read(job_done[0], &c, 1) == 1, "job ready");
	snprintf(line, sizeof line, "leader: tcsetpgrp(job): %s", tcsetpgrp(slave, job) < 0 ? errno_name(errno) : "OK");
	say(line);
	/* The leader is now in the background; its group is orphaned (its
	 * parent is in another session), so its read fails with EIO. */
	snprintf(line, sizeof line, "leader: background read as orphan: %s",
	         read(slave, &c, 1) < 0 ? errno_name(errno) : "OK");
	say(line);
	snprintf(line, sizeof line, "leader: background write without TOSTOP: %s",
	         write(slave, "bg\n", 3) == 3 ? "OK" : errno_name(errno));
	say(line);

	int status;
	require(waitpid(job, &status, WUNTRACED) == job, "waitpid job"); /* ^Z from the parent */
	snprintf(line, sizeof line, "leader: job %s", stop_or_end(status));
	say(line);
	kill(job, SIGCONT);
	require(waitpid(job, &status, WCONTINUED) == job, "waitpid job");
	snprintf(line, sizeof line, "leader: job continued: %d", WIFCONTINUED(status));
	say(line);
	if (write(job_go[1], "g", 1) != 1 || read(job_done[0], &c, 1) != 1)
		_exit(92);

	/* A background job whose parent is in the session: SIGTTIN stops it. */
	pid_t bg = fork();
	require(bg >= 0, "fork");
	if (bg == 0) {
		setpgid(0, 0);
		background_job(slave);
	}
	setpgid(bg, bg);
	require(waitpid(bg, &status, WUNTRACED) == bg, "waitpid bg");
	snprintf(line, sizeof line, "leader: background reader %s", stop_or_end(status));
	say(line);
	kill(bg, SIGKILL);
	waitpid(bg, &status, 0);

	/* Background writers under TOSTOP, and tcsetattr from the background. */
	struct termios t;
	tcgetattr(slave, &t);
	for (int round = 0; round < 3; round++) {
		pid_t w = fork();
		require(w >= 0, "fork");
		if (w == 0) {
			setpgid(0, 0);
			if (round == 0) {
				struct termios tostop = t;
				tostop.c_lflag |= TOSTOP;
				/* from the background itself: SIGTTOU */
				tcsetattr(slave, TCSANOW, &tostop);
				_exit(0);
			}
			if (round == 1) {
				signal(SIGTTOU, SIG_IGN);
				struct termios tostop = t;
				tostop.c_lflag |= TOSTOP;
				_exit(tcsetattr(slave, TCSANOW, &tostop) == 0 ? 3 : 4);
			}
			_exit(write(slave, "w\n", 2) == 2 ? 5 : 6);
		}
		setpgid(w, w);
		require(waitpid(w, &status, WUNTRACED) == w, "waitpid writer");
		snprintf(line, sizeof line, "leader: background %s %s",
		         round == 0   ? "tcsetattr"
		         : round == 1 ? "tcsetattr ignoring SIGTTOU"
		                      : "write under TOSTOP",
		         stop_or_end(status));
		say(line);
		if (WIFSTOPPED(status)) {
			kill(w, SIGKILL);
			waitpid(w, &status, 0);
		}
	}
	tcsetattr(slave, TCSANOW, &t); /* TOSTOP off again (the leader's group is orphaned: SIGTTOU does not stop it) */

	say("leader: exiting");
	_exit(0);
}

static void job_control(void)
{
	char name[64];
	int master = open_pair(NULL, name, sizeof name);
	int reports[2];
	require(pipe(reports) == 0, "pipe");
	report_fd = reports[1];
	pid_t leader = fork_flushed();
	if (leader == 0) {
		close(reports[0]);
		session_leader(name);
	}
	close(reports[1]);
	for (int i = 0; i < 8; i++)
		hear_line(reports[0]);
	expect_master(master, "via /dev/tty", "via /dev/tty\r\n");
	for (int i = 0; i < 3; i++) /* tcsetpgrp(job), the leader's background read and write */
		hear_line(reports[0]);
	expect_master(master, "background write", "bg\r\n");
	int pgrp = -1;
	require(ioctl(master, TIOCGPGRP, &pgrp) == 0, "TIOCGPGRP master");
	printf("master's TIOCGPGRP is the job: %d\n", pgrp != leader && pgrp > 0);
	type(master, "\x03");
	expect_master(master, "echo ^C", "^C");
	hear_line(reports[0]);
	struct winsize ws = {.ws_row = 30, .ws_col = 100};
	report("TIOCSWINSZ", ioctl(master, TIOCSWINSZ, &ws));
	hear_line(reports[0]);
	report("TIOCSWINSZ same size", ioctl(master, TIOCSWINSZ, &ws));
	struct winsize back;
	require(ioctl(master, TIOCGWINSZ, &back) == 0, "TIOCGWINSZ");
	printf("window %dx%d\n", back.ws_row, back.ws_col);
	type(master, "\x1a");
	expect_master(master, "echo ^Z", "^Z");
	for (int i = 0; i < 3; i++) /* stopped, continued, the job's own word */
		hear_line(reports[0]);
	type(master, "input\n");
	expect_master(master, "echo input", "input\r\n");
	for (int i = 0; i < 2; i++) /* read, waiting for hangup */
		hear_line(reports[0]);
	for (int i = 0; i < 6; i++) /* SIGTTIN, SIGTTOU, TOSTOP, exiting */
		hear_line(reports[0]);
	int status;
	printf("leader: %s\n", stop_or_end((waitpid(leader, &status, 0), status)));
	hear_line(reports[0]); /* job: SIGHUP from the controlling process's exit */
	close(reports[0]);
	close(master);
	while (wait(NULL) > 0)
		;
}

/* The master closes under a session leader: SIGHUP and SIGCONT, reads of
 * 0, writes of EIO. The slave closes: the master reads EIO after the data. */
static void hangups(void)
{
	char name[64], buf[64];
	int slave, master = open_pair(&slave, name, sizeof name);
	require(write(slave, "last", 4) == 4, "write slave");
	close(slave);
	struct pollfd p = {.fd = master, .events = POLLIN | POLLOUT};
	poll(&p, 1, 2000);
	printf("master poll after slave close: in %d out %d hup %d\n", !!(p.revents & POLLIN), !!(p.revents & POLLOUT),
	       !!(p.revents & POLLHUP));
	show_bytes("master reads the data", buf, read_wanted(master, buf, 4));
	show_bytes("master reads after", buf, read(master, buf, sizeof buf));
	report("master write after slave close", write(master, "x", 1));
	slave = open(name, O_RDWR | O_NOCTTY);
	require(slave >= 0, "reopen slave");
	p = (struct pollfd){.fd = master, .events = POLLIN};
	poll(&p, 1, 2000);
	printf("reopened slave: master hup %d\n", !!(p.revents & POLLHUP));

	int reports[2];
	require(pipe(reports) == 0, "pipe");
	report_fd = reports[1];
	close(slave);
	pid_t leader = fork_flushed();
	if (leader == 0) {
		close(reports[0]);
		close(master);
		require(setsid() > 0, "setsid");
		catch (SIGHUP);
		catch (SIGCONT);
		slave = open(name, O_RDWR); /* a session leader's open without O_NOCTTY takes the terminal */
		require(slave >= 0, "open slave");
		char line[128];
		snprintf(line, sizeof line, "child: controlling terminal by open: %d", tcgetsid(slave) == getpid());
		say(line);
		while (!got_hangup)
			pause();
		say("child: SIGHUP");
		struct pollfd sp = {.fd = slave, .events = POLLIN | POLLOUT};
		poll(&sp, 1, 0);
		snprintf(line, sizeof line, "child: slave poll in %d out %d err %d hup %d", !!(sp.revents & POLLIN),
		         !!(sp.revents & POLLOUT), !!(sp.revents & POLLERR), !!(sp.revents & POLLHUP));
		say(line);
		long n = read(slave, buf, sizeof buf);
		snprintf(line, sizeof line, "child: read after hangup %ld %s", n, n < 0 ? errno_name(errno) : "");
		say(line);
		snprintf(line, sizeof line, "child: write after hangup %s",
		         write(slave, "x", 1) < 0 ? errno_name(errno) : "OK");
		say(line);
		struct termios t;
		snprintf(line, sizeof line, "child: tcgetattr after hangup %s",
		         tcgetattr(slave, &t) < 0 ? errno_name(errno) : "OK");
		say(line);
		snprintf(line, sizeof line, "child: /dev/tty after hangup %s",
		         open("/dev/tty", O_RDWR) < 0 ? errno_name(errno) : "OK");
		say(line);
		_exit(0);
	}
	close(reports[1]);
	hear_line(reports[0]);
	close(master);
	for (int i = 0; i < 6; i++)
		hear_line(reports[0]);
	printf("child: %s\n", stop_or_end((waitpid(leader, &slave, 0), slave)));
	struct stat st;
	report("slave node after master close", stat(name, &st));
	close(reports[0]);
}

/* A stopped job whose session leader exits is orphaned: SIGHUP, then
 * SIGCONT, as POSIX asks, so that it does not wait forever. */
static void orphaned_stopped_job(void)
{
	int reports[2];
	require(pipe(reports) == 0, "pipe");
	report_fd = reports[1];
	pid_t leader = fork_flushed();
	if (leader == 0) {
		close(reports[0]);
		require(setsid() > 0, "setsid");
		pid_t job = fork();
		require(job >= 0, "fork");
		if (job == 0) {
			setpgid(0, 0);
			got_hangup = 0;
			catch (SIGHUP);
			catch (SIGCONT);
			raise(SIGSTOP);
			say(got_hangup ? "job: SIGHUP, then continued" : "job: continued without SIGHUP");
			_exit(0);
		}
		setpgid(job, job);
		int status;
		require(waitpid(job, &status, WUNTRACED) == job, "waitpid job");
		say(WIFSTOPPED(status) ? "leader: job stopped, leader exits" : "leader: job did not stop");
		_exit(0);
	}
	close(reports[1]);
	hear_line(reports[0]);
	hear_line(reports[0]);
	int status;
	printf("leader: %s\n", stop_or_end((waitpid(leader, &status, 0), status)));
	close(reports[0]);
}

static void errors(void)
{
	int fds[2];
	require(pipe(fds) == 0, "pipe");
	struct termios t;
	report("tcgetattr on a pipe", tcgetattr(fds[0], &t));
	int n;
	report("TIOCGPTN on a pipe", ioctl(fds[0], TIOCGPTN, &n));
	report("open /dev/tty without a terminal", open("/dev/tty", O_RDWR));
	unsigned tty_nr;
	int tpgid;
	stat_tty(&tty_nr, &tpgid);
	printf("without a terminal: tty_nr %u tpgid %d\n", tty_nr, tpgid);
	char name[64];
	int slave, master = open_pair(&slave, name, sizeof name);
	report("TIOCGPTN on the slave", ioctl(slave, TIOCGPTN, &n));
	report("TCFLSH 7", ioctl(slave, TCFLSH, 7));
	report("TCXONC 9", ioctl(slave, TCXONC, 9));
	report("TIOCGPGRP not controlling", ioctl(slave, TIOCGPGRP, &n));
	report("TIOCSPGRP not controlling", tcsetpgrp(slave, getpgrp()));
	report("TIOCNOTTY not controlling", ioctl(slave, TIOCNOTTY));
	report("TIOCGSID not controlling", ioctl(slave, TIOCGSID, &n));
	report("unknown ioctl", ioctl(slave, 0x54ff, &n));
	report("TCGETS bad pointer", ioctl(slave, TCGETS, (void *)8));
	report("TIOCEXCL", ioctl(slave, TIOCEXCL));
	int excl = -1;
	report_value("TIOCGEXCL", ioctl(slave, TIOCGEXCL, &excl) < 0 ? -1 : excl);
	report("TIOCNXCL", ioctl(slave, TIOCNXCL));
	close(slave);
	close(master);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pair_basics();
	canonical();
	raw_mode();
	full_queues();
	epoll_both_ends();
	flow_control();
	job_control();
	hangups();
	orphaned_stopped_job();
	errors();
	return 0;
}
