using System.Globalization;
using System.Text.Json;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;

namespace MixMate.Cli.Batch;

/// <summary>
/// What a batch works on, decided the same way by every run and every shard: the inputs in the
/// order given (a folder contributes its audio files, found recursively, sorted by path; hidden
/// files and the output folder are skipped; a file named twice, under any name, counts once),
/// then the manifest's lines; each input's outputs in DIR, named after it. Where two inputs would
/// write the same output, the first keeps it and the other fails with a line that says so.
/// </summary>
/// <remarks>[main-thread]</remarks>
internal static class BatchInputs
{
    /// <summary>Extensions of the audio files a folder contributes (what libsndfile reads).</summary>
    public static readonly string[] AudioExtensions = [".wav", ".wave", ".flac", ".aif", ".aiff", ".aifc", ".ogg", ".oga", ".opus", ".mp3", ".w64", ".rf64", ".caf"];

    /// <summary>Plans every input of the batch (before sharding).</summary>
    /// <param name="verb">The command.</param>
    /// <param name="arguments">Files and folders.</param>
    /// <param name="manifest">A manifest (JSON lines), or null.</param>
    /// <param name="outDir">DIR.</param>
    /// <param name="options">The command line's options.</param>
    /// <exception cref="CliException">A bad option or manifest line (nothing is done then).</exception>
    public static List<BatchItem> Plan(BatchVerb verb, IReadOnlyList<string> arguments, string? manifest, string outDir, RawOptions options)
    {
        BatchOptions common = options.Resolve(verb, null, "batch");
        var items = new List<BatchItem>();
        string outFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        foreach (string argument in arguments)
        {
            (PosixFiles.Kind kind, _, _) = PosixFiles.Identify(argument);
            if (kind == PosixFiles.Kind.Directory)
            {
                foreach (string file in AudioFilesIn(argument, outFull))
                {
                    items.Add(Item(verb, file, null, common));
                }
            }
            else
            {
                string? problem = kind switch
                {
                    PosixFiles.Kind.Missing => "no such file or folder",
                    PosixFiles.Kind.Regular => null,
                    _ => "is not a regular file",
                };
                items.Add(Item(verb, argument, null, common) with { Problem = problem });
            }
        }

        if (manifest is not null)
        {
            items.AddRange(ReadManifest(verb, manifest, options));
        }

        return AssignOutputs(Deduplicate(items), outDir);
    }

    /// <summary>DIR-relative default names: NAME.EXT and NAME.json for master, NAME.json otherwise.</summary>
    private static BatchItem Item(BatchVerb verb, string input, string? output, BatchOptions options)
    {
        string name = Path.GetFileNameWithoutExtension(input);
        if (verb == BatchVerb.Master)
        {
            string audio = output ?? $"{name}.{options.Format}";
            return new BatchItem(input, audio, Path.ChangeExtension(audio, ".json"), options, null);
        }

        return new BatchItem(input, output ?? name + ".json", null, options, null);
    }

    private static IEnumerable<string> AudioFilesIn(string folder, string outFull)
    {
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden,
            MatchType = MatchType.Simple,
        };
        var found = new List<string>();
        foreach (string path in Directory.EnumerateFiles(folder, "*", enumeration))
        {
            string full = Path.GetFullPath(path);
            if (full.StartsWith(outFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            if (AudioExtensions.Contains(Path.GetExtension(path).ToLowerInvariant(), StringComparer.Ordinal))
            {
                found.Add(path);
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static List<BatchItem> ReadManifest(BatchVerb verb, string manifest, RawOptions commandLine)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.ForFile(manifest, $"cannot read the manifest: {e.Message}");
        }

        string folder = Path.GetDirectoryName(manifest) is { Length: > 0 } f ? f : ".";
        var items = new List<BatchItem>();
        for (int i = 0; i < lines.Length; i++)
        {
            string text = lines[i].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            string where = string.Create(CultureInfo.InvariantCulture, $"{manifest}:{i + 1}");
            JsonElement line;
            try
            {
                using var document = JsonDocument.Parse(text);
                line = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new CliException($"{where}: not a JSON object ({e.Message.Split(" Path:", 2)[0]})");
            }

            if (line.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"{where}: each line must be a JSON object with \"input\"");
            }

            foreach (JsonProperty property in line.EnumerateObject())
            {
                if (property.Name is not ("input" or "output") && !RawOptions.ManifestKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new CliException($"{where}: unknown key \"{property.Name}\" (keys: input, output, {string.Join(", ", RawOptions.ManifestKeys)})");
                }
            }

            string input = line.TryGetProperty("input", out JsonElement inputValue) && inputValue.ValueKind == JsonValueKind.String && inputValue.GetString() is { Length: > 0 } s
                ? s
                : throw new CliException($"{where}: \"input\" (a path) is required");
            string? output = line.TryGetProperty("output", out JsonElement outputValue) && outputValue.ValueKind == JsonValueKind.String ? outputValue.GetString() : null;
            if (output is { Length: 0 } || (output is not null && output.EndsWith('/')))
            {
                throw new CliException($"{where}: \"output\" must name a file");
            }

            // Relative inputs are relative to the manifest's folder, so a manifest travels with its files.
            string path = Path.IsPathRooted(input) ? input : Path.Combine(folder, input);
            BatchOptions options = RawOptions.FromManifest(line, where).Over(commandLine).Resolve(verb, output, where);
            (PosixFiles.Kind kind, _, _) = PosixFiles.Identify(path);
            string? problem = kind switch
            {
                PosixFiles.Kind.Missing => "no such file",
                PosixFiles.Kind.Regular => null,
                _ => "is not a regular file",
            };
            items.Add(Item(verb, path, output, options) with { Problem = problem });
        }

        return items;
    }

    /// <summary>Keeps the first of inputs that are the same file (device and inode).</summary>
    private static List<BatchItem> Deduplicate(List<BatchItem> items)
    {
        var seen = new HashSet<(ulong, ulong)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<BatchItem>(items.Count);
        foreach (BatchItem item in items)
        {
            (PosixFiles.Kind kind, ulong device, ulong inode) = PosixFiles.Identify(item.Input);
            bool duplicate = kind == PosixFiles.Kind.Regular && PosixFiles.Supported ? !seen.Add((device, inode)) : !names.Add(item.Input);
            if (!duplicate)
            {
                kept.Add(item);
            }
        }

        return kept;
    }

    private static List<BatchItem> AssignOutputs(List<BatchItem> items, string outDir)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<BatchItem>(items.Count);
        foreach (BatchItem item in items)
        {
            string[] mine = item.Report is null ? [item.Output] : [item.Output, item.Report];
            string? taken = null;
            foreach (string name in mine)
            {
                string key = Path.GetFullPath(Path.Combine(outDir, name));
                if (owners.TryGetValue(key, out string? owner))
                {
                    taken = $"its output {name} is also {owner}'s (inputs with one name write one output; give it its own \"output\" in a --manifest)";
                    break;
                }
            }

            if (taken is null && item.Problem is null)
            {
                foreach (string name in mine)
                {
                    owners[Path.GetFullPath(Path.Combine(outDir, name))] = item.Input;
                }
            }

            result.Add(taken is null ? item : item with { Problem = item.Problem ?? taken });
        }

        return result;
    }
}
