/* The dependency resolver and the ld.so.cache reader: a tree of small
 * libraries built here (RUNPATH with $ORIGIN, RPATH, LD_LIBRARY_PATH, a
 * symlinked soname, a missing library), a cache file written here, the
 * host's own /etc/ld.so.cache and libc, and an image folder as the root. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ld_so_cache.h"
#include "libdeps.h"

static char folder[] = "/tmp/sole-libdeps-XXXXXX";

static void build(const char *command_format, ...) __attribute__((format(printf, 1, 2)));

static void build(const char *command_format, ...)
{
	char command[2048];
	va_list args;
	va_start(args, command_format);
	vsnprintf(command, sizeof command, command_format, args);
	va_end(args);
	if (system(command) != 0) {
		fprintf(stderr, "fixture failed: %s\n", command);
		exit(1);
	}
}

static const struct libdeps_library *find(const struct libdeps *deps, const char *soname)
{
	for (size_t i = 0; i < deps->library_count; i++)
		if (strcmp(deps->libraries[i].soname, soname) == 0)
			return &deps->libraries[i];
	return NULL;
}

/* app -> libmid.so (RUNPATH $ORIGIN/lib) -> libleaf.so.1 (a symlink, found
 * through LD_LIBRARY_PATH) ; app -> libold.so (DT_RPATH $ORIGIN/old) ;
 * broken -> libgone.so.7 (nowhere) */
static void make_fixtures(const char *cc)
{
	build("cd %s && mkdir -p lib old leafdir src && echo 'int leaf(void){return 1;}' > src/leaf.c && "
	      "echo 'int leaf(void); int mid(void){return leaf();}' > src/mid.c && "
	      "echo 'int old(void){return 2;}' > src/old.c && "
	      "echo 'int mid(void); int old(void); int main(void){return mid()+old();}' > src/app.c",
	      folder);
	build("cd %s && %s -shared -fPIC -Wl,-soname,libleaf.so.1 -o leafdir/libleaf.so.1.2 src/leaf.c && "
	      "ln -s libleaf.so.1.2 leafdir/libleaf.so.1 && ln -s libleaf.so.1.2 leafdir/libleaf.so",
	      folder, cc);
	build("cd %s && %s -shared -fPIC -Wl,-soname,libmid.so -o lib/libmid.so src/mid.c -Lleafdir -lleaf", folder, cc);
	build("cd %s && %s -shared -fPIC -Wl,-soname,libold.so -o old/libold.so src/old.c", folder, cc);
	build("cd %s && %s -o app src/app.c -Llib -lmid -Lold -lold -Lleafdir -Wl,--disable-new-dtags "
	      "-Wl,-rpath,'$ORIGIN/old' -Wl,-rpath-link,leafdir && "
	      "%s -o app-runpath src/app.c -Llib -lmid -Lold -lold -Wl,--enable-new-dtags "
	      "-Wl,-rpath,'$ORIGIN/lib:$ORIGIN/old' -Wl,-rpath-link,leafdir",
	      folder, cc, cc);
	build("cd %s && %s -shared -fPIC -Wl,-soname,libgone.so.7 -o libgone.so.7 src/old.c && "
	      "%s -o broken src/app.c -Llib -lmid ./libgone.so.7 -Lold -lold -Wl,-rpath-link,leafdir "
	      "-Wl,-rpath,'$ORIGIN/lib' && rm libgone.so.7",
	      folder, cc, cc);
}

static void test_runpath_and_library_path(void)
{
	char path[512], leaves[512];
	snprintf(path, sizeof path, "%s/app-runpath", folder);
	snprintf(leaves, sizeof leaves, "%s/leafdir", folder);
	struct libdeps_options options = {.library_path = leaves};
	struct libdeps deps;
	char problem[512] = "";
	CHECK(libdeps_resolve(path, &options, &deps, problem, sizeof problem) == 0);
	CHECK_STRING(deps.interpreter, "/lib64/ld-linux-x86-64.so.2");
	CHECK(deps.interpreter_real_path != NULL);
	CHECK(deps.missing_count == 0);
	const struct libdeps_library *mid = find(&deps, "libmid.so"), *leaf = find(&deps, "libleaf.so.1");
	CHECK(mid && strstr(mid->path, "/lib/libmid.so") && mid->needed_by == 0);
	CHECK(leaf && strstr(leaf->real_path, "leafdir/libleaf.so.1.2")); /* the symlink followed */
	CHECK(find(&deps, "libold.so") != NULL);
	CHECK(find(&deps, "libc.so.6") != NULL);
	/* breadth first: the binary's own DT_NEEDED come before libleaf */
	CHECK(deps.libraries[0].needed_by == 0 && leaf && leaf->needed_by > 0);
	libdeps_free(&deps);
}

