/* 8: read stdin to EOF in 64 KiB chunks and count the bytes. */
#include <stdio.h>
#include <unistd.h>

static char buf[65536];

int main(void) {
  long long bytes = 0;
  for (;;) {
    ssize_t r = read(0, buf, sizeof buf);
    if (r < 0) { perror("read stdin"); return 1; }
    if (r == 0) break;
    bytes += r;
  }
  printf("RESULT bytes=%lld\n", bytes);
  return 0;
}
