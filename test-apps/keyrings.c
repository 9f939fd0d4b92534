/* The key retention service through add_key, request_key and keyctl:
 * adding and updating keys, reading and describing them, revoking,
 * timeouts, searches, links, session keyrings and their inheritance by a
 * forked child, and the errors. Serials differ from run to run, so only
 * comparisons between them are printed. It starts in a new anonymous
 * session keyring so that the host's keyrings do not show. */
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#include "common.h"

typedef int32_t key_serial_t;

/* <linux/keyctl.h>'s values: musl-gcc's include path has no linux/. */
enum {
	KEY_SPEC_THREAD_KEYRING = -1,
	KEY_SPEC_PROCESS_KEYRING = -2,
	KEY_SPEC_SESSION_KEYRING = -3,
	KEY_SPEC_GROUP_KEYRING = -6,
	KEY_REQKEY_DEFL_NO_CHANGE = -1,
	KEY_REQKEY_DEFL_SESSION_KEYRING = 3,
	KEY_REQKEY_DEFL_GROUP_KEYRING = 6,
	KEYCTL_GET_KEYRING_ID = 0,
	KEYCTL_JOIN_SESSION_KEYRING = 1,
	KEYCTL_UPDATE = 2,
	KEYCTL_REVOKE = 3,
	KEYCTL_CHOWN = 4,
	KEYCTL_SETPERM = 5,
	KEYCTL_DESCRIBE = 6,
	KEYCTL_CLEAR = 7,
	KEYCTL_LINK = 8,
	KEYCTL_UNLINK = 9,
	KEYCTL_SEARCH = 10,
	KEYCTL_READ = 11,
	KEYCTL_INSTANTIATE = 12,
	KEYCTL_NEGATE = 13,
	KEYCTL_SET_REQKEY_KEYRING = 14,
	KEYCTL_SET_TIMEOUT = 15,
	KEYCTL_INVALIDATE = 21,
};

static long add_key(const char *type, const char *desc, const void *payload, size_t len, key_serial_t ring)
{
	return syscall(SYS_add_key, type, desc, payload, len, ring);
}

static long request_key(const char *type, const char *desc, const char *callout, key_serial_t dest)
{
	return syscall(SYS_request_key, type, desc, callout, dest);
}

static long keyctl(int op, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	return syscall(SYS_keyctl, op, a2, a3, a4, a5);
}

static const char *key_errno_name(int e)
{
	switch (e) {
	case ENOKEY: return "ENOKEY";
	case EKEYREVOKED: return "EKEYREVOKED";
	case EKEYEXPIRED: return "EKEYEXPIRED";
	case EDQUOT: return "EDQUOT";
	case EDEADLK: return "EDEADLK";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return errno_name(e);
	}
}

static void result(const char *label, long ret)
{
	printf("%s: %s\n", label, ret < 0 ? key_errno_name(errno) : "OK");
}

/* The description without its uid and gid (root natively and in sole,
 * but printed as numbers only for keys the test made). */
static void describe(const char *label, key_serial_t key)
{
	char buf[256];
	long n = keyctl(KEYCTL_DESCRIBE, (unsigned long)key, (unsigned long)buf, sizeof buf, 0);
	if (n < 0) {
		printf("%s: %s\n", label, key_errno_name(errno));
		return;
	}
	printf("%s: %s (length %s)\n", label, buf, n == (long)strlen(buf) + 1 ? "ok" : "wrong");
}

static void read_payload(const char *label, key_serial_t key)
{
	char buf[64] = {0};
	long n = keyctl(KEYCTL_READ, (unsigned long)key, (unsigned long)buf, sizeof buf - 1, 0);
	if (n < 0)
		printf("%s: %s\n", label, key_errno_name(errno));
	else
		printf("%s: %ld \"%s\"\n", label, n, buf);
}

/* How many keys a keyring holds (with count), and whether key is one of them. */
static void ring_holds_counted(const char *label, key_serial_t ring, key_serial_t key, int count)
{
	key_serial_t ids[32];
	long n = keyctl(KEYCTL_READ, (unsigned long)ring, (unsigned long)ids, sizeof ids, 0);
	if (n < 0) {
		printf("%s: %s\n", label, key_errno_name(errno));
		return;
	}
	int found = 0;
	for (long i = 0; i < n / 4; i++)
		found |= ids[i] == key;
	if (count)
		printf("%s: %ld keys, %s\n", label, n / 4, found ? "holds it" : "not there");
	else
		printf("%s: %s\n", label, found ? "holds it" : "not there");
}

static void ring_holds(const char *label, key_serial_t ring, key_serial_t key)
{
	ring_holds_counted(label, ring, key, 1);
}

