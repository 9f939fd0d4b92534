/* The container's network as VM runtimes (Kata, urunc) give it: in the
 * network namespace the engine made (config.json's linux.namespaces path),
 * a tap device for QEMU, with tc redirecting every frame between the
 * interface CNI made (eth0) and the tap, both ways; the guest takes eth0's
 * MAC, address, prefix and gateway. Without such a namespace, or without
 * an eth0 with an IPv4 address in it, the VM has no network. */
#ifndef SOLE_OCI_NETWORK_H
#define SOLE_OCI_NETWORK_H

#include "string_list.h"

#define OCI_TAP_NAME "sole0"
#define OCI_GUEST_INTERFACE "eth0"

/* Joins netns_path (NULL: stays, with no network) and sets the tap up
 * there; appends the `sole run` network flags to run_args. Returns 0, or
 * -1 after oci_error. dns: the nameserver for the guest, or NULL. */
int oci_network_prepare(const char *netns_path, const char *dns, struct string_list *run_args);
/* Removes the tap and the redirects from the current namespace. */
void oci_network_release(void);
/* The same from outside: joins netns_path first (delete, after a SIGKILL). */
void oci_network_release_in(const char *netns_path);

#endif
