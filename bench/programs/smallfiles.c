/* 4: N files of 100 bytes in DIR: create all, stat all, read all, remove all. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIZE 100

static void content(long i, char *out) {
  for (int j = 0; j < SIZE; j++) out[j] = (char)('a' + (i + j) % 26);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: smallfiles DIR COUNT\n"); return 2; }
  const char *dir = argv[1];
  long n = atol(argv[2]);
  char path[4096], want[SIZE], got[SIZE + 28];
  long long bytes = 0;

  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/f%06ld.txt", dir, i);
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) { perror("create"); return 1; }
    content(i, want);
    if (write(fd, want, SIZE) != SIZE) { perror("write"); return 1; }
    if (close(fd) != 0) { perror("close"); return 1; }
  }
  for (long i = 0; i < n; i++) {
    struct stat st;
    snprintf(path, sizeof path, "%s/f%06ld.txt", dir, i);
    if (stat(path, &st) != 0) { perror("stat"); return 1; }
    if (st.st_size != SIZE || !S_ISREG(st.st_mode)) { fprintf(stderr, "bad stat for %s\n", path); return 1; }
  }
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/f%06ld.txt", dir, i);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    ssize_t r = read(fd, got, sizeof got);
    content(i, want);
    if (r != SIZE || memcmp(got, want, SIZE) != 0) { fprintf(stderr, "bad content in %s\n", path); return 1; }
    bytes += r;
    close(fd);
  }
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/f%06ld.txt", dir, i);
    if (unlink(path) != 0) { perror("unlink"); return 1; }
  }
  printf("RESULT files=%ld bytes=%lld\n", n, bytes);
  return 0;
}
