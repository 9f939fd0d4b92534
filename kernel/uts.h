/* The machine's names as uname reports them: the host and domain names
 * (sethostname, setdomainname) and the fixed release strings. */
#ifndef SOLE_UTS_H
#define SOLE_UTS_H

#include <stddef.h>

#include <linux/utsname.h>

#define UTS_RELEASE "6.1.0-sole"
#define UTS_VERSION "#1 SMP sole 0.1.0"

/* The host name: the boot configuration's until sethostname changes it. */
const char *uts_hostname(void);
const char *uts_domainname(void);
/* Sets a name from a kernel buffer of at most __NEW_UTS_LEN bytes. */
void uts_set_hostname(const char *name, size_t len);
void uts_set_domainname(const char *name, size_t len);

#endif
