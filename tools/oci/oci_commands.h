/* sole-oci's commands, as runc has them: create, start, state, kill,
 * delete, features and ps. Each returns the exit status (0, or 1 after
 * oci_error, as runc). */
#ifndef SOLE_OCI_COMMANDS_H
#define SOLE_OCI_COMMANDS_H

struct oci_globals {
	const char *root; /* --root, the state folders' parent */
};

int oci_create(const struct oci_globals *globals, int argc, char **argv);
int oci_start(const struct oci_globals *globals, int argc, char **argv);
int oci_state(const struct oci_globals *globals, int argc, char **argv);
int oci_kill(const struct oci_globals *globals, int argc, char **argv);
int oci_delete(const struct oci_globals *globals, int argc, char **argv);
int oci_features(const struct oci_globals *globals, int argc, char **argv);
int oci_ps(const struct oci_globals *globals, int argc, char **argv);

#endif
