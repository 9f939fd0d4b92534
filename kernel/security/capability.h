/* Capabilities (capabilities(7)), kernel/security/capability.c: each
 * process's effective, permitted, inheritable, bounding and ambient sets
 * and securebits, which live in its credentials; what a caller may do by
 * them (capable); and how they change with capset, prctl, the uid
 * changes and execve, by Linux's rules (security/commoncap.c). fork
 * copies them with the credentials. */
#ifndef SOLE_CAPABILITY_H
#define SOLE_CAPABILITY_H

#include <linux/capability.h> /* CAP_*, for capable's callers */
#include <stdbool.h>
#include <stdint.h>

struct credentials;

struct capability_sets {
	uint64_t effective, permitted, inheritable, bounding, ambient;
	uint32_t securebits; /* SECBIT_* */
};

/* The first process's sets: root's, every capability (the bounding set
 * full); capabilities_exec then fits them to its ids. */
void capabilities_init(struct capability_sets *caps);
/* Whether c holds cap in its effective set; NULL (the kernel) holds all. */
bool cred_capable(const struct credentials *c, int cap);
/* Whether the calling process holds cap in its effective set. */
bool capable(int cap);

/* capset on the caller's own sets: -EPERM when permitted grows, effective
 * leaves the new permitted, or inheritable leaves the old inheritable and
 * bounding sets, or, without CAP_SETPCAP, the old inheritable and
 * permitted ones. The ambient set shrinks to the new permitted and
 * inheritable. */
int capabilities_set(struct credentials *c, uint64_t effective, uint64_t permitted, uint64_t inheritable);
/* After setuid, setreuid or setresuid (old: the ids before): leaving uid 0
 * for all of the real, effective and saved ids clears permitted and
 * effective (unless SECBIT_KEEP_CAPS) and ambient; the effective id leaving
 * 0 clears effective, coming back to 0 restores it from permitted. Nothing
 * under SECBIT_NO_SETUID_FIXUP. */
void capabilities_uids_changed(struct credentials *c, uint32_t old_ruid, uint32_t old_euid, uint32_t old_suid);
/* After setfsuid: the fsuid leaving 0 drops the file-system capabilities
 * (CAP_CHOWN, CAP_DAC_*, CAP_FOWNER, CAP_FSETID, CAP_LINUX_IMMUTABLE,
 * CAP_MKNOD, CAP_MAC_OVERRIDE) from effective; coming back restores the
 * permitted ones. */
void capabilities_fsuid_changed(struct credentials *c, uint32_t old_fsuid);
/* access(2) without AT_EACCESS asks as the real ids: c (a copy of the
 * caller's credentials) gets an empty effective set unless its real uid
 * is 0, then all of permitted (Linux's access_override_creds). */
void capabilities_for_real_ids(struct credentials *c);
/* execve of a file without file capabilities: with a real or effective
 * uid 0 (and no SECBIT_NOROOT) permitted becomes bounding | inheritable,
 * and effective all of permitted when the euid is 0; otherwise permitted
 * and effective become the ambient set. SECBIT_KEEP_CAPS clears. */
void capabilities_exec(struct credentials *c);
/* prctl's capability options (PR_CAPBSET_READ/DROP, PR_CAP_AMBIENT,
 * PR_GET/SET_KEEPCAPS, PR_GET/SET_SECUREBITS) on the caller's sets; true
 * when option is one of them, its answer in *result. */
bool capabilities_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5,
                        long *result);

#endif
