/* setsockopt and getsockopt. The core answers the SOL_SOCKET options every
 * family shares, as Linux's sk_setsockopt and sk_getsockopt do (the app is
 * root, so the privileged ones work); after storing one it tells the family.
 * Other levels, and SOL_SOCKET options the core does not know, go to the
 * family. */
#include "kernel/net/socket_core.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"

#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67

#define OPTION_MAX 1024      /* the most of a value that reaches a family */
#define SOCK_MIN_SNDBUF 4608 /* Linux's floors: twice and once a minimal skb's truesize */
#define SOCK_MIN_RCVBUF 2304
#define NO_ID UINT32_MAX /* SO_PEERCRED's uid and gid without a peer */
#define NSEC_PER_USEC 1000ull
#define USEC_PER_SEC 1000000ll

/* SO_RCVTIMEO and SO_SNDTIMEO, old (struct timeval) and new (64-bit) forms:
 * on x86_64 both are two 64-bit fields. */
struct sock_timeval {
	int64_t sec, usec;
};

static uint64_t *timeout_field(struct socket *s, int name)
{
	switch (name) {
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		return &s->rcvtimeo_ns;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		return &s->sndtimeo_ns;
	default:
		return NULL;
	}
}

static int set_timeout(uint64_t *field, const void *value, socklen_t len)
{
	struct sock_timeval tv;
	if (len < sizeof tv)
		return -EINVAL;
	memcpy(&tv, value, sizeof tv);
	if (tv.usec < 0 || tv.usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.sec < 0)
		*field = 1; /* Linux: a timeout already over, so a wait ends at once */
	else
		*field = (uint64_t)tv.sec * USEC_PER_SEC * NSEC_PER_USEC + (uint64_t)tv.usec * NSEC_PER_USEC;
	return 0;
}

/* Linux's SO_RCVBUF/SO_SNDBUF: the value capped (at the sysctl maximum
 * unless forced), doubled, and at least the floor. */
static int buffer_size(int val, bool force, int floor)
{
	if (force)
		val = val < 0 ? 0 : val;
	else if ((unsigned)val > SOCKET_MAX_BUFFER)
		val = SOCKET_MAX_BUFFER;
	if (val > INT32_MAX / 2)
		val = INT32_MAX / 2;
	return val * 2 > floor ? val * 2 : floor;
}

/* Stores a SOL_SOCKET option the core keeps: 0, -errno, or -ENOPROTOOPT
 * for one it does not know. */
static int core_set(struct socket *s, int name, const void *value, socklen_t len)
{
	int val;
	memcpy(&val, value, sizeof val);
	bool on = val != 0;
	switch (name) {
	case SO_REUSEADDR:
		s->reuseaddr = on;
		return 0;
	case SO_REUSEPORT:
		if (on && s->domain != AF_INET && s->domain != AF_INET6)
			return -EOPNOTSUPP;
		s->reuseport = on;
		return 0;
	case SO_KEEPALIVE:
		s->keepalive = on;
		return 0;
	case SO_BROADCAST:
		s->broadcast = on;
		return 0;
	case SO_OOBINLINE:
		s->oobinline = on;
		return 0;
	case SO_PASSCRED:
		s->passcred = on;
		return 0;
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		s->sndbuf = buffer_size(val, name == SO_SNDBUFFORCE, SOCK_MIN_SNDBUF);
		return 0;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		s->rcvbuf = buffer_size(val, name == SO_RCVBUFFORCE, SOCK_MIN_RCVBUF);
		return 0;
	case SO_RCVLOWAT:
		s->rcvlowat = val < 0 ? INT32_MAX : val ? val : 1;
		return 0;
	case SO_PRIORITY:
		s->priority = val;
		return 0;
	case SO_MARK:
		s->mark = (uint32_t)val;
		return 0;
	case SO_LINGER: {
		struct linger l;
		if (len < sizeof l)
			return -EINVAL;
		memcpy(&l, value, sizeof l);
		s->linger_on = l.l_onoff != 0;
		if (l.l_onoff) /* turning it off keeps the time, as Linux does */
			s->linger_seconds = l.l_linger;
		return 0;
	}
	default: {
		uint64_t *timeout = timeout_field(s, name);
		return timeout ? set_timeout(timeout, value, len) : -ENOPROTOOPT;
	}
	}
}

static long set_option(struct socket *s, int level, int name, const void *user_value, int len)
{
	if (len < 0)
		return -EINVAL;
	uint8_t value[OPTION_MAX] = {0};
	socklen_t n = (socklen_t)len < sizeof value ? (socklen_t)len : sizeof value;
	if (level == SOL_SOCKET && name != SO_BINDTODEVICE && n < sizeof(int))
		return -EINVAL; /* Linux reads an int first for all but a device name */
	if (copy_from_user(value, user_value, n))
		return -EFAULT;
	if (level == SOL_SOCKET) {
		int err = core_set(s, name, value, n);
		if (err != -ENOPROTOOPT) {
			if (err || !s->ops->setsockopt)
				return err;
			err = s->ops->setsockopt(s, level, name, value, n);
			return err == -ENOPROTOOPT ? 0 : err; /* the family has no use for it */
		}
	}
	return s->ops->setsockopt    ? s->ops->setsockopt(s, level, name, value, n)
	       : level == SOL_SOCKET ? -ENOPROTOOPT
	                             : -EOPNOTSUPP;
}

