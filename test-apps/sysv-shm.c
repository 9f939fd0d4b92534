/* sysv-shm: SysV shared memory. shmget's key and size rules, shmat at a
 * chosen or given address (SHM_RND, SHM_RDONLY, SHM_REMAP), a segment that
 * parent and child share across fork, shm_nattch as attaches, forks, exit
 * and exec change it, IPC_RMID while attached (gone at the last detach), a
 * segment that outlives its creator, permissions for a user who is not
 * root, and the error cases. Prints facts, never ids, keys or pids. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define PAGE 4096

/* Lets a waiting child go on, our output first, so that the lines keep
 * their order. */
static void let_go(int fd)
{
	char c = 1;
	fflush(stdout);
	require(write(fd, &c, 1) == 1, "go");
}

static struct shmid_ds stat_of(int id)
{
	struct shmid_ds ds;
	memset(&ds, 0, sizeof ds);
	require(shmctl(id, IPC_STAT, &ds) == 0, "IPC_STAT");
	return ds;
}

static unsigned long nattch(int id) { return (unsigned long)stat_of(id).shm_nattch; }

/* A key of our own: ftok on a file this run creates. */
static key_t make_key(char *path, size_t size, int project)
{
	snprintf(path, size, "/tmp/sysv-shm-%d", (int)getpid());
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	require(fd >= 0, "key file");
	close(fd);
	key_t key = ftok(path, project);
	require(key != -1, "ftok");
	return key;
}

static void get_rules(key_t key)
{
	errno = 0;
	report("shmget size 0", shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
	report("shmget missing key", shmget(key, PAGE, 0600));
	int id = shmget(key, 2 * PAGE, IPC_CREAT | IPC_EXCL | 0640);
	report("shmget new key", id);
	printf("same key finds it: %d\n", shmget(key, 0, 0) == id);
	printf("smaller size finds it: %d\n", shmget(key, PAGE, IPC_CREAT | 0600) == id);
	report("shmget larger size", shmget(key, 3 * PAGE, 0600));
	report("shmget IPC_EXCL", shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600));
	struct shmid_ds ds = stat_of(id);
	printf("segsz %lu, mode %o, nattch %lu, key matches %d, cpid is me %d, times: a %d d %d c %d\n",
	       (unsigned long)ds.shm_segsz, (unsigned)ds.shm_perm.mode & 0777, (unsigned long)ds.shm_nattch,
	       ds.shm_perm.__key == key, ds.shm_cpid == getpid(), ds.shm_atime != 0, ds.shm_dtime != 0,
	       ds.shm_ctime != 0);
	ds.shm_perm.mode = 0604;
	report("IPC_SET", shmctl(id, IPC_SET, &ds));
	printf("mode after IPC_SET %o\n", (unsigned)stat_of(id).shm_perm.mode & 0777);
	report("IPC_RMID", shmctl(id, IPC_RMID, NULL));
	report("IPC_STAT after IPC_RMID", shmctl(id, IPC_STAT, &ds));
	report("shmget after IPC_RMID", shmget(key, PAGE, 0600));
}

static sigjmp_buf fault_jump;
static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(fault_jump, 1);
}

