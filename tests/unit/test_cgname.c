/* Cgroup paths named as the README's table says: systemd units, sessions
 * and user units with their uid, containers of four runtimes (systemd and
 * cgroupfs layouts), Kubernetes pods with their QoS class, slices, and
 * anything else by its last element; and the slice a path is in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "views/cgname.h"

#define HEX "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void names(void **state)
{
	static const struct {
		const char *path, *name;
		enum cg_kind kind;
	} cases[] = {
		{ "/system.slice/nginx.service", "nginx.service", CG_SERVICE },
		{ "/user.slice/user-1000.slice/session-3.scope", "session-3 (uid 1000)", CG_SESSION },
		{ "/user.slice/user-1000.slice/user@1000.service/app.slice/x.service",
		  "x.service (uid 1000)", CG_SERVICE },
		{ "/user.slice/user-1000.slice/user@1000.service", "user@1000.service", CG_SERVICE },
		{ "/system.slice/docker-" HEX ".scope", "docker:0123456789ab", CG_CONTAINER },
		{ "/docker/" HEX, "docker:0123456789ab", CG_CONTAINER },
		{ "/system.slice/cri-containerd-" HEX ".scope", "containerd:0123456789ab", CG_CONTAINER },
		{ "/machine.slice/libpod-" HEX ".scope", "podman:0123456789ab", CG_CONTAINER },
		{ "/system.slice/crio-" HEX ".scope", "crio:0123456789ab", CG_CONTAINER },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234abcd_5678_90ef.slice/"
		  "cri-containerd-" HEX ".scope",
		  "pod 1234abcd/0123456789ab (burstable)", CG_POD },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podaaaabbbb_cc.slice/"
		  "crio-" HEX ".scope",
		  "pod aaaabbbb/0123456789ab (besteffort)", CG_POD },
		{ "/kubepods.slice/kubepods-pod12345678_9.slice/docker-" HEX ".scope",
		  "pod 12345678/0123456789ab (guaranteed)", CG_POD },
		{ "/system.slice", "system.slice", CG_SLICE },
		{ "/init.scope", "init.scope", CG_SCOPE },
		{ "/ebtop-e2e-x-123", "ebtop-e2e-x-123", CG_OTHER },
		{ "/system.slice/docker-xyz.scope", "docker-xyz.scope", CG_SCOPE }, /* not an id */
		{ "/", "/", CG_SLICE },
	};
	char name[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum cg_kind k = cg_name(cases[i].path, name, sizeof(name));

		if (strcmp(name, cases[i].name) || k != cases[i].kind)
			fail_msg("%s: got '%s' %s, want '%s' %s", cases[i].path, name, cg_kind_name(k),
				 cases[i].name, cg_kind_name(cases[i].kind));
	}
}

static void slices(void **state)
{
	char out[256];

	(void)state;
	cg_slice("/system.slice/nginx.service", out, sizeof(out));
	assert_string_equal(out, "/system.slice");
	cg_slice("/user.slice/user-1000.slice/session-3.scope", out, sizeof(out));
	assert_string_equal(out, "/user.slice/user-1000.slice");
	cg_slice("/system.slice", out, sizeof(out));
	assert_string_equal(out, "/system.slice");
	cg_slice("/init.scope", out, sizeof(out));
	assert_string_equal(out, "/");
	cg_slice("/", out, sizeof(out));
	assert_string_equal(out, "/");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(slices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
