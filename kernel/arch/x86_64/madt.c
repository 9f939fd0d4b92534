/* Finds ACPI's Multiple APIC Description Table through the RSDP and the
 * RSDT or XSDT, and lists its processor local APIC entries (types 0 and 9,
 * the x2APIC form, where the ID fits xAPIC's 8 bits). The RSDP is where
 * start_info says, or in the EBDA's first KiB or 0xe0000..0xfffff (ACPI
 * 6.5, 5.2.5.1). Tables are read through the direct map: QEMU puts them
 * in the first 4 GiB. */
#include "kernel/arch/x86_64/madt.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/mm/layout.h"

#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_X2APIC 9
#define APIC_ENABLED 1u

struct __attribute__((packed)) rsdp {
	char signature[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length; /* revision 2 and later */
	uint64_t xsdt;
	uint8_t extended_checksum;
	uint8_t reserved[3];
};

struct __attribute__((packed)) table_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator, creator_revision;
};

static bool sums_to_zero(const void *p, size_t len)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static const struct rsdp *rsdp_at(uint64_t phys)
{
	const struct rsdp *r = phys_to_virt(phys);
	return memcmp(r->signature, "RSD PTR ", 8) == 0 && sums_to_zero(r, 20) ? r : NULL;
}

/* The RSDP lies on a 16-byte boundary in [from, from + len). */
static const struct rsdp *search(uint64_t from, uint64_t len)
{
	for (uint64_t at = from; at + sizeof(struct rsdp) <= from + len; at += 16) {
		const struct rsdp *r = rsdp_at(at);
		if (r)
			return r;
	}
	return NULL;
}

static const struct rsdp *find_rsdp(uint64_t hint)
{
	if (hint)
		return rsdp_at(hint);
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	const struct rsdp *r = ebda >= 0x80000 && ebda < 0xa0000 ? search(ebda, 1024) : NULL;
	return r ? r : search(0xe0000, 0x20000);
}

static const struct table_header *table_at(uint64_t phys, const char *signature)
{
	if (!phys || phys >= (1ull << 32))
		return NULL;
	const struct table_header *t = phys_to_virt(phys);
	if (memcmp(t->signature, signature, 4) != 0 || t->length < sizeof *t || !sums_to_zero(t, t->length))
		return NULL;
	return t;
}

/* The MADT among the RSDT's 32-bit or the XSDT's 64-bit table pointers. */
static const struct table_header *find_madt(const struct rsdp *r)
{
	bool extended = r->revision >= 2 && r->xsdt;
	const struct table_header *root = extended ? table_at(r->xsdt, "XSDT") : table_at(r->rsdt, "RSDT");
	if (!root)
		return NULL;
	size_t width = extended ? 8 : 4;
	const uint8_t *entries = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < (root->length - sizeof *root) / width; i++) {
		uint64_t phys = 0;
		memcpy(&phys, entries + i * width, width);
		const struct table_header *t = table_at(phys, "APIC");
		if (t)
			return t;
	}
	return NULL;
}

int madt_processors(uint64_t rsdp_phys, uint8_t *apic_ids, int max)
{
	const struct rsdp *r = find_rsdp(rsdp_phys);
	const struct table_header *madt = r ? find_madt(r) : NULL;
	if (!madt)
		return 0;
	int count = 0;
	/* The header, then the local APIC address and flags, then entries of
	 * (type, length, ...). */
	const uint8_t *at = (const uint8_t *)(madt + 1) + 8, *end = (const uint8_t *)madt + madt->length;
	while (at + 2 <= end && at[1] >= 2 && at + at[1] <= end && count < max) {
		uint32_t id = 0, flags = 0;
		bool processor = false;
		if (at[0] == MADT_LOCAL_APIC && at[1] >= 8) {
			id = at[3];
			memcpy(&flags, at + 4, 4);
			processor = true;
		} else if (at[0] == MADT_LOCAL_X2APIC && at[1] >= 16) {
			memcpy(&id, at + 4, 4);
			memcpy(&flags, at + 8, 4);
			processor = id < 255;
		}
		if (processor && (flags & APIC_ENABLED))
			apic_ids[count++] = (uint8_t)id;
		at += at[1];
	}
	return count;
}
