using SkiaSharp;

namespace MixMate.Plugin.Editor;

/// <summary>How a control turns a click or drag into parameter edits.</summary>
public enum ControlKind
{
    /// <summary>A click flips a 0/1 parameter (begin, perform, end at once).</summary>
    Toggle,

    /// <summary>A horizontal drag sets a continuous parameter (begin on press, perform while
    /// dragging, end on release); the wheel and arrow keys step it.</summary>
    Slider,

    /// <summary>A click moves a list parameter to its next entry (begin, perform, end at once).</summary>
    Cycle,
}

/// <summary>
/// One interactive rectangle of an editor bound to one parameter, in the editor's logical
/// coordinates (before the content scale). Immutable.
/// </summary>
/// <param name="Kind">What a click or drag does.</param>
/// <param name="ParameterId">The parameter edited.</param>
/// <param name="Bounds">Where it is, in logical units.</param>
/// <param name="Label">What it says.</param>
public sealed record EditorControl(ControlKind Kind, uint ParameterId, SKRect Bounds, string Label);
