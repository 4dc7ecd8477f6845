/* 1: N small write()s of 16 bytes to stdout. Result on stderr (stdout is the payload). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  static const char msg[16] = "0123456789abcde\n";
  long total = 0;
  for (long i = 0; i < n; i++) {
    ssize_t w = write(1, msg, sizeof msg);
    if (w != (ssize_t)sizeof msg) {
      fprintf(stderr, "short write at %ld: %zd\n", i, w);
      return 1;
    }
    total += w;
  }
  fprintf(stderr, "RESULT writes=%ld bytes=%ld\n", n, total);
  return 0;
}
