/* The container's network as VM runtimes (Kata, urunc) give it: in the
 * container's network namespace (the one config.json's linux.namespaces
 * names by path, or a new one as runc makes, which ctr --cni then sets up
 * through the container's pid), a tap device for QEMU, with tc redirecting
 * every frame between the interface CNI made (eth0) and the tap, both
 * ways; the guest takes eth0's MAC, address, prefix and gateway. Without an
 * eth0 with an IPv4 address there, the VM has no network; a container that
 * shares the host's network (no network namespace) gets QEMU's user
 * network, which reaches what the host reaches. */
#ifndef SOLE_OCI_NETWORK_H
#define SOLE_OCI_NETWORK_H

#include "string_list.h"

#define OCI_TAP_NAME "sole0"
#define OCI_GUEST_INTERFACE "eth0"

enum oci_netns { OCI_NETNS_HOST, OCI_NETNS_NEW, OCI_NETNS_PATH };

/* At create, in the container's process: joins netns_path (OCI_NETNS_PATH)
 * or makes a new namespace (OCI_NETNS_NEW). Returns 0, or -1 after
 * oci_error. */
int oci_network_enter(enum oci_netns kind, const char *netns_path);
/* At start: sets the tap up in the namespace entered, and appends the
 * `sole run` network flags to run_args. Returns 1 when it made the tap,
 * 0 when the VM has no tap, or -1 after oci_error. dns: the nameserver for
 * the guest, or NULL. */
int oci_network_attach(enum oci_netns kind, const char *dns, struct string_list *run_args);
/* Removes the tap and the redirects from the current namespace. */
void oci_network_release(void);
/* The same from outside: joins netns_path first (delete, after a SIGKILL). */
void oci_network_release_in(const char *netns_path);

#endif
