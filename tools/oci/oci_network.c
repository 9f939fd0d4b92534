/* The container's network, see oci_network.h. iproute2's ip and tc do the
 * work, as a CNI plugin's scripts would. */
#define _GNU_SOURCE
#include "oci_network.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci_log.h"
#include "xalloc.h"

/* Runs argv quietly; 0 when it succeeded. */
static int run_tool(const char *const *argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The first word after key in the output of command, or NULL. */
static char *word_after(const char *command, const char *key)
{
	FILE *out = popen(command, "re");
	if (!out)
		return NULL;
	char line[1024], *found = NULL;
	while (!found && fgets(line, sizeof line, out)) {
		char *at = strstr(line, key);
		if (at) {
			at += strlen(key);
			at[strcspn(at, " \t\n")] = '\0';
			found = *at ? xstrdup(at) : NULL;
		}
	}
	pclose(out);
	return found;
}

static int join_namespace(const char *netns_path)
{
	int fd = open(netns_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
		oci_error("cannot join the network namespace %s: %s", netns_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Both directions of frames between eth0 and the tap. */
static int redirect(const char *from, const char *to)
{
	const char *const qdisc[] = {"tc", "qdisc", "add", "dev", from, "ingress", NULL};
	const char *const filter[] = {"tc", "filter", "add", "dev", from, "parent", "ffff:", "protocol", "all",
	                              "u32", "match", "u8", "0", "0", "action", "mirred", "egress", "redirect",
	                              "dev", to, NULL};
	return run_tool(qdisc) == 0 && run_tool(filter) == 0 ? 0 : -1;
}

static int attach_tap(void)
{
	const char *const add[] = {"ip", "tuntap", "add", "dev", OCI_TAP_NAME, "mode", "tap", NULL};
	const char *const up[] = {"ip", "link", "set", OCI_TAP_NAME, "up", NULL};
	if (run_tool(add) != 0 || run_tool(up) != 0 || redirect(OCI_GUEST_INTERFACE, OCI_TAP_NAME) != 0 ||
	    redirect(OCI_TAP_NAME, OCI_GUEST_INTERFACE) != 0) {
		oci_error("cannot connect a tap device to %s in the container's network namespace (ip tuntap, "
		          "tc mirred)",
		          OCI_GUEST_INTERFACE);
		oci_network_release();
		return -1;
	}
	return 0;
}

int oci_network_enter(enum oci_netns kind, const char *netns_path)
{
	if (kind == OCI_NETNS_PATH)
		return join_namespace(netns_path);
	if (kind == OCI_NETNS_NEW && unshare(CLONE_NEWNET) != 0) {
		oci_error("cannot make a network namespace: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int oci_network_attach(enum oci_netns kind, const char *dns, struct string_list *run_args)
{
	if (kind == OCI_NETNS_HOST) {
		string_list_append(run_args, "--net");
		string_list_append(run_args, "user");
		return 0;
	}
	char *address = word_after("ip -o -4 addr show dev " OCI_GUEST_INTERFACE " 2>/dev/null", "inet ");
	if (!address) {
		string_list_append(run_args, "--net");
		string_list_append(run_args, "none");
		return 0;
	}
	char *mac = word_after("ip -o link show dev " OCI_GUEST_INTERFACE, "link/ether ");
	char *gateway = word_after("ip -4 route show default", "via ");
	int status = attach_tap();
	if (status == 0) {
		string_list_append(run_args, "--net");
		string_list_append(run_args, "tap:" OCI_TAP_NAME);
		string_list_append(run_args, "--ip");
		string_list_append(run_args, address);
		if (mac) {
			string_list_append(run_args, "--mac");
			string_list_append(run_args, mac);
		}
		if (gateway) {
			string_list_append(run_args, "--gateway");
			string_list_append(run_args, gateway);
		}
		if (dns) {
			string_list_append(run_args, "--dns");
			string_list_append(run_args, dns);
		}
	}
	free(address);
	free(mac);
	free(gateway);
	return status == 0 ? 1 : -1;
}

void oci_network_release(void)
{
	const char *const tap[] = {"ip", "link", "del", OCI_TAP_NAME, NULL};
	const char *const ingress[] = {"tc", "qdisc", "del", "dev", OCI_GUEST_INTERFACE, "ingress", NULL};
	run_tool(tap);
	run_tool(ingress);
}

void oci_network_release_in(const char *netns_path)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(netns_path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && setns(fd, CLONE_NEWNET) == 0)
			oci_network_release();
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}
