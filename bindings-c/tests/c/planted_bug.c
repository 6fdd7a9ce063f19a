/* A deliberately broken program: `make test-c` checks that valgrind and
 * ASan/UBSan, run exactly as on the real tests, fail on it. This proves the
 * memory checks can fail (a tool that reports nothing proves nothing). */
#include <hooksig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("%s\n", hooksig_version());
    if (argc > 1 && strcmp(argv[1], "leak") == 0) {
        char *lost = malloc(64);
        if (lost == NULL) {
            return 2;
        }
        strcpy(lost, "never freed");
        printf("%s\n", lost);
        lost = NULL; /* the only pointer is gone: a definite leak */
        return 0;
    }
    volatile size_t n = 16;
    char *buf = malloc(n);
    if (buf == NULL) {
        return 2;
    }
    memset(buf, 'x', n);
    int past_the_end = buf[n]; /* an invalid read, one past a heap block */
    free(buf);
    return past_the_end == 'x' ? 3 : 0;
}
