/* A container's state folder, see oci_state.h. */
#define _GNU_SOURCE
#include "oci_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text_file.h"
#include "xalloc.h"

char *oci_state_folder(const char *root, const char *id) { return xasprintf("%s/%s", root, id); }

int oci_write_atomically(const char *path, const char *text)
{
	char *temporary = xasprintf("%s.tmp", path);
	int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t length = strlen(text);
	int status = fd >= 0 && write(fd, text, length) == (ssize_t)length ? 0 : -1;
	if (fd >= 0 && close(fd) != 0)
		status = -1;
	if (status == 0)
		status = rename(temporary, path);
	if (status != 0)
		unlink(temporary);
	free(temporary);
	return status;
}

static void print_annotations(FILE *out, const struct json_value *annotations)
{
	fputc('{', out);
	for (size_t i = 0; annotations && i < annotations->count; i++) {
		if (annotations->items[i]->type != JSON_STRING)
			continue;
		fputs(i ? "," : "", out);
		json_write_string(out, annotations->keys[i]);
		fputc(':', out);
		json_write_string(out, annotations->items[i]->string);
	}
	fputc('}', out);
}

/* The fields both files share; status is runc's, or NULL in state.json. */
static void print_fields(FILE *out, const struct oci_state *state, const char *status)
{
	fprintf(out, "{\"ociVersion\":\"%s\",\"id\":", OCI_VERSION);
	json_write_string(out, state->id);
	fprintf(out, ",\"pid\":%d,", status && strcmp(status, "stopped") == 0 ? 0 : (int)state->pid);
	if (status)
		fprintf(out, "\"status\":\"%s\",", status);
	else
		fprintf(out, "\"startTime\":%llu,", (unsigned long long)state->start_time);
	fputs("\"bundle\":", out);
	json_write_string(out, state->bundle);
	fputs(",\"rootfs\":", out);
	json_write_string(out, state->rootfs);
	fputs(",\"created\":", out);
	json_write_string(out, state->created);
	fputs(",\"owner\":", out);
	json_write_string(out, state->owner);
	fputs(",\"annotations\":", out);
	print_annotations(out, state->annotations);
	fputs("}\n", out);
}

int oci_state_write(const struct oci_state *state)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	print_fields(out, state, NULL);
	fclose(out);
	char *path = xasprintf("%s/%s", state->folder, OCI_STATE_FILE);
	int status = oci_write_atomically(path, text);
	free(path);
	free(text);
	return status;
}

static char *string_of(const struct json_value *v, const char *key)
{
	const char *s = json_string_member(v, key);
	return xstrdup(s ? s : "");
}

int oci_state_read(const char *folder, struct oci_state *state)
{
	*state = (struct oci_state){0};
	char *path = xasprintf("%s/%s", folder, OCI_STATE_FILE);
	char *text = text_file_read(path);
	free(path);
	if (!text)
		return -1;
	char problem[128];
	struct json_value *v = json_parse(text, problem, sizeof problem);
	free(text);
	if (!v) {
		errno = EINVAL;
		return -1;
	}
	state->folder = xstrdup(folder);
	state->id = string_of(v, "id");
	state->bundle = string_of(v, "bundle");
	state->rootfs = string_of(v, "rootfs");
	state->created = string_of(v, "created");
	state->owner = string_of(v, "owner");
	const struct json_value *pid = json_member(v, "pid"), *start = json_member(v, "startTime");
	state->pid = pid && pid->type == JSON_NUMBER ? (pid_t)pid->number : 0;
	state->start_time = start && start->type == JSON_NUMBER ? (uint64_t)start->number : 0;
	/* the annotations object moves out of the tree */
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->keys[i], "annotations") == 0 && v->items[i]->type == JSON_OBJECT) {
			state->annotations = v->items[i];
			v->items[i] = xcalloc(1, sizeof(struct json_value));
		}
	json_free(v);
	return 0;
}

void oci_state_free(struct oci_state *state)
{
	free(state->folder);
	free(state->id);
	free(state->bundle);
	free(state->rootfs);
	free(state->created);
	free(state->owner);
	json_free(state->annotations);
	*state = (struct oci_state){0};
}

uint64_t oci_process_start_time(pid_t pid)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	const char *at = strrchr(text, ')'); /* the name may hold spaces */
	if (!at || at[1] != ' ' || at[2] == 'Z' || at[2] == 'X')
		return 0;
	at += 2; /* field 3, the state */
	for (int field = 3; field < 22 && at; field++) {
		at = strchr(at, ' ');
		at = at ? at + 1 : NULL;
	}
	return at ? strtoull(at, NULL, 10) : 0;
}

enum oci_status oci_state_status(const struct oci_state *state)
{
	if (state->pid <= 0 || oci_process_start_time(state->pid) != state->start_time)
		return OCI_STOPPED;
	char *fifo = xasprintf("%s/%s", state->folder, OCI_FIFO);
	bool waiting = access(fifo, F_OK) == 0;
	free(fifo);
	return waiting ? OCI_CREATED : OCI_RUNNING;
}

const char *oci_status_name(enum oci_status status)
{
	static const char *const names[] = {[OCI_CREATED] = "created", [OCI_RUNNING] = "running",
	                                    [OCI_STOPPED] = "stopped"};
	return names[status];
}

void oci_state_print(FILE *out, const struct oci_state *state)
{
	print_fields(out, state, oci_status_name(oci_state_status(state)));
}