long sys_setsockopt(int fd, int level, int name, const void *user_value, int len)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = set_option(s, level, name, user_value, len);
	socket_put(s);
	return ret;
}

/* The value of a SOL_SOCKET option the core answers, into value (room for
 * any of them) with its size in *len: 0 or -ENOPROTOOPT. */
static int core_get(struct socket *s, int name, void *value, socklen_t *len)
{
	int val;
	switch (name) {
	case SO_TYPE:
		val = s->type;
		break;
	case SO_DOMAIN:
		val = s->domain;
		break;
	case SO_PROTOCOL:
		val = s->protocol;
		break;
	case SO_ACCEPTCONN:
		val = s->listening;
		break;
	case SO_ERROR:
		val = s->error;
		s->error = 0;
		break;
	case SO_REUSEADDR:
		val = s->reuseaddr;
		break;
	case SO_REUSEPORT:
		val = s->reuseport;
		break;
	case SO_KEEPALIVE:
		val = s->keepalive;
		break;
	case SO_BROADCAST:
		val = s->broadcast;
		break;
	case SO_OOBINLINE:
		val = s->oobinline;
		break;
	case SO_PASSCRED:
		val = s->passcred;
		break;
	case SO_SNDBUF:
		val = s->sndbuf;
		break;
	case SO_RCVBUF:
		val = s->rcvbuf;
		break;
	case SO_RCVLOWAT:
		val = s->rcvlowat;
		break;
	case SO_SNDLOWAT:
		val = 1;
		break;
	case SO_PRIORITY:
		val = s->priority;
		break;
	case SO_MARK:
		val = (int)s->mark;
		break;
	case SO_LINGER: {
		struct linger l = {.l_onoff = s->linger_on, .l_linger = s->linger_seconds};
		memcpy(value, &l, sizeof l);
		*len = sizeof l;
		return 0;
	}
	default: {
		uint64_t *timeout = timeout_field(s, name);
		if (!timeout)
			return -ENOPROTOOPT;
		uint64_t usec = *timeout / NSEC_PER_USEC;
		struct sock_timeval tv = {(int64_t)(usec / USEC_PER_SEC), (int64_t)(usec % USEC_PER_SEC)};
		memcpy(value, &tv, sizeof tv);
		*len = sizeof tv;
		return 0;
	}
	}
	memcpy(value, &val, sizeof val);
	*len = sizeof val;
	return 0;
}

/* SOL_SOCKET answers that need the family: SO_PEERCRED (a family without a
 * peer answers Linux's "nobody"), SO_PEERNAME, and what else it knows. */
static int family_get(struct socket *s, int name, void *value, socklen_t *len, socklen_t room)
{
	if (name == SO_PEERNAME) {
		struct sockaddr_storage addr;
		socklen_t addr_len = sizeof addr;
		if (s->ops->getname(s, &addr, &addr_len, true))
			return -ENOTCONN;
		if (addr_len < room)
			return -EINVAL; /* Linux wants no more room than the address */
		memcpy(value, &addr, addr_len);
		*len = addr_len;
		return 0;
	}
	*len = room;
	int err = s->ops->getsockopt ? s->ops->getsockopt(s, SOL_SOCKET, name, value, len) : -ENOPROTOOPT;
	if (err == -ENOPROTOOPT && name == SO_PEERCRED) {
		struct socket_peer_cred nobody = {.pid = 0, .uid = NO_ID, .gid = NO_ID};
		memcpy(value, &nobody, sizeof nobody);
		*len = sizeof nobody;
		return 0;
	}
	return err;
}

static long get_option(struct socket *s, int level, int name, void *user_value, socklen_t *user_len)
{
	int room;
	if (copy_from_user(&room, user_len, sizeof room))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	uint8_t value[OPTION_MAX] = {0};
	socklen_t limit = (socklen_t)room < sizeof value ? (socklen_t)room : sizeof value;
	socklen_t len = limit;
	int err;
	if (level != SOL_SOCKET)
		err = s->ops->getsockopt ? s->ops->getsockopt(s, level, name, value, &len) : -EOPNOTSUPP;
	else if ((err = core_get(s, name, value, &len)) == -ENOPROTOOPT)
		err = family_get(s, name, value, &len, limit);
	if (err)
		return err;
	if (len > limit)
		len = limit; /* Linux copies what fits of a value and says how much */
	if (copy_to_user(user_value, value, len) || copy_to_user(user_len, &len, sizeof len))
		return -EFAULT;
	return 0;
}

long sys_getsockopt(int fd, int level, int name, void *user_value, socklen_t *user_len)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = get_option(s, level, name, user_value, user_len);
	socket_put(s);
	return ret;
}
