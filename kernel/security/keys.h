/* Linux's key retention service (keyrings(7)): keys of the types "user",
 * "logon" and "keyring", found by serial, held in keyrings, and the
 * thread, process, session and per-user keyrings a process reaches them
 * from. Each call answers as add_key(2), request_key(2) and keyctl(2) do,
 * with -errno; syscalls/keys.c copies the arguments in and out. */
#ifndef SOLE_KEYS_H
#define SOLE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* /proc/sys/kernel/keys: keys and bytes each user may own. */
extern unsigned long keys_maxkeys, keys_maxbytes, keys_root_maxkeys, keys_root_maxbytes;

#define KEY_TYPE_NAME_MAX 32
#define KEY_DESC_MAX 4096
#define KEY_PAYLOAD_MAX (1024 * 1024 - 1)

/* add_key: creates a key in ring, or updates the one of the same type and
 * description there. Returns its serial. */
long keys_add(const char *type, const char *desc, const void *payload, size_t len, int32_t ring);
/* request_key: searches the caller's keyrings; links what it finds into
 * dest (0 for none). There is no upcall: a missing key is ENOKEY, and
 * with callout a negative key is left in dest or the default keyring. */
long keys_request(const char *type, const char *desc, bool callout, int32_t dest);

/* keyctl's operations, by the names in <linux/keyctl.h>. */
long keys_get_keyring_id(int32_t id, int create);
long keys_join_session(const char *name); /* NULL: a new anonymous keyring */
long keys_update(int32_t id, const void *payload, size_t len);
long keys_revoke(int32_t id);
long keys_chown(int32_t id, uint32_t uid, uint32_t gid);
long keys_setperm(int32_t id, uint32_t perm);
/* Writes "type;uid;gid;perm;description" and its NUL to out when cap
 * holds them; returns their length either way. */
long keys_describe(int32_t id, char *out, size_t cap);
long keys_clear(int32_t ring);
long keys_link(int32_t id, int32_t ring);
long keys_unlink(int32_t id, int32_t ring);
long keys_search(int32_t ring, const char *type, const char *desc, int32_t dest);
/* The payload, or a keyring's serials; written to out only when cap holds
 * it all. Returns its length. */
long keys_read(int32_t id, void *out, size_t cap);
long keys_set_reqkey_keyring(int which);
long keys_set_timeout(int32_t id, uint32_t seconds);
long keys_invalidate(int32_t id);
long keys_session_to_parent(void);

#endif
