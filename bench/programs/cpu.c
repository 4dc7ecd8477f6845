/* 6: CPU-bound integer hashing (a 64-bit mixing chain), no syscalls in the loop. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000000ull;
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (uint64_t i = 0; i < n; i++) {
    h ^= i;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
  }
  printf("RESULT iterations=%" PRIu64 " hash=%016" PRIx64 "\n", n, h);
  return 0;
}
