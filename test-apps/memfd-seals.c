/* memfd seals through fcntl F_ADD_SEALS and F_GET_SEALS: who may seal,
 * and what write, pwrite, ftruncate, O_TRUNC, fallocate, mmap, mprotect
 * and chmod answer on a sealed memfd. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "common.h"

/* From linux/fcntl.h and linux/memfd.h, which musl's headers may lack. */
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#define MFD_CLOEXEC_ 0x0001
#define MFD_ALLOW_SEALING_ 0x0002
#define MFD_NOEXEC_SEAL_ 0x0008
#define MFD_EXEC_ 0x0010
#define FALLOC_FL_KEEP_SIZE_ 0x01
#define FALLOC_FL_PUNCH_HOLE_ 0x02

#define SIZE 8192

static int memfd(unsigned flags)
{
	int fd = (int)syscall(SYS_memfd_create, "seals", flags);
	require(fd >= 0, "memfd_create");
	require(ftruncate(fd, SIZE) == 0, "ftruncate");
	return fd;
}

static void reopen_path(int fd, char *path, size_t size) { snprintf(path, size, "/proc/self/fd/%d", fd); }

/* Every way to change the file, each reported. */
static void try_changes(int fd)
{
	static char buf[3 * SIZE];
	report_value("  write", write(fd, "data", 4));
	report_value("  pwrite inside", pwrite(fd, buf, 100, 0));
	report_value("  pwrite past the end", pwrite(fd, buf, sizeof buf, SIZE - 100));
	report_value("  pwrite from the end", pwrite(fd, buf, 10, SIZE));
	report_value("  write nothing", write(fd, buf, 0));
	report("  fallocate to grow", fallocate(fd, 0, 0, 2 * SIZE));
	report("  fallocate KEEP_SIZE past the end", fallocate(fd, FALLOC_FL_KEEP_SIZE_, 0, 4 * SIZE));
	report("  punch a hole", fallocate(fd, FALLOC_FL_PUNCH_HOLE_ | FALLOC_FL_KEEP_SIZE_, 0, SIZE));
	void *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	report("  mmap shared writable", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED)
		munmap(p, SIZE);
	p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	report("  mmap shared read-only", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED) {
		report("  then mprotect writable", mprotect(p, SIZE, PROT_READ | PROT_WRITE));
		munmap(p, SIZE);
	}
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	report("  mmap private writable", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED)
		munmap(p, SIZE);
	struct stat st;
	fstat(fd, &st);
	report("  ftruncate to grow", ftruncate(fd, st.st_size + SIZE));
	fstat(fd, &st);
	report("  ftruncate to shrink", ftruncate(fd, st.st_size / 2));
	char path[64];
	reopen_path(fd, path, sizeof path);
	int again = open(path, O_RDWR | O_TRUNC);
	report("  open O_TRUNC", again);
	if (again >= 0)
		close(again);
	fstat(fd, &st);
	printf("  size now %ld\n", (long)st.st_size);
	require(ftruncate(fd, SIZE) == 0 || errno == EPERM, "ftruncate back");
}

static void check_seal(const char *name, int seals)
{
	int fd = memfd(MFD_ALLOW_SEALING_);
	report_value(name, fcntl(fd, F_ADD_SEALS, seals));
	report_value("  F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	try_changes(fd);
	close(fd);
}

static void check_who_may_seal(void)
{
	int fd = memfd(0);
	report_value("no MFD_ALLOW_SEALING: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	report_value("no MFD_ALLOW_SEALING: F_ADD_SEALS", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	close(fd);

	fd = memfd(MFD_ALLOW_SEALING_ | MFD_CLOEXEC_);
	report_value("MFD_ALLOW_SEALING: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	report_value("unknown seal bit", fcntl(fd, F_ADD_SEALS, 0x100));
	report_value("F_SEAL_SHRINK", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	int copy = dup(fd);
	report_value("F_SEAL_GROW through a dup", fcntl(copy, F_ADD_SEALS, F_SEAL_GROW));
	report_value("  seen by the first descriptor", fcntl(fd, F_GET_SEALS));
	char path[64];
	reopen_path(fd, path, sizeof path);
	int reader = open(path, O_RDONLY);
	report_value("F_ADD_SEALS on a read-only open", fcntl(reader, F_ADD_SEALS, F_SEAL_WRITE));
	report_value("F_GET_SEALS on a read-only open", fcntl(reader, F_GET_SEALS));
	close(reader);
	report_value("F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	report_value("no seals after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, 0));
	report_value("  F_GET_SEALS", fcntl(copy, F_GET_SEALS));
	close(copy);
	close(fd);

	int pipefd[2];
	require(pipe(pipefd) == 0, "pipe");
	report_value("a pipe: F_GET_SEALS", fcntl(pipefd[0], F_GET_SEALS));
	report_value("a pipe's write end: F_ADD_SEALS", fcntl(pipefd[1], F_ADD_SEALS, F_SEAL_SEAL));
	report_value("a pipe's read end: F_ADD_SEALS", fcntl(pipefd[0], F_ADD_SEALS, F_SEAL_SEAL));
	close(pipefd[0]);
	close(pipefd[1]);
}

/* F_SEAL_WRITE waits until no shared mapping may write. */
static void check_write_seal_and_mappings(void)
{
	int fd = memfd(MFD_ALLOW_SEALING_);
	void *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	report_value("F_SEAL_WRITE with a shared writable mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	report_value("F_SEAL_FUTURE_WRITE with it", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	memcpy(p, "still", 5);
	report_value("  the mapping still writes, then write()", write(fd, "x", 1));
	munmap(p, SIZE);
	p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	report_value("F_SEAL_WRITE with a shared read-only mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	munmap(p, SIZE);
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	report_value("F_SEAL_WRITE with a private mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	munmap(p, SIZE);
	char word[6] = "";
	pread(fd, word, 5, 0);
	printf("  the data: %s\n", word);
	close(fd);
}

static void check_exec_seal(void)
{
	int fd = memfd(MFD_NOEXEC_SEAL_);
	struct stat st;
	fstat(fd, &st);
	printf("MFD_NOEXEC_SEAL: mode %o\n", st.st_mode & 0777);
	report_value("  F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	report("  fchmod +x", fchmod(fd, 0755));
	report("  fchmod keeping x off", fchmod(fd, 0600));
	close(fd);
	report_value("MFD_EXEC with MFD_NOEXEC_SEAL", syscall(SYS_memfd_create, "seals", MFD_EXEC_ | MFD_NOEXEC_SEAL_));
	fd = memfd(MFD_EXEC_ | MFD_ALLOW_SEALING_);
	fstat(fd, &st);
	printf("MFD_EXEC: mode %o\n", st.st_mode & 0777);
	report_value("  F_SEAL_EXEC on an executable memfd", fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC));
	report_value("  F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	report("  fchmod -x", fchmod(fd, 0644));
	report_value("  write", write(fd, "x", 1));
	close(fd);
}

int main(void)
{
	check_who_may_seal();
	check_write_seal_and_mappings();
	check_seal("F_SEAL_WRITE", F_SEAL_WRITE);
	check_seal("F_SEAL_FUTURE_WRITE", F_SEAL_FUTURE_WRITE);
	check_seal("F_SEAL_SHRINK", F_SEAL_SHRINK);
	check_seal("F_SEAL_GROW", F_SEAL_GROW);
	check_seal("F_SEAL_SHRINK|F_SEAL_GROW", F_SEAL_SHRINK | F_SEAL_GROW);
	check_exec_seal();
	return 0;
}
