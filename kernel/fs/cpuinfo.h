/* /proc/cpuinfo, from CPUID. */
#ifndef SOLE_CPUINFO_H
#define SOLE_CPUINFO_H

struct inode;
struct strbuf;

/* A /proc generator (vfs.h): ino is not used. */
void cpuinfo_generate(const struct inode *ino, struct strbuf *out);

#endif
