using System.Runtime.InteropServices;

namespace MixMate.Plugin.Abi;

/// <summary>mm_view_edit: one step of a host edit gesture the editor made (mixmate_abi.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MmViewEdit
{
    /// <summary>MM_EDIT_BEGIN: the user took hold of a control (VST3 beginEdit).</summary>
    public const int Begin = 0;

    /// <summary>MM_EDIT_PERFORM: a new value while held (VST3 performEdit).</summary>
    public const int Perform = 1;

    /// <summary>MM_EDIT_END: the user let go (VST3 endEdit).</summary>
    public const int End = 2;

    public int Kind;
    public uint Id;
    public double Value;

    public MmViewEdit(int kind, uint id, double value)
    {
        Kind = kind;
        Id = id;
        Value = value;
    }
}

/// <summary>Mouse event kinds of mm_api.view_mouse (MM_MOUSE_*).</summary>
public enum MouseKind
{
    Down = 0,
    Move = 1,
    Up = 2,
    Wheel = 3,
}

/// <summary>Keys of mm_api.view_key besides characters (MM_KEY_*): MixMate's own codes, which the
/// shim translates from the host's.</summary>
public enum EditorKey
{
    None = 0,
    Left = 1,
    Right = 2,
    Up = 3,
    Down = 4,
    Enter = 5,
    Escape = 6,
    Tab = 7,
}