static void test_rpath_and_missing(void)
{
	char path[512];
	struct libdeps deps;
	char problem[512] = "";

	/* without LD_LIBRARY_PATH, libleaf is nowhere: named, with who needs it */
	snprintf(path, sizeof path, "%s/app", folder);
	CHECK(libdeps_resolve(path, NULL, &deps, problem, sizeof problem) == 0);
	CHECK(find(&deps, "libold.so") != NULL); /* through DT_RPATH $ORIGIN/old */
	CHECK(deps.missing_count >= 1);
	libdeps_free(&deps);

	snprintf(path, sizeof path, "%s/broken", folder);
	CHECK(libdeps_resolve(path, NULL, &deps, problem, sizeof problem) == 0);
	bool gone = false;
	for (size_t i = 0; i < deps.missing_count; i++)
		gone |= strcmp(deps.missing[i].soname, "libgone.so.7") == 0 && strstr(deps.missing[i].needed_by, "broken");
	CHECK(gone);
	libdeps_free(&deps);

	CHECK(libdeps_resolve("/nonexistent/binary", NULL, &deps, problem, sizeof problem) != 0);
	CHECK(strstr(problem, "/nonexistent/binary") != NULL);
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void test_cache_format(void)
{
	unsigned char bytes[256] = {0};
	struct ld_so_cache cache;
	char problem[256];

	memcpy(bytes, "glibc-ld.so.cache1.1", 20);
	put_u32(bytes + 20, 2);                /* two entries */
	put_u32(bytes + 48, 0x0303);           /* x86_64 libc6 */
	put_u32(bytes + 52, 120);              /* key */
	put_u32(bytes + 56, 130);              /* value */
	put_u32(bytes + 72, 0x0003);           /* an i386 entry: skipped */
	put_u32(bytes + 76, 120);
	put_u32(bytes + 80, 130);
	memcpy(bytes + 120, "libx.so.1", 10);
	memcpy(bytes + 130, "/opt/x/libx.so.1", 17);
	CHECK(ld_so_cache_parse(bytes, sizeof bytes, &cache, problem, sizeof problem) == 0);
	CHECK(cache.count == 1);
	CHECK_STRING(ld_so_cache_find(&cache, "libx.so.1"), "/opt/x/libx.so.1");
	CHECK(ld_so_cache_find(&cache, "liby.so") == NULL);
	ld_so_cache_free(&cache);

	put_u32(bytes + 56, 9999); /* a string past the end */
	CHECK(ld_so_cache_parse(bytes, sizeof bytes, &cache, problem, sizeof problem) != 0);
	CHECK(ld_so_cache_parse((const unsigned char *)"ld.so-1.7.0", 11, &cache, problem, sizeof problem) != 0);

	CHECK(ld_so_cache_load("/etc/ld.so.cache", &cache, problem, sizeof problem) == 0);
	const char *libc = ld_so_cache_find(&cache, "libc.so.6");
	CHECK(libc && access(libc, R_OK) == 0);
	ld_so_cache_free(&cache);
}

/* An image folder as the root (sole run --rootfs): app-runpath at
 * /opt/app, libleaf through an absolute symlink in a default folder, libc
 * and ld.so from the image; every path found is the image's, and a library
 * the host has but the image lacks is missing. */
static void test_image_root(void)
{
	build("cd %s && mkdir -p image/opt/app/lib image/opt/app/old image/usr/lib/x86_64-linux-gnu "
	      "image/lib/x86_64-linux-gnu image/lib64 && cp app-runpath image/opt/app/ && "
	      "cp lib/libmid.so image/opt/app/lib/ && cp old/libold.so image/opt/app/old/ && "
	      "cp leafdir/libleaf.so.1.2 image/usr/lib/x86_64-linux-gnu/ && "
	      "ln -s /usr/lib/x86_64-linux-gnu/libleaf.so.1.2 image/usr/lib/x86_64-linux-gnu/libleaf.so.1 && "
	      "cp /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "
	      "image/lib/x86_64-linux-gnu/ && "
	      "ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 image/lib64/ld-linux-x86-64.so.2",
	      folder);
	char image[512];
	snprintf(image, sizeof image, "%s/image", folder);
	char *root = realpath(image, NULL);
	struct libdeps_options options = {.root = root};
	struct libdeps deps;
	char problem[512] = "";
	CHECK(root && libdeps_resolve("/opt/app/app-runpath", &options, &deps, problem, sizeof problem) == 0);
	CHECK(deps.missing_count == 0);
	CHECK_STRING(deps.interpreter_real_path, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
	const struct libdeps_library *leaf = find(&deps, "libleaf.so.1"), *mid = find(&deps, "libmid.so");
	CHECK(leaf && strcmp(leaf->real_path, "/usr/lib/x86_64-linux-gnu/libleaf.so.1.2") == 0);
	CHECK(mid && strcmp(mid->real_path, "/opt/app/lib/libmid.so") == 0);
	CHECK(find(&deps, "libc.so.6") && strcmp(find(&deps, "libc.so.6")->path, "/lib/x86_64-linux-gnu/libc.so.6") == 0);
	libdeps_free(&deps);

	build("rm %s/image/lib/x86_64-linux-gnu/libc.so.6", folder);
	CHECK(libdeps_resolve("/opt/app/app-runpath", &options, &deps, problem, sizeof problem) == 0);
	CHECK(deps.missing_count == 1 && strcmp(deps.missing[0].soname, "libc.so.6") == 0);
	libdeps_free(&deps);
	free(root);
}

int main(void)
{
	const char *cc = getenv("CC");
	if (!mkdtemp(folder))
		return 1;
	make_fixtures(cc && *cc ? cc : "cc");
	test_runpath_and_library_path();
	test_rpath_and_missing();
	test_cache_format();
	test_image_root();
	char command[600];
	snprintf(command, sizeof command, "rm -rf %s", folder);
	if (system(command) != 0)
		return 1;
	return check_summary("test_libdeps");
}
