/* sole-oci: an OCI runtime with runc's command line, so that containerd's
 * runc shim and podman's conmon start containers as sole VMs (docs/oci.md).
 * This file reads the global flags and picks the command. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "oci_commands.h"
#include "oci_log.h"
#include "oci_state.h"
#include "sole_config.h"

static const struct {
	const char *name;
	int (*run)(const struct oci_globals *globals, int argc, char **argv);
} commands[] = {
    {"create", oci_create}, {"start", oci_start},       {"state", oci_state}, {"kill", oci_kill},
    {"delete", oci_delete}, {"features", oci_features}, {"ps", oci_ps},
};

static void print_usage(FILE *out)
{
	fputs("Usage: sole-oci [--root DIR] [--log FILE] [--log-format text|json] COMMAND ...\n"
	      "\n"
	      "An OCI runtime with runc's command line: containers run as sole VMs.\n"
	      "Commands: create --bundle B [--pid-file F] ID, start ID, state ID,\n"
	      "kill [--all] ID [SIGNAL], delete [--force] ID, features, ps ID.\n",
	      out);
}

/* "--flag VALUE" or "--flag=VALUE" at argv[*i]; the value, or NULL. */
static const char *flag_value(int argc, char **argv, int *i, const char *flag)
{
	size_t n = strlen(flag);
	if (strncmp(argv[*i], flag, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct oci_globals globals = {.root = OCI_DEFAULT_ROOT};
	const char *log_path = NULL, *value;
	bool json = false;
	int i = 1;

	cleanup_install_signal_handlers();
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((value = flag_value(argc, argv, &i, "--root")))
			globals.root = value;
		else if ((value = flag_value(argc, argv, &i, "--log-format")))
			json = strcmp(value, "json") == 0;
		else if ((value = flag_value(argc, argv, &i, "--log")))
			log_path = value;
		else if ((value = flag_value(argc, argv, &i, "--criu")))
			continue;
		else if (!strcmp(argv[i], "--debug"))
			oci_log_set_debug(true);
		else if (!strcmp(argv[i], "--systemd-cgroup") || !strcmp(argv[i], "--rootless=false") ||
		         !strcmp(argv[i], "--rootless=true") || !strcmp(argv[i], "--rootless=auto"))
			continue; /* cgroups are the VM's own business */
		else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-v")) {
			printf("sole-oci version %s\nspec: %s\n", SOLE_VERSION, OCI_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout);
			return 0;
		} else {
			oci_log_open(log_path, json);
			oci_error("unknown global flag %s", argv[i]);
			return 1;
		}
	}
	oci_log_open(log_path, json);
	if (i >= argc) {
		print_usage(stderr);
		return 1;
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(*commands); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].run(&globals, argc - i - 1, argv + i + 1);
	oci_error("unknown command %s", argv[i]);
	return 1;
}
