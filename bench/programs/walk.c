/* 5: recursive walk of DIR with opendir/readdir, stat()ing every entry. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static long dirs, files;
static long long bytes;

static int walk(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) { perror(dir); return -1; }
  struct dirent *e;
  char path[4096];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st) != 0) { perror(path); closedir(d); return -1; }
    if (S_ISDIR(st.st_mode)) {
      dirs++;
      if (walk(path) != 0) { closedir(d); return -1; }
    } else if (S_ISREG(st.st_mode)) {
      files++;
      bytes += st.st_size;
    }
  }
  closedir(d);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: walk DIR\n"); return 2; }
  if (walk(argv[1]) != 0) return 1;
  printf("RESULT dirs=%ld files=%ld bytes=%lld\n", dirs, files, bytes);
  return 0;
}
