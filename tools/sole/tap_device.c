/* The tap device of `sole run --net tap:NAME`, opened by sole, see
 * tap_device.h. */
#include "tap_device.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "diag.h"

int tap_device_open(const char *name)
{
	/* The flags QEMU's own -netdev tap,ifname= asks for: frames without
	 * packet information, with the virtio-net header (offloads). */
	struct ifreq request = {.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR};
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	snprintf(request.ifr_name, sizeof(request.ifr_name), "%s", name);
	if (fd >= 0 && ioctl(fd, TUNSETIFF, &request) == 0)
		return fd;
	int error = errno;
	if (fd >= 0)
		close(fd);
	sole_error("--net tap:%s: cannot attach to the tap device: %s; it takes root (CAP_NET_ADMIN), or a "
	           "device made for your user (ip tuntap add dev %s mode tap user $USER)",
	           name, strerror(error), name);
	return -1;
}
