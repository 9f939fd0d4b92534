/* sysv-msg: SysV message queues. msgget's rules, msgrcv's choice by type
 * (0, above 0, below 0, MSG_EXCEPT, MSG_COPY), MSG_NOERROR and E2BIG, a
 * full queue (EAGAIN, or a sender that waits for room), a receiver woken
 * by another process's msgsnd, a producer and a consumer in two processes
 * through a small queue, waiters woken by IPC_RMID (EIDRM) and by a
 * signal (EINTR), permissions for a user who is not root, and the error
 * cases. Prints facts, never ids, keys or pids. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define PRODUCED 300
#ifndef MSG_COPY
#define MSG_COPY 040000 /* Linux's; musl's headers leave it out */
#endif

struct message {
	long type;
	char text[256];
};

static int send_text(int id, long type, const char *text, int flags)
{
	struct message m = {.type = type};
	strcpy(m.text, text);
	return msgsnd(id, &m, strlen(text) + 1, flags);
}

static struct msqid_ds stat_of(int id)
{
	struct msqid_ds ds;
	memset(&ds, 0, sizeof ds);
	require(msgctl(id, IPC_STAT, &ds) == 0, "IPC_STAT");
	return ds;
}

/* Receives and prints what came, or the error. */
static void receive(const char *label, int id, size_t room, long type, int flags)
{
	struct message m;
	memset(&m, 0, sizeof m);
	long n = msgrcv(id, &m, room, type, flags);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: type %ld, %ld bytes, \"%.*s\"\n", label, m.type, n, (int)n, m.text);
}

static void get_rules(key_t key)
{
	errno = 0;
	report("msgget missing key", msgget(key, 0600));
	int id = msgget(key, IPC_CREAT | IPC_EXCL | 0640);
	report("msgget new key", id);
	printf("same key finds it: %d\n", msgget(key, 0) == id);
	report("msgget IPC_EXCL", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	struct msqid_ds ds = stat_of(id);
	printf("qbytes %lu, qnum %lu, cbytes %lu, mode %o, key matches %d, times: s %d r %d c %d\n",
	       (unsigned long)ds.msg_qbytes, (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_cbytes,
	       (unsigned)ds.msg_perm.mode & 0777, ds.msg_perm.__key == key, ds.msg_stime != 0, ds.msg_rtime != 0,
	       ds.msg_ctime != 0);
	report("IPC_RMID", msgctl(id, IPC_RMID, NULL));
	report("msgget after IPC_RMID", msgget(key, 0));
	report("msgsnd after IPC_RMID", send_text(id, 1, "x", IPC_NOWAIT));
}

static void choosing(void)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	require(id >= 0, "msgget");
	send_text(id, 3, "three", 0);
	send_text(id, 1, "one-a", 0);
	send_text(id, 2, "two", 0);
	send_text(id, 1, "one-b", 0);
	send_text(id, 5, "five", 0);
	struct msqid_ds ds = stat_of(id);
	printf("queued: qnum %lu, cbytes %lu, lspid is me %d, stime set %d\n", (unsigned long)ds.msg_qnum,
	       (unsigned long)ds.msg_cbytes, ds.msg_lspid == getpid(), ds.msg_stime != 0);
	receive("MSG_COPY index 3", id, 256, 3, MSG_COPY | IPC_NOWAIT);
	receive("MSG_COPY index 9", id, 256, 9, MSG_COPY | IPC_NOWAIT);
	receive("MSG_COPY without IPC_NOWAIT", id, 256, 0, MSG_COPY);
	receive("type 1", id, 256, 1, 0);
	receive("type -2", id, 256, -2, 0);
	receive("too small", id, 3, 0, 0);
	receive("MSG_NOERROR", id, 3, 0, MSG_NOERROR);
	receive("MSG_EXCEPT 2", id, 256, 2, MSG_EXCEPT);
	receive("type 7, IPC_NOWAIT", id, 256, 7, IPC_NOWAIT);
	receive("type 0", id, 256, 0, 0);
	ds = stat_of(id);
	printf("emptied: qnum %lu, cbytes %lu, lrpid is me %d\n", (unsigned long)ds.msg_qnum,
	       (unsigned long)ds.msg_cbytes, ds.msg_lrpid == getpid());
	receive("empty, IPC_NOWAIT", id, 256, 0, IPC_NOWAIT);

	errno = 0;
	report("msgsnd type 0", send_text(id, 0, "zero", 0));
	struct message big = {.type = 1};
	report("msgsnd 8193 bytes", msgsnd(id, &big, 8193, 0));
	report("msgsnd bad address", msgsnd(id, (void *)8, 4, 0));
	report("msgrcv negative size", msgrcv(id, &big, (size_t)-1, 0, IPC_NOWAIT));
	report("msgrcv MSG_COPY|MSG_EXCEPT", msgrcv(id, &big, 16, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT));
	report("msgctl unknown command", msgctl(id, 12345, NULL));
	report("msgctl id -1", msgctl(-1, IPC_STAT, &ds));
	msgctl(id, IPC_RMID, NULL);
}

/* A queue of 100 bytes: a second 60-byte message does not fit. */
static void full_queue(void)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	struct msqid_ds ds = stat_of(id);
	ds.msg_qbytes = 100;
	report("IPC_SET qbytes 100", msgctl(id, IPC_SET, &ds));
	char sixty[61];
	memset(sixty, 'x', 60);
	sixty[60] = 0;
	report("first 60 bytes", send_text(id, 1, sixty, IPC_NOWAIT));
	report("second, IPC_NOWAIT", send_text(id, 2, sixty, IPC_NOWAIT));
	pid_t pid = fork_flushed();
	if (pid == 0)
		_exit(send_text(id, 2, sixty + 10, 0) == 0 ? 0 : 1);
	usleep(100 * 1000);
	printf("while the sender waits: qnum %lu\n", (unsigned long)stat_of(id).msg_qnum);
	receive("receive the first", id, 256, 1, 0);
	printf("sender exited %d (0: its message went in)\n", wait_code(pid));
	printf("then: qnum %lu, cbytes %lu\n", (unsigned long)stat_of(id).msg_qnum,
	       (unsigned long)stat_of(id).msg_cbytes);
	ds.msg_qbytes = 16384;
	msgctl(id, IPC_SET, &ds);
	msgctl(id, IPC_RMID, NULL);
}