static void adding(key_serial_t session)
{
	long a = add_key("user", "alpha", "one", 3, KEY_SPEC_SESSION_KEYRING);
	result("add user alpha", a);
	read_payload("read alpha", (key_serial_t)a);
	describe("describe alpha", (key_serial_t)a);
	long again = add_key("user", "alpha", "second", 6, KEY_SPEC_SESSION_KEYRING);
	printf("add again keeps the serial: %s\n", again == a ? "yes" : "no");
	read_payload("read updated alpha", (key_serial_t)a);
	result("update", keyctl(KEYCTL_UPDATE, (unsigned long)a, (unsigned long)"third", 5, 0));
	read_payload("read after update", (key_serial_t)a);
	char small[2] = "-";
	long n = keyctl(KEYCTL_READ, (unsigned long)a, (unsigned long)small, 1, 0);
	printf("short read: %ld, buffer %s\n", n, small[0] == '-' ? "untouched" : "written");
	ring_holds("session ring", session, (key_serial_t)a);

	long logon = add_key("logon", "svc:pw", "secret", 6, KEY_SPEC_SESSION_KEYRING);
	result("add logon", logon);
	read_payload("read logon", (key_serial_t)logon);
	describe("describe logon", (key_serial_t)logon);
	result("logon without prefix", add_key("logon", "nocolon", "x", 1, KEY_SPEC_SESSION_KEYRING));

	result("unknown type", add_key("nosuchtype", "a", "x", 1, KEY_SPEC_SESSION_KEYRING));
	result("dot type", add_key(".dead", "a", "x", 1, KEY_SPEC_SESSION_KEYRING));
	result("empty description", add_key("user", "", "x", 1, KEY_SPEC_SESSION_KEYRING));
	result("no payload", add_key("user", "p", NULL, 0, KEY_SPEC_SESSION_KEYRING));
	static char big[32768];
	result("payload 32767", add_key("user", "big", big, 32767, KEY_SPEC_SESSION_KEYRING));
	result("payload 32768", add_key("user", "big2", big, 32768, KEY_SPEC_SESSION_KEYRING));
	result("keyring with payload", add_key("keyring", "r", "x", 1, KEY_SPEC_SESSION_KEYRING));
	result("dot keyring", add_key("keyring", ".r", NULL, 0, KEY_SPEC_SESSION_KEYRING));
	result("into a user key", add_key("user", "x", "x", 1, (key_serial_t)a));
	result("bad ring id", add_key("user", "x", "x", 1, -100));
	result("bad payload pointer", add_key("user", "x", (void *)1, 4, KEY_SPEC_SESSION_KEYRING));
	result("unlink big", keyctl(KEYCTL_UNLINK, (unsigned long)keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING,
	                                                                (unsigned long)"user", (unsigned long)"big", 0),
	                            KEY_SPEC_SESSION_KEYRING, 0, 0));
}

static void revoking_and_timeouts(void)
{
	long k = add_key("user", "doomed", "x", 1, KEY_SPEC_SESSION_KEYRING);
	result("revoke", keyctl(KEYCTL_REVOKE, (unsigned long)k, 0, 0, 0));
	read_payload("read revoked", (key_serial_t)k);
	describe("describe revoked", (key_serial_t)k);
	result("request revoked", request_key("user", "doomed", NULL, 0));
	result("revoke again", keyctl(KEYCTL_REVOKE, (unsigned long)k, 0, 0, 0));

	long t = add_key("user", "brief", "x", 1, KEY_SPEC_SESSION_KEYRING);
	result("set timeout", keyctl(KEYCTL_SET_TIMEOUT, (unsigned long)t, 1, 0, 0));
	read_payload("read before expiry", (key_serial_t)t);
	sleep(2);
	read_payload("read after expiry", (key_serial_t)t);
	result("request expired", request_key("user", "brief", NULL, 0));

	long v = add_key("user", "gone", "x", 1, KEY_SPEC_SESSION_KEYRING);
	result("invalidate", keyctl(KEYCTL_INVALIDATE, (unsigned long)v, 0, 0, 0));
	/* what a read then says depends on when Linux's collector ran */
}

static void searching_and_linking(key_serial_t session)
{
	long ring = add_key("keyring", "inner", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	result("add keyring", ring);
	describe("describe keyring", (key_serial_t)ring);
	long k = add_key("user", "deep", "d", 1, (key_serial_t)ring);
	long found = keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (unsigned long)"user", (unsigned long)"deep", 0);
	printf("search finds nested key: %s\n", found == k ? "yes" : "no");
	found = request_key("user", "deep", NULL, 0);
	printf("request_key finds it: %s\n", found == k ? "yes" : "no");
	result("search missing",
	       keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (unsigned long)"user", (unsigned long)"nope", 0));
	result("request missing", request_key("user", "nope", NULL, 0));
	result("search unknown type",
	       keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (unsigned long)"nosuch", (unsigned long)"x", 0));

	long other = add_key("keyring", "other", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	result("link", keyctl(KEYCTL_LINK, (unsigned long)k, (unsigned long)other, 0, 0));
	result("link again", keyctl(KEYCTL_LINK, (unsigned long)k, (unsigned long)other, 0, 0));
	ring_holds("other ring", (key_serial_t)other, (key_serial_t)k);
	result("link a ring into itself", keyctl(KEYCTL_LINK, (unsigned long)ring, (unsigned long)ring, 0, 0));
	result("link other into inner", keyctl(KEYCTL_LINK, (unsigned long)other, (unsigned long)ring, 0, 0));
	result("link inner into other (a cycle)", keyctl(KEYCTL_LINK, (unsigned long)ring, (unsigned long)other, 0, 0));
	result("unlink", keyctl(KEYCTL_UNLINK, (unsigned long)k, (unsigned long)other, 0, 0));
	result("unlink again", keyctl(KEYCTL_UNLINK, (unsigned long)k, (unsigned long)other, 0, 0));
	ring_holds("other ring after unlink", (key_serial_t)other, (key_serial_t)k);
	found = keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (unsigned long)"user", (unsigned long)"deep", other);
	printf("search with destination: %s\n", found == k ? "yes" : "no");
	ring_holds("other ring after search", (key_serial_t)other, (key_serial_t)k);
	result("clear", keyctl(KEYCTL_CLEAR, (unsigned long)ring, 0, 0, 0));
	ring_holds("inner after clear", (key_serial_t)ring, (key_serial_t)k);
	result("clear a user key", keyctl(KEYCTL_CLEAR, (unsigned long)k, 0, 0, 0));
	/* not counted: the invalidated key leaves when Linux's collector runs */
	ring_holds_counted("session ring", session, (key_serial_t)ring, 0);
}

