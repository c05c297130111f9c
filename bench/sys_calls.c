/* Benchmark: system calls — getppid (the cheapest) and a 1-byte write to /dev/null, in a loop;
 * the runner divides the time by the number of calls. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    int fd = open("/dev/null", O_WRONLY);
    long sum = 0;
    for (long i = 0; i < n; i++) {
        sum += getppid() > 0;
        sum += write(fd, "x", 1);
    }
    printf("sys_calls %ld\n", sum);
    return 0;
}
