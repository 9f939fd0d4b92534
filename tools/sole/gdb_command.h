/* `sole run --gdb`: the gdb command line that attaches to QEMU's gdb stub
 * with the kernel's symbols and the app's at the address it will load at. */
#ifndef SOLE_GDB_COMMAND_H
#define SOLE_GDB_COMMAND_H

/* Returns a shell command line, to free. */
char *gdb_command_line(const char *kernel_elf, const char *app_host_path, int port);

#endif
