/* The host and domain names, see uts.h. */
#include "kernel/uts.h"

#include <string.h>

#include "kernel/boot_config.h"

static char node_name[__NEW_UTS_LEN + 1];
static char domain_name[__NEW_UTS_LEN + 1] = "(none)";

const char *uts_hostname(void)
{
	if (!node_name[0])
		strncpy(node_name, boot_config.hostname, __NEW_UTS_LEN);
	return node_name;
}

const char *uts_domainname(void) { return domain_name; }

static void set_name(char *dst, const char *name, size_t len)
{
	memset(dst, 0, __NEW_UTS_LEN + 1);
	memcpy(dst, name, len);
}

void uts_set_hostname(const char *name, size_t len) { set_name(node_name, name, len); }
void uts_set_domainname(const char *name, size_t len) { set_name(domain_name, name, len); }
