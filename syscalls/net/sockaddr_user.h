/* Socket addresses between the app and the kernel (sockaddr_user.c), for
 * the socket syscalls. */
#ifndef SOLE_SOCKADDR_USER_H
#define SOLE_SOCKADDR_USER_H

#include <sys/socket.h>

/* Copies an address from the app: len above sizeof(struct
 * sockaddr_storage) or negative is -EINVAL, a bad pointer -EFAULT. */
int sockaddr_from_user(struct sockaddr_storage *addr, const void *user_addr, int len);
/* Copies len bytes of addr out, truncated to the room *user_len says, and
 * stores the true len in *user_len: 0, -EFAULT, or -EINVAL for a negative
 * room. */
int sockaddr_to_user(const struct sockaddr_storage *addr, socklen_t len, void *user_addr, socklen_t *user_len);

#endif
