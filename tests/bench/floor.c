/* Attach one program of tests/bench/floor.bpf.o (argv[1]; argv[2] names it,
 * floor_enter by default) and hold it until SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj = bpf_object__open_file(argc > 1 ? argv[1] : "floor.bpf.o", NULL);
	struct bpf_program *prog;
	sigset_t set;
	int sig;

	if (!obj)
		return 1;
	/* load only the program asked for */
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog),
						       argc > 2 ? argv[2] : "floor_enter"));
	if (bpf_object__load(obj))
		return 1;
	prog = bpf_object__find_program_by_name(obj, argc > 2 ? argv[2] : "floor_enter");
	if (!prog || !bpf_program__attach(prog))
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("attached\n");
	fflush(stdout);
	sigwait(&set, &sig);
	bpf_object__close(obj);
	return 0;
}
