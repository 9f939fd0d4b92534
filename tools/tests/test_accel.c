/* Tests how the CPU flags of /proc/cpuinfo decide whether KVM can help. */
#include "accel.h"
#include "check.h"

int main(void)
{
	CHECK(cpuinfo_has_virtualization("processor\t: 0\nflags\t\t: fpu vme vmx sse\n"));
	CHECK(cpuinfo_has_virtualization("flags\t\t: fpu svm\nbugs\t\t: none\n"));
	CHECK(cpuinfo_has_virtualization("flags\t\t: svm"));
	CHECK(!cpuinfo_has_virtualization("flags\t\t: fpu vmxnet svmx hypervisor\n"));
	CHECK(!cpuinfo_has_virtualization("vmx flags\t: vnmi preemption_timer\n"
					  "flags\t\t: fpu hypervisor\n"));
	CHECK(!cpuinfo_has_virtualization("model name\t: vmx svm\n"));
	CHECK(!cpuinfo_has_virtualization(""));
	return check_summary("accel");
}
