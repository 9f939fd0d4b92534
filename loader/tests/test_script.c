/* Host unit tests of the "#!" line (loader/script.c), against what Linux's
 * binfmt_script makes of each line. */
#include <string.h>

#include "kernel/tests/check.h"
#include "loader/script.h"

static struct script_line line;

static int parse(const char *text) { return script_parse(text, strlen(text), &line); }

static void test_plain(void)
{
	CHECK_EQ(parse("#!/bin/sh\necho hi\n"), 0);
	CHECK_STREQ(line.interpreter, "/bin/sh");
	CHECK(!line.has_argument);
}

static void test_blanks_and_argument(void)
{
	CHECK_EQ(parse("#! \t/usr/bin/env  python3 -u \t\nprint()\n"), 0);
	CHECK_STREQ(line.interpreter, "/usr/bin/env");
	CHECK(line.has_argument);
	CHECK_STREQ(line.argument, "python3 -u"); /* one argument, never split */
}

static void test_no_newline(void)
{
	/* A short file without a newline ends in NUL padding, as on Linux. */
	CHECK_EQ(parse("#!/bin/sh -e"), 0);
	CHECK_STREQ(line.argument, "-e");
	CHECK_EQ(parse("#!/bin/sh"), 0);
	CHECK_STREQ(line.interpreter, "/bin/sh");
	char long_line[400];
	memset(long_line, 'a', sizeof long_line);
	memcpy(long_line, "#!/bin/sh ", 10);
	CHECK_EQ(script_parse(long_line, sizeof long_line, &line), 0);
	CHECK_STREQ(line.interpreter, "/bin/sh");
	CHECK_EQ(strlen(line.argument), SCRIPT_LINE_MAX - 1 - 10); /* arguments may be cut */
	memset(long_line, 'a', sizeof long_line);
	memcpy(long_line, "#!/", 3);
	CHECK_EQ(script_parse(long_line, sizeof long_line, &line), -1); /* the name itself is cut */
}

static void test_refused(void)
{
	CHECK_EQ(parse("#!\n"), -1);
	CHECK_EQ(parse("#!   \nx"), -1);
	CHECK_EQ(parse("echo not a script\n"), -1);
	CHECK(!script_is_script("#", 1));
	CHECK(script_is_script("#!", 2));
}

static void test_crlf_is_part_of_the_name(void)
{
	/* Linux keeps the '\r' of a DOS line: the interpreter is not found. */
	CHECK_EQ(parse("#!/bin/sh\r\n"), 0);
	CHECK_STREQ(line.interpreter, "/bin/sh\r");
}

int main(void)
{
	test_plain();
	test_blanks_and_argument();
	test_no_newline();
	test_refused();
	test_crlf_is_part_of_the_name();
	return check_summary("test_script");
}
