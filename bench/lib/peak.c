/*
 * peak OUT CMD [ARGS...]: runs CMD and writes "WALL_NS PEAK_RSS_KIB" to the file OUT — the wall
 * time from just before fork to its exit, and its peak resident set (wait4's ru_maxrss, what
 * /usr/bin/time's %M reports). Exits with CMD's status, or dies of CMD's signal. The child gets
 * SIGKILL if the measurer dies first (the bench's timeout kills this process), so nothing is left
 * running. Built by the bench with the native column's compiler (bench/lib/measure.ts).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: peak OUT CMD [ARGS...]\n"); return 2; }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) { perror("peak: fork"); return 2; }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execvp(argv[2], argv + 2);
    perror("peak: exec");
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) { perror("peak: wait4"); return 2; }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  FILE *out = fopen(argv[1], "w");
  if (out == NULL) { perror("peak: output"); return 2; }
  long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  fprintf(out, "%lld %ld\n", ns, ru.ru_maxrss);
  fclose(out);
  if (WIFSIGNALED(status)) {
    signal(WTERMSIG(status), SIG_DFL);
    raise(WTERMSIG(status));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
