/* Host unit tests of the initrd's side table of modification times
 * (kernel/fs/cpio_mtimes.c): records taken in step with the entries,
 * entries without a record, negative times, and malformed records. */
#include "kernel/fs/cpio_mtimes.h"
#include "kernel/tests/check.h"

#define TABLE(text) ((struct cpio_mtimes){text, text + sizeof(text) - 1})

static bool take(struct cpio_mtimes *t, const char *name, int64_t *sec, long *nsec)
{
	return cpio_mtimes_take(t, name, strlen(name), sec, nsec);
}

static void test_in_step(void)
{
	struct cpio_mtimes t = TABLE("1700000000 123456789 etc/a\0"
	                             "-5 500000000 b\0");
	int64_t sec = 7;
	long nsec = 7;
	CHECK(!take(&t, "etc", &sec, &nsec)); /* an entry with no record: nothing taken */
	CHECK_EQ(sec, 7);
	CHECK(take(&t, "etc/a", &sec, &nsec));
	CHECK_EQ(sec, 1700000000);
	CHECK_EQ(nsec, 123456789);
	CHECK(!take(&t, "etc/a", &sec, &nsec)); /* taken once */
	CHECK(take(&t, "b", &sec, &nsec));
	CHECK_EQ(sec, -5);
	CHECK_EQ(nsec, 500000000);
	CHECK(t.at == t.end);
	CHECK(!take(&t, "c", &sec, &nsec));
}

static void test_names_compared_whole(void)
{
	struct cpio_mtimes t = TABLE("1 2 usr/bin\0");
	int64_t sec;
	long nsec;
	CHECK(!take(&t, "usr/bi", &sec, &nsec));
	CHECK(!take(&t, "usr/bin/x", &sec, &nsec));
	CHECK(cpio_mtimes_take(&t, "usr/bin/x", 7, &sec, &nsec)); /* a name is len bytes, not NUL-ended */
	CHECK_EQ(nsec, 2);
}

static void test_malformed(void)
{
	static const struct cpio_mtimes cases[] = {
	    TABLE("1 1000000000 a\0"), /* nanoseconds out of range */
	    TABLE("1 -1 a\0"),
	    TABLE("x 1 a\0"),
	    TABLE("1 1\0"),
	    TABLE("1  a\0"),
	    TABLE("1 2 a"),                      /* no NUL */
	    TABLE("99999999999999999999 1 a\0"), /* too many digits */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cpio_mtimes t = cases[i];
		int64_t sec;
		long nsec;
		CHECK(!take(&t, "a", &sec, &nsec));
		CHECK(t.at == t.end); /* the table ends there */
	}
	struct cpio_mtimes none = {NULL, NULL};
	int64_t sec;
	long nsec;
	CHECK(!take(&none, "a", &sec, &nsec));
}

int main(void)
{
	test_in_step();
	test_names_compared_whole();
	test_malformed();
	return check_summary("test_cpio_mtimes");
}
