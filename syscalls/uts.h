/* The machine's names as uname reports them, for /proc to share. */
#ifndef SOLE_UTS_H
#define SOLE_UTS_H

const char *uts_hostname(void);

#endif
