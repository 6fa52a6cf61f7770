/*
 * Small-file workload for scripts/bench/fuse.sh: stat, open, read and close each of <count> files named
 * <dir>/fNNNNN; prints the elapsed seconds. Exits non-zero if any file is missing or short.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char path[4096];
    char buffer[8192];
    struct timespec start, end;
    if (argc != 3) {
        fprintf(stderr, "usage: %s <dir> <count>\n", argv[0]);
        return 2;
    }
    long count = strtol(argv[2], NULL, 10);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        struct stat st;
        snprintf(path, sizeof(path), "%s/f%05ld", argv[1], i);
        if (stat(path, &st) != 0) {
            perror(path);
            return 1;
        }
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            perror(path);
            return 1;
        }
        ssize_t n = read(fd, buffer, sizeof(buffer));
        close(fd);
        if (n != st.st_size) {
            fprintf(stderr, "%s: read %zd of %lld bytes\n", path, n, (long long)st.st_size);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%.6f\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
