/* Finds the files sole ships beside itself: the kernel ELF that QEMU boots
 * and sole-init. */
#ifndef SOLE_KERNEL_IMAGE_H
#define SOLE_KERNEL_IMAGE_H

/* Looks at --kernel, then $SOLE_KERNEL, then next to the sole executable
 * (build tree: kernel/sole-kernel.elf; installed: ../lib/sole/), then where
 * meson installs it. Returns an allocated path, or NULL after saying what to do. */
char *kernel_image_find(const char *flag_path);
/* sole-init, the pid 1 of --init, found the same way (build tree:
 * tools/sole-init). */
char *guest_init_find(void);

#endif
