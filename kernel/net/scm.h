/* SCM_RIGHTS: descriptors passed with sendmsg as ancillary data, held as
 * open files while in flight, and installed as new descriptors in the
 * receiver (kernel/net/scm.c). */
#ifndef SOLE_SCM_H
#define SOLE_SCM_H

#include "kernel/net/socket.h"

#define SCM_MAX_FD 253 /* Linux's limit per message */

struct scm_rights {
	unsigned count;
	struct file *files[SCM_MAX_FD];
};

/* Reads the ancillary data of a send (a kernel copy) as Linux's __scm_send
 * does: SCM_RIGHTS files (held), SCM_CREDENTIALS checked and dropped, other
 * levels skipped. *out is NULL when no files came. 0, -EINVAL for a
 * malformed message, -EBADF for a bad descriptor, -ENOMEM. */
int scm_rights_from_control(const void *control, size_t len, struct scm_rights **out);
/* Drops the files and frees r (NULL: nothing). */
void scm_rights_free(struct scm_rights *r);
/* Installs r's files as new descriptors (close-on-exec under
 * MSG_CMSG_CLOEXEC) into one SCM_RIGHTS message at the start of m->control,
 * which has room bytes; sets m->control_len to what it wrote and MSG_CTRUNC
 * when not all fit. r stays as it was (a peek delivers the same files). */
void scm_rights_deliver(struct socket_msg *m, size_t room, const struct scm_rights *r);

#endif
