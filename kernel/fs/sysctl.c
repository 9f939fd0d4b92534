/* The /proc/sys tunables (see sysctl.h): one table of what each file holds
 * and its bounds, as Linux's ctl_table entries give them. */
#include "kernel/fs/sysctl.h"

#include "kernel/errno.h"
#include "kernel/fs/aio.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/lease.h"
#include "kernel/fs/pipe.h"
#include "kernel/ipc/mqueue.h"
#include "kernel/ipc/msg.h"
#include "kernel/ipc/sem.h"
#include "kernel/ipc/shm.h"
#include "kernel/mm/aslr.h"
#include "kernel/proc/coredump.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/security/keys.h"

#define INT_LIMIT 2147483647ul

static unsigned long tainted; /* nothing taints sole's kernel */

const struct sysctl sysctls[] = {
    {"kernel/pid_max", &pid_max, 1, PID_MIN + 1, PID_MAX, false},
    {"kernel/randomize_va_space", &randomize_va_space, 1, 0, 2, false},
    {"kernel/tainted", &tainted, 1, 0, 0, true},
    {"kernel/core_uses_pid", &core_uses_pid, 1, 0, 1, false},
    {"kernel/shmmax", &shm_max, 1, 0, ~0ul, false},
    {"kernel/shmall", &shm_all, 1, 0, ~0ul, false},
    {"kernel/shmmni", &shm_mni, 1, 0, IPC_SLOTS, false},
    {"kernel/sem", sem_limits, 4, 0, INT_LIMIT, false},
    {"kernel/msgmax", &msg_max, 1, 0, INT_LIMIT, false},
    {"kernel/msgmnb", &msg_mnb, 1, 0, INT_LIMIT, false},
    {"kernel/msgmni", &msg_mni, 1, 0, IPC_SLOTS, false},
    {"kernel/keys/maxkeys", &keys_maxkeys, 1, 1, INT_LIMIT, false},
    {"kernel/keys/maxbytes", &keys_maxbytes, 1, 1, INT_LIMIT, false},
    {"kernel/keys/root_maxkeys", &keys_root_maxkeys, 1, 1, INT_LIMIT, false},
    {"kernel/keys/root_maxbytes", &keys_root_maxbytes, 1, 1, INT_LIMIT, false},
    {"fs/pipe-max-size", &pipe_max_size, 1, PIPE_MIN_SIZE, INT_LIMIT, false},
    {"fs/inotify/max_user_instances", &inotify_max_user_instances, 1, 0, INT_LIMIT, false},
    {"fs/inotify/max_user_watches", &inotify_max_user_watches, 1, 0, INT_LIMIT, false},
    {"fs/lease-break-time", &lease_break_time, 1, 0, INT_LIMIT, false},
    {"fs/aio-nr", &aio_nr, 1, 0, ~0ul, true},
    {"fs/aio-max-nr", &aio_max_nr, 1, 0, ~0ul, false},
    {"fs/mqueue/queues_max", &mq_queues_max, 1, 0, INT_LIMIT, false},
    {"fs/mqueue/msg_max", &mq_msg_max, 1, 1, MQ_HARD_MSG_MAX, false},
    {"fs/mqueue/msgsize_max", &mq_msgsize_max, 1, MQ_MIN_MSGSIZE_MAX, MQ_HARD_MSGSIZE_MAX, false},
    {"fs/mqueue/msg_default", &mq_msg_default, 1, 1, MQ_HARD_MSG_MAX, false},
    {"fs/mqueue/msgsize_default", &mq_msgsize_default, 1, MQ_MIN_MSGSIZE_MAX, MQ_HARD_MSGSIZE_MAX, false},
};
const int sysctl_count = sizeof sysctls / sizeof sysctls[0];

void sysctl_format(const struct sysctl *s, struct strbuf *out)
{
	for (int i = 0; i < s->count; i++)
		strbuf_printf(out, i + 1 < s->count ? "%lu\t" : "%lu\n", s->values[i]);
}

int sysctl_store(const struct sysctl *s, const char *text)
{
	if (s->read_only || current_process()->cred.euid != 0)
		return -EPERM;
	unsigned long parsed[8];
	const char *at = text;
	for (int i = 0; i < s->count; i++) {
		while (*at == ' ' || *at == '\t')
			at++;
		if (*at < '0' || *at > '9')
			return -EINVAL;
		unsigned long v = 0;
		for (; *at >= '0' && *at <= '9'; at++) {
			if (v > (~0ul - (unsigned long)(*at - '0')) / 10)
				return -EINVAL;
			v = v * 10 + (unsigned long)(*at - '0');
		}
		if (v < s->min || v > s->max)
			return -EINVAL;
		parsed[i] = v;
	}
	while (*at == ' ' || *at == '\t' || *at == '\n')
		at++;
	if (*at)
		return -EINVAL;
	for (int i = 0; i < s->count; i++)
		s->values[i] = parsed[i];
	return 0;
}
