/* Tests who QEMU runs as: nobody when sole is root, the owner of the volume
 * folders, root where only root can do QEMU's work (a folder of root's, a
 * port below 1024), and sole's own ids with --no-sandbox or when sole is not
 * root, and /dev/kvm's group with KVM. The cases that need root are checked
 * only as root. */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "qemu_user.h"

static struct qemu_user chosen_for(const struct run_options *options)
{
	struct qemu_user user;
	qemu_user_choose(options, ACCEL_KIND_TCG, &user);
	return user;
}

/* With KVM: the group of /dev/kvm joins QEMU's, or QEMU stays root when only
 * root may open it; nothing changes on a host without it. */
static void check_kvm_device(void)
{
	struct run_options options = {0};
	struct qemu_user user;
	struct stat kvm;
	qemu_user_choose(&options, ACCEL_KIND_KVM, &user);
	if (stat("/dev/kvm", &kvm) != 0 || (kvm.st_mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH)) {
		CHECK(user.drop && !user.why_root);
	} else if (kvm.st_gid != 0 && (kvm.st_mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP)) {
		CHECK(user.drop && user.group_count >= 2 && user.groups[user.group_count - 1] == kvm.st_gid);
	} else {
		CHECK(!user.drop && user.why_root && strstr(user.why_root, "/dev/kvm"));
	}
	qemu_user_free(&user);
}

static void check_as_root(void)
{
	struct passwd *nobody = getpwnam("nobody");
	struct run_options options = {0};
	struct qemu_user user = chosen_for(&options);
	CHECK(nobody && user.drop && user.uid == nobody->pw_uid && user.gid == nobody->pw_gid && !user.why_root);
	qemu_user_free(&user);

	options.no_sandbox = true;
	user = chosen_for(&options);
	CHECK(!user.drop && !user.why_root);
	options.no_sandbox = false;

	struct port_mapping http = {.as_typed = "80:80", .host_port = 80};
	options.network.ports = &http;
	options.network.port_count = 1;
	user = chosen_for(&options);
	CHECK(!user.drop && user.why_root && strstr(user.why_root, "-p 80:80"));
	qemu_user_free(&user);
	options.network.port_count = 0;

	char folder[] = "/tmp/sole-test-qemu-user-XXXXXX";
	CHECK(mkdtemp(folder) != NULL);
	struct volume_request volume = {.as_typed = "x:/data", .host_path = folder, .guest_path = "/data"};
	options.volumes = &volume;
	options.volume_count = 1;
	user = chosen_for(&options);
	CHECK(!user.drop && user.why_root && strstr(user.why_root, "belongs to root"));
	qemu_user_free(&user);

	CHECK(chown(folder, 4321, 4322) == 0); /* a uid no account has: its folder's group */
	user = chosen_for(&options);
	CHECK(user.drop && user.uid == 4321 && user.gid == 4322 && user.group_count == 1 && !user.why_root);
	qemu_user_free(&user);
	rmdir(folder);
}

int main(void)
{
	if (geteuid() == 0) {
		check_as_root();
		check_kvm_device();
	} else {
		struct run_options options = {0};
		struct qemu_user user = chosen_for(&options);
		CHECK(!user.drop && !user.why_root);
	}
	return check_summary("qemu_user");
}
