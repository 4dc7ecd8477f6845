/* 3: write DIR/big.bin as N chunks of 64 KiB, read it back in 64 KiB chunks, verify, remove. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536
static unsigned char buf[CHUNK];

static int write_all(int fd, const unsigned char *p, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w <= 0) return -1;
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Fills the whole chunk unless EOF comes first; returns bytes read, -1 on error. */
static ssize_t read_chunk(int fd, unsigned char *p) {
  size_t got = 0;
  while (got < CHUNK) {
    ssize_t r = read(fd, p + got, CHUNK - got);
    if (r < 0) return -1;
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: bigfile DIR CHUNKS\n"); return 2; }
  long chunks = atol(argv[2]);
  char path[4096];
  snprintf(path, sizeof path, "%s/big.bin", argv[1]);

  for (int i = 0; i < CHUNK; i++) buf[i] = (unsigned char)(i * 7);
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) { perror("open for write"); return 1; }
  for (long c = 0; c < chunks; c++) {
    uint64_t stamp = (uint64_t)c;
    memcpy(buf, &stamp, sizeof stamp);
    if (write_all(fd, buf, CHUNK) != 0) { perror("write"); return 1; }
  }
  if (close(fd) != 0) { perror("close"); return 1; }

  fd = open(path, O_RDONLY);
  if (fd < 0) { perror("open for read"); return 1; }
  long long bytes = 0;
  long seen = 0;
  int ok = 1;
  for (;;) {
    ssize_t r = read_chunk(fd, buf);
    if (r < 0) { perror("read"); return 1; }
    if (r == 0) break;
    uint64_t stamp;
    memcpy(&stamp, buf, sizeof stamp);
    if (r != CHUNK || stamp != (uint64_t)seen || buf[CHUNK - 1] != (unsigned char)((CHUNK - 1) * 7)) ok = 0;
    bytes += r;
    seen++;
  }
  close(fd);
  if (unlink(path) != 0) { perror("unlink"); return 1; }
  printf("RESULT chunks=%ld bytes=%lld ok=%d\n", seen, bytes, ok);
  return 0;
}
