/* 2: N clock_gettime(CLOCK_MONOTONIC) calls; checks the clock never goes backwards. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  struct timespec prev = {0, 0}, now;
  int monotonic = 1;
  for (long i = 0; i < n; i++) {
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
      perror("clock_gettime");
      return 1;
    }
    if (now.tv_sec < prev.tv_sec || (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec))
      monotonic = 0;
    prev = now;
  }
  printf("RESULT calls=%ld monotonic=%d\n", n, monotonic);
  return 0;
}
