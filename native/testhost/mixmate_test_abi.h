/* Test hooks of the managed core (MixMate.Plugin.Abi.TestExports), for MixMate's own test host
 * only. The core exports them through one entry point of their own, mixmate_get_test_api, which
 * the VST3 shim never resolves (it binds mixmate_get_api alone, mixmate_abi.h): a host running
 * the plug-in cannot reach them through the shim. The test host opens the bundle's core
 * (Contents/Resources/MixMate.Core.so, the same mapping the shim loads) to call them.
 *
 * Threads as in mixmate_abi.h: [main] the test host's main thread, [any] any thread.
 */
#ifndef MIXMATE_TEST_ABI_H
#define MIXMATE_TEST_ABI_H

#include "../shim/mixmate_abi.h"

#define MM_TEST_ABI_VERSION 1
#define MM_TEST_API_SYMBOL "mixmate_get_test_api"

/* A whole offline render: a fresh instance of `kind`, configured for `frames` frames in one
 * block, given the parameter points and notes at absolute frame offsets. */
typedef struct mm_render_args
{
    int32_t kind;
    int32_t channels;
    int32_t frames;
    int32_t point_count;
    double sample_rate;
    const float* input; /* planar: channel c at input[c * frames]; null for the instrument */
    float* output;      /* planar, channels * frames */
    const mm_param_point* points;
    const mm_note* notes;
    int32_t note_count;
    int32_t reserved;
} mm_render_args;

typedef struct mm_test_api
{
    int32_t abi_version; /* [out] MM_TEST_ABI_VERSION of the managed side */
    int32_t struct_size; /* [in] sizeof(mm_test_api) */
    /* [main] Renders offline with the same managed chain (see mm_render_args). */
    mm_status (*render_offline)(mm_render_args* args);
    /* [main] Runs a full blocking garbage collection and reports the managed heap size in bytes
     * afterwards (leak tests). */
    mm_status (*collect_garbage)(int64_t* managed_bytes);
    /* [any] Bytes the managed code allocated so far on the calling thread (a process call that
     * allocates moves it). */
    mm_status (*thread_allocated_bytes)(int64_t* bytes);
} mm_test_api;

/* Fills *api (api->struct_size set by the caller). */
typedef mm_status (*mm_get_test_api_fn)(mm_test_api* api);

#ifdef __cplusplus
static_assert(sizeof(mm_render_args) == 64 && offsetof(mm_render_args, input) == 24, "mm_render_args layout");
static_assert(sizeof(mm_test_api) == 8 + 3 * 8, "mm_test_api layout");
#endif

#endif
