/* A known profile for the stack tests, built with frame pointers in every
 * function (clang -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer):
 *   hotcold work SECS  burns CPU in hot_a 3 iterations for each 1 in hot_b,
 *                      the same loop body: 75% and 25% of its CPU time
 *   hotcold read SECS  reads /dev/zero: its time is in the kernel (libc's
 *                      read has no frame pointer: its caller is not seen)
 *   hotcold sleep SECS blocks in nanosleep 200 ms at a time, under
 *                      waits_here (the raw syscall: no libc frame between)
 *   hotcold deep SECS  burns CPU in spin 200 calls below main, deeper than
 *                      the kernel keeps a stack
 *   hotcold jit SECS   burns CPU in code it wrote into anonymous memory,
 *                      named jitted_hot in the /tmp/perf-PID.map it
 *                      writes, as a JIT does (x86-64; elsewhere exit 3)
 * It starts when a byte arrives on stdin (or at once if stdin is closed),
 * so the observer can attach first. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile uint64_t sink;

/* the one loop both run, so that their shares are its iterations' */
__attribute__((noinline)) static void spin(int n)
{
	for (int i = 0; i < n; i++)
		sink += (uint64_t)i * i;
}

__attribute__((noinline)) static void hot_a(void)
{
	spin(300000);
}

__attribute__((noinline)) static void hot_b(void)
{
	spin(100000);
}

__attribute__((noinline)) static void reads_zero(int fd)
{
	static char buf[1 << 16];

	if (read(fd, buf, sizeof(buf)) < 0)
		_exit(1);
}

/* the syscall made here, not through libc, whose wrappers keep no frame
 * pointer and would hide this function from the stack walk */
__attribute__((noinline)) static void waits_here(void)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	long ret;

#if defined(__x86_64__)
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_nanosleep), "D"(&ts), "S"(0L)
			 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_nanosleep;
	register long x0 __asm__("x0") = (long)&ts;
	register long x1 __asm__("x1") = 0;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	ret = x0;
#else
	ret = syscall(SYS_nanosleep, &ts, NULL);
#endif
	if (ret < 0)
		_exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A frame between main and hot_a/hot_b: a sample at their first or last
 * instruction, where their own frame is not yet or no longer set up, skips
 * their caller in the walk, and that caller is this one, not main. */
__attribute__((noinline)) static void burns(double end)
{
	while (now() < end) {
		hot_a();
		hot_b();
	}
}

/* Down depth calls, then the loop: no tail call, each frame stays. */
__attribute__((noinline)) static int descend(int depth)
{
	if (!depth) {
		spin(100000);
		return 0;
	}
	return descend(depth - 1) + (int)(sink & 1);
}

/* x86-64: mov ecx, 300000; 1: dec ecx; jnz 1b; ret */
static const unsigned char jit_code[] = { 0xb9, 0xe0, 0x93, 0x04, 0x00, 0xff, 0xc9, 0x75, 0xfc, 0xc3 };

/* The code into fresh executable memory and the perf map naming it. */
static void (*jit_write(void))(void)
{
	void *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64];
	FILE *f;

	if (mem == MAP_FAILED)
		return NULL;
	memcpy(mem, jit_code, sizeof(jit_code));
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	if (!(f = fopen(path, "w")))
		return NULL;
	fprintf(f, "%lx %zx jitted_hot\n", (unsigned long)mem, sizeof(jit_code));
	fclose(f);
	return (void (*)(void))mem;
}

int main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 3, end;
	char c;
	int fd;

	if (argc < 2 || (strcmp(argv[1], "work") && strcmp(argv[1], "read") && strcmp(argv[1], "sleep") &&
			 strcmp(argv[1], "jit") && strcmp(argv[1], "deep")))
		return 2;
#if !defined(__x86_64__)
	if (!strcmp(argv[1], "jit"))
		return 3;
#endif
	if (read(0, &c, 1) < 0)
		return 1;
	end = now() + secs;
	if (!strcmp(argv[1], "work")) {
		burns(end);
		return 0;
	}
	if (!strcmp(argv[1], "deep")) {
		while (now() < end)
			descend(200);
		return 0;
	}
	if (!strcmp(argv[1], "jit")) {
		void (*hot)(void) = jit_write();

		if (!hot)
			return 1;
		while (now() < end)
			hot();
		return 0;
	}
	if (!strcmp(argv[1], "sleep")) {
		while (now() < end)
			waits_here();
		return 0;
	}
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		return 1;
	while (now() < end)
		reads_zero(fd);
	return 0;
}
