using System.Globalization;

namespace MixMate.Cli.CommandLine;

/// <summary>
/// A small, strict reader for one command's arguments: options are taken by name, whatever is left
/// must be positional, and anything unknown is an error. Accepts <c>--name value</c> and
/// <c>--name=value</c>; <c>--</c> ends the options.
/// </summary>
internal sealed class ArgReader
{
    private readonly List<string> _args;
    private readonly string _command;

    public ArgReader(string command, IEnumerable<string> args)
    {
        _command = command;
        _args = [.. args];
    }

    /// <summary>True when one of <paramref name="names"/> is present; removes it.</summary>
    public bool Flag(params string[] names)
    {
        bool found = false;
        for (int i = _args.Count - 1; i >= 0; i--)
        {
            if (IsOptionEnd(i))
            {
                continue;
            }

            if (names.Contains(_args[i], StringComparer.Ordinal))
            {
                _args.RemoveAt(i);
                found = true;
            }
        }

        return found;
    }

    /// <summary>The value of an option, or null when absent; removes it. Repeating an option is an error.</summary>
    public string? Option(params string[] names)
    {
        string? value = null;
        for (int i = 0; i < _args.Count; i++)
        {
            if (IsOptionEnd(i))
            {
                break;
            }

            string arg = _args[i];
            foreach (string name in names)
            {
                string? taken = null;
                if (arg == name)
                {
                    if (i + 1 >= _args.Count)
                    {
                        throw new CliException($"{_command}: {name} needs a value");
                    }

                    taken = _args[i + 1];
                    _args.RemoveRange(i, 2);
                }
                else if (arg.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    taken = arg[(name.Length + 1)..];
                    _args.RemoveAt(i);
                }

                if (taken is not null)
                {
                    if (value is not null)
                    {
                        throw new CliException($"{_command}: {name} given more than once");
                    }

                    value = taken;
                    i--;
                    break;
                }
            }
        }

        return value;
    }

    /// <summary>Every value of a repeatable option, in order (empty when absent); removes them.</summary>
    public IReadOnlyList<string> Options(string name)
    {
        var values = new List<string>();
        for (int i = 0; i < _args.Count; i++)
        {
            if (IsOptionEnd(i))
            {
                break;
            }

            if (_args[i] == name)
            {
                if (i + 1 >= _args.Count)
                {
                    throw new CliException($"{_command}: {name} needs a value");
                }

                values.Add(_args[i + 1]);
                _args.RemoveRange(i--, 2);
            }
            else if (_args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                values.Add(_args[i][(name.Length + 1)..]);
                _args.RemoveAt(i--);
            }
        }

        return values;
    }

    /// <summary>A numeric option within [min, max], or null when absent.</summary>
    public double? Number(string name, double min, double max)
    {
        string? text = Option(name);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new CliException($"{_command}: {name} must be a number, got '{text}'");
        }

        if (value < min || value > max)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{_command}: {name} {value} is out of range ({min} to {max})"));
        }

        return value;
    }

    /// <summary>An option restricted to a set of words, or null when absent.</summary>
    public string? Choice(string name, params string[] allowed)
    {
        string? text = Option(name);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            throw new CliException($"{_command}: {name} must be one of {string.Join(", ", allowed)}, got '{text}'");
        }

        return text;
    }

    /// <summary>Everything left, which must be positional. Call after taking every option.</summary>
    public IReadOnlyList<string> Positionals()
    {
        var result = new List<string>();
        bool optionsEnded = false;
        foreach (string arg in _args)
        {
            if (!optionsEnded && arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (!optionsEnded && arg.Length > 1 && arg[0] == '-' && !IsNumber(arg))
            {
                throw new CliException($"{_command}: unknown option '{arg}' (see 'mixmate {_command} --help')");
            }

            result.Add(arg);
        }

        return result;
    }

    private bool IsOptionEnd(int index) => _args.IndexOf("--") is int end && end >= 0 && index >= end;

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
