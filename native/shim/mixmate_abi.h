/* The flat C ABI between the native VST3 shim and the managed plug-in (MixMate.Plugin).
 *
 * Shape: plain structs and function pointers only; no C++ type, no VST3 type and no GC
 * object crosses it. The managed core is compiled ahead of time (NativeAOT) into
 * Contents/Resources/MixMate.Core.so; the shim dlopens it and calls exactly one exported
 * [UnmanagedCallersOnly] entry point, mixmate_get_api(mm_api*) (MixMate.Plugin.Abi.Exports.GetApi),
 * which fills the table below. Every function returns an mm_status; a managed exception never
 * crosses the boundary (each entry point catches everything and returns MM_ERR_EXCEPTION).
 * Test hooks (offline render, garbage collection, allocation counter) are not part of this ABI:
 * the core exports them through a table of their own (native/testhost/mixmate_test_abi.h) that
 * the shim never resolves.
 *
 * Threads (the VST3 threading model, restated per function):
 *   [main]   the host's UI/main thread (create, destroy, parameter info, state, setup, activation)
 *   [audio]  the host's processing thread (process); allocation-free in the steady state
 *   [any]    any thread; lock-free reads of published values
 *
 * Strings are UTF-16 (char16_t), 128 units including the terminating zero, like VST3's String128.
 * The managed mirror of every struct is in src/MixMate.Plugin/Abi/NativeTypes.cs; both sides
 * check the sizes (static_assert here, a unit test there).
 */
#ifndef MIXMATE_ABI_H
#define MIXMATE_ABI_H

#include <stdint.h>
#ifdef __cplusplus
#include <cstddef>
#define MM_CHAR16 char16_t
#else
#include <stddef.h>
#define MM_CHAR16 uint16_t
#endif

#define MM_ABI_VERSION 4 /* 4: the test hooks left the table */

typedef int32_t mm_status;
#define MM_OK 0
#define MM_ERR_ARGUMENT 1           /* bad handle, index, id or size */
#define MM_ERR_STATE 2              /* call not allowed in the current state (e.g. process before setup) */
#define MM_ERR_EXCEPTION 3          /* a managed exception was caught; the instance stays usable */
#define MM_ERR_TOO_SMALL 4          /* output buffer too small; the needed size was written */
#define MM_ERR_RUNTIME 100          /* (native only) the core library could not be loaded */

/* Which plug-in an instance is. */
#define MM_KIND_MASTERING 0 /* "MixMate": stereo/mono effect */
#define MM_KIND_TONE 1      /* "MixMate Tone": test-signal instrument */

/* Parameter flags: the same bit values as VST3's ParameterInfo flags, so the shim copies them. */
#define MM_PARAM_AUTOMATABLE (1 << 0)
#define MM_PARAM_READ_ONLY (1 << 1)
#define MM_PARAM_LIST (1 << 3)
#define MM_PARAM_BYPASS (1 << 16)

/* Bits of mm_process_args.flags_out. */
#define MM_PROCESS_LATENCY_CHANGED (1 << 0)

#define MM_NOTE_ON 0
#define MM_NOTE_OFF 1

typedef struct mm_param_info
{
    uint32_t id;               /* stable, never renumbered; < 0x80000000 */
    int32_t step_count;        /* 0 = continuous, 1 = toggle, n = list of n+1 entries */
    double default_normalized; /* 0..1 */
    int32_t flags;             /* MM_PARAM_* */
    int32_t unit_id;           /* always 0 (root unit) */
    MM_CHAR16 title[128];
    MM_CHAR16 short_title[128];
    MM_CHAR16 units[128];
} mm_param_info;

/* One parameter value at a frame offset. In process(): offsets are relative to the block and
 * the array is sorted by offset. In render_offline(): offsets are absolute frame positions. */
typedef struct mm_param_point
{
    uint32_t id;
    int32_t offset;
    double value; /* normalized 0..1 */
} mm_param_point;

typedef struct mm_note
{
    int32_t offset; /* frame in the block (absolute in render_offline) */
    int32_t type;   /* MM_NOTE_ON / MM_NOTE_OFF */
    int32_t channel;
    int32_t pitch;   /* MIDI note number, A4 = 69 = 440 Hz */
    float velocity;  /* 0..1 */
    float tuning;    /* cents */
    int32_t note_id; /* -1 if the host gives none */
    int32_t reserved;
} mm_note;

