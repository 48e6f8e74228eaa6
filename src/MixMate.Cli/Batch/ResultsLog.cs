using System.Text;
using System.Text.Json;
using MixMate.Cli.Output;

namespace MixMate.Cli.Batch;

/// <summary>
/// <c>DIR/results.jsonl</c>: one JSON line per input. A line is appended as each input finishes,
/// so an interrupted or killed run keeps what it finished (<c>--resume</c> reads it); at the end
/// of a run the file is rewritten with the latest line per input, sorted (byte order), so
/// any set of runs over the same inputs — one run, or N shards in any order — leaves the same
/// bytes. Every access takes an exclusive <c>flock</c> on <c>DIR/.results.jsonl.lock</c>, so
/// shards writing into one shared folder at once never interleave or lose a line; lines that do
/// not parse (not MixMate's) are kept, after the others.
/// </summary>
/// <remarks>[any-thread]</remarks>
internal sealed class ResultsLog
{
    /// <summary>The results file's name in DIR.</summary>
    public const string FileName = "results.jsonl";

    private const string LockName = ".results.jsonl.lock";

    private readonly string _lockPath;
    private readonly Lock _gate = new();

    /// <param name="folder">DIR, which must exist.</param>
    public ResultsLog(string folder)
    {
        FilePath = Path.Combine(folder, FileName);
        _lockPath = Path.Combine(folder, LockName);
    }

    /// <summary>DIR/results.jsonl.</summary>
    public string FilePath { get; }

    /// <summary>The latest line per input, as recorded so far.</summary>
    public IReadOnlyDictionary<string, BatchResult> ReadLatest()
    {
        using (Locked())
        {
            return Parse(ReadText()).Latest;
        }
    }

    /// <summary>Appends one line (the file is created when missing).</summary>
    public void Append(BatchResult result)
    {
        string line = Serialize(result) + "\n";
        using (Locked())
        {
            using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            byte[] bytes = Encoding.UTF8.GetBytes(line);
            stream.Write(bytes);
        }
    }

    /// <summary>Rewrites the file with the latest line per input, sorted; returns those results.</summary>
    public IReadOnlyList<BatchResult> Normalize()
    {
        using (Locked())
        {
            string text = ReadText();
            Parsed parsed = Parse(text);
            // Lines are ASCII (the serializer escapes the rest), so ordinal order is byte order:
            // `LC_ALL=C sort -m` of the shards' own files gives the same bytes.
            var sorted = parsed.Latest.OrderBy(p => parsed.Lines[p.Key], StringComparer.Ordinal).ToList();
            var normal = new StringBuilder();
            foreach ((string input, _) in sorted)
            {
                normal.Append(parsed.Lines[input]).Append('\n');
            }

            foreach (string other in parsed.Unparsed)
            {
                normal.Append(other).Append('\n');
            }

            string result = normal.ToString();
            if (!string.Equals(result, text, StringComparison.Ordinal))
            {
                AtomicFile.WriteText(FilePath, result);
            }

            return [.. sorted.Select(p => p.Value)];
        }
    }

    /// <summary>[any-thread] One line of the file.</summary>
    public static string Serialize(BatchResult result) =>
        JsonSerializer.Serialize(result, BatchResultJsonContext.Default.BatchResult);

    private string ReadText()
    {
        try
        {
            return File.ReadAllText(FilePath);
        }
        catch (FileNotFoundException)
        {
            return string.Empty;
        }
    }

    private static Parsed Parse(string text)
    {
        var latest = new Dictionary<string, BatchResult>(StringComparer.Ordinal);
        var lines = new Dictionary<string, string>(StringComparer.Ordinal);
        var unparsed = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            BatchResult? result = null;
            try
            {
                result = JsonSerializer.Deserialize(line, BatchResultJsonContext.Default.BatchResult);
            }
            catch (JsonException)
            {
            }

            if (result?.Input is string input && result.Command is not null && result.Status is not null)
            {
                latest[input] = result;
                lines[input] = line;
            }
            else
            {
                unparsed.Add(line);
            }
        }

        return new Parsed(latest, lines, unparsed);
    }

    private Held Locked()
    {
        _gate.Enter();
        try
        {
            Microsoft.Win32.SafeHandles.SafeFileHandle handle = PosixFiles.OpenLockFile(_lockPath);
            try
            {
                PosixFiles.LockExclusive(handle, _lockPath);
            }
            catch
            {
                handle.Dispose();
                throw;
            }

            return new Held(this, handle);
        }
        catch
        {
            _gate.Exit();
            throw;
        }
    }

    private sealed record Parsed(Dictionary<string, BatchResult> Latest, Dictionary<string, string> Lines, List<string> Unparsed);

    private readonly struct Held(ResultsLog log, Microsoft.Win32.SafeHandles.SafeFileHandle handle) : IDisposable
    {
        public void Dispose()
        {
            PosixFiles.Unlock(handle);
            handle.Dispose();
            log._gate.Exit();
        }
    }
}
