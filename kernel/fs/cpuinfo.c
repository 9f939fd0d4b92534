/* /proc/cpuinfo in Linux's format: vendor, family, model, the brand
 * string and the feature flags CPUID reports (Linux's names). */
#include "kernel/fs/cpuinfo.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/strbuf.h"
#include "kernel/time.h"

struct flag {
	unsigned char leaf_index; /* which register set, see the table below */
	unsigned char bit;
	const char *name;
};

/* Register sets: 0 = leaf 1 edx, 1 = leaf 1 ecx, 2 = leaf 7 ebx, 3 = leaf 7 ecx,
 * 4 = leaf 0x80000001 edx, 5 = leaf 0x80000001 ecx. */
static const struct flag flags[] = {
    {0, 0, "fpu"},         {0, 1, "vme"},      {0, 2, "de"},          {0, 3, "pse"},           {0, 4, "tsc"},
    {0, 5, "msr"},         {0, 6, "pae"},      {0, 7, "mce"},         {0, 8, "cx8"},           {0, 9, "apic"},
    {0, 11, "sep"},        {0, 12, "mtrr"},    {0, 13, "pge"},        {0, 14, "mca"},          {0, 15, "cmov"},
    {0, 16, "pat"},        {0, 17, "pse36"},   {0, 19, "clflush"},    {0, 23, "mmx"},          {0, 24, "fxsr"},
    {0, 25, "sse"},        {0, 26, "sse2"},    {0, 28, "ht"},         {4, 11, "syscall"},      {4, 20, "nx"},
    {4, 22, "mmxext"},     {4, 26, "pdpe1gb"}, {4, 27, "rdtscp"},     {4, 29, "lm"},           {1, 0, "pni"},
    {1, 1, "pclmulqdq"},   {1, 9, "ssse3"},    {1, 12, "fma"},        {1, 13, "cx16"},         {1, 19, "sse4_1"},
    {1, 20, "sse4_2"},     {1, 21, "x2apic"},  {1, 22, "movbe"},      {1, 23, "popcnt"},       {1, 25, "aes"},
    {1, 26, "xsave"},      {1, 28, "avx"},     {1, 29, "f16c"},       {1, 30, "rdrand"},       {1, 31, "hypervisor"},
    {5, 0, "lahf_lm"},     {5, 5, "abm"},      {5, 6, "sse4a"},       {5, 8, "3dnowprefetch"}, {2, 0, "fsgsbase"},
    {2, 3, "bmi1"},        {2, 5, "avx2"},     {2, 7, "smep"},        {2, 8, "bmi2"},          {2, 9, "erms"},
    {2, 10, "invpcid"},    {2, 16, "avx512f"}, {2, 18, "rdseed"},     {2, 19, "adx"},          {2, 20, "smap"},
    {2, 23, "clflushopt"}, {2, 29, "sha_ni"},  {3, 0, "prefetchwt1"}, {3, 2, "umip"},          {3, 22, "rdpid"},
};

void cpuinfo_generate(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	uint32_t r[4], regs[6] = {0};
	char vendor[13] = {0}, brand[49] = {0};
	cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	uint32_t max_leaf = r[0];
	cpuid(1, 0, r);
	uint32_t signature = r[0];
	regs[0] = r[3];
	regs[1] = r[2];
	if (max_leaf >= 7) {
		cpuid(7, 0, r);
		regs[2] = r[1];
		regs[3] = r[2];
	}
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		regs[4] = r[3];
		regs[5] = r[2];
	}
	if (r[0] >= 0x80000004)
		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, (uint32_t *)(brand + 16 * i));
	unsigned family = (signature >> 8) & 0xf, model = (signature >> 4) & 0xf;
	if (family == 0xf)
		family += (signature >> 20) & 0xff;
	if (family >= 6)
		model += ((signature >> 16) & 0xf) << 4;
	uint64_t khz = time_tsc_hz() / 1000;
	/* One stanza per CPU, all alike but for the numbers: one package
	 * with a core per CPU, as QEMU's -smp N describes it. */
	for (int cpu = 0; cpu < cpu_count; cpu++) {
		strbuf_printf(out,
		              "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\n"
		              "stepping\t: %u\ncpu MHz\t\t: %llu.%03llu\ncache size\t: 512 KB\nphysical id\t: 0\n"
		              "siblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\napicid\t\t: %u\ninitial apicid\t: %u\n"
		              "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
		              cpu, vendor, family, model, brand[0] ? brand : "unknown", signature & 0xf,
		              (unsigned long long)(khz / 1000), (unsigned long long)(khz % 1000), cpu_count, cpu,
		              cpu_count, cpus[cpu]->apic_id, cpus[cpu]->apic_id, max_leaf);
		for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
			if (regs[flags[i].leaf_index] & (1u << flags[i].bit))
				strbuf_printf(out, " %s", flags[i].name);
		strbuf_printf(out,
		              "\nbogomips\t: %llu.00\nclflush size\t: 64\ncache_alignment\t: 64\n"
		              "address sizes\t: 40 bits physical, 48 bits virtual\npower management:\n\n",
		              (unsigned long long)(khz / 500));
	}
}
