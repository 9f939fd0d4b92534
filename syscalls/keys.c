/* The key retention service's syscalls: add_key, request_key and keyctl.
 * They copy the type, description and payload in, and the answers out;
 * the keys live in kernel/security/keys.c. */
#include <linux/keyctl.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/security/keys.h"

/* A type name: empty or too long is EINVAL, a name starting with '.' (the
 * kernel's own, like ".dead") EPERM. */
static long type_from_user(char type[KEY_TYPE_NAME_MAX], const char *user)
{
	long n = strncpy_from_user(type, user, KEY_TYPE_NAME_MAX);
	if (n == -ENAMETOOLONG || n == 0)
		return -EINVAL;
	if (n < 0)
		return n;
	return type[0] == '.' ? -EPERM : 0;
}

/* A description into a new buffer (NULL for an empty one); *err on failure. */
static char *string_from_user(const char *user, long *err)
{
	char *s = kmalloc(KEY_DESC_MAX);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	long n = strncpy_from_user(s, user, KEY_DESC_MAX);
	if (n <= 0) {
		*err = n == -ENAMETOOLONG ? -EINVAL : n;
		kfree(s);
		return NULL;
	}
	return s;
}

/* The type and description request_key and KEYCTL_SEARCH name a key by:
 * the description (the caller frees it), or NULL with *err, which is
 * EINVAL for an empty description. */
static char *type_and_description(char type[KEY_TYPE_NAME_MAX], const char *type_user, const char *desc_user,
                                  long *err)
{
	*err = type_from_user(type, type_user);
	if (*err)
		return NULL;
	char *desc = string_from_user(desc_user, err);
	if (!desc && !*err)
		*err = -EINVAL;
	return desc;
}

static void *payload_from_user(const void *user, size_t len, long *err)
{
	void *p = kmalloc(len);
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	if (copy_from_user(p, user, len)) {
		*err = -EFAULT;
		kfree(p);
		return NULL;
	}
	return p;
}

long sys_add_key(const char *type_user, const char *desc_user, const void *payload_user, size_t len, int32_t ring)
{
	if (len > KEY_PAYLOAD_MAX)
		return -EINVAL;
	char type[KEY_TYPE_NAME_MAX];
	long err = type_from_user(type, type_user);
	if (err)
		return err;
	char *desc = NULL;
	if (desc_user) {
		if (!(desc = string_from_user(desc_user, &err)) && err)
			return err;
		if (desc && desc[0] == '.' && strcmp(type, "keyring") == 0) {
			kfree(desc);
			return -EPERM;
		}
	}
	void *payload = NULL;
	if (len && !(payload = payload_from_user(payload_user, len, &err))) {
		kfree(desc);
		return err;
	}
	err = keys_add(type, desc, payload, len, ring);
	kfree(payload);
	kfree(desc);
	return err;
}

/* The callout text is checked and dropped: there is no /sbin/request-key
 * to hand it to. */
long sys_request_key(const char *type_user, const char *desc_user, const char *callout_user, int32_t dest)
{
	char type[KEY_TYPE_NAME_MAX];
	long err;
	char *desc = type_and_description(type, type_user, desc_user, &err);
	if (!desc)
		return err;
	if (callout_user) {
		char *callout = string_from_user(callout_user, &err);
		kfree(callout);
		if (err) {
			kfree(desc);
			return err;
		}
	}
	err = keys_request(type, desc, callout_user != NULL, dest);
	kfree(desc);
	return err;
}

static long describe(int32_t id, char *user_buf, size_t len)
{
	char *text = kmalloc(KEY_DESC_MAX + 64);
	if (!text)
		return -ENOMEM;
	long n = keys_describe(id, text, KEY_DESC_MAX + 64);
	if (n > 0 && user_buf && len >= (size_t)n && copy_to_user(user_buf, text, (size_t)n))
		n = -EFAULT;
	kfree(text);
	return n;
}

/* The whole payload goes out only when the buffer holds it; the length
 * comes back either way, as on Linux. */