static void attaches(void)
{
	int id = shmget(IPC_PRIVATE, 3 * PAGE, IPC_CREAT | 0600);
	require(id >= 0, "shmget");
	char *a = shmat(id, NULL, 0);
	require(a != (void *)-1, "shmat");
	printf("attach is page aligned: %d, zero filled: %d\n", ((unsigned long)a & (PAGE - 1)) == 0,
	       a[0] == 0 && a[3 * PAGE - 1] == 0);
	strcpy(a + PAGE, "through the first attach");
	struct shmid_ds ds = stat_of(id);
	printf("after shmat: nattch %lu, atime set %d, lpid is me %d\n", (unsigned long)ds.shm_nattch,
	       ds.shm_atime != 0, ds.shm_lpid == getpid());

	/* A second attach at a given address, found free by mapping and unmapping. */
	char *spot = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(spot != MAP_FAILED, "mmap");
	errno = 0;
	report("shmat over a mapping", (long)shmat(id, spot, 0) == -1 ? -1 : 0);
	report("shmat misaligned", (long)shmat(id, spot + 5, 0) == -1 ? -1 : 0);
	char *remapped = shmat(id, spot, SHM_REMAP);
	printf("SHM_REMAP attaches there: %d, sees the data: %s\n", remapped == spot, remapped + PAGE);
	require(shmdt(remapped) == 0, "shmdt");
	munmap(spot, 4 * PAGE);
	char *rounded = shmat(id, spot + 5, SHM_RND);
	printf("SHM_RND attaches at the page: %d, nattch %lu\n", rounded == spot, nattch(id));
	rounded[0] = 'R';
	printf("a write through one attach shows in the other: %c\n", a[0]);
	require(shmdt(rounded) == 0, "shmdt");

	char *ro = shmat(id, NULL, SHM_RDONLY);
	printf("SHM_RDONLY reads: %s\n", ro + PAGE);
	struct sigaction sa = {.sa_handler = on_segv};
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(fault_jump, 1) == 0) {
		ro[0] = 'x';
		printf("SHM_RDONLY write: allowed\n");
	} else {
		printf("SHM_RDONLY write: SIGSEGV\n");
	}
	signal(SIGSEGV, SIG_DFL);
	require(shmdt(ro) == 0, "shmdt");

	report("shmdt inside an attach", shmdt(a + PAGE));
	report("shmdt misaligned", shmdt(a + 1));
	report("shmdt", shmdt(a));
	report("shmdt again", shmdt(a));
	ds = stat_of(id);
	printf("after shmdt: nattch %lu, dtime set %d\n", (unsigned long)ds.shm_nattch, ds.shm_dtime != 0);
	report("IPC_RMID", shmctl(id, IPC_RMID, NULL));
}

/* Parent and child share one segment across fork; the child's attach
 * counts, and its exit detaches. */
static void across_fork(void)
{
	int id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
	char *mem = shmat(id, NULL, 0);
	require(id >= 0 && mem != (void *)-1, "segment");
	strcpy(mem, "parent wrote this");
	int go[2], ready[2];
	require(pipe(go) == 0 && pipe(ready) == 0, "pipe");
	pid_t pid = fork_flushed();
	if (pid == 0) {
		printf("child sees: %s; nattch in child %lu\n", mem, nattch(id));
		char *second = shmat(id, NULL, 0);
		strcpy(second + 100, "the child's own attach wrote this");
		strcpy(mem, "child wrote this");
		fflush(stdout);
		char c = 1;
		require(write(ready[1], &c, 1) == 1, "ready");
		require(read(go[0], &c, 1) == 1, "go");
		_exit(0); /* without shmdt: exit detaches both */
	}
	char c;
	require(read(ready[0], &c, 1) == 1, "ready");
	printf("with the child's attaches: nattch %lu\n", nattch(id));
	let_go(go[1]);
	printf("child exited %d\n", wait_code(pid));
	struct shmid_ds ds = stat_of(id);
	printf("after the child's exit: nattch %lu, lpid is the child %d\n", (unsigned long)ds.shm_nattch,
	       ds.shm_lpid == pid);
	printf("parent sees: %s / %s\n", mem, mem + 100);

	/* exec detaches: the exec'd program reports, then waits for us. */
	pid = fork_flushed();
	if (pid == 0) {
		char fds[32];
		snprintf(fds, sizeof fds, "%d %d", ready[1], go[0]);
		char *args[] = {"sysv-shm", "after-exec", fds, NULL};
		execv("/proc/self/exe", args);
		_exit(127);
	}
	require(read(ready[0], &c, 1) == 1, "ready");
	printf("the child exec'd: nattch %lu\n", nattch(id));
	let_go(go[1]);
	printf("exec'd child exited %d\n", wait_code(pid));

	/* IPC_RMID while attached: the segment stays, keyless, until the last
	 * detach; the child holds it after the parent lets go. */
	pid = fork_flushed();
	if (pid == 0) {
		require(read(go[0], &c, 1) == 1, "go");
		printf("child still sees: %s\n", mem);
		fflush(stdout);
		_exit(0);
	}
	report("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
	ds = stat_of(id);
	printf("marked SHM_DEST %d, key now IPC_PRIVATE %d, nattch %lu\n", (ds.shm_perm.mode & 01000) != 0,
	       ds.shm_perm.__key == IPC_PRIVATE, (unsigned long)ds.shm_nattch);
	report("parent shmdt", shmdt(mem));
	report("IPC_STAT while the child holds it", shmctl(id, IPC_STAT, &ds));
	let_go(go[1]);
	printf("child exited %d\n", wait_code(pid));
	report("IPC_STAT after the last detach", shmctl(id, IPC_STAT, &ds));
}

/* A segment made by a child that ends is still there for its key. */
static void outlives_creator(key_t key)
{
	pid_t pid = fork_flushed();
	if (pid == 0) {
		int id = shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600);
		char *mem = shmat(id, NULL, 0);
		if (id < 0 || mem == (void *)-1)
			_exit(1);
		strcpy(mem, "left by a child that ended");
		_exit(0);
	}
	printf("creator exited %d\n", wait_code(pid));
	int id = shmget(key, 0, 0);
	report("shmget by key", id);
	char *mem = shmat(id, NULL, SHM_RDONLY);
	struct shmid_ds ds = stat_of(id);
	printf("it holds: %s; cpid was the child %d\n", mem, ds.shm_cpid == pid);
	shmdt(mem);
	report("IPC_RMID", shmctl(id, IPC_RMID, NULL));
}