static void permissions(void)
{
	long k = add_key("user", "guarded", "g", 1, KEY_SPEC_SESSION_KEYRING);
	result("setperm view only", keyctl(KEYCTL_SETPERM, (unsigned long)k, 0x01010000 /* possessor and user: view */, 0, 0));
	describe("describe", (key_serial_t)k);
	read_payload("read without permission", (key_serial_t)k);
	result("update without permission", keyctl(KEYCTL_UPDATE, (unsigned long)k, (unsigned long)"x", 1, 0));
	result("setperm without setattr", keyctl(KEYCTL_SETPERM, (unsigned long)k, 0x3f3f0000, 0, 0));
	result("bad perm bits", keyctl(KEYCTL_SETPERM, KEY_SPEC_SESSION_KEYRING, 0xc0000000, 0, 0));
	long c = add_key("user", "owned", "o", 1, KEY_SPEC_SESSION_KEYRING);
	result("chown group", keyctl(KEYCTL_CHOWN, (unsigned long)c, (unsigned long)-1, 5, 0));
	describe("describe after chown", (key_serial_t)c);
}

static void session_keyrings(key_serial_t session)
{
	long named = keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)"sole-test-session", 0, 0, 0);
	result("join named", named);
	describe("describe named", (key_serial_t)named);
	long again = keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)"sole-test-session", 0, 0, 0);
	/* its user may not search it (no KEY_USR_SEARCH): a second keyring */
	printf("join again: %s\n", again == named ? "same keyring" : "another");
	long now = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	printf("session is the second one: %s\n", now == again ? "yes" : "no");
	printf("differs from the first: %s\n", now != session ? "yes" : "no");
	result("join dot name", keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)".builtin_trusted_keys", 0, 0, 0));

	long k = add_key("user", "inherited", "i", 1, KEY_SPEC_SESSION_KEYRING);
	add_key("user", "mine", "m", 1, KEY_SPEC_PROCESS_KEYRING);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		long s = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
		printf("child shares the session: %s\n", s == now ? "yes" : "no");
		printf("child finds the session key: %s\n", request_key("user", "inherited", NULL, 0) == k ? "yes" : "no");
		result("child process keyring", keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
		result("child request process key", request_key("user", "mine", NULL, 0));
		long own = keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
		printf("child's new session differs: %s\n", own != now ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	printf("child: %d\n", wait_code(pid));
	long s = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	printf("parent keeps its session: %s\n", s == now ? "yes" : "no");
}

static void special_ids(void)
{
	result("thread keyring without create", keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0));
	long t = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1, 0, 0);
	result("thread keyring with create", t);
	describe("describe thread keyring", (key_serial_t)t);
	long p = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1, 0, 0);
	describe("describe process keyring", (key_serial_t)p);
	result("group keyring", keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_GROUP_KEYRING, 1, 0, 0));
	result("id 0", keyctl(KEYCTL_GET_KEYRING_ID, 0, 1, 0, 0));
	result("missing serial", keyctl(KEYCTL_DESCRIBE, 0x7fffffff, 0, 0, 0));
	long old = keyctl(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_SESSION_KEYRING, 0, 0, 0);
	printf("reqkey default was: %ld\n", old);
	printf("reqkey default now: %ld\n", keyctl(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_NO_CHANGE, 0, 0, 0));
	result("reqkey group", keyctl(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_GROUP_KEYRING, 0, 0, 0));
	result("instantiate without authority", keyctl(KEYCTL_INSTANTIATE, 1, 0, 0, 0));
	result("negate without authority", keyctl(KEYCTL_NEGATE, 1, 0, 0, 0));
	result("unknown operation", keyctl(1000, 0, 0, 0, 0));
}

int main(void)
{
	long session = keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
	require(session > 0, "join an anonymous session keyring");
	describe("describe session", (key_serial_t)session);
	adding((key_serial_t)session);
	revoking_and_timeouts();
	searching_and_linking((key_serial_t)session);
	permissions();
	special_ids();
	session_keyrings((key_serial_t)session);
	return 0;
}
