/* Changing user and group ids by Linux's rules, checked by the program
 * itself (it must start as root, as every app in sole does): prints each
 * step and exits non-zero at the first answer Linux would not give. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "as Linux" : "WRONG");
	failures += !ok;
}

int main(void)
{
	uid_t r, e, s;
	expect("starts as root", getuid() == 0 && geteuid() == 0);
	gid_t groups[3] = {10, 20, 30}, back[8];
	expect("setgroups", setgroups(3, groups) == 0);
	expect("getgroups count", getgroups(0, NULL) == 3);
	expect("getgroups list", getgroups(8, back) == 3 && back[1] == 20);
	expect("getgroups too small", getgroups(1, back) == -1 && errno == EINVAL);
	expect("setresgid", setresgid(100, 100, 100) == 0 && getgid() == 100 && getegid() == 100);
	expect("setresuid keeping saved root", setresuid(1000, 1000, 0) == 0);
	getresuid(&r, &e, &s);
	expect("getresuid", r == 1000 && e == 1000 && s == 0);
	expect("unprivileged setgroups", setgroups(0, NULL) == -1 && errno == EPERM);
	expect("seteuid back to saved root", seteuid(0) == 0 && geteuid() == 0);
	expect("setuid as root sets all", setuid(2000) == 0);
	getresuid(&r, &e, &s);
	expect("all three are 2000", r == 2000 && e == 2000 && s == 2000);
	expect("no way back to root", setuid(0) == -1 && errno == EPERM);
	expect("setfsuid answers the old value", setfsuid(2000) == 2000);
	expect("setreuid to a held id", setreuid(2000, 2000) == 0);
	return failures ? 1 : 0;
}
