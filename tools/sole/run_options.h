/* The flags of `sole run`: one table that drives both the parser and the help
 * text, following docker's conventions (-m, -e, -w, -p, -v). */
#ifndef SOLE_RUN_OPTIONS_H
#define SOLE_RUN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_network.h"
#include "run_user.h"
#include "string_list.h"

enum accel_request { ACCEL_AUTO, ACCEL_TCG, ACCEL_KVM };
enum machine_kind { MACHINE_MICROVM, MACHINE_PC };

/* One --copy: a host file or folder and where it goes in the guest. */
struct copy_request {
	const char *as_typed;
	char *host_path;
	char *guest_path;
	/* fnmatch patterns of paths (relative to the folder copied) to leave
	 * out; NULL-terminated, or NULL for none */
	const char *const *skip;
};

/* One -v: a host folder shared with the guest over virtio-9p. The n-th
 * (from 0) has the mount tag "vol<n>", on QEMU's command line and in the
 * boot configuration. */
#define VOLUME_TAG_FORMAT "vol%zu"
struct volume_request {
	const char *as_typed;
	char *host_path;  /* absolute, symlinks resolved: a folder, or a single file */
	char *guest_path; /* absolute and normalised */
	bool read_only;   /* :ro */
	bool file;        /* host_path is a single file (tools/sole/volume_files.c) */
	/* The folder QEMU exports: host_path, or for a file the private folder
	 * that holds a link to it; NULL until volume_files_stage. */
	char *export_path;
};

/* What the kernel's per-CPU tables hold (kernel/arch/x86_64/percpu.h). */
#define MAXIMUM_CPUS 64

struct run_options {
	uint64_t memory_bytes;
	int cpus; /* --cpus */
	struct string_list env; /* "K=V", one per key, in the order first set */
	struct copy_request *copies;
	size_t copy_count;
	struct volume_request *volumes;
	size_t volume_count;
	char *workdir;
	char *rootfs; /* --rootfs: the image folder, canonical; NULL: none */
	const char *hostname; /* --hostname; NULL: sole's own */
	bool rootfs_read_only; /* --read-only */
	const char *user_spec; /* --user as given, resolved once --rootfs is known */
	struct run_user user;  /* --user; .set false: root */
	bool trace;
	bool syscall_summary;             /* --syscall-summary */
	bool missing_files;               /* --missing-files */
	bool no_shell;                    /* --no-shell: no /bin/sh in the VM */
	bool init;                        /* --init: sole-init is pid 1, the app its child */
	bool sig_proxy;                   /* --sig-proxy: SIGINT, SIGTERM, SIGHUP go to the app */
	const char *syscall_summary_path; /* its =FILE; NULL: stderr */
	bool verbose;
	bool no_aslr;     /* --no-aslr (and --gdb): processes at Linux's fixed addresses */
	bool no_sandbox;  /* --no-sandbox: QEMU without seccomp, with sole's privileges */
	bool interactive; /* -i: host stdin reaches the app; else it sees EOF at once */
	bool tty;         /* -t: fds 0, 1 and 2 are the VM's console tty */
	bool help;
	int gdb_port;          /* 0: no gdb stub */
	const char *core_path; /* where to write the crash record, or NULL */
	const char *stats_path; /* --stats-file: where the guest's memory lines go, or NULL */
	bool test_kernel_panic; /* the kernel panics on purpose (tests only) */
	bool test_wx_violation; /* the kernel maps a page W+X for its W^X check (tests only) */
	enum accel_request accel;
	enum machine_kind machine;
	struct guest_network network; /* --net, -p, --ip, --gateway, --dns */
	const char *kernel_path; /* NULL: find the installed kernel */
	const char *binary;      /* as typed; NULL only with help */
	char **app_args;         /* the app's argv after argv[0] */
	int app_arg_count;
};

/* Parses the arguments after "run". Returns 0, or prints the problem and
 * returns the exit status. */
int run_options_parse(struct run_options *options, int argc, char **argv);
void run_options_free(struct run_options *options);
void run_options_print_help(FILE *out);

/* "64M", "1g", "512K", "1048576" (bytes, as docker reads it). */
bool parse_memory_size(const char *text, uint64_t *bytes);

/* Sets "K=V" in an environment list, replacing an earlier value of K. */
void environment_set(struct string_list *env, const char *key_value);

#endif
