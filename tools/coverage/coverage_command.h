/* `sole coverage`: will this binary run on sole? The syscalls it may make
 * (static analysis), the ones it really makes (--run), sole's own table. */
#ifndef SOLE_COVERAGE_COVERAGE_COMMAND_H
#define SOLE_COVERAGE_COVERAGE_COMMAND_H

/* argv holds the arguments after "coverage"; returns sole's exit status. */
int coverage_command(int argc, char **argv);

#endif