/* A receiver asleep in msgrcv wakes for another process's message. */
static void woken_receiver(void)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		receive("the waiting receiver", id, 256, 9, 0);
		fflush(stdout);
		_exit(0);
	}
	usleep(100 * 1000);
	send_text(id, 4, "not for it", 0);
	send_text(id, 9, "for the receiver", 0);
	printf("receiver exited %d\n", wait_code(pid));
	printf("left: qnum %lu\n", (unsigned long)stat_of(id).msg_qnum);
	msgctl(id, IPC_RMID, NULL);
}

/* A producer child and the parent as consumer, through a queue so small
 * that each side waits for the other. */
static void producer_consumer(void)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	struct msqid_ds ds = stat_of(id);
	ds.msg_qbytes = 512;
	msgctl(id, IPC_SET, &ds);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		for (int i = 0; i < PRODUCED; i++) {
			struct message m = {.type = 1 + i % 3};
			int size = 1 + (i * 37) % 200;
			memset(m.text, 'a' + i % 26, (size_t)size);
			if (msgsnd(id, &m, (size_t)size, 0) != 0)
				_exit(1);
		}
		_exit(0);
	}
	long bytes = 0, in_order = 0;
	for (int i = 0; i < PRODUCED; i++) {
		struct message m;
		long n = msgrcv(id, &m, sizeof m.text, 0, 0);
		bytes += n;
		in_order += n == 1 + (i * 37) % 200 && m.type == 1 + i % 3 && m.text[0] == 'a' + i % 26;
	}
	printf("producer exited %d; consumed %ld bytes, %ld of %d in order\n", wait_code(pid), bytes, in_order,
	       PRODUCED);
	msgctl(id, IPC_RMID, NULL);
}

static void on_usr1(int sig) { (void)sig; }

static void wakeups(void)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
		sigaction(SIGUSR1, &sa, NULL);
		receive("msgrcv under a signal with SA_RESTART", id, 256, 0, 0);
		fflush(stdout);
		_exit(0);
	}
	usleep(100 * 1000);
	kill(pid, SIGUSR1);
	printf("receiver exited %d\n", wait_code(pid));

	pid = fork_flushed();
	if (pid == 0) {
		receive("msgrcv while the queue is removed", id, 256, 0, 0);
		fflush(stdout);
		_exit(0);
	}
	usleep(100 * 1000);
	/* The woken receiver prints first: the result is shown after it exits,
	 * so the order of the lines does not depend on who runs first. */
	long removed = msgctl(id, IPC_RMID, NULL);
	int saved_errno = errno;
	int code = wait_code(pid);
	errno = saved_errno;
	report("IPC_RMID", removed);
	printf("receiver exited %d\n", code);
}

static void as_user(void)
{
	int private_id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	int readable_id = msgget(IPC_PRIVATE, IPC_CREAT | 0644);
	require(private_id >= 0 && readable_id >= 0, "msgget");
	send_text(readable_id, 1, "for anyone", 0);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		require(setgid(65534) == 0 && setuid(65534) == 0, "setuid");
		struct msqid_ds ds;
		errno = 0;
		report("user: msgsnd 0600", send_text(private_id, 1, "x", IPC_NOWAIT));
		report("user: IPC_STAT 0600", msgctl(private_id, IPC_STAT, &ds));
		report("user: IPC_STAT 0644", msgctl(readable_id, IPC_STAT, &ds));
		report("user: msgsnd 0644", send_text(readable_id, 1, "x", IPC_NOWAIT));
		receive("user: msgrcv 0644", readable_id, 256, 0, IPC_NOWAIT);
		report("user: IPC_RMID", msgctl(readable_id, IPC_RMID, NULL));
		int own = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		msgctl(own, IPC_STAT, &ds);
		ds.msg_qbytes = 20000;
		report("user: IPC_SET qbytes above MSGMNB", msgctl(own, IPC_SET, &ds));
		ds.msg_qbytes = 1000;
		report("user: IPC_SET qbytes 1000", msgctl(own, IPC_SET, &ds));
		report("user: IPC_RMID of its own", msgctl(own, IPC_RMID, NULL));
		fflush(stdout);
		_exit(0);
	}
	printf("user child exited %d\n", wait_code(pid));
	msgctl(private_id, IPC_RMID, NULL);
	msgctl(readable_id, IPC_RMID, NULL);
}

static void info(void)
{
	struct msginfo mi;
	memset(&mi, 0, sizeof mi);
	int slot = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
	printf("IPC_INFO returns a slot %d, msgssz %d\n", slot >= 0, mi.msgssz);
	printf("MSG_INFO returns a slot %d\n", msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) >= 0);
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/sysv-msg-%d", (int)getpid());
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	require(fd >= 0, "key file");
	close(fd);
	key_t key = ftok(path, 'Q');
	require(key != -1, "ftok");
	get_rules(key);
	choosing();
	full_queue();
	woken_receiver();
	producer_consumer();
	wakeups();
	as_user();
	info();
	unlink(path);
	return 0;
}
