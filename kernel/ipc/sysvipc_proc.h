/* /proc/sysvipc's three files, written by the kind they list. */
#ifndef SOLE_SYSVIPC_PROC_H
#define SOLE_SYSVIPC_PROC_H

#include "kernel/strbuf.h"

void sysvipc_shm_show(struct strbuf *out);
void sysvipc_sem_show(struct strbuf *out);
void sysvipc_msg_show(struct strbuf *out);

#endif