/* As a user who is not root: the mode bits decide, and only the owner may
 * change or remove. */
static void as_user(void)
{
	int private_id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
	int readable_id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0644);
	require(private_id >= 0 && readable_id >= 0, "shmget");
	pid_t pid = fork_flushed();
	if (pid == 0) {
		require(setgid(65534) == 0 && setuid(65534) == 0, "setuid");
		struct shmid_ds ds;
		errno = 0;
		report("user: shmat 0600 segment", (long)shmat(private_id, NULL, SHM_RDONLY) == -1 ? -1 : 0);
		report("user: IPC_STAT 0600 segment", shmctl(private_id, IPC_STAT, &ds));
		report("user: shmat 0644 read-only", (long)shmat(readable_id, NULL, SHM_RDONLY) == -1 ? -1 : 0);
		report("user: shmat 0644 read-write", (long)shmat(readable_id, NULL, 0) == -1 ? -1 : 0);
		report("user: IPC_RMID", shmctl(readable_id, IPC_RMID, NULL));
		report("user: SHM_LOCK", shmctl(readable_id, SHM_LOCK, NULL));
		fflush(stdout);
		_exit(0);
	}
	printf("user child exited %d\n", wait_code(pid));
	report("SHM_LOCK", shmctl(readable_id, SHM_LOCK, NULL));
	printf("locked mode bit %d\n", (stat_of(readable_id).shm_perm.mode & 02000) != 0);
	report("SHM_UNLOCK", shmctl(readable_id, SHM_UNLOCK, NULL));
	shmctl(private_id, IPC_RMID, NULL);
	shmctl(readable_id, IPC_RMID, NULL);
}

static void bad_calls(void)
{
	struct shmid_ds ds;
	errno = 0;
	report("IPC_STAT of id -1", shmctl(-1, IPC_STAT, &ds));
	report("shmat id -1", (long)shmat(-1, NULL, 0) == -1 ? -1 : 0);
	int id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
	report("unknown command", shmctl(id, 12345, &ds));
	report("IPC_STAT to a bad address", shmctl(id, IPC_STAT, (struct shmid_ds *)8));
	report("shmget over SHMMAX", shmget(IPC_PRIVATE, (size_t)-1, IPC_CREAT | 0600));
	struct shminfo info;
	int highest = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
	printf("IPC_INFO: returns a slot %d, shmmin %lu\n", highest >= 0, (unsigned long)info.shmmin);
	struct shm_info usage;
	printf("SHM_INFO: returns a slot %d\n", shmctl(0, SHM_INFO, (struct shmid_ds *)&usage) >= 0);
	shmctl(id, IPC_RMID, NULL);
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "after-exec") == 0) {
		int ready, go;
		char c = 1;
		require(sscanf(argv[2], "%d %d", &ready, &go) == 2, "fds");
		require(write(ready, &c, 1) == 1 && read(go, &c, 1) == 1, "after exec");
		return 0;
	}
	char path[64];
	key_t key = make_key(path, sizeof path, 'S');
	get_rules(key);
	attaches();
	across_fork();
	outlives_creator(key);
	as_user();
	bad_calls();
	unlink(path);
	return 0;
}