static long read_key(int32_t id, void *user_buf, size_t len)
{
	long n = keys_read(id, NULL, 0);
	if (n <= 0 || !user_buf || len < (size_t)n)
		return n;
	void *data = kmalloc((size_t)n);
	if (!data)
		return -ENOMEM;
	n = keys_read(id, data, (size_t)n);
	if (n > 0 && copy_to_user(user_buf, data, (size_t)n))
		n = -EFAULT;
	kfree(data);
	return n;
}

static long search(int32_t ring, const char *type_user, const char *desc_user, int32_t dest)
{
	char type[KEY_TYPE_NAME_MAX];
	long err;
	char *desc = type_and_description(type, type_user, desc_user, &err);
	if (!desc)
		return err;
	err = keys_search(ring, type, desc, dest);
	kfree(desc);
	return err;
}

static long update(int32_t id, const void *payload_user, size_t len)
{
	if (len > KEY_PAYLOAD_MAX)
		return -EINVAL;
	long err = 0;
	void *payload = NULL;
	if (len && !(payload = payload_from_user(payload_user, len, &err)))
		return err;
	err = keys_update(id, payload, len);
	kfree(payload);
	return err;
}

static long join_session(const char *name_user)
{
	if (!name_user)
		return keys_join_session(NULL);
	long err;
	char *name = string_from_user(name_user, &err);
	if (!name)
		return err ? err : -EINVAL;
	err = keys_join_session(name);
	kfree(name);
	return err;
}

/* The security label: empty without an LSM, as Linux gives it then. */
static long security_label(int32_t id, char *user_buf, size_t len)
{
	long n = keys_describe(id, NULL, 0);
	if (n < 0)
		return n;
	if (user_buf && len >= 1 && copy_to_user(user_buf, "", 1))
		return -EFAULT;
	return 1;
}

long sys_keyctl(int op, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	int32_t id = (int32_t)a2;
	switch (op) {
	case KEYCTL_GET_KEYRING_ID:
		return keys_get_keyring_id(id, (int)a3);
	case KEYCTL_JOIN_SESSION_KEYRING:
		return join_session((const char *)a2);
	case KEYCTL_UPDATE:
		return update(id, (const void *)a3, a4);
	case KEYCTL_REVOKE:
		return keys_revoke(id);
	case KEYCTL_CHOWN:
		return keys_chown(id, (uint32_t)a3, (uint32_t)a4);
	case KEYCTL_SETPERM:
		return keys_setperm(id, (uint32_t)a3);
	case KEYCTL_DESCRIBE:
		return describe(id, (char *)a3, a4);
	case KEYCTL_CLEAR:
		return keys_clear(id);
	case KEYCTL_LINK:
		return keys_link(id, (int32_t)a3);
	case KEYCTL_UNLINK:
		return keys_unlink(id, (int32_t)a3);
	case KEYCTL_SEARCH:
		return search(id, (const char *)a3, (const char *)a4, (int32_t)a5);
	case KEYCTL_READ:
		return read_key(id, (void *)a3, a4);
	case KEYCTL_INSTANTIATE:
	case KEYCTL_INSTANTIATE_IOV:
		return a4 > KEY_PAYLOAD_MAX ? -EINVAL : -EPERM; /* no request_key authority is ever held */
	case KEYCTL_NEGATE:
	case KEYCTL_REJECT:
		return -EPERM;
	case KEYCTL_SET_REQKEY_KEYRING:
		return keys_set_reqkey_keyring(id);
	case KEYCTL_SET_TIMEOUT:
		return keys_set_timeout(id, (uint32_t)a3);
	case KEYCTL_ASSUME_AUTHORITY:
		return id == 0 ? 0 : id < 0 ? -EINVAL : -EPERM;
	case KEYCTL_GET_SECURITY:
		return security_label(id, (char *)a3, a4);
	case KEYCTL_SESSION_TO_PARENT:
		return keys_session_to_parent();
	case KEYCTL_INVALIDATE:
		return keys_invalidate(id);
	default: /* persistent keyrings, DH, public keys, restrictions, moves, capabilities */
		return -EOPNOTSUPP;
	}
}
