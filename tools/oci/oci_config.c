/* A bundle's config.json as a `sole run` command line, see oci_config.h. */
#include "oci_config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oci_log.h"
#include "text_file.h"
#include "xalloc.h"

static void add(struct oci_config *config, const char *flag, const char *value)
{
	string_list_append(&config->run_args, flag);
	if (value)
		string_list_append(&config->run_args, value);
}

static bool system_folder(const char *path)
{
	static const char *const own[] = {"/proc", "/sys", "/dev", NULL};
	for (const char *const *p = own; *p; p++) {
		size_t n = strlen(*p);
		if (!strncmp(path, *p, n) && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

/* The engine's /etc/resolv.conf for the container names the guest's DNS
 * server (a file cannot be a volume; the kernel gets the server instead). */
static void read_nameserver(struct oci_config *config, const char *path)
{
	FILE *in = fopen(path, "re");
	char line[512], server[64];
	while (in && !config->dns && fgets(line, sizeof line, in))
		if (sscanf(line, " nameserver %63s", server) == 1 && strchr(server, '.'))
			config->dns = xstrdup(server);
	if (in)
		fclose(in);
}

/* The container's network namespace: the engine's (a path, set up by
 * CNI), a new one (as runc makes it), or none (the host's network). */
static void read_network_namespace(struct oci_config *config)
{
	const struct json_value *namespaces = json_member(json_member(config->tree, "linux"), "namespaces");
	config->netns = OCI_NETNS_HOST;
	for (size_t i = 0; namespaces && namespaces->type == JSON_ARRAY && i < namespaces->count; i++) {
		const char *type = json_string_member(namespaces->items[i], "type");
		const char *path = json_string_member(namespaces->items[i], "path");
		if (!type || strcmp(type, "network") != 0)
			continue;
		config->netns = path && *path ? OCI_NETNS_PATH : OCI_NETNS_NEW;
		config->netns_path = path && *path ? path : NULL;
	}
}

char *oci_config_network_namespace(const char *bundle)
{
	char *path = xasprintf("%s/config.json", bundle);
	char *text = text_file_read(path);
	char problem[160];
	struct oci_config config = {.tree = text ? json_parse(text, problem, sizeof problem) : NULL};
	free(text);
	free(path);
	read_network_namespace(&config);
	char *found = config.netns_path ? xstrdup(config.netns_path) : NULL;
	json_free(config.tree);
	return found;
}

/* Bind mounts of host folders and of single files (the engines'
 * /etc/resolv.conf, /etc/hosts and /etc/hostname) become volumes; tmpfs,
 * proc, sysfs, dev, devpts, mqueue and cgroup are sole's own. */
static void add_mounts(struct oci_config *config, const struct json_value *mounts)
{
	for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->count; i++) {
		const struct json_value *mount = mounts->items[i];
		const char *type = json_string_member(mount, "type");
		const char *source = json_string_member(mount, "source");
		const char *destination = json_string_member(mount, "destination");
		const struct json_value *options = json_member(mount, "options");
		bool bind = type && !strcmp(type, "bind"), read_only = false;
		for (size_t j = 0; options && options->type == JSON_ARRAY && j < options->count; j++) {
			const char *option = options->items[j]->type == JSON_STRING ? options->items[j]->string : "";
			bind |= !strcmp(option, "bind") || !strcmp(option, "rbind");
			read_only |= !strcmp(option, "ro");
		}
		if (bind && source && destination && !strcmp(destination, "/etc/resolv.conf"))
			read_nameserver(config, source);
		struct stat info;
		if (!bind || !source || !destination || destination[0] != '/' || system_folder(destination) ||
		    stat(source, &info) != 0 || !(S_ISDIR(info.st_mode) || S_ISREG(info.st_mode))) {
			oci_debug("mount %s: left to sole's own or ignored", destination ? destination : "?");
			continue;
		}
		char *volume = xasprintf("%s:%s%s", source, destination, read_only ? ":ro" : "");
		add(config, "-v", volume);
		free(volume);
	}
}

/* A JSON number as a whole number in [0, max]: false for anything else
 * (a fraction, a negative, an infinity, a NaN), which C may not convert. */
static bool whole_number(const struct json_value *value, double max, uint64_t *out)
{
	if (!value || value->type != JSON_NUMBER || !(value->number >= 0 && value->number <= max) ||
	    value->number != (double)(uint64_t)value->number)
		return false;
	*out = (uint64_t)value->number;
	return true;
}

/* org.sole.memory (a size as -m reads it) wins over the memory limit,
 * which gets a floor the kernel can boot in. */
static void add_memory(struct oci_config *config)
{
	const char *annotated = json_string_member(config->annotations, "org.sole.memory");
	const struct json_value *limit =
	    json_member(json_member(json_member(json_member(config->tree, "linux"), "resources"), "memory"), "limit");
	if (annotated) {
		add(config, "-m", annotated);
	} else if (limit && limit->type == JSON_NUMBER && limit->number > 0) {
		/* a limit past 2^62 bytes is none (a VM that large cannot start anyway) */
		uint64_t bytes;
		uint64_t mib = whole_number(limit, 0x1p62, &bytes) ? bytes / (1024 * 1024) : (1ull << 42);
		char size[32];
		snprintf(size, sizeof size, "%" PRIu64 "M", mib < OCI_MEMORY_FLOOR_MIB ? OCI_MEMORY_FLOOR_MIB : mib);
		add(config, "-m", size);
	}
}

/* The CPUs of "0-3,6" (cpuset.cpus): how many it names (at most
 * OCI_MAXIMUM_CPUS), 0 when it is not such a list. */
static unsigned cpuset_count(const char *list)
{
	unsigned long count = 0;
	while (*list) {
		char *end;
		unsigned long first = strtoul(list, &end, 10), last = first;
		if (end == list)
			return 0;
		if (*end == '-') {
			const char *from = end + 1;
			last = strtoul(from, &end, 10);
			if (end == from || last < first)
				return 0;
		}
		count += last - first < OCI_MAXIMUM_CPUS ? last - first + 1 : OCI_MAXIMUM_CPUS;
		if (*end != ',' && *end != '\0')
			return 0;
		list = *end ? end + 1 : end;
	}
	return count < OCI_MAXIMUM_CPUS ? (unsigned)count : OCI_MAXIMUM_CPUS;
}

/* org.sole.cpus (as sole run --cpus reads it) wins; else the CPU quota
 * over its period (docker's --cpus sets both), rounded up; else the count
 * of the cpuset. None of them: sole's default of one CPU. */
static void add_cpus(struct oci_config *config)
{
	const char *annotated = json_string_member(config->annotations, "org.sole.cpus");
	const struct json_value *cpu =
	    json_member(json_member(json_member(config->tree, "linux"), "resources"), "cpu");
	const char *cpuset = json_string_member(cpu, "cpus");
	uint64_t quota, period;
	unsigned cpus = 0;
	if (annotated) {
		add(config, "--cpus", annotated);
		return;
	}
	if (whole_number(json_member(cpu, "quota"), 0x1p62, &quota) && quota > 0 &&
	    whole_number(json_member(cpu, "period"), 0x1p62, &period) && period > 0) {
		uint64_t rounded_up = quota / period + (quota % period != 0);
		cpus = rounded_up < OCI_MAXIMUM_CPUS ? (unsigned)rounded_up : OCI_MAXIMUM_CPUS;
	} else if (cpuset) {
		cpus = cpuset_count(cpuset);
	}
	if (cpus > 1) {
		char count[16];
		snprintf(count, sizeof count, "%u", cpus);
		add(config, "--cpus", count);
	}
}

static int read_process(struct oci_config *config, const struct json_value *process)
{
	const struct json_value *args = json_member(process, "args");
	if (!args || args->type != JSON_ARRAY || args->count == 0 || args->items[0]->type != JSON_STRING) {
		oci_error("process.args must not be empty");
		return -1;
	}
	const struct json_value *terminal = json_member(process, "terminal");
	config->terminal = terminal && terminal->type == JSON_BOOL && terminal->boolean;
	if (config->terminal)
		add(config, "-it", NULL); /* the console socket's pty is the app's terminal */
	const struct json_value *env = json_member(process, "env");
	for (size_t i = 0; env && env->type == JSON_ARRAY && i < env->count; i++) {
		if (env->items[i]->type != JSON_STRING || !strchr(env->items[i]->string, '='))
			continue;
		add(config, "-e", env->items[i]->string);
		if (!strncmp(env->items[i]->string, "PATH=", 5))
			config->search_path = env->items[i]->string + 5;
	}
	config->cwd = json_string_member(process, "cwd");
	if (!config->cwd || config->cwd[0] != '/')
		config->cwd = "/";
	add(config, "-w", config->cwd);
	const struct json_value *user = json_member(process, "user");
	const struct json_value *uid = json_member(user, "uid"), *gid = json_member(user, "gid");
	uint64_t u = 0, g = 0;
	if ((uid && !whole_number(uid, UINT32_MAX, &u)) || (gid && !whole_number(gid, UINT32_MAX, &g))) {
		oci_error("process.user: uid and gid must be whole numbers from 0 to 4294967295");
		return -1;
	}
	if (u || g) {
		char spec[32];
		snprintf(spec, sizeof spec, "%" PRIu64 ":%" PRIu64, u, g);
		add(config, "-u", spec);
	}
	config->binary = args->items[0]->string;
	return 0;
}

static int read_root(struct oci_config *config, const char *bundle)
{
	const struct json_value *root = json_member(config->tree, "root");
	const char *path = json_string_member(root, "path");
	if (!path) {
		oci_error("root.path is missing from %s/config.json", bundle);
		return -1;
	}
	char *joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", bundle, path);
	config->rootfs = realpath(joined, NULL);
	struct stat info;
	if (!config->rootfs || stat(config->rootfs, &info) != 0 || !S_ISDIR(info.st_mode)) {
		oci_error("root.path %s: not a folder", joined);
		free(joined);
		return -1;
	}
	free(joined);
	add(config, "--rootfs", config->rootfs);
	const struct json_value *read_only = json_member(root, "readonly");
	if (read_only && read_only->type == JSON_BOOL && read_only->boolean)
		add(config, "--read-only", NULL);
	return 0;
}

int oci_config_load(const char *bundle, struct oci_config *config)
{
	*config = (struct oci_config){0};
	char *path = xasprintf("%s/config.json", bundle);
	char *text = text_file_read(path);
	char problem[160];
	if (!text) {
		oci_error("cannot read %s", path);
		free(path);
		return -1;
	}
	config->tree = json_parse(text, problem, sizeof problem);
	free(text);
	if (!config->tree || config->tree->type != JSON_OBJECT) {
		oci_error("%s: %s", path, config->tree ? "not a JSON object" : problem);
		free(path);
		oci_config_free(config);
		return -1;
	}
	free(path);
	for (size_t i = 0; i < config->tree->count; i++)
		if (!strcmp(config->tree->keys[i], "annotations") && config->tree->items[i]->type == JSON_OBJECT)
			config->annotations = config->tree->items[i];
	add(config, "--sig-proxy", NULL); /* kill's signals reach the app */
	if (read_root(config, bundle) != 0 || read_process(config, json_member(config->tree, "process")) != 0) {
		oci_config_free(config);
		return -1;
	}
	add_memory(config);
	add_cpus(config);
	read_network_namespace(config);
	const char *hostname = json_string_member(config->tree, "hostname");
	if (hostname && *hostname)
		add(config, "--hostname", hostname);
	add_mounts(config, json_member(config->tree, "mounts"));
	add(config, "--", NULL);
	const struct json_value *args = json_member(json_member(config->tree, "process"), "args");
	for (size_t i = 0; i < args->count; i++)
		string_list_append(&config->run_args, args->items[i]->type == JSON_STRING ? args->items[i]->string : "");
	return 0;
}

void oci_config_free(struct oci_config *config)
{
	string_list_free(&config->run_args);
	free(config->rootfs);
	free(config->dns);
	json_free(config->tree); /* annotations point into it */
	*config = (struct oci_config){0};
}
