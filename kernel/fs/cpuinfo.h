/* /proc/cpuinfo, from CPUID. */
#ifndef SOLE_CPUINFO_H
#define SOLE_CPUINFO_H

struct strbuf;

void cpuinfo_generate(struct strbuf *out);

#endif
