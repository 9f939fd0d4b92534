/* process.terminal with --console-socket, as runc does it: the container's
 * process makes a pseudo-terminal, sends its master to the engine over the
 * console socket (SCM_RIGHTS, the pty's name as the payload) and takes the
 * slave as its controlling terminal and stdio; `sole run -it` then runs
 * the app on the VM's console tty with that terminal's size and keys. */
#ifndef SOLE_OCI_CONSOLE_H
#define SOLE_OCI_CONSOLE_H

/* In the container's process, a session leader. Returns 0, or -1 after
 * oci_error. */
int oci_console_attach(const char *socket_path);

#endif
