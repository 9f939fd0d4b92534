/* Socket addresses between the app and the kernel, with Linux's length
 * rules (move_addr_to_kernel and move_addr_to_user). */
#include "syscalls/net/sockaddr_user.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"

int sockaddr_from_user(struct sockaddr_storage *addr, const void *user_addr, int len)
{
	if (len < 0 || (size_t)len > sizeof *addr)
		return -EINVAL;
	memset(addr, 0, sizeof *addr);
	if (len == 0)
		return 0;
	return copy_from_user(addr, user_addr, (size_t)len) ? -EFAULT : 0;
}

int sockaddr_to_user(const struct sockaddr_storage *addr, socklen_t len, void *user_addr, socklen_t *user_len)
{
	int room;
	if (copy_from_user(&room, user_len, sizeof room))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	size_t n = (size_t)room < len ? (size_t)room : len;
	if (n && copy_to_user(user_addr, addr, n))
		return -EFAULT;
	return copy_to_user(user_len, &len, sizeof len) ? -EFAULT : 0;
}
