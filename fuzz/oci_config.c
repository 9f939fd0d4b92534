/* Fuzz target: sole-oci's reading of a bundle's config.json
 * (tools/oci/oci_config.c over tools/oci/json_reader.c), which an engine
 * writes from an image's configuration, so from input anyone may have
 * shaped. The input is config.json; the bundle is a scratch folder with an
 * empty rootfs/ beside it, so that root.path "rootfs" resolves. */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "oci_config.h"
#include "scratch_dir.h"

/* What the target read, kept so that the reads are not optimized away. */
static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char rootfs[4096];
	if (!rootfs[0]) {
		snprintf(rootfs, sizeof rootfs, "%s/rootfs", scratch_dir());
		mkdir(rootfs, 0755);
	}
	scratch_write("config.json", data, size);
	struct oci_config config;
	if (oci_config_load(scratch_dir(), &config) == 0) {
		for (size_t i = 0; i < config.run_args.count; i++)
			sink += strlen(config.run_args.items[i]);
		oci_config_free(&config);
	}
	return 0;
}
