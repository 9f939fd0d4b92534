/* The framing on the console line between the sole kernel and the host CLI.
 * One line carries the app's stdout and stderr, kernel messages, crash
 * records and the exit status; the host demultiplexes them. */
#ifndef SOLE_CONSOLE_WIRE_H
#define SOLE_CONSOLE_WIRE_H

/* Every control sequence starts with WIRE_ESC; a literal 0x10 byte inside
 * a stream is sent as WIRE_ESC WIRE_ESC. */
#define WIRE_ESC 0x10

/* Guest to host: WIRE_ESC then one of these switches the current stream.
 * The line starts on WIRE_LOG at boot. */
#define WIRE_STDOUT 'O' /* the app's fd 1 */
#define WIRE_STDERR 'E' /* the app's fd 2 */
#define WIRE_LOG 'K'    /* kernel log: shown with --verbose */
#define WIRE_WARN 'W'   /* kernel warnings: always shown, one per line */
#define WIRE_TRACE 'T'  /* strace-style lines: shown with --trace */
#define WIRE_CRASH 'C'  /* crash record lines, see docs/crash-record.md */
#define WIRE_MISSING 'M' /* at exit: paths the app failed to open (ENOENT), one per line;
			  * MISSING_RUN_PREFIX before one it failed to run (execve) */
#define WIRE_SUMMARY 'S' /* per-syscall counts at exit, with --syscall-summary: one
			  * "NR CALLS ERRORS ENOSYS NANOSECONDS" line per syscall made */
#define WIRE_STATS 'F'   /* with --stats-file: "uptime_ms=U free_pages=F total_pages=T"
			  * once a second while the app makes syscalls (kernel/mm/page_stats.c) */

#define MISSING_RUN_PREFIX "run "

/* Guest to host: WIRE_ESC WIRE_EXIT <status byte>. The VM powers off next. */
#define WIRE_EXIT 'X'

/* Guest to host, on the UART: WIRE_ESC WIRE_READY once the kernel runs. */
#define WIRE_READY 'R'

/* The line is the virtio-console port WIRE_VIRTIO_PORT (a virtserialport;
 * multiport) once the guest's driver is up, and the UART (COM1) before it
 * and after a kernel panic: the host reads both, each on its own. Host to
 * guest there is only the virtio port. */
#define WIRE_VIRTIO_PORT 1

/* Host to guest: stdin bytes, escaped the same way, then WIRE_ESC WIRE_EOF. */
#define WIRE_EOF 'Z'

/* Host to guest, under `sole run -t`: the host terminal's size, on every
 * SIGWINCH, as WIRE_ESC WIRE_WINSIZE then ASCII "ROWSxCOLS;" (written by
 * console_mux_winsize; the size at start is in the boot configuration). */
#define WIRE_WINSIZE 'G'

/* Host to guest: WIRE_ESC WIRE_STDOUT_CLOSED. Where the app's stdout goes on
 * the host is closed (a pipe whose reader left): the app's writes to its
 * stdout now fail as writes to a broken pipe do, with SIGPIPE and EPIPE. */
#define WIRE_STDOUT_CLOSED 'P'

/* Host to guest: WIRE_ESC WIRE_SIGNAL then one byte, a signal number: the
 * host was asked to stop the app (sole run --sig-proxy, sole-oci's kill),
 * and the VM's first process gets that signal, as a container's init does. */
#define WIRE_SIGNAL 'Q'

/* The boot configuration travels as a file in the initrd. The kernel reads
 * it and removes it from the tree before the app starts. It is a sequence of
 * NUL-terminated "key=value" strings; see docs/boot-config.md. */
#define BOOT_CONFIG_PATH ".sole-boot"

#endif