typedef struct mm_process_args
{
    int32_t frames;       /* 0 is legal: parameter flush, buffers may be null */
    int32_t in_channels;  /* channels in inputs (0 for the instrument) */
    int32_t out_channels; /* channels in outputs */
    int32_t point_count;
    const float* const* inputs;   /* in_channels pointers, may alias outputs (in place) */
    float* const* outputs;        /* out_channels pointers */
    const mm_param_point* points; /* sorted by offset */
    const mm_note* notes;         /* sorted by offset */
    int32_t note_count;
    int32_t out_point_capacity;
    mm_param_point* out_points; /* read-only meter parameters reported back to the host */
    int32_t out_point_count;    /* [out] */
    int32_t flags_out;          /* [out] MM_PROCESS_* */
} mm_process_args;

/* Editor gestures (mm_api.view_poll_edits): the shim turns each into the host's beginEdit,
 * performEdit or endEdit. */
#define MM_EDIT_BEGIN 0
#define MM_EDIT_PERFORM 1
#define MM_EDIT_END 2

typedef struct mm_view_edit
{
    int32_t kind; /* MM_EDIT_* */
    uint32_t id;
    double value; /* normalized; the controller's view already holds it */
} mm_view_edit;

/* Mouse events of mm_api.view_mouse (coordinates in the window's physical pixels). */
#define MM_MOUSE_DOWN 0
#define MM_MOUSE_MOVE 1
#define MM_MOUSE_UP 2
#define MM_MOUSE_WHEEL 3 /* delta: steps, positive up */

/* Keys of mm_api.view_key besides characters: MixMate's own codes (the shim translates the
 * host's). */
#define MM_KEY_NONE 0
#define MM_KEY_LEFT 1
#define MM_KEY_RIGHT 2
#define MM_KEY_UP 3
#define MM_KEY_DOWN 4
#define MM_KEY_ENTER 5
#define MM_KEY_ESCAPE 6
#define MM_KEY_TAB 7

