/* `sole run`: boot a binary in the sole kernel under QEMU and behave like
 * running it natively. */
#ifndef SOLE_RUN_H
#define SOLE_RUN_H

/* argv holds the arguments after "run"; returns sole's exit status. */
int run_command(int argc, char **argv);

#endif
