/* A bundle's config.json (OCI runtime-spec) as a `sole run` command line:
 * process.args, env, cwd and user; root.path and readonly; bind mounts of
 * folders as volumes; the memory limit and org.sole.* annotations. What a
 * VM cannot honour is ignored (docs/oci.md lists it). */
#ifndef SOLE_OCI_CONFIG_H
#define SOLE_OCI_CONFIG_H

#include <stdbool.h>

#include "json_reader.h"
#include "oci_network.h"
#include "string_list.h"

/* The smallest VM a memory limit gives (below it the kernel cannot boot). */
#define OCI_MEMORY_FLOOR_MIB 32
/* sole run --cpus's ceiling: a larger quota or cpuset gets this many. */
#define OCI_MAXIMUM_CPUS 64

struct oci_config {
	struct string_list run_args;    /* the arguments after `sole run` */
	char *rootfs;                   /* canonical */
	const char *binary;             /* process.args[0] */
	const char *search_path;        /* PATH= of process.env, or NULL */
	const char *cwd;                /* process.cwd, default "/" */
	bool terminal;                  /* process.terminal */
	enum oci_netns netns;           /* linux.namespaces' network entry: none, no path, a path */
	const char *netns_path;         /* its path, with OCI_NETNS_PATH */
	char *dns;                      /* the first nameserver of the resolv.conf mounted, or NULL */
	const struct json_value *annotations; /* an object in tree, or NULL */
	struct json_value *tree;        /* the whole file */
};

/* Reads bundle/config.json. Returns 0, or -1 after oci_error with nothing
 * left to free. */
int oci_config_load(const char *bundle, struct oci_config *config);
void oci_config_free(struct oci_config *config);
/* The network namespace path of bundle/config.json, or NULL (quietly). */
char *oci_config_network_namespace(const char *bundle);

#endif
