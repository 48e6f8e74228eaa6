using MixMate.Assistant.Hosting;
using SkiaSharp;

namespace MixMate.Plugin.Editor;

/// <summary>
/// The editor's typefaces, loaded from files by path (never a system font look-up: the
/// NoDependencies Skia build has no fontconfig). The bundle ships DejaVu Sans from Debian's
/// <c>fonts-dejavu-core</c> (Bitstream Vera licence, redistributable with software) in
/// <c>Contents/Resources/fonts</c>; under the JIT the package's installed file is used.
/// </summary>
public static class EditorFonts
{
    /// <summary>File name of the regular face.</summary>
    public const string RegularFile = "DejaVuSans.ttf";

    /// <summary>File name of the bold face.</summary>
    public const string BoldFile = "DejaVuSans-Bold.ttf";

    /// <summary>Where Debian's fonts-dejavu-core installs the faces.</summary>
    public const string DebianDirectory = "/usr/share/fonts/truetype/dejavu";

    private static readonly Lazy<SKTypeface?> s_regular = new(() => Load(RegularFile));
    private static readonly Lazy<SKTypeface?> s_bold = new(() => Load(BoldFile) ?? Load(RegularFile));

    /// <summary>[main-thread] The regular face, or null when no file was found (text is not drawn).</summary>
    public static SKTypeface? Regular => s_regular.Value;

    /// <summary>[main-thread] The bold face (the regular one when only that exists), or null.</summary>
    public static SKTypeface? Bold => s_bold.Value;

    /// <summary>[any-thread] The files tried for <paramref name="file"/>, in order.</summary>
    public static IReadOnlyList<string> Candidates(string file) =>
    [
        Path.Combine(CodeLocation.Directory, "fonts", file),
        Path.Combine(DebianDirectory, file),
    ];

    private static SKTypeface? Load(string file)
    {
        SkiaLibrary.EnsureResolver();
        foreach (string path in Candidates(file))
        {
            if (File.Exists(path) && SKTypeface.FromFile(path) is SKTypeface face)
            {
                return face;
            }
        }

        return null;
    }
}
