/* A fork bomb inside the VM (sole only: natively it would exhaust the
 * host): forking until fork fails must end with EAGAIN or ENOMEM, never a
 * hang or a kernel panic, and the processes made must all be reaped after
 * a kill(-1, SIGKILL). Exit 0 when all of that holds. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define CEILING 100000 /* past any VM's memory: reaching it would mean fork never fails */

int main(void)
{
	int made = 0, err = 0;
	while (made < CEILING) {
		pid_t pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			pause();
			_exit(0);
		}
		made++;
	}
	printf("fork failed with %s after many children: %s\n", errno_name(err), made > 10 ? "yes" : "no");
	kill(-1, SIGKILL); /* every process but pid 1 and the caller */
	int reaped = 0;
	while (wait(NULL) > 0)
		reaped++;
	printf("all reaped: %s\n", reaped == made ? "yes" : "no");
	return (err == EAGAIN || err == ENOMEM) && made > 10 && reaped == made ? 0 : 1;
}
