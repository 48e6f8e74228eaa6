using MixMate.Assistant.Roles;

namespace MixMate.Cli.CommandLine;

/// <summary>
/// The <c>--role FILE=ROLE</c> options of <c>mix</c> and <c>suggest</c>: the role the user sets for
/// an input, which replaces the detected one before any engine runs. FILE names an input as it was
/// given on the command line, or the same file by another spelling (<c>./a.wav</c> for
/// <c>a.wav</c>); ROLE is one of <see cref="TrackRoles.All"/> (any case).
/// </summary>
internal static class RoleOverrides
{
    /// <summary>The option's name.</summary>
    public const string Option = "--role";

    /// <summary>[main thread] The user's role per input (null: as detected), in the order of
    /// <paramref name="inputs"/>.</summary>
    /// <exception cref="CliException">A value is not FILE=ROLE, names an unknown role or a file that
    /// is not an input, or sets two roles for one input.</exception>
    public static string?[] Parse(string command, IReadOnlyList<string> specs, IReadOnlyList<string> inputs)
    {
        var roles = new string?[inputs.Count];
        string valid = string.Join(", ", TrackRoles.All);
        foreach (string spec in specs)
        {
            int at = spec.LastIndexOf('=');
            if (at <= 0 || at == spec.Length - 1)
            {
                throw new CliException($"{command}: {Option} '{spec}' must be FILE=ROLE (roles: {valid})");
            }

            string file = spec[..at];
            string role = spec[(at + 1)..].Trim().ToLowerInvariant();
            if (TrackRoles.IndexOf(role) < 0)
            {
                throw new CliException($"{command}: {Option} {spec}: unknown role '{spec[(at + 1)..]}' (roles: {valid})");
            }

            bool matched = false;
            for (int i = 0; i < inputs.Count; i++)
            {
                if (!SameFile(inputs[i], file))
                {
                    continue;
                }

                if (roles[i] is string other && other != role)
                {
                    throw new CliException($"{command}: {Option}: {inputs[i]} is set to both {other} and {role}");
                }

                roles[i] = role;
                matched = true;
            }

            if (!matched)
            {
                throw new CliException($"{command}: {Option} {spec}: {file} is not among the inputs ({string.Join(", ", inputs)})");
            }
        }

        return roles;
    }

    private static bool SameFile(string input, string file)
    {
        if (input == file)
        {
            return true;
        }

        try
        {
            return Path.GetFullPath(input) == Path.GetFullPath(file);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }
}
