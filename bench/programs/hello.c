/* 7: startup to first output. */
#include <stdio.h>

int main(void) {
  puts("RESULT hello, world");
  return 0;
}
