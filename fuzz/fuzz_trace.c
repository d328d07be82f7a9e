/*
 * libFuzzer target over the whole gotv pipeline (loader, model, rendering);
 * the stages are in fuzz/harness.c. Built by fuzz/run.sh with
 *   clang -fsanitize=fuzzer,address,undefined
 */
#include "fuzz/harness.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    unsigned s = fz_stages();
    if (!getenv("FZ_QUIET"))
        fprintf(stderr, "fuzz_trace: stages:%s%s%s%s\n", (s & 1) ? " loader" : "",
                (s & 2) ? " model" : "", (s & 4) ? " strings" : "", (s & 8) ? " frame" : "");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_one(data, size, NULL);
    return 0;
}
