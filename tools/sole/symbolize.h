/* `sole symbolize FILE`: prints the crash report of a crash file that
 * `sole run --core FILE` wrote. */
#ifndef SOLE_SYMBOLIZE_H
#define SOLE_SYMBOLIZE_H

int symbolize_command(int argc, char **argv);

#endif
