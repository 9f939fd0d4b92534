/* Maps the vvar page (read-only) and the vDSO image (read and execute),
 * served in place from the kernel image like initrd files. */
#include "kernel/vdso/vdso_map.h"

#include "kernel/fs/vfs.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"

extern const uint8_t vdso_image[];
extern const size_t vdso_image_size;

static union {
	struct vdso_data data;
	uint8_t bytes[PAGE_SIZE];
} vvar __attribute__((aligned(PAGE_SIZE)));

struct vdso_data *vdso_data(void) { return &vvar.data; }

/* An inode outside the tree whose bytes are kernel memory, mapped in place. */
static struct inode *inode_over(const void *bytes, uint64_t size)
{
	struct inode *ino = inode_new(S_IFREG | 0444);
	if (ino)
		inode_set_initrd_data(ino, bytes, size);
	return ino;
}

uint64_t vdso_map(struct addrspace *as)
{
	static struct inode *vvar_file, *vdso_file;
	if (!vvar_file)
		vvar_file = inode_over(vvar.bytes, PAGE_SIZE);
	if (!vdso_file)
		vdso_file = inode_over(vdso_image, vdso_image_size);
	uintptr_t base;
	if (!vvar_file || !vdso_file || as_find_free(as, PAGE_SIZE + vdso_image_size, &base))
		return 0;
	if (as_map(as, base, PAGE_SIZE, VMA_READ, 0, vvar_file, 0, PAGE_SIZE, "[vvar]") ||
	    as_map(as, base + PAGE_SIZE, vdso_image_size, VMA_READ | VMA_EXEC, 0, vdso_file, 0, vdso_image_size,
	           "[vdso]"))
		return 0;
	return base + PAGE_SIZE;
}