typedef struct mm_api
{
    int32_t abi_version; /* [out] MM_ABI_VERSION of the managed side */
    int32_t struct_size; /* [in] sizeof(mm_api) as the shim knows it */
    /* [main] Creates an instance; *handle is opaque and valid until destroy. */
    mm_status (*create)(int32_t kind, void** handle);
    /* [main] Frees an instance. */
    mm_status (*destroy)(void* handle);
    /* [main] Parameter list (static per kind). */
    mm_status (*get_param_count)(void* handle, int32_t* count);
    mm_status (*get_param_info)(void* handle, int32_t index, mm_param_info* info);
    /* [main] Display conversions; text is 128 UTF-16 units with terminator. */
    mm_status (*param_to_string)(void* handle, uint32_t id, double normalized, MM_CHAR16* text);
    mm_status (*string_to_param)(void* handle, uint32_t id, const MM_CHAR16* text, double* normalized);
    mm_status (*normalized_to_plain)(void* handle, uint32_t id, double normalized, double* plain);
    mm_status (*plain_to_normalized)(void* handle, uint32_t id, double plain, double* normalized);
    /* [any] The controller's view of a parameter; meters return the latest published value. */
    mm_status (*get_param)(void* handle, uint32_t id, double* normalized);
    /* [main] Sets the controller's view of a parameter (the host sends the same change to
     * process() through its parameter queue). */
    mm_status (*set_param)(void* handle, uint32_t id, double normalized);
    /* [main, inactive] Allocates for the sample rate, block size and channel counts. */
    mm_status (*setup)(void* handle, double sample_rate, int32_t max_block, int32_t in_channels,
                       int32_t out_channels);
    /* [main] Activation: active=1 resets signal state. */
    mm_status (*set_active)(void* handle, int32_t active);
    /* [audio, active] Processes one block; allocation-free. */
    mm_status (*process)(void* handle, mm_process_args* args);
    /* [main] Versioned state. get_state: if capacity is too small, writes the needed size to
     * *size and returns MM_ERR_TOO_SMALL. set_state: unknown or corrupt data loads defaults
     * and returns MM_OK (never an error the host could mishandle). */
    mm_status (*get_state)(void* handle, uint8_t* buffer, int32_t capacity, int32_t* size);
    mm_status (*set_state)(void* handle, const uint8_t* data, int32_t size);
    /* [any] Latency (frames, for the current setup) and tail (frames). */
    mm_status (*get_latency)(void* handle, int32_t* latency, int32_t* tail);
    /* [main] Host edits the plug-in wants made now (the mix assistant applying a suggestion):
     * up to `capacity` (id, value) pairs in edits (offset unused), their number in *count. The
     * controller's view already holds the values; the shim wraps each in the host's
     * beginEdit/performEdit/endEdit (grouped with IComponentHandler2 when the host has it) so the
     * DAW records the move and sends it to the processor. Cheap and allocation-free when there is
     * nothing to do: the shim polls it whenever the host calls the controller on its main thread
 * (the thread that set the component handler)
     * (setParamNormalized, which hosts call for every output parameter change, and
     * getParamNormalized). (ABI version 2.) */
    mm_status (*poll_edits)(void* handle, mm_param_point* edits, int32_t capacity, int32_t* count);

    /* --- The editor (ABI version 3). All [main]: the host's UI thread (IPlugView's methods and
     * the host's run-loop callbacks). A view is opaque and valid until view_close. --- */
    /* Opens an editor of the instance at content scale `scale` (1 = 96 dpi); its size in
     * physical pixels is written to *width, *height. */
    mm_status (*view_open)(void* handle, float scale, void** view, int32_t* width, int32_t* height);
    /* A new content scale; writes the size the editor now wants (ask the host for it). */
    mm_status (*view_set_scale)(void* view, float scale, int32_t* width, int32_t* height);
    /* Changes a proposed size (in/out) to the nearest one the editor accepts. */
    mm_status (*view_check_size)(void* view, int32_t* width, int32_t* height);
    /* The window now has this size. */
    mm_status (*view_set_size)(void* view, int32_t width, int32_t height);
    /* Draws into `pixels` (32-bit BGRA premultiplied, `stride` bytes a row) when anything shown
     * changed or `force` is set; *drawn = 1 when it did. */
    mm_status (*view_draw)(void* view, uint8_t* pixels, int32_t width, int32_t height, int32_t stride, int32_t force,
                           int32_t* drawn);
    /* A mouse event (MM_MOUSE_*); *handled = 1 when a control took it. */
    mm_status (*view_mouse)(void* view, int32_t kind, float x, float y, float delta, int32_t* handled);
    /* A key from the host: the UTF-16 character (0 if none), MM_KEY_*, modifier bits; *handled = 1
     * only when the editor used it (the host keeps the others). */
    mm_status (*view_key)(void* view, int32_t down, int32_t character, int32_t key, int32_t modifiers,
                          int32_t* handled);
    /* Moves the pending gesture steps (oldest first) into `edits`; their number in *count. */
    mm_status (*view_poll_edits)(void* view, mm_view_edit* edits, int32_t capacity, int32_t* count);
    /* Closes the editor. A control still held stays held: send MM_MOUSE_UP and poll first, so
     * the host sees the gesture end. */
    mm_status (*view_close)(void* view);
} mm_api;

/* The one managed entry point: fills *api (api->struct_size set by the caller). */
typedef mm_status (*mm_get_api_fn)(mm_api* api);

#ifdef __cplusplus
static_assert(sizeof(mm_param_info) == 792, "mm_param_info layout");
static_assert(offsetof(mm_param_info, title) == 24, "mm_param_info layout");
static_assert(sizeof(mm_param_point) == 16, "mm_param_point layout");
static_assert(sizeof(mm_note) == 32, "mm_note layout");
static_assert(sizeof(mm_process_args) == 72, "mm_process_args layout");
static_assert(offsetof(mm_process_args, inputs) == 16 && offsetof(mm_process_args, out_points) == 56,
              "mm_process_args layout");
static_assert(sizeof(mm_view_edit) == 16 && offsetof(mm_view_edit, value) == 8, "mm_view_edit layout");
static_assert(sizeof(mm_api) == 8 + 26 * 8, "mm_api layout");
#endif

#endif
