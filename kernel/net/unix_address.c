/* AF_UNIX names: a path binds an S_IFSOCK node into the file tree (the
 * node points at its socket until the socket closes), an abstract name
 * (leading NUL) lives only among the live sockets, and an empty bind picks
 * an abstract name. Lookups for connect and sendto, and getsockname and
 * getpeername. */
#include "kernel/net/unix.h"

#include <linux/fcntl.h>
#include <stddef.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/permission.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"
#include "libc-glue/kformat.h"

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)
#define AUTOBIND_NAMES 0x100000 /* five hex digits */

/* Linux's unix_validate_addr, then the length it keeps: a path stops at
 * its first NUL (and counts it), an abstract name keeps every byte. */
static int parse_address(const struct sockaddr *addr, socklen_t len, struct unix_address *out)
{
	if (len <= SUN_PATH_OFFSET || len > sizeof out->sun || addr->sa_family != AF_UNIX)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	memcpy(&out->sun, addr, len);
	if (out->sun.sun_path[0]) {
		size_t path_len = strnlen(out->sun.sun_path, len - SUN_PATH_OFFSET);
		if (path_len == sizeof out->sun.sun_path)
			return -EINVAL; /* no room left for the NUL Linux counts */
		len = (socklen_t)(SUN_PATH_OFFSET + path_len + 1);
	}
	out->len = len;
	return 0;
}

static bool is_abstract(const struct unix_address *a) { return a->sun.sun_path[0] == 0; }

struct abstract_key {
	const struct unix_address *addr;
	int type;
};

/* Linux keeps abstract names per socket type. */
static bool has_abstract_name(const struct unix_sock *u, const void *key)
{
	const struct abstract_key *k = key;
	return u->addr.len == k->addr->len && u->socket->type == k->type && is_abstract(&u->addr) &&
	       !memcmp(&u->addr.sun, &k->addr->sun, k->addr->len);
}

static struct unix_sock *find_abstract(const struct unix_address *addr, int type)
{
	struct abstract_key key = {addr, type};
	return unix_find_live(has_abstract_name, &key);
}

int unix_autobind(struct unix_sock *u)
{
	if (u->addr.len)
		return 0;
	uint32_t order;
	random_fill(&order, sizeof order);
	struct unix_address a = {.len = SUN_PATH_OFFSET + 6, .sun.sun_family = AF_UNIX};
	for (uint32_t tries = 0; tries < AUTOBIND_NAMES; tries++) {
		order = (order + 1) % AUTOBIND_NAMES;
		char digits[8];
		ksnprintf(digits, sizeof digits, "%05x", order);
		memcpy(a.sun.sun_path + 1, digits, 5);
		if (!find_abstract(&a, u->socket->type)) {
			u->addr = a;
			return 0;
		}
	}
	return -ENOSPC;
}

/* A new S_IFSOCK node at the path, as Linux's mknod in unix_bind_bsd. */
static int bind_path(struct unix_sock *u, const struct unix_address *a)
{
	const char *path = a->sun.sun_path;
	struct inode *start, *parent;
	const char *name;
	size_t name_len;
	int err = dirfd_start(AT_FDCWD, path, &start);
	if (!err)
		err = vfs_lookup_parent(current_lookup(), start, path, &parent, &name, &name_len);
	if (err)
		return err;
	if (is_dot_or_dotdot(name, name_len) || dir_lookup(parent, name, name_len))
		return -EADDRINUSE;
	if (u->addr.len)
		return -EINVAL;
	err = may_create(current_cred(), parent);
	if (err)
		return err;
	struct inode *node = inode_new(S_IFSOCK | (0777 & ~current_process()->fs->umask));
	if (!node)
		return -ENOMEM;
	inode_init_owner(current_cred(), parent, node);
	err = dir_link(parent, name, name_len, node);
	if (err) {
		inode_put(node);
		return err == -EEXIST ? -EADDRINUSE : err;
	}
	node->bound_unix = u;
	u->node = node; /* the reference inode_new gave */
	u->addr = *a;
	return 0;
}

int unix_bind(struct socket *s, const struct sockaddr *addr, socklen_t len)
{
	struct unix_sock *u = unix_of(s);
	if (len == SUN_PATH_OFFSET && addr->sa_family == AF_UNIX)
		return unix_autobind(u);
	struct unix_address a;
	int err = parse_address(addr, len, &a);
	if (err)
		return err;
	if (!is_abstract(&a))
		return bind_path(u, &a);
	if (u->addr.len)
		return -EINVAL;
	if (find_abstract(&a, s->type))
		return -EADDRINUSE;
	u->addr = a;
	return 0;
}

void unix_unbind(struct unix_sock *u)
{
	if (!u->node)
		return;
	u->node->bound_unix = NULL; /* the name stays in the tree, refusing connections */
	inode_put(u->node);
	u->node = NULL;
}

int unix_lookup(const struct sockaddr *addr, socklen_t len, int type, struct unix_sock **out)
{
	struct unix_address a;
	int err = parse_address(addr, len, &a);
	if (err)
		return err;
	struct unix_sock *found;
	if (is_abstract(&a)) {
		if (!(found = find_abstract(&a, type)))
			return -ECONNREFUSED;
	} else {
		struct inode *start, *node;
		err = dirfd_start(AT_FDCWD, a.sun.sun_path, &start);
		if (!err)
			err = vfs_lookup(current_lookup(), start, a.sun.sun_path, LOOKUP_FOLLOW, &node);
		if (!err)
			err = inode_permission(current_cred(), node, MAY_WRITE);
		if (err)
			return err;
		if (!S_ISSOCK(node->mode) || !(found = node->bound_unix))
			return -ECONNREFUSED;
		if (found->socket->type != type)
			return -EPROTOTYPE;
	}
	unix_ref(found);
	*out = found;
	return 0;
}

int unix_getname(struct socket *s, struct sockaddr_storage *addr, socklen_t *len, bool peer)
{
	const struct unix_sock *u = unix_of(s);
	if (peer && !(u = u->peer))
		return -ENOTCONN;
	if (!u->addr.len) {
		struct sockaddr_un unnamed = {.sun_family = AF_UNIX};
		memcpy(addr, &unnamed, SUN_PATH_OFFSET);
		*len = SUN_PATH_OFFSET;
		return 0;
	}
	memcpy(addr, &u->addr.sun, u->addr.len);
	*len = u->addr.len;
	return 0;
}
