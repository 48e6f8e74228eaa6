using System.Reflection;

namespace MixMate.Assistant;

/// <summary>
/// MixMate's version, from the one <c>&lt;Version&gt;</c> in <c>Directory.Build.props</c> (the native
/// shim's class info reads the same line), and the commit it was built from (the SDK's source link
/// appends it to the informational version).
/// </summary>
public static class ProductVersion
{
    private static readonly string Informational =
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>[any-thread] The version, e.g. "0.2.0".</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>[any-thread] The commit the build came from (12 hex digits), or "unknown" when it was
    /// built outside a git checkout.</summary>
    public static string Commit
    {
        get
        {
            int plus = Informational.IndexOf('+', StringComparison.Ordinal);
            if (plus < 0 || plus == Informational.Length - 1)
            {
                return "unknown";
            }

            string commit = Informational[(plus + 1)..];
            return commit.Length > 12 ? commit[..12] : commit;
        }
    }
}
